import { createRequire } from 'node:module';
import type { z } from 'zod';
import { InputError, formatPath } from './errors.js';
import {
  scenarioSchema,
  type Communities,
  type Dynamics,
  type IntermediationScenarioInput,
  type LeakageScenarioInput,
  type Regulation,
} from './schema.js';

/**
 * ml-matrix loads on the first eigen-decomposition, through require: the leakage checker imports this
 * module for `communityEigenvalues`, so every sweep worker thread loaded ml-matrix at start-up (~30 ms of
 * ESM export scanning of its CommonJS bundle) without ever using it. Its ESM entry re-exports the same
 * CommonJS bundle, so both routes give the same code.
 */
let mlMatrix: typeof import('ml-matrix') | undefined;
const loadMlMatrix = (): typeof import('ml-matrix') => (mlMatrix ??= createRequire(import.meta.url)('ml-matrix') as typeof import('ml-matrix'));

/** Relative tolerance for symmetry and for the PSD test (smallest eigenvalue ≥ −tol·max(1, ‖Σ‖)). */
export const SYMMETRY_TOL = 1e-12;
export const PSD_TOL = 1e-10;
/** De-correlation needs Σ⁻¹; refused beyond this condition number (docs/numerics.md). */
export const MAX_CONDITION_FOR_INVERSE = 1e12;
/** Largest magnitude accepted for covariances and privacy values (keeps ΣΣ and sums finite). */
export const MAX_MAGNITUDE = 1e100;
/** τ² / max_i Σ_ii must lie in [1/MAX_NOISE_RATIO, MAX_NOISE_RATIO] so Σ[A,A] + τ²Id stays well conditioned. */
export const MAX_NOISE_RATIO = 1e10;
/**
 * Least largest variance (leakage is in the variances' units). The leakage checkers' tie tolerance is 10⁻⁹·max(1, |x|),
 * absolute below 1, so at variances of 10⁻⁸ sets that differ tied (review: Σ and τ² × 10⁻¹² reported sharers 0-2 and
 * "efficient" for {0} and "too much data"); leakage is homogeneous in (Σ, τ²), so rescaling loses nothing.
 */
export const MIN_LARGEST_VARIANCE = 1e-3;
/** Largest joining value c(J) over the largest variance: beyond, c dominates the duopoly's gain tolerance (review). */
export const MAX_JOINING_RATIO = 1e4;
/**
 * Intermediation LPs are solved by HiGHS at absolute tolerances (1e-10), so their inputs must stay in a
 * tested envelope (docs/numerics.md): |types|, |fees|, r̄ and r_ω at most 1e6; masses at most 1e4, every
 * positive mass at least 1e-6 × the largest; at most 1024 columns |fees|·|types| in the design LP (summed
 * over platforms).
 */
export const INTERMEDIATION_MAX_VALUE = 1e6;
/**
 * The money unit's floor: the largest |ω| must be at least this (or 0: no money at stake). The LPs' tolerances
 * are absolute, so types of 1e-9 (a review: types (1, 2), r̄ = 1e-3, in a unit 1e-9 as large) gave five
 * "equilibria" and W above Wo, and at 1e-6 a verdict flipped to "efficient".
 */
export const INTERMEDIATION_MIN_TYPE_SCALE = 1e-3;
export const INTERMEDIATION_MAX_MASS = 1e4;
export const INTERMEDIATION_MIN_MASS_RATIO = 1e-6;
export const INTERMEDIATION_MAX_LP_COLUMNS = 1024;
/**
 * Σ over platforms of (action profiles, or fees) × types, counting platforms with several merchants: 8192 took up to
 * 19 s (four types, one platform of 2048 profiles; two types, 4096 profiles: 3 s); 16384 took 18 s and 20480
 * 110 s (reviews, 2026-11-28).
 */
export const INTERMEDIATION_MAX_PROFILE_COLUMNS = 8192;
/** The largest mass's floor (masses are relative; below, extensive results become subnormal numbers). */
export const INTERMEDIATION_MIN_MASS = 1e-100;

export type CovarianceStructure =
  | { kind: 'general'; Sigma: number[][] }
  | ({ kind: 'communities' } & Communities);

/** A validated leakage scenario with defaults applied (MODEL.md Part B). */
export interface LeakageScenario {
  name: string;
  model: 'leakage';
  seed?: number;
  dynamics?: Dynamics;
  /** τ², the noise variance (1 in the papers). */
  noiseVariance: number;
  structure: CovarianceStructure;
  /** v_i per user (general Σ) or per community. */
  privacyValues: number[];
  platforms: 1 | 2;
  /** PAL's α. */
  spillover: number;
  regulation?: Regulation;
  /** PAL joining values (platforms: 2 only); absent = AMMO Assumption 1 taken as given. */
  joiningValue?: { base: number; perMember: number };
  /** "mse" = I_i (the papers' measure), "mutual-information" = I(X_i; S_A). */
  informationMeasure: 'mse' | 'mutual-information';
  /** AMMO §5.2: F of the privacy values (empirical weights normalised, support sorted). */
  valueDistribution?: { kind: 'uniform'; low: number; high: number } | { kind: 'empirical'; values: number[]; weights: number[] };
  /**
   * AMMO §5.3: Σ ~ μ over a finite list (weights normalised). When set, `structure` holds the mean E_μ[Σ]
   * only for code that ignores uncertainty; the leakage checker uses the list.
   */
  covarianceMixture?: { Sigma: number[][]; weight: number }[];
  /** AMMO §5.3 on communities: block covariances ~ μ (same sizes; weights normalised); `structure` holds E_μ. */
  communityMixture?: { communities: Communities; weight: number }[];
  /** PAL §VII posted-price duopoly on a grid: price levels per user (docs/leakage-competition.md). */
  postedPrices?: { levels: number[][] };
}

