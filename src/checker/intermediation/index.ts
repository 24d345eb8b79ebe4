/**
 * Exact intermediation checker (DESIGN.md §4; docs/intermediation.md): V(q̄) with exact record-price
 * intervals, all GLP equilibria found on the type grid, constrained efficiency, remedies and, with a
 * `platforms` array, Galperti–Perego E1 and E3.
 */
import type { IntermediationScenario } from '../../scenario/validate.js';
import { highsSolver, LpError, type LpSolver } from '../../lp/index.js';
import { assertFinite } from '../finite.js';
import { multiPlatform, multiPlatformE1, multiPlatformMarket, platformSegmentations } from './multiPlatform.js';
import { massUnit, scaleExtensive } from './units.js';
import {
  allocationAt,
  e1TotalsDistance,
  bbmApplies,
  checkCandidate,
  meetsExactly,
  offPathUnprovenCount,
  withAbsentTypes,
  withoutCornerShadows,
  withoutAbsentTypes,
  designPieces,
  MAX_PIECE_TYPES,
  plannerByPieces,
  socialBenefitByPieces,
  type PlannerSolution,
  completeMarkets,
  conditionalSegmentation,
  constrainedOutcome,
  consumerBestDesign,
  dataTax,
  dataUnion,
  findEquilibria,
  fallbackEquilibria,
  fullDisclosureEquilibria,
  MAX_CORNER_TYPES,
  MAX_FALLBACK_WORK,
  MAX_LINE_TYPES,
  MAX_SEARCH_FACES_HARD,
  MAX_SEARCH_TYPES,
  MAX_SEARCH_TYPES_HARD,
  DEFAULT_SEARCH,
  defaultMaxFaces,
  SearchLimitError,
  type ExactSearchOptions,
  offPathMechanism,
  plannerOptimum,
  recordPriceIntervals,
  socialBenefit,
  solveDesign,
  welfareW,
  type Equilibrium,
  type PriceInterval,
  type PricingGame,
} from '../../model/intermediation/index.js';

/** The scenario's `equilibriumSearch` limits and an optional progress hook (patterns done, patterns in all). */
type SearchLimits = Pick<ExactSearchOptions, 'maxTypes' | 'maxFaces' | 'onProgress'>;

export const EQUILIBRIUM_SELECTION = 'highest welfare W first, then most records traded';

/** JSON has no ±Infinity: an unbounded price interval end is written as null. */
function interval(i: PriceInterval): { lower: number | null; upper: number | null } {
  return { lower: Number.isFinite(i.lower) ? i.lower : null, upper: Number.isFinite(i.upper) ? i.upper : null };
}

function segmentation(solver: LpSolver, game: PricingGame, X: number[][], q: number[], scale: number): number[][] {
  return conditionalSegmentation(X, q).map((row, w) => row ?? offPathMechanism(solver, game, q, w, scale).conditional);
}

/**
 * The least welfare among the equilibria an entry stands for: its set's (`region.welfareMin`, over records and
 * segmentations) or, at a single point, the consumer-worst segmentation that supports it (`welfare` is the most).
 */
function leastWelfare(solver: LpSolver, game: PricingGame, e: Equilibrium, rbar: number, scale: number): number | null {
  // unknown (null) rather than the optimistic reported value: a set without its own least (a failed minimisation),
  // or a consumer-worst support that could not be computed
  if (e.region && e.region.welfareMin === undefined) return null;
  let worst: Equilibrium | null;
  try {
    worst = checkCandidate(solver, game, e.records, rbar, e.roles, scale, true);
  } catch (err) {
    if (err instanceof LpError) return null;
    throw err;
  }
  if (!worst) return null;
  return Math.min(e.welfare, e.region?.welfareMin ?? Infinity, worst.welfare);
}

