/**
 * One run of a sweep: the checker's exact answer (`solve`) or a simulation (`simulate`), reduced to the
 * tidy result columns of DESIGN.md §4. Calls the checker directly (batch sits below the CLI).
 */
import type { Scenario } from '../scenario/validate.js';
import type { SweepCommand, Value } from './types.js';

/**
 * The checkers and the engine load on first use: a worker thread running a leakage solve sweep then
 * never parses the engine or the intermediation code (a third of a second of start-up per thread).
 */
let leakageChecker: Promise<typeof import('../checker/leakage/index.js')> | undefined;
let intermediationChecker: Promise<typeof import('../checker/intermediation/index.js')> | undefined;
let engine: Promise<typeof import('../engine/index.js')> | undefined;
const loadLeakage = (): Promise<typeof import('../checker/leakage/index.js')> => (leakageChecker ??= import('../checker/leakage/index.js'));
const loadIntermediation = (): Promise<typeof import('../checker/intermediation/index.js')> => (intermediationChecker ??= import('../checker/intermediation/index.js'));
const loadEngine = (): Promise<typeof import('../engine/index.js')> => (engine ??= import('../engine/index.js'));
/** The worker's LP backend for intermediation simulations (HiGHS, loaded once per thread by `highsSolver`). */
const loadLp = async () => (await import('../lp/index.js')).highsSolver();

/** Leakage solve columns (DESIGN.md §4). */
export const LEAKAGE_SOLVE_COLUMNS = ['platformProfit', 'socialSurplus', 'sharers', 'firstBestSurplus'] as const;
/** Extra leakage columns with two platforms: number of pure joining equilibria, uniform-mixed expected surplus. */
export const DUOPOLY_COLUMNS = ['joiningEquilibria', 'uniformMixedSurplus'] as const;
/**
 * Intermediation solve columns: the four leakage columns stay (empty: the intermediation checker reports
 * welfare, not profit and a sharer set), then V(q̄), the outcome, equilibrium welfare, constrained-efficient
 * welfare and records sold Σ q*(ω) (docs/batch.md).
 */
export const INTERMEDIATION_SOLVE_COLUMNS = ['platformValue', 'outcome', 'welfare', 'efficientWelfare', 'recordsSold'] as const;
/**
 * Solve columns with a `platforms` array (Galperti–Perego, docs/batch.md): welfare in E1 (third best), at E2's
 * reported equilibrium (its highest welfare), the number of E2 equilibria found and whether E2's search was
 * exhaustive (every `searched` flag true), SB (second best) and E3 (first best).
 */
/**
 * Posted-price duopoly columns (leakage solve with `postedPrices`): the number of pure equilibria of the price-grid
 * game and the expected social surplus of the platform-pessimistic mixed one (min and max over its user equilibria).
 * Without them a sweep over the grid showed only the join-first benchmark (review).
 */
export const POSTED_PRICE_COLUMNS = ['postedPureEquilibria', 'postedMixedSurplusMin', 'postedMixedSurplusMax'] as const;
export const MULTI_PLATFORM_COLUMNS = ['e1Welfare', 'e2Welfare', 'e2Equilibria', 'e2Exhaustive', 'secondBestWelfare', 'e3Welfare'] as const;
/**
 * Simulate columns beyond the solve ones: DESIGN.md §4's four, then whether the run matched the checker and why it
 * stopped (`tolerance`, `cycle`, `round-limit`, `diverged`), so that a sweep shows a cycle that ended on the
 * checker's phase for what it is.
 */
export const SIMULATE_COLUMNS = ['converged', 'rounds', 'priceDistance', 'sharerDistance', 'matchesChecker', 'stopReason'] as const;
/**
 * Simulate columns of intermediation runs: the largest difference in records per type from the checker's
 * (`distance.records`), and with a platforms array |Σ U_i − E1's value| (`distance.value`).
 */
export const INTERMEDIATION_SIMULATE_COLUMNS = ['recordDistance', 'valueDistance'] as const;