/** A validated intermediation scenario with defaults applied (MODEL.md Part A). */
export interface IntermediationScenario extends Omit<IntermediationScenarioInput, 'fees' | 'reservationUtility' | 'remedy'> {
  fees: number[];
  reservationUtility: number;
  remedy: 'none' | 'union' | 'tax' | 'complete';
}

export type Scenario = LeakageScenario | IntermediationScenario;

const MODELS = ['leakage', 'intermediation'] as const;

/** Validates a parsed scenario object; throws InputError naming the first bad field. */
export function validateScenario(raw: unknown): Scenario {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InputError('(root)', 'a scenario must be a JSON object');
  }
  const model = (raw as Record<string, unknown>).model;
  if (model === undefined) throw new InputError('model', `missing (expected one of ${MODELS.join(', ')})`);
  if (!MODELS.includes(model as (typeof MODELS)[number])) {
    throw new InputError('model', `unknown model ${JSON.stringify(model)} (expected one of ${MODELS.join(', ')})`);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw zodToInputError(parsed.error);
  const s = parsed.data;
  return s.model === 'leakage' ? checkLeakage(s) : checkIntermediation(s);
}

/** The first zod issue as an InputError; unknown keys name the key itself. */
export function zodToInputError(error: z.ZodError): InputError {
  const issue = error.issues[0];
  if (!issue) return new InputError('(root)', 'invalid');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '?';
    return new InputError(formatPath([...issue.path, key]), 'unknown field');
  }
  return new InputError(formatPath(issue.path), issue.message);
}

function checkLeakage(raw: LeakageScenarioInput): LeakageScenario {
  const mixtures = checkCovarianceMixture(raw);
  const mixture = mixtures?.general;
  const s = mixture ? { ...raw, covariance: meanCovariance(mixture) } : mixtures?.communities ? { ...raw, communities: meanCommunities(mixtures.communities) } : raw;
  const hasCov = s.covariance !== undefined;
  const hasCom = s.communities !== undefined;
  if (hasCov === hasCom) {
    throw new InputError(hasCov ? 'communities' : 'covariance', 'give exactly one of covariance or communities');
  }
  let structure: CovarianceStructure;
  let expectedValues: number;
  if (s.covariance) {
    checkCovariance(s.covariance);
    structure = { kind: 'general', Sigma: s.covariance };
    expectedValues = s.covariance.length;
  } else {
    const c = s.communities as Communities;
    checkCommunities(c);
    structure = { kind: 'communities', ...c };
    expectedValues = c.sizes.length;
  }
  checkMagnitudes(s, largestVariance(structure));
  if (s.privacyValues.length !== expectedValues) {
    const unit = hasCov ? 'users (one per covariance row)' : 'communities';
    throw new InputError('privacyValues', `has ${s.privacyValues.length} values, expected ${expectedValues} (${unit})`);
  }
  const platforms = s.platforms ?? 1;
  if (s.spillover !== undefined && s.spillover > 0 && platforms === 1) {
    throw new InputError('spillover', 'is only meaningful with platforms: 2');
  }
  if (s.regulation?.tax?.kind === 'uniform' && s.regulation.tax.rate === undefined) {
    throw new InputError('regulation.tax.rate', 'required for a uniform tax');
  }
  if (s.regulation?.tax?.kind === 'pigovian' && s.regulation.tax.rate !== undefined) {
    throw new InputError('regulation.tax.rate', 'not used by a pigovian tax (it is personalised)');
  }
  if (s.regulation?.decorrelation && s.covariance) {
    const cond = conditionNumber(s.covariance);
    if (!(cond <= MAX_CONDITION_FOR_INVERSE)) {
      throw new InputError(
        'covariance',
        `de-correlation needs an invertible covariance; condition number ${cond.toExponential(3)} exceeds ${MAX_CONDITION_FOR_INVERSE.toExponential(0)}`,
      );
    }
  }
  const out: LeakageScenario = {
    name: s.name,
    model: 'leakage',
    noiseVariance: s.noiseVariance ?? 1,
    structure,
    privacyValues: s.privacyValues,
    platforms,
    spillover: s.spillover ?? 0,
    informationMeasure: 'mse',
  };
  if (s.seed !== undefined) out.seed = s.seed;
  if (s.dynamics !== undefined) out.dynamics = s.dynamics;
  if (s.regulation !== undefined) out.regulation = s.regulation;
  checkCompetitionAndUncertainty(s, out);
  if (mixture) out.covarianceMixture = mixture;
  if (mixtures?.communities) out.communityMixture = mixtures.communities;
  return out;
}

/**
 * uncertainty.covariances: replaces `covariance`; each matrix checked like `covariance`, weights normalised.
 * Entries may instead all be `communities` of the same sizes (then returned in `communities`).
 */