/** Every least welfare ≥ Wo − tol: false as soon as one known value is below, null if any is unknown. */
function allAtLeast(least: Array<number | null>, bound: number): boolean | null {
  if (least.some((w) => w !== null && w < bound)) return false;
  return least.every((w) => w !== null) ? true : null;
}

function equilibriumJson(solver: LpSolver, game: PricingGame, e: Equilibrium, qBar: number[], scale: number, welfareMin: number | null) {
  const traded = e.records.some((x) => x > 0);
  return {
    outcome: traded ? ('trade' as const) : ('no-trade' as const),
    prices: e.prices,
    records: e.records,
    segmentation: segmentation(solver, game, e.X, e.records, scale),
    welfare: e.welfare,
    welfareMin,
    participation: e.records.map((x, w) => (qBar[w] > 0 ? x / qBar[w] : 0)),
    surplus: e.surplus,
    privateGain: e.gain,
    platformValue: e.value,
    recordPriceIntervals: recordPriceIntervals(solver, game, e.records).map(interval),
    ...(e.continuum ? { continuum: e.continuum } : {}),
    ...(e.region ? { region: e.region } : {}),
  };
}

/**
 * Equilibria: the exact search within its limits; beyond them the verified, non-exhaustive candidate search
 * (fallbackSearch.ts), reported with `exact: false` and the limit that was exceeded. When no equilibrium is
 * found, `equilibrium` is null on both paths and `equilibriumSearch` says how far the search went (`exact`
 * tells whether "none found" means "none exists").
 */
function equilibriumSearch(solver: LpSolver, game: PricingGame, qBar: number[], rbar: number, limits: SearchLimits) {
  const scale = Math.max(...qBar);
  if (qBar.every((m) => m > 0) || qBar.every((m) => m === 0)) {
    const r = searchAll(solver, game, qBar, rbar, limits);
    return { ...r, least: r.equilibria.map((e) => leastWelfare(solver, game, e, rbar, scale)) };
  }
  // types with mass 0 impose no participation condition: search the market without them (absentTypes.ts)
  const sub = withoutAbsentTypes(game, qBar);
  const r = searchAll(solver, sub.game, sub.qBar, rbar, limits);
  const least = r.equilibria.map((e) => leastWelfare(solver, sub.game, e, rbar, scale));
  return { ...r, least, equilibria: r.equilibria.map((e) => withAbsentTypes(solver, game, e, sub.present, scale)) };
}

/** The full-disclosure family's method line (fullDisclosure.ts). */
const FULL_DISCLOSURE_METHOD =
  'closed form, full disclosure optimal at every q (γ_π > γ_u, Ω ⊂ A, ω > 0; MODEL.md A.4.2): a type sells everything if γ_π ω > r̄, nothing if γ_π ω < r̄, anything if equal; every point checked with the fixed-q support LP';

