import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
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

/** Relative tolerance for symmetry and for the PSD test (smallest eigenvalue ≥ −tol·max(1, ‖Σ‖)). */
export const SYMMETRY_TOL = 1e-12;
export const PSD_TOL = 1e-10;
/** De-correlation needs Σ⁻¹; refused beyond this condition number (docs/numerics.md). */
export const MAX_CONDITION_FOR_INVERSE = 1e12;

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

function checkLeakage(s: LeakageScenarioInput): LeakageScenario {
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
  };
  if (s.seed !== undefined) out.seed = s.seed;
  if (s.dynamics !== undefined) out.dynamics = s.dynamics;
  if (s.regulation !== undefined) out.regulation = s.regulation;
  return out;
}

function checkCovariance(S: number[][]): void {
  const n = S.length;
  S.forEach((row, i) => {
    if (row.length !== n) throw new InputError(`covariance.${i}`, `row has ${row.length} entries, expected ${n} (square matrix)`);
  });
  let scale = 0;
  for (const row of S) for (const x of row) scale = Math.max(scale, Math.abs(x));
  for (let i = 0; i < n; i++) {
    if (!(S[i][i] > 0)) throw new InputError(`covariance.${i}.${i}`, `variance must be positive, got ${S[i][i]}`);
    for (let j = 0; j < i; j++) {
      if (Math.abs(S[i][j] - S[j][i]) > SYMMETRY_TOL * Math.max(1, scale)) {
        throw new InputError(`covariance.${i}.${j}`, `not symmetric: ${S[i][j]} vs covariance.${j}.${i} = ${S[j][i]}`);
      }
    }
  }
  const minEig = smallestEigenvalue(S);
  if (minEig < -PSD_TOL * Math.max(1, scale)) {
    throw new InputError('covariance', `not positive semi-definite: smallest eigenvalue ${minEig.toPrecision(6)}`);
  }
}

/** Smallest eigenvalue of a symmetric matrix (ml-matrix). */
export function smallestEigenvalue(S: number[][]): number {
  const e = new EigenvalueDecomposition(new Matrix(S), { assumeSymmetric: true });
  return Math.min(...e.realEigenvalues);
}

function conditionNumber(S: number[][]): number {
  const eig = new EigenvalueDecomposition(new Matrix(S), { assumeSymmetric: true }).realEigenvalues.map(Math.abs);
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
  const M = Matrix.zeros(K, K);
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < K; l++) {
      const ckl = k === l ? c.within : c.across;
      M.set(k, l, Math.sqrt(c.sizes[k] * c.sizes[l]) * ckl);
    }
  }
  const eig = new EigenvalueDecomposition(M, { assumeSymmetric: true }).realEigenvalues.map((x) => base + x);
  if (c.sizes.some((s) => s >= 2)) eig.push(base);
  return eig;
}

function checkCommunities(c: Communities): void {
  const minEig = Math.min(...communityEigenvalues(c));
  const scale = Math.max(Math.abs(c.variance), Math.abs(c.within), Math.abs(c.across), 1);
  if (minEig < -PSD_TOL * scale) {
    throw new InputError(
      'communities',
      `block covariance is not positive semi-definite: smallest eigenvalue ${minEig.toPrecision(6)}`,
    );
  }
}

function checkStrictlyIncreasing(xs: number[], field: string): void {
  for (let i = 1; i < xs.length; i++) {
    if (!(xs[i] > xs[i - 1])) throw new InputError(`${field}.${i}`, `must be strictly increasing (${xs[i - 1]} then ${xs[i]})`);
  }
}

function checkIntermediation(s: IntermediationScenarioInput): IntermediationScenario {
  checkStrictlyIncreasing(s.types, 'types');
  if (s.mass.length !== s.types.length) {
    throw new InputError('mass', `has ${s.mass.length} values, expected ${s.types.length} (one per type)`);
  }
  if (!(s.mass.reduce((a, b) => a + b, 0) > 0)) throw new InputError('mass', 'total mass must be positive');
  if (s.fees) checkStrictlyIncreasing(s.fees, 'fees');
  const { fees, reservationUtility, remedy, ...rest } = s;
  return { ...rest, fees: fees ?? s.types, reservationUtility: reservationUtility ?? 0, remedy: remedy ?? 'none' };
}