function checkCovarianceMixture(s: LeakageScenarioInput): {
  general?: { Sigma: number[][]; weight: number }[];
  communities?: { communities: Communities; weight: number }[];
} | undefined {
  const list = s.uncertainty?.covariances;
  if (!list) return undefined;
  if (s.covariance || s.communities) {
    throw new InputError('uncertainty.covariances', 'replaces covariance/communities: give the list of covariances only');
  }
  const total = list.reduce((a, e) => a + e.weight, 0);
  // each weight is finite, the sum need not be (two weights of 1e308 normalised to 0 and an all-zero mean Σ: review)
  if (!Number.isFinite(total)) throw new InputError('uncertainty.covariances', `weights sum to ${total}; scale them down (only their ratios matter)`);
  const blocks = list[0].communities !== undefined;
  list.forEach((e, k) => {
    if ((e.covariance === undefined) === (e.communities === undefined)) {
      throw new InputError(`uncertainty.covariances.${k}`, 'give exactly one of covariance or communities');
    }
    if ((e.communities !== undefined) !== blocks) {
      throw new InputError(`uncertainty.covariances.${k}`, 'all entries must be covariance matrices, or all communities');
    }
  });
  if (!(total > 0)) throw new InputError('uncertainty.covariances', 'weights must have a positive sum');
  if (blocks) {
    const sizes = (list[0].communities as Communities).sizes;
    list.forEach((e, k) => {
      const c = e.communities as Communities;
      if (c.sizes.length !== sizes.length || c.sizes.some((x, g) => x !== sizes[g])) {
        throw new InputError(`uncertainty.covariances.${k}.communities.sizes`, `must equal the first entry's sizes [${sizes.join(', ')}] (users are the same under every Σ)`);
      }
      const field = `uncertainty.covariances.${k}.communities`;
      checkCommunityMagnitudes(c, field);
      checkCommunities(c, field);
    });
    return { communities: list.map((e) => ({ communities: e.communities as Communities, weight: e.weight / total })) };
  }
  const n = (list[0].covariance as number[][]).length;
  list.forEach((e, k) => {
    const S = e.covariance as number[][];
    if (S.length !== n) {
      throw new InputError(`uncertainty.covariances.${k}.covariance`, `has ${S.length} rows, expected ${n} (all matrices the same size)`);
    }
    // each entry's own magnitudes, before the mean is checked as `covariance` (review: 1e101 in an entry was
    // reported as the mean's covariance.0.0 = 5e100, a field the file does not have)
    checkMatrixMagnitudes(S, `uncertainty.covariances.${k}.covariance`);
    checkCovariance(S, `uncertainty.covariances.${k}.covariance`);
  });
  return { general: list.map((e) => ({ Sigma: e.covariance as number[][], weight: e.weight / total })) };
}

/** E_μ of a block covariance: the same sizes with averaged variance, within and across. */
function meanCommunities(m: { communities: Communities; weight: number }[]): Communities {
  const avg = (k: 'variance' | 'within' | 'across'): number => m.reduce((a, e) => a + e.weight * e.communities[k], 0);
  return { sizes: m[0].communities.sizes, variance: avg('variance'), within: avg('within'), across: avg('across') };
}

function meanCovariance(m: { Sigma: number[][]; weight: number }[]): number[][] {
  const n = m[0].Sigma.length;
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => m.reduce((a, e) => a + e.weight * e.Sigma[i][j], 0)));
}