function searchAll(solver: LpSolver, game: PricingGame, qBar: number[], rbar: number, limits: SearchLimits) {
  // any number of types: the equilibrium set in closed form; a failed re-check leaves it to the general search
  const closed = fullDisclosureEquilibria(solver, game, qBar, rbar);
  if (closed && closed.mismatches === 0) {
    return {
      equilibria: closed.equilibria,
      exact: true,
      json: {
        corners: true,
        oneInterior: true,
        severalInterior: true,
        cornerShadowsDropped: 0,
        method: FULL_DISCLOSURE_METHOD,
        exact: true,
        patterns: closed.patterns,
        indifferentTypes: closed.indifferentTypes,
      },
    };
  }
  const mismatch = closed ? { closedFormMismatches: closed.mismatches } : {};
  try {
    // off-path values taken without a proof of their limit, in the search and the corner-shadow checks below
    const unprovenBefore = offPathUnprovenCount();
    const r = findEquilibria(solver, game, qBar, rbar, DEFAULT_SEARCH, limits);
    // an "interior" entry of records within 1e-5 of 0 beside the same corner is that corner at the tolerance, unless
    // it meets the conditions exactly; a solver failure there leaves it dropped and counts (the search is not exact)
    let undecided = 0;
    const shadows = withoutCornerShadows(r.equilibria, qBar, (e) => {
      const genuine = meetsExactly(solver, game, e.records, rbar, e.roles, Math.max(...qBar));
      if (genuine === null) undecided++;
      return genuine === true;
    });
    const solverFailures = r.info.solverFailures + undecided;
    const offPathUnproven = offPathUnprovenCount() - unprovenBefore;
    const exact = r.info.bilinearFaces === 0 && r.info.liftMismatches === 0 && r.info.offPathMismatches === 0 && offPathUnproven === 0 && solverFailures === 0;
    return {
      equilibria: shadows.kept,
      exact,
      json: {
        ...r.searched,
        ...mismatch,
        cornerShadowsDropped: shadows.dropped,
        method: 'linear pieces of V: one LP per (participation pattern, face of V); points checked with the fixed-q support LP',
        exact,
        patterns: r.info.patterns,
        gatedPatterns: r.info.gatedPatterns,
        dominatedFaces: r.info.dominatedFaces,
        pieces: r.info.pieces,
        faces: r.info.faces,
        linearFaces: r.info.linearFaces,
        pointFaces: r.info.pointFaces,
        bilinearFaces: r.info.bilinearFaces,
        liftedFaces: r.info.liftedFaces,
        liftMismatches: r.info.liftMismatches,
        certifiedFaces: r.info.certifiedFaces,
        boundedFaces: r.info.boundedFaces,
        fixedBilinearFaces: r.info.fixedBilinearFaces,
        offPathMismatches: r.info.offPathMismatches,
        offPathUnproven,
        solverFailures,
        limits: { maxTypes: limits.maxTypes ?? MAX_SEARCH_TYPES, maxFaces: limits.maxFaces ?? defaultMaxFaces(limits.maxTypes ?? MAX_SEARCH_TYPES) },
      },
    };
  } catch (e) {
    if (!(e instanceof SearchLimitError)) throw e;
    const what = e.max === 1 ? { types: 'type', pieces: 'linear piece of V', faces: 'pattern × face LP' }[e.limit] : { types: 'types', pieces: 'linear pieces of V', faces: 'pattern × face LPs' }[e.limit];
    // a limit the scenario set is named by its field, a default by its constant
    const set = e.limit === 'types' ? limits.maxTypes !== undefined : e.limit === 'faces' ? limits.maxFaces !== undefined : false;
    const constant = set
      ? `equilibriumSearch.${e.limit === 'types' ? 'maxTypes' : 'maxFaces'}`
      : e.limit === 'faces' && (limits.maxTypes ?? MAX_SEARCH_TYPES) > MAX_SEARCH_TYPES
        ? 'MAX_SEARCH_FACES·4^(maxTypes − 5)'
        : { types: 'MAX_SEARCH_TYPES', pieces: 'MAX_SEARCH_PIECES', faces: 'MAX_SEARCH_FACES' }[e.limit];
    const raise =
      e.limit === 'types' && e.value <= MAX_SEARCH_TYPES_HARD
        ? `; set equilibriumSearch.maxTypes to ${e.value} for an exact search (slower)`
        : e.limit === 'faces' && e.max < MAX_SEARCH_FACES_HARD
          ? '; raise equilibriumSearch.maxFaces for an exact search (slower)'
          : '';
    const exceeded = `the exact equilibrium search handles at most ${e.max} ${what} (${constant}; this market has ${e.limit === 'faces' ? 'at least ' : ''}${e.value})${raise}`;
    const fb = fallbackEquilibria(solver, game, qBar, rbar, MAX_FALLBACK_WORK, limits.onProgress);
    // not exact anyway: a solver failure in meetsExactly leaves the entry dropped
    const shadows = withoutCornerShadows(fb.equilibria, qBar, (e) => meetsExactly(solver, game, e.records, rbar, e.roles, Math.max(...qBar)) === true);
    return {
      equilibria: shadows.kept,
      exact: false,
      json: {
        ...mismatch,
        cornerShadowsDropped: shadows.dropped,
        corners: fb.info.allCorners,
        // every one-indifferent-type line searched, up to the off-path convention (no failed re-check)
        oneInterior: fb.info.allCorners && fb.info.allLines && fb.info.offPathMismatches === 0,
        severalInterior: false,
        method: `verified, non-exhaustive candidate search (exact search beyond its limits): structural corners (no trade, full trade, best-response iteration on participation), ${fb.info.allCorners ? 'every all-or-nothing pattern, ' : ''}threshold corners and threshold lines (one indifferent type at the cut, searched exactly along the line)${fb.info.allLines ? ', every line with one indifferent type (all equilibria with at most one indifferent type are found, up to the off-path convention: oneInterior)' : ''}; every equilibrium reported passes the fixed-q support LP, but others (with two or more indifferent types) may exist`,
        exact: false,
        limits: {
          exceeded: e.limit,
          value: e.value,
          max: e.max,
          constant,
          reason: exceeded,
        found: shadows.kept.length,
          ...(fb.info.skipped ? { fallbackWork: { max: MAX_FALLBACK_WORK, skipped: fb.info.skipped } } : {}),
        },
        cornerPatterns: fb.info.corners,
        allCorners: fb.info.allCorners,
        maxCornerTypes: MAX_CORNER_TYPES,
        allLines: fb.info.allLines,
        maxLineTypes: MAX_LINE_TYPES,
        lines: fb.info.lines,
        lineCells: fb.info.lineCells,
        skipped: fb.info.skipped,
        work: fb.info.work,
        offPathMismatches: fb.info.offPathMismatches,
      },
    };
  }
}