/** Result columns of a sweep: the union over its scenarios, in a fixed order. */
export function resultColumns(command: SweepCommand, scenarios: readonly Scenario[]): string[] {
  const cols: string[] = [...LEAKAGE_SOLVE_COLUMNS];
  if (scenarios.some((s) => s.model === 'leakage' && s.platforms === 2)) cols.push(...DUOPOLY_COLUMNS);
  if (scenarios.some((s) => s.model === 'intermediation')) cols.push(...INTERMEDIATION_SOLVE_COLUMNS);
  if (command === 'solve' && scenarios.some((s) => s.model === 'leakage' && s.postedPrices !== undefined)) cols.push(...POSTED_PRICE_COLUMNS);
  if (command === 'solve' && scenarios.some((s) => s.model === 'intermediation' && s.platforms)) cols.push(...MULTI_PLATFORM_COLUMNS);
  if (command === 'simulate') cols.push(...SIMULATE_COLUMNS);
  if (command === 'simulate' && scenarios.some((s) => s.model === 'intermediation')) cols.push(...INTERMEDIATION_SIMULATE_COLUMNS);
  return cols;
}

/**
 * Runs one scenario and returns its result cells. `solve` ignores the seed (the checker is exact);
 * `simulate` passes it to the engine, so a replicate is reproducible from its row.
 */
export async function runOne(command: SweepCommand, scenario: Scenario, seed: number): Promise<Record<string, Value>> {
  if (command === 'simulate') return simulateCells(scenario, seed);
  if (scenario.model === 'leakage') return leakageCells((await loadLeakage()).solveLeakage(scenario) as unknown as Record<string, unknown>);
  return intermediationCells(await (await loadIntermediation()).solveIntermediation(scenario), scenario.remedy ?? 'none');
}

/**
 * Simulate cells: the final state's profit, surplus and sharer count, the first-best surplus from the
 * checker, then convergence and the distance to the exact equilibrium (summary.json of DESIGN.md §4).
 */
async function simulateCells(scenario: Scenario, seed: number): Promise<Record<string, Value>> {
  const { simulateScenario, nullSink } = await loadEngine();
  // only the summary is used: the trajectory rows go nowhere (nothing kept per round)
  const lp = scenario.model === 'intermediation' ? await loadLp() : undefined;
  const { summary } = await simulateScenario(scenario, { seed, lp }, nullSink);
  const { solveLeakage } = await loadLeakage();
  const final = obj(summary.final);
  const out: Record<string, Value> = {
    platformProfit: num(final.platformProfit),
    // leakage only: an intermediation run's W is in `welfare`, as in solve rows (review: it was in both)
    socialSurplus: num(final.socialSurplus),
    sharers: Array.isArray(final.sharers) ? final.sharers.length : null,
    firstBestSurplus: scenario.model === 'leakage' ? num(obj(obj(solveLeakage(scenario) as unknown).firstBest).socialSurplus) : null,
    converged: summary.converged,
    rounds: summary.rounds,
    priceDistance: summary.distance.prices,
    sharerDistance: summary.distance.sharers,
    matchesChecker: summary.matchesChecker,
    stopReason: summary.stopReason,
  };
  if (scenario.model === 'intermediation') {
    // records sold Σ_ω q(ω) of the final state (several platforms: the step-weighted average demands, summed over
    // the platforms too — they can exceed supply before prices settle, docs/dynamics.md)
    const records = Array.isArray(final.records) ? (final.records as unknown[]).flat(2).filter((x): x is number => typeof x === 'number') : [];
    Object.assign(out, {
      welfare: num(final.welfare),
      outcome: typeof final.outcome === 'string' ? final.outcome : null,
      recordsSold: records.length ? records.reduce((a, b) => a + b, 0) : null,
      recordDistance: num(summary.distance.records),
      valueDistance: num(summary.distance.value),
    });
  }
  return out;
}