/** Fields of issue 6 (joining values, value distributions, information measure) and their combinations. */
function checkCompetitionAndUncertainty(s: LeakageScenarioInput, out: LeakageScenario): void {
  if (s.joiningValue) {
    if (out.platforms !== 2) throw new InputError('joiningValue', 'is only meaningful with platforms: 2');
    out.joiningValue = { base: s.joiningValue.base, perMember: s.joiningValue.perMember ?? 0 };
    const st = out.structure;
    const users = st.kind === 'general' ? st.Sigma.length : st.sizes.reduce((a, b) => a + b, 0);
    const variance = largestVariance(st);
    const largest = Math.abs(out.joiningValue.base) + Math.abs(out.joiningValue.perMember) * Math.max(0, users - 1);
    if (variance > 0 && largest > MAX_JOINING_RATIO * variance) {
      throw new InputError(
        'joiningValue',
        `joining values up to ${largest} exceed ${MAX_JOINING_RATIO} × the largest variance (${variance}): they would swamp the duopoly's gain tolerance, 10⁻⁹ of a payoff (review: 8 equilibria for 2 at c = 10⁹); a common base does not change who joins where, so lower it`,
      );
    }
  }
  out.informationMeasure = s.informationMeasure ?? 'mse';
  if (out.informationMeasure === 'mutual-information' && out.structure.kind === 'communities' && s.regulation) {
    throw new InputError('informationMeasure', 'mutual information on communities cannot be combined with regulation (the community regulation solver uses the MSE block leakage)');
  }
  const F = s.uncertainty?.privacyValues;
  if (F) {
    if (out.structure.kind !== 'general' || s.uncertainty?.covariances) {
      throw new InputError(
        'uncertainty.privacyValues',
        'unknown privacy values need one known general covariance: the payments evaluate the allocation when one user misreports, which breaks block exchangeability (communities), and AMMO §5.2–§5.3 do not combine unknown values with unknown Σ',
      );
    }
    if (F.kind === 'uniform') {
      if (!(F.high > F.low)) throw new InputError('uncertainty.privacyValues.high', `must exceed low (${F.low})`);
      s.privacyValues.forEach((x, i) => {
        if (x < F.low || x > F.high) throw new InputError(`privacyValues.${i}`, `${x} lies outside the support [${F.low}, ${F.high}] of uncertainty.privacyValues`);
      });
      out.valueDistribution = { kind: 'uniform', low: F.low, high: F.high };
    } else {
      const w = F.weights ?? F.values.map(() => 1);
      if (w.length !== F.values.length) {
        throw new InputError('uncertainty.privacyValues.weights', `has ${w.length} entries, expected ${F.values.length} (one per value)`);
      }
      const pairs = F.values.map((x, k) => [x, w[k]] as const).sort((a, b) => a[0] - b[0]);
      for (let k = 1; k < pairs.length; k++) {
        if (pairs[k][0] === pairs[k - 1][0]) throw new InputError('uncertainty.privacyValues.values', `value ${pairs[k][0]} appears twice`);
      }
      if (pairs.some((p) => !(p[1] > 0))) throw new InputError('uncertainty.privacyValues.weights', 'every support value needs a positive weight');
      const total = pairs.reduce((a, p) => a + p[1], 0);
      if (!Number.isFinite(total)) throw new InputError('uncertainty.privacyValues.weights', `sum to ${total}; scale them down (only their ratios matter)`);
      s.privacyValues.forEach((x, i) => {
        if (!pairs.some((p) => p[0] === x)) throw new InputError(`privacyValues.${i}`, `${x} is not in the support of uncertainty.privacyValues.values`);
      });
      out.valueDistribution = { kind: 'empirical', values: pairs.map((p) => p[0]), weights: pairs.map((p) => p[1] / total) };
    }
  }
  if (s.postedPrices) checkPostedPrices(s.postedPrices.levels, out);
  const unc = s.uncertainty?.privacyValues || s.uncertainty?.covariances;
  if (out.platforms === 2) checkDuopolyCombinations(s, out);
  if (unc && s.regulation) throw new InputError('regulation', 'cannot be combined with uncertainty');
}

/**
 * What two platforms can be combined with (docs/leakage-competition.md). Exact: unknown Σ over a list and
 * uniform taxes / de-correlation on a general covariance (each platform's objective changes, the joining
 * game is enumerated as before). Refused, with the reason: the rest.
 */
function checkDuopolyCombinations(s: LeakageScenarioInput, out: LeakageScenario): void {
  if (s.uncertainty?.privacyValues) {
    throw new InputError(
      'uncertainty.privacyValues',
      'unknown privacy values are implemented for one platform only: AMMO §5.2 designs a monopsonist\'s mechanism, and with two platforms a report would also steer the user\'s joining — neither paper characterises that game',
    );
  }
  if (s.postedPrices && (s.uncertainty || s.regulation)) {
    throw new InputError(s.uncertainty ? 'uncertainty' : 'regulation', 'cannot be combined with postedPrices (the grid game is implemented for known Σ and values, unregulated)');
  }
  if (s.regulation?.tax?.kind === 'pigovian') {
    throw new InputError(
      'regulation.tax',
      'a Pigovian tax is implemented for one platform only: AMMO §6.1 builds it from the monopoly first best, while the duopoly first best also fixes the assignment to platforms, which transaction taxes cannot enforce',
    );
  }
  if (s.uncertainty?.covariances && s.regulation) throw new InputError('regulation', 'cannot be combined with uncertainty');
}

/** Largest number of users of the grid posted-price duopoly (5ⁿ user profiles per price pair). */
export const MAX_POSTED_PRICE_USERS = 4;

/** postedPrices: PAL §VII on a finite grid; two platforms, one known general Σ, no spillover (§VII has none). */
function checkPostedPrices(levels: number[] | number[][], out: LeakageScenario): void {
  if (out.platforms !== 2) throw new InputError('postedPrices', 'needs platforms: 2 (the posted-price duopoly of PAL §VII / AMMO §4)');
  if (out.structure.kind !== 'general') throw new InputError('postedPrices', 'needs a general covariance (communities are not supported by the posted-price grid game)');
  if (out.informationMeasure !== 'mse') throw new InputError('informationMeasure', 'the posted-price grid game uses the papers\' MSE leakage only (Assumption 1 is stated in its units)');
  if (out.spillover > 0) throw new InputError('spillover', 'PAL §VII (posted prices) has no cross-platform spillover; remove spillover or postedPrices');
  const n = out.privacyValues.length;
  if (n > MAX_POSTED_PRICE_USERS) {
    throw new InputError('postedPrices', `the grid posted-price duopoly enumerates 5^n user profiles per price pair; ${n} users exceed its limit of ${MAX_POSTED_PRICE_USERS}`);
  }
  const perUser = typeof levels[0] === 'number' ? Array.from({ length: n }, () => levels as number[]) : (levels as number[][]);
  if (perUser.length !== n) throw new InputError('postedPrices.levels', `has ${perUser.length} lists, expected ${n} (one per user) or a single list of levels`);
  perUser.forEach((L, i) => {
    const sorted = [...L].sort((a, b) => a - b);
    for (let k = 1; k < sorted.length; k++) {
      if (sorted[k] === sorted[k - 1]) throw new InputError(typeof levels[0] === 'number' ? 'postedPrices.levels' : `postedPrices.levels.${i}`, `level ${sorted[k]} appears twice`);
    }
  });
  out.postedPrices = { levels: perUser.map((L) => [...L].sort((a, b) => a - b)) };
}