/** Progress hooks: the exact equilibrium search (patterns) and, with `platforms`, the E2 search (lines or segments). */
export interface SolveProgress {
  onProgress?: (done: number, total: number) => void;
  onE2Progress?: (done: number, total: number) => void;
}

/**
 * The checker's result for a scenario. Masses far from 1 are solved in units where the largest is near 1 and the
 * extensive numbers scaled back (units.ts: the model is homogeneous in q̄, the tolerances are not).
 */
export async function solveIntermediation(s: IntermediationScenario, opts: SolveProgress = {}): Promise<Record<string, unknown>> {
  const { sigma, atUnit } = inMassUnit(s);
  if (sigma === 1) return solveIntermediationAsGiven(s, opts);
  const out = await solveIntermediationAsGiven(atUnit, opts);
  return assertFinite(scaleExtensive(out, sigma), 'mass');
}

/** The scenario with its masses divided by σ = `massUnit` (exact: a power of two), and σ. */
function inMassUnit<S extends { mass: number[] }>(s: S): { sigma: number; atUnit: S } {
  const sigma = massUnit(s.mass);
  return { sigma, atUnit: sigma === 1 ? s : { ...s, mass: s.mass.map((m) => m / sigma) } };
}

/**
 * The checker's several-platform E1 alone (`multiPlatform.E1` of `solveIntermediation`, the same numbers), in the
 * checker's mass unit and scaled back: the engine's tatonnement across platforms needs nothing else.
 */
export async function solveMultiPlatformE1(s: IntermediationScenario & { platforms: NonNullable<IntermediationScenario['platforms']> }): Promise<ReturnType<typeof multiPlatformE1>> {
  const solver = await highsSolver();
  solver.forget?.();
  const { sigma, atUnit } = inMassUnit(s);
  const e1 = multiPlatformE1(solver, atUnit);
  return assertFinite(scaleExtensive({ multiPlatform: { E1: e1 } }, sigma), 'mass').multiPlatform.E1;
}