function num(x: unknown): Value {
  return typeof x === 'number' ? x : null;
}

function obj(x: unknown): Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}

/** Leakage cells from the `solve --json` object (DESIGN.md §4). */
export function leakageCells(r: Record<string, unknown>): Record<string, Value> {
  // under `regulation` the regulated market (`regulated.equilibrium`; `equilibrium` is always the unregulated one),
  // as simulate rows and intermediation remedies: every row of a sweep over the tax showed the untaxed market (review)
  const eq = obj(r.regulated !== undefined ? obj(r.regulated).equilibrium : r.equilibrium);
  const fb = obj(r.firstBest);
  const out: Record<string, Value> = {
    platformProfit: num(eq.platformProfit),
    socialSurplus: num(eq.socialSurplus),
    sharers: Array.isArray(eq.sharers) ? eq.sharers.length : null,
    firstBestSurplus: num(fb.socialSurplus),
  };
  if (typeof r.joiningEquilibriaCount === 'number') out.joiningEquilibria = r.joiningEquilibriaCount;
  else if (Array.isArray(r.joiningEquilibria)) out.joiningEquilibria = r.joiningEquilibria.length;
  if (r.uniformMixed !== undefined) out.uniformMixedSurplus = num(obj(r.uniformMixed).expectedSocialSurplus);
  if (r.postedPrice !== undefined) {
    const posted = obj(r.postedPrice);
    const mixed = obj(obj(posted.mixed).expectedSocialSurplus);
    Object.assign(out, { postedPureEquilibria: num(posted.pureEquilibriaCount), postedMixedSurplusMin: num(mixed.min), postedMixedSurplusMax: num(mixed.max) });
  }
  return out;
}

/**
 * Intermediation cells from the `solve --json` object (DESIGN.md §4). `equilibrium` is always the
 * unregulated market; under a remedy (`union`, `tax`, `complete`) the outcome, welfare and records sold
 * are the checker's result for that remedy (`remedies[remedy]`), so a sweep over `remedy` compares them.
 */
export function intermediationCells(r: Record<string, unknown>, remedy = 'none'): Record<string, Value> {
  const eq = obj(r.equilibrium);
  const ce = obj(r.constrainedEfficient);
  // a remedy the checker could not compute leaves its cells empty (review: they showed the unregulated market)
  const market = remedy !== 'none' ? obj(obj(r.remedies)[remedy]) : eq;
  const records = Array.isArray(market.records) ? market.records : [];
  const sold = records.every((q) => typeof q === 'number') && records.length > 0 ? (records as number[]).reduce((a, b) => a + b, 0) : null;
  const outcome = market === eq ? (typeof eq.outcome === 'string' ? eq.outcome : null) : sold === null ? null : sold > 0 ? 'trade' : 'no-trade';
  const out: Record<string, Value> = {
    platformValue: num(r.platformValue),
    outcome,
    welfare: num(market.welfare),
    efficientWelfare: num(ce.welfare),
    recordsSold: sold,
  };
  if (r.multiPlatform !== undefined) Object.assign(out, multiPlatformCells(obj(r.multiPlatform)));
  return out;
}

/** MULTI_PLATFORM_COLUMNS from `multiPlatform` of the `solve --json` object; E2's cells empty where it is not available. */
function multiPlatformCells(mp: Record<string, unknown>): Record<string, Value> {
  const e2 = obj(mp.E2);
  const available = e2.available === true;
  const flags = Object.values(obj(e2.searched)).filter((v) => typeof v === 'boolean');
  return {
    e1Welfare: num(obj(mp.E1).welfare),
    e2Welfare: available ? num(obj(e2.equilibrium).welfare) : null,
    e2Equilibria: available && Array.isArray(e2.equilibria) ? e2.equilibria.length : null,
    e2Exhaustive: available ? flags.every((v) => v === true) : null,
    secondBestWelfare: num(obj(e2.secondBest).welfare),
    e3Welfare: num(obj(mp.E3).welfare),
  };
}