/** Documented magnitude limits (docs/numerics.md): beyond them double precision cannot be trusted. */
/** |x| ≤ MAX_MAGNITUDE, else an InputError naming `field`. */
function checkMagnitude(x: number, field: string): void {
  if (Math.abs(x) > MAX_MAGNITUDE) throw new InputError(field, `magnitude ${x} exceeds the limit ${MAX_MAGNITUDE}`);
}

function checkMatrixMagnitudes(S: number[][], field: string): void {
  S.forEach((row, i) => row.forEach((x, j) => checkMagnitude(x, `${field}.${i}.${j}`)));
}

function checkCommunityMagnitudes(c: Communities, field: string): void {
  for (const k of ['variance', 'within', 'across'] as const) checkMagnitude(c[k], `${field}.${k}`);
}

/** The largest variance of a covariance structure (the leakage's unit). */
function largestVariance(st: CovarianceStructure): number {
  return st.kind === 'general' ? Math.max(...st.Sigma.map((r, i) => r[i])) : st.variance;
}

function checkMagnitudes(s: LeakageScenarioInput, maxVariance: number): void {
  if (s.covariance) checkMatrixMagnitudes(s.covariance, 'covariance');
  if (s.communities) checkCommunityMagnitudes(s.communities, 'communities');
  s.privacyValues.forEach((x, i) => checkMagnitude(x, `privacyValues.${i}`));
  if (maxVariance > 0 && maxVariance < MIN_LARGEST_VARIANCE) {
    throw new InputError(
      s.covariance ? 'covariance' : 'communities.variance',
      `the largest variance ${maxVariance} is below ${MIN_LARGEST_VARIANCE}: leakage that small falls under the checkers' tie tolerance (10⁻⁹, absolute below 1); rescale the variances and noiseVariance together (no sharing set changes)`,
    );
  }
  const tau2 = s.noiseVariance ?? 1;
  const ratio = tau2 / maxVariance;
  if (maxVariance > 0 && (ratio < 1 / MAX_NOISE_RATIO || ratio > MAX_NOISE_RATIO)) {
    throw new InputError(
      'noiseVariance',
      `noise variance / largest type variance = ${ratio.toExponential(3)} is outside [1e-10, 1e10]; rescale so both are comparable`,
    );
  }
}

function checkCovariance(S: number[][], field = 'covariance'): void {
  const n = S.length;
  S.forEach((row, i) => {
    if (row.length !== n) throw new InputError(`${field}.${i}`, `row has ${row.length} entries, expected ${n} (square matrix)`);
  });
  let scale = 0;
  for (const row of S) for (const x of row) scale = Math.max(scale, Math.abs(x));
  for (let i = 0; i < n; i++) {
    if (!(S[i][i] > 0)) throw new InputError(`${field}.${i}.${i}`, `variance must be positive, got ${S[i][i]}`);
    for (let j = 0; j < i; j++) {
      if (Math.abs(S[i][j] - S[j][i]) > SYMMETRY_TOL * Math.max(1, scale)) {
        throw new InputError(`${field}.${i}.${j}`, `not symmetric: ${S[i][j]} vs ${field}.${j}.${i} = ${S[j][i]}`);
      }
    }
  }
  const minEig = smallestEigenvalue(S);
  if (Number.isNaN(minEig)) throw new InputError(field, 'eigenvalues cannot be computed (entries too large)');
  if (minEig < -PSD_TOL * Math.max(1, scale)) {
    throw new InputError(field, `not positive semi-definite: smallest eigenvalue ${minEig.toPrecision(6)}`);
  }
}

/**
 * Eigenvalues of a symmetric matrix (ml-matrix), computed on the matrix scaled to max |entry| = 1 so that
 * huge entries cannot overflow inside the decomposition; NaN entries in the result mean "not computable".
 */
export function symmetricEigenvalues(S: number[][]): number[] {
  const key = eigenKey(S);
  if (key === null) return computeSymmetricEigenvalues(S);
  let eig = eigenCache.get(key);
  if (eig === undefined) {
    eig = computeSymmetricEigenvalues(S);
    if (eigenCache.size >= EIGEN_CACHE_SIZE) eigenCache.delete(eigenCache.keys().next().value as string);
    eigenCache.set(key, eig);
  }
  return eig.slice();
}

/**
 * Memo of `symmetricEigenvalues` by the exact bits of the matrix. A sweep validates one scenario per run,
 * and most runs share the base's covariance (only privacy values or the noise vary), so the O(n³)
 * decomposition ran once per run for the same input; the decomposition is a pure function of the entries,
 * so returning the stored spectrum for bit-identical entries (−0 kept distinct from 0) changes nothing.
 * Bounded: at most 16 matrices of at most 64 × 64 (≤ 0.5 MiB of keys), oldest evicted first.
 */
const EIGEN_CACHE_SIZE = 16;
const eigenCache = new Map<string, number[]>();