/**
 * The least max_ω distance of per-type record totals to an E1 allocation (model `e1TotalsDistance`: E1's allocation
 * need not be unique), in the checker's mass unit and scaled back.
 */
export async function e1RecordsDistance(s: IntermediationScenario & { platforms: NonNullable<IntermediationScenario['platforms']> }, totals: readonly number[]): Promise<number> {
  const solver = await highsSolver();
  solver.forget?.();
  const { sigma, atUnit } = inMassUnit(s);
  return sigma * e1TotalsDistance(solver, multiPlatformMarket(atUnit), totals.map((x) => x / sigma));
}

/**
 * What per-platform records q_i reach under E1's selection (model `allocationAt`: rationed to supply first): W,
 * Σ_i U_i and each platform's x_i(a|ω), in the checker's mass unit and scaled back — the several-platform run's
 * final state, on the checker's terms.
 */
export async function multiPlatformStateAt(s: IntermediationScenario & { platforms: NonNullable<IntermediationScenario['platforms']> }, records: readonly (readonly number[])[]): Promise<{ welfare: number; value: number; segmentation: Array<Array<number[] | null>>; used: number }> {
  const solver = await highsSolver();
  solver.forget?.();
  const { sigma, atUnit } = inMassUnit(s);
  const at = allocationAt(solver, multiPlatformMarket(atUnit), records.map((r) => r.map((x) => x / sigma)));
  const used = at.platforms.reduce((sum, p) => sum + p.records.reduce((a, b) => a + b, 0), 0);
  const value = at.platforms.reduce((sum, p) => sum + p.platformValue, 0);
  return { welfare: sigma * at.welfare, value: sigma * value, segmentation: platformSegmentations(at.platforms), used: sigma * used };
}

/** The pieces of V are enumerated up to the exact search's types limit when the scenario raised it. */
function plannerPieceTypes(s: IntermediationScenario): number {
  return Math.max(MAX_PIECE_TYPES, s.equilibriumSearch?.maxTypes ?? 0);
}

/**
 * Why the planner's W(q) maximum — hence constrained efficiency and the remedies — is not computed for this
 * scenario, or null when it is: without the BBM closed form it enumerates the linear pieces of V, up to a types
 * limit. Decided by the scenario alone (the engine's preflight refuses a remedy run on it before any work).
 */
export function plannerLimit(s: IntermediationScenario): string | null {
  const pieceTypes = plannerPieceTypes(s);
  const n = s.types.length;
  if (bbmApplies({ types: s.types, fees: s.fees, gammaU: s.weights.consumer, gammaPi: s.weights.merchant }) || n <= pieceTypes) return null;
  return `without the BBM closed form (type grid inside the fee grid, positive types) the planner enumerates the linear pieces of V, limited to ${pieceTypes} types (${pieceTypes === MAX_PIECE_TYPES ? 'MAX_PIECE_TYPES' : 'equilibriumSearch.maxTypes'}; this market has ${n})${n <= MAX_SEARCH_TYPES_HARD ? `; set equilibriumSearch.maxTypes to ${n} to compute them (slower)` : ''}`;
}

/** The checker on the masses as given (no change of units; `solveIntermediation` is the entry point). */
export async function solveIntermediationAsGiven(s: IntermediationScenario, opts: SolveProgress = {}): Promise<Record<string, unknown>> {
  // the size of single LPs is bounded up front by validation (INTERMEDIATION_MAX_LP_COLUMNS: |types|·|fees| ≤ 1024)
  const solver = await highsSolver();
  // a fresh model: the first LP (P_q at q̄) must not warm-start from whatever the process solved last (LpSolver.forget)
  solver.forget?.();
  const game: PricingGame = { types: s.types, fees: s.fees, gammaU: s.weights.consumer, gammaPi: s.weights.merchant };
  const qBar = s.mass;
  const rbar = s.reservationUtility;
  const scale = Math.max(...qBar);

  const atQbar = solveDesign(solver, game, qBar);
  const recordPrices = recordPriceIntervals(solver, game, qBar, atQbar.x);
  const best = consumerBestDesign(solver, game, qBar);

  const search = equilibriumSearch(solver, game, qBar, rbar, { ...s.equilibriumSearch, onProgress: opts.onProgress });
  const least = search.least;
  const equilibria = search.equilibria.map((e, k) => equilibriumJson(solver, game, e, qBar, scale, least[k]));
  const first = search.equilibria[0];

  const out: Record<string, unknown> = {
    model: 'intermediation',
    platformValue: atQbar.value,
    recordPrices: recordPrices.map(interval),
    recordPriceDuals: atQbar.duals,
    segmentation: segmentation(solver, game, best.X, qBar, scale),
    equilibrium: equilibria[0] ?? null,
    equilibria,
    equilibriumSelection: EQUILIBRIUM_SELECTION,
    equilibriumSearch: search.json,
  };

  const general = !bbmApplies(game);
  const pieceTypes = plannerPieceTypes(s);
  const beyond = plannerLimit(s);
  if (beyond === null) {
    // BBM closed form when Ω ⊂ A and ω > 0; otherwise the planner's maximum over the linear pieces of V
    const pieces = general ? designPieces(solver, game, pieceTypes) : undefined;
    const planner: PlannerSolution = pieces ? plannerByPieces(solver, game, qBar, rbar, pieces) : plannerOptimum(solver, game, qBar, rbar);
    const o = constrainedOutcome(solver, game, planner, scale);
    const Wq = welfareW(solver, game, planner.records);
    const tol = 1e-9 * Math.max(1, Math.abs(planner.welfare));
    out.constrainedEfficient = {
      records: planner.records,
      welfare: planner.welfare,
      segmentation: segmentation(solver, game, o.X, planner.records, scale),
      method: pieces
        ? `maximum over the ${pieces.gradients.length} linear pieces of V of one LP in (q, X) each, checked against the lexicographic W(q)`
        : 'BBM closed form (one LP), checked against the lexicographic W(q)',
      lexicographicWelfare: Wq.W - rbar * planner.records.reduce((a, b) => a + b, 0),
    };
    out.efficiency = first
      ? {
          efficient: first.welfare >= planner.welfare - tol,
          welfareGap: planner.welfare - first.welfare,
          socialBenefit: (pieces ? socialBenefitByPieces(solver, game, first.records, pieces) : socialBenefit(game, first.records)).map(interval),
          privateGain: first.gain,
          socialCost: rbar,
          // only an exhaustive search can speak for every equilibrium
          // every equilibrium, not only each set's welfare-best point: the least welfare of each entry
          allEquilibriaEfficient: search.exact ? allAtLeast(least, planner.welfare - tol) : null,
          allFoundEfficient: allAtLeast(least, planner.welfare - tol),
        }
      : { efficient: null, reason: 'no equilibrium found' };
    out.remedy = s.remedy;
    out.remedies = {
      none: first ? { records: first.records, welfare: first.welfare } : null,
      union: dataUnion(o, qBar, rbar, planner.welfare),
      // p* is one vertex of ∂V(q°) (docs/numerics.md); the exact per-type ranges say how far the tax can move
      tax: { ...dataTax(solver, game, o, rbar), priceIntervals: recordPriceIntervals(solver, game, o.records).map(interval) },
      complete: completeMarkets(solver, game, qBar, rbar),
    };
  } else {
    const reason = beyond;
    out.constrainedEfficient = { available: false, reason };
    out.efficiency = { available: false, reason };
    out.remedy = s.remedy;
    out.remedies = { available: false, reason };
  }
  const mp = multiPlatform(solver, s, opts.onE2Progress);
  if (mp) out.multiPlatform = mp;
  // docs/numerics.md: every checker result is finite (unbounded price ends are already null, which passes)
  return assertFinite(out, 'types');
}