/** Exact key of a square numeric matrix (its dimension and the IEEE-754 bits of every entry); null otherwise. */
function eigenKey(S: number[][]): string | null {
  const n = S.length;
  if (n === 0 || n > 64) return null;
  const bits = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = S[i];
    if (!Array.isArray(row) || row.length !== n) return null;
    for (let j = 0; j < n; j++) {
      const x = row[j];
      if (typeof x !== 'number') return null;
      bits[i * n + j] = x;
    }
  }
  return `${n}:${Buffer.from(bits.buffer).toString('latin1')}`;
}

function computeSymmetricEigenvalues(S: number[][]): number[] {
  let scale = 0;
  for (const row of S) for (const x of row) scale = Math.max(scale, Math.abs(x));
  if (!Number.isFinite(scale)) return [NaN];
  if (scale === 0) return S.map(() => 0);
  try {
    const { EigenvalueDecomposition, Matrix } = loadMlMatrix();
    const scaled = new Matrix(S).div(scale);
    return new EigenvalueDecomposition(scaled, { assumeSymmetric: true }).realEigenvalues.map((x) => x * scale);
  } catch {
    return [NaN];
  }
}

/** Smallest eigenvalue of a symmetric matrix; NaN when it cannot be computed. */
export function smallestEigenvalue(S: number[][]): number {
  const eig = symmetricEigenvalues(S);
  return eig.some(Number.isNaN) ? NaN : Math.min(...eig);
}

function conditionNumber(S: number[][]): number {
  const eig = symmetricEigenvalues(S).map(Math.abs);
  const min = Math.min(...eig);
  return min === 0 ? Infinity : Math.max(...eig) / min;
}

/**
 * Eigenvalues of the block matrix without building it: Σ = (variance − within)·Id + E with E block-constant,
 * so its spectrum is variance − within (on vectors summing to zero inside each block) together with
 * variance − within + eig(D^{1/2} C D^{1/2}), C_kl = within (k = l) or across, D = diag(sizes).
 */
export function communityEigenvalues(c: Communities): number[] {
  const K = c.sizes.length;
  const base = c.variance - c.within;
  const M: number[][] = c.sizes.map((nk, k) =>
    c.sizes.map((nl, l) => Math.sqrt(nk * nl) * (k === l ? c.within : c.across)),
  );
  const eig = symmetricEigenvalues(M).map((x) => base + x);
  if (c.sizes.some((s) => s >= 2)) eig.push(base);
  return eig;
}

function checkCommunities(c: Communities, field = 'communities'): void {
  const eig = communityEigenvalues(c);
  if (eig.some((x) => !Number.isFinite(x))) {
    throw new InputError(field, 'eigenvalues cannot be computed (entries too large)');
  }
  const minEig = Math.min(...eig);
  const scale = Math.max(Math.abs(c.variance), Math.abs(c.within), Math.abs(c.across), 1);
  if (minEig < -PSD_TOL * scale) {
    throw new InputError(
      field,
      `block covariance is not positive semi-definite: smallest eigenvalue ${minEig.toPrecision(6)}`,
    );
  }
}

function checkStrictlyIncreasing(xs: number[], field: string): void {
  for (let i = 1; i < xs.length; i++) {
    if (!(xs[i] > xs[i - 1])) throw new InputError(`${field}.${i}`, `must be strictly increasing (${xs[i - 1]} then ${xs[i]})`);
  }
}

/** Limit on ∏_k |A^k| per platform; equals MAX_PROFILES in src/model/intermediation/multiMerchant.ts (tested). */
export const MAX_PROFILES = 4096;

function checkIntermediation(s: IntermediationScenarioInput): IntermediationScenario {
  checkStrictlyIncreasing(s.types, 'types');
  if (s.mass.length !== s.types.length) {
    throw new InputError('mass', `has ${s.mass.length} values, expected ${s.types.length} (one per type)`);
  }
  if (!(s.mass.reduce((a, b) => a + b, 0) > 0)) throw new InputError('mass', 'total mass must be positive');
  if (s.fees) checkStrictlyIncreasing(s.fees, 'fees');
  // the single-platform checker's conventions (docs/intermediation.md, Conventions 5) need v ≥ 0: a negative fee
  // makes the merchant's profit, so V, decrease in records and record prices negative, where the equilibrium search
  // (prices ≥ 0) missed equilibria (review: one type ω = 1, fee −1, γ = (0, 1): every consumer sells at p = −1)
  const topFees = s.fees ?? s.types;
  const negative = topFees.findIndex((a) => a < 0);
  if (negative >= 0) {
    throw new InputError(s.fees ? `fees.${negative}` : `types.${negative}`, s.fees
      ? `is ${topFees[negative]}: fees must be ≥ 0 (a merchant's price; the checker's conventions assume it)`
      : `is ${topFees[negative]}, and without a fees grid the types are the fees, which must be ≥ 0 (a merchant's price; the checker's conventions assume it): give fees`);
  }
  if (s.privacyValues && s.privacyValues.length !== s.types.length) {
    throw new InputError('privacyValues', `has ${s.privacyValues.length} values, expected ${s.types.length} (one per type)`);
  }
  if (s.privacyValues && !s.platforms) throw new InputError('privacyValues', 'is only used with a platforms array');
  const search = s.equilibriumSearch ?? {};
  for (const k of ['maxTypes', 'maxFaces'] as const) {
    if (search[k] !== undefined && s.platforms) throw new InputError(`equilibriumSearch.${k}`, 'is only used without a platforms array (the single-platform equilibrium search)');
  }
  if (search.twoInteriorMaxTypes !== undefined && s.platforms?.length !== 1) {
    throw new InputError('equilibriumSearch.twoInteriorMaxTypes', 'is only used with a platforms array of one platform (its GP E2 search)');
  }
  if (search.manyInterior !== undefined && s.platforms?.length !== 1) {
    throw new InputError('equilibriumSearch.manyInterior', 'is only used with a platforms array of one platform (its GP E2 search)');
  }
  if (search.maxSplitSlices !== undefined && !(s.platforms && (s.platforms.length > 1 || s.platforms[0].merchants))) {
    throw new InputError('equilibriumSearch.maxSplitSlices', 'is only used with several platforms or a platform with a merchants array (the slices of their GP E2 search)');
  }
  // names label the output (designs, q1, q2, …, sharedKinks): two alike would be ambiguous (review)
  const names = platformNames(s.platforms ?? []);
  names.forEach((n, i) => {
    const j = names.indexOf(n);
    if (j < i) {
      // either one may be unnamed: its default name is what clashes (review)
      const unnamed = [i, j].filter((k) => s.platforms?.[k].name === undefined).map((k) => `platforms.${k}`);
      throw new InputError(`platforms.${i}.name`, `${JSON.stringify(n)} is also the name of platforms.${j}${unnamed.length ? ` (the default name of ${unnamed.join(' and ')}, which has none)` : ''}; give each platform its own name`);
    }
  });
  s.platforms?.forEach((p, i) => {
    if (p.fees) checkStrictlyIncreasing(p.fees, `platforms.${i}.fees`);
    if (p.buyerWeights && p.buyerWeights.length !== s.types.length) {
      throw new InputError(`platforms.${i}.buyerWeights`, `has ${p.buyerWeights.length} values, expected ${s.types.length} (one per type)`);
    }
    if (p.merchants && p.fees) throw new InputError(`platforms.${i}.fees`, 'give either fees (one merchant) or merchants, not both');
    if (p.competition && !p.merchants) throw new InputError(`platforms.${i}.competition`, 'is only used with a merchants array');
    p.merchants?.forEach((m, k) => checkStrictlyIncreasing(m.fees, `platforms.${i}.merchants.${k}.fees`));
    // names label the fee profiles in the output, as platform names do (review: two alike were accepted), default
    // names included (review: an unnamed first merchant and one named "merchant 1" were both labelled so)
    const merchantNames = merchantLabels(p.merchants ?? []);
    merchantNames.forEach((n, k) => {
      const j = merchantNames.indexOf(n);
      if (j < k) throw new InputError(`platforms.${i}.merchants.${k}.name`, `${JSON.stringify(n)} is also the name of platforms.${i}.merchants.${j}${p.merchants?.[j].name === undefined || p.merchants?.[k].name === undefined ? ' (a default name: "merchant k" for the k-th unnamed one)' : ''}; give each merchant its own name`);
    });
    if (p.merchants) {
      const profiles = profileCount(p.merchants);
      if (profiles > MAX_PROFILES) {
        throw new InputError(`platforms.${i}.merchants`, `${profiles} action profiles (product of the fee-grid sizes) exceed the limit of ${MAX_PROFILES}`);
      }
    }
  });
  checkIntermediationEnvelope(s);
  const { fees, reservationUtility, remedy, ...rest } = s;
  return { ...rest, fees: fees ?? s.types, reservationUtility: reservationUtility ?? 0, remedy: remedy ?? 'none' };
}

/** The documented numeric envelope and LP size limit of the intermediation checker (docs/numerics.md). */
function checkIntermediationEnvelope(s: IntermediationScenarioInput): void {
  const values: [string, number[] | undefined][] = [
    ['types', s.types],
    ['fees', s.fees],
    ['privacyValues', s.privacyValues],
    ['reservationUtility', s.reservationUtility === undefined ? undefined : [s.reservationUtility]],
    // the weights scale the LPs' objectives as the values do (γ = 1e300 ended in a HiGHS run error)
    ['weights.consumer', [s.weights.consumer]],
    ['weights.merchant', [s.weights.merchant]],
    ...(s.platforms ?? []).flatMap((p, i): [string, number[] | undefined][] => [
      [`platforms.${i}.weights.consumer`, [p.weights.consumer]],
      [`platforms.${i}.weights.merchant`, [p.weights.merchant]],
      [`platforms.${i}.buyerWeights`, p.buyerWeights],
    ]),
    ...(s.platforms ?? []).map((p, i): [string, number[] | undefined] => [`platforms.${i}.fees`, p.fees]),
    ...(s.platforms ?? []).flatMap((p, i) => (p.merchants ?? []).map((m, k): [string, number[]] => [`platforms.${i}.merchants.${k}.fees`, m.fees])),
  ];
  for (const [field, xs] of values) {
    xs?.forEach((x, k) => {
      if (Math.abs(x) > INTERMEDIATION_MAX_VALUE) {
        const f = field === 'reservationUtility' || field.endsWith('.consumer') || field.endsWith('.merchant') ? field : `${field}.${k}`;
        throw new InputError(f, `magnitude ${x} exceeds the limit ${INTERMEDIATION_MAX_VALUE} of the intermediation LPs; ${/eights/i.test(field) ? 'rescale the weights' : 'rescale the money unit'}`);
      }
    });
  }
  const scale = Math.max(...s.types.map(Math.abs));
  if (scale > 0 && scale < INTERMEDIATION_MIN_TYPE_SCALE) {
    throw new InputError('types', `the largest |ω| is ${scale}, below ${INTERMEDIATION_MIN_TYPE_SCALE}: the intermediation LPs' tolerances are absolute; rescale the money unit (types, fees, r̄ and r_ω together: results scale with it)`);
  }
  const maxMass = Math.max(...s.mass);
  // masses are relative: far below 1 the extensive results (records, W) reach subnormal numbers and lose digits
  // (review: masses (5e-324, 5e-324) printed W = 0 next to Wo = 4.9e-324)
  if (maxMass > 0 && maxMass < INTERMEDIATION_MIN_MASS) {
    throw new InputError(`mass.${s.mass.indexOf(maxMass)}`, `the largest mass is ${maxMass}, below ${INTERMEDIATION_MIN_MASS}; masses are relative, rescale them (e.g. to sum to 1)`);
  }
  // the limit first: a huge mass is the one to name, not the normal masses it dwarfs
  s.mass.forEach((m, k) => {
    if (m > INTERMEDIATION_MAX_MASS) throw new InputError(`mass.${k}`, `${m} exceeds the limit ${INTERMEDIATION_MAX_MASS}; masses are relative, rescale them (e.g. to sum to 1)`);
  });
  s.mass.forEach((m, k) => {
    if (m > 0 && m < INTERMEDIATION_MIN_MASS_RATIO * maxMass) {
      throw new InputError(`mass.${k}`, `${m} is positive but below ${INTERMEDIATION_MIN_MASS_RATIO} × the largest mass ${maxMass}; set it to 0 or raise it`);
    }
  });
  const N = s.types.length;
  // the single-platform analysis runs on the top-level grid with or without platforms (review: 600 fees next to a
  // platforms array were accepted and took a minute)
  const own = (s.fees ?? s.types).length * N;
  if (own > INTERMEDIATION_MAX_LP_COLUMNS) {
    throw new InputError(s.fees ? 'fees' : 'types', `the information-design LP would have ${own} columns (fees × types), more than the limit ${INTERMEDIATION_MAX_LP_COLUMNS}; use a coarser type grid or a shorter fees grid`);
  }
  // Platforms with several merchants are bounded by MAX_PROFILES each (their LP has profiles × types columns) and,
  // with the others, by INTERMEDIATION_MAX_PROFILE_COLUMNS in all: unbounded, four platforms of 4096 profiles on two
  // types ran past two minutes (review).
  const columns = (s.platforms ?? []).reduce((a, p) => a + (p.merchants ? 0 : (p.fees ?? s.types).length * N), 0);
  if (columns > INTERMEDIATION_MAX_LP_COLUMNS) {
    throw new InputError('platforms', `the information-design LP would have ${columns} columns (fees × types, summed over platforms), more than the limit ${INTERMEDIATION_MAX_LP_COLUMNS}; use a coarser type grid or a shorter fees grid`);
  }
  const each = (s.platforms ?? []).map((p) => (p.merchants ? profileCount(p.merchants) : (p.fees ?? s.types).length) * N);
  // one platform over the limit alone is named itself (review: the error named only `platforms`)
  const alone = each.findIndex((c) => c > INTERMEDIATION_MAX_PROFILE_COLUMNS);
  if (alone >= 0) {
    throw new InputError(`platforms.${alone}.merchants`, `its design LP would have ${each[alone]} columns (action profiles × types), more than the limit ${INTERMEDIATION_MAX_PROFILE_COLUMNS}; use fewer merchants, shorter fee grids or fewer types`);
  }
  const withProfiles = each.reduce((a, c) => a + c, 0);
  if (withProfiles > INTERMEDIATION_MAX_PROFILE_COLUMNS) {
    throw new InputError('platforms', `the platforms' design LPs would have ${withProfiles} columns (action profiles or fees × types, summed over platforms), more than the limit ${INTERMEDIATION_MAX_PROFILE_COLUMNS}; use fewer merchants, shorter fee grids or fewer types`);
  }
}

/** ∏_k |A^k|: the fee profiles of a platform's merchants (the rows of its design LP per type). */
function profileCount(merchants: ReadonlyArray<{ fees: readonly number[] }>): number {
  return merchants.reduce((n, m) => n * m.fees.length, 1);
}

/** Each merchant's name as reported (its own, else "merchant k"): labels the fee profiles and must be unique. */
export function merchantLabels(merchants: ReadonlyArray<{ name?: string }>): string[] {
  return merchants.map((m, k) => m.name ?? `merchant ${k + 1}`);
}

/** Each platform's name as reported (its own, else "platform i"): labels the output and must be unique. */
export function platformNames(platforms: ReadonlyArray<{ name?: string }>): string[] {
  return platforms.map((p, i) => p.name ?? `platform ${i + 1}`);
}
