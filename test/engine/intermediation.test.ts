import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/scenario/index.js';
import { simulateScenario } from '../../src/engine/index.js';
import { matchesChecker } from '../../src/engine/verdict.js';
import { renderTrajectory } from '../../src/cli/simulate.js';
import type { Trajectory } from '../../src/engine/index.js';
import { highsSolver } from '../../src/lp/index.js';
import { checkDefinition } from '../intermediation/definition.js';

/** The process's LP backend, passed to every intermediation run (the engine never creates one). */
const lp = await highsSolver();

type Final = { prices: number[]; records: number[]; outcome: string };

/** GLP two-type example (MODEL.md A.4.3): Ω = {1, 2}, γ_π = 0, q̄ = (q1, q2), q1 < q2. */
const example = (gammaU: number, rbar: number, remedy: 'none' | 'tax' = 'none') =>
  validateScenario({ name: `glp-${gammaU}-${rbar}`, model: 'intermediation', types: [1, 2], mass: [0.3, 0.7], weights: { consumer: gammaU, merchant: 0 }, reservationUtility: rbar, remedy });

const column = (t: Trajectory, name: string): number[] => t.rows.map((r) => Number(r[name]));

describe('GLP two-type example in rounds', () => {
  it('unraveling: γ_u < r̄ < (1+γ_u)/2 ⇒ participation collapses round by round to no trade', async () => {
    for (const kind of ['best-response', 'tatonnement', 'learning'] as const) {
      const { summary, trajectory } = await simulateScenario(example(0.6, 0.7), { lp, dynamics: kind });
      expect(summary.converged).toBe(true);
      expect((summary.final as Final).outcome).toBe('no-trade');
      expect((summary.final as Final).records).toEqual([0, 0]);
      const traded = column(trajectory, 'traded');
      expect(traded[0]).toBe(1); // starts from full participation
      expect(traded.at(-1)).toBe(0);
      // deterministic dynamics collapse monotonically; the learning merchant's exploration can briefly lure sellers back
      if (kind !== 'learning') for (let t = 1; t < traded.length; t++) expect(traded[t]).toBeLessThanOrEqual(traded[t - 1] + 1e-12);
      expect(summary.matchesChecker).toBe(true);
    }
  });

  it('tatonnement reaches the over-supply equilibrium q* = (q̄1, q̄1/r̄), p* = (γ_u, 0)', async () => {
    const { summary } = await simulateScenario(example(0.6, 0.5), { lp, dynamics: 'tatonnement' });
    const f = summary.final as Final;
    expect(summary.converged).toBe(true);
    expect(f.records[0]).toBeCloseTo(0.3, 8);
    expect(f.records[1]).toBeCloseTo(0.3 / 0.5, 6);
    expect(f.prices[0]).toBeCloseTo(0.6, 9);
    expect(f.prices[1]).toBeCloseTo(0, 9);
  });

  it('best response with all-or-nothing participation cannot reach the interior q*(2): a period-2 cycle, reported', async () => {
    const { summary } = await simulateScenario(example(0.6, 0.5), { lp, dynamics: 'best-response' });
    expect(summary).toMatchObject({ converged: false, stopReason: 'cycle', cyclePeriod: 2, matchesChecker: false });
  });

  it('with the data tax the low types keep selling (no unraveling)', async () => {
    const { summary, trajectory } = await simulateScenario(example(0.6, 0.7, 'tax'), { lp, dynamics: 'tatonnement' });
    expect(Math.min(...column(trajectory, 'zeta_0'))).toBe(1);
    expect((summary.final as Final).outcome).toBe('trade');
  });

  it('learning: another seed gives another path, the same seed the same bytes', async () => {
    const s = example(0.6, 0.7);
    const a = await simulateScenario(s, { lp, dynamics: 'learning', seed: 1 });
    const b = await simulateScenario(s, { lp, dynamics: 'learning', seed: 1 });
    const c = await simulateScenario(s, { lp, dynamics: 'learning', seed: 2 });
    expect(renderTrajectory(b.trajectory)).toBe(renderTrajectory(a.trajectory));
    expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
    expect(renderTrajectory(c.trajectory)).not.toBe(renderTrajectory(a.trajectory));
  });

  it('the engine creates no LP solver: an intermediation run without options.lp is refused', async () => {
    await expect(simulateScenario(example(0.6, 0.7), { dynamics: 'tatonnement' })).rejects.toThrow(/LpSolver in options\.lp/);
  });
});

describe('masses in any unit (simulate)', () => {
  // review: with masses × 1e-13 the agents' records matched the checker's exactly, yet the outcome read "no-trade"
  // (an absolute 1e-12 threshold) and the run did not match; the record tolerance was absolute 1e-6 too
  it('GLP full disclosure (types 1, 2, 3, γ = (0.4, 0.7), r̄ = 1) at masses × 1e-13 matches the checker, as at × 1', async () => {
    for (const k of [1, 1e-13]) {
      const s = validateScenario({ name: `fd-${k}`, model: 'intermediation', types: [1, 2, 3], mass: [0.2 * k, 0.3 * k, 0.5 * k], weights: { consumer: 0.4, merchant: 0.7 }, reservationUtility: 1 });
      const { summary } = await simulateScenario(s, { lp, dynamics: 'best-response' });
      expect((summary.final as Final).outcome).toBe('trade');
      expect((summary.final as Final).records.map((x) => x / k)).toEqual([0, expect.closeTo(0.3, 12), expect.closeTo(0.5, 12)]);
      expect(summary.matchesChecker).toBe(true);
    }
  });
});

describe('simulate without an equilibrium to compare with (review: the error named "model" and no fix)', () => {
  it('a six-type market whose only equilibrium needs the exact search: the error names equilibriumSearch and maxTypes', async () => {
    // docs/intermediation.md "Raising the limits": the fallback finds nothing here, maxTypes 6 finds the equilibrium
    const s = validateScenario({ name: 'six-hidden', model: 'intermediation', types: [1, 2, 3, 4, 5, 6], mass: [0.05, 0.135, 0.651, 0.942, 1.018, 0.24], weights: { consumer: 2, merchant: 0.2 }, reservationUtility: 3.5 });
    const e = await simulateScenario(s, { lp, rounds: 5 }).then(() => null, (x: unknown) => x);
    expect(e).toMatchObject({ path: 'equilibriumSearch' });
    expect(String(e)).toMatch(/the checker found no equilibrium to compare with, and its search is not exhaustive: .*set equilibriumSearch\.maxTypes to 6/);
  }, 60_000);
});

describe('simulate on intermediation: three review findings (each test fails without its fix)', () => {
  it('a cycle never matches, whichever phase its last round shows (matchesChecker, verdict.ts)', () => {
    // a period-2 best-response cycle of one selling type (mass (1, 0)) stopped on no trade, the checker's outcome, with
    // every distance 0, and "matched" (the run below); the rule on its own
    const run = { distance: { prices: 0, sharers: null, records: 0, outcome: 0, welfare: 0 }, priceTolerance: 1e-6, recordTolerance: 1e-6, welfareTolerance: 1e-6 };
    expect(matchesChecker({ ...run, stop: { reason: 'tolerance', period: null } })).toBe(true);
    expect(matchesChecker({ ...run, stop: { reason: 'round-limit', period: null } })).toBe(true);
    expect(matchesChecker({ ...run, stop: { reason: 'cycle', period: 2 } })).toBe(false);
    expect(matchesChecker({ ...run, stop: { reason: 'diverged', period: null } })).toBe(false);
  });
  it('one selling type (mass (1, 0)): a best-response cycle ends on the checker\'s phase with every distance 0, and does not match', async () => {
    // best response alternates trade / no trade with period 2 (the dual at q = 0 offers 0.6 > r̄ for type 1's records,
    // whose own value to the platform is 0) and stops on no trade, the checker's outcome
    const s = validateScenario({ name: 'zmh', model: 'intermediation', types: [1, 2], mass: [1, 0], weights: { consumer: 0.6, merchant: 0 }, reservationUtility: 0.5 });
    const { summary } = await simulateScenario(s, { lp, dynamics: 'best-response' });
    expect(summary.stopReason).toBe('cycle');
    expect(summary.distance.prices).toBe(0);
    expect(summary.distance.records).toBe(0);
    expect(summary.matchesChecker).toBe(false);
  });
  it('complete markets with a learning merchant: the recommended fee keeps ties, so welfare is the checker\'s', async () => {
    // the platform's design leaves the merchant exactly indifferent on some signals; rounding (4e-16) had made the
    // learner leave the recommended fee, and since prices and records under complete markets do not depend on the
    // fees the run still "matched" with welfare 0.30 against 0.835
    const s = validateScenario({ name: 'c3', model: 'intermediation', types: [1, 2, 3], mass: [0.2, 0.3, 0.5], weights: { consumer: 0.6, merchant: 0 }, reservationUtility: 0.3, remedy: 'complete' });
    const { summary } = await simulateScenario(s, { lp, dynamics: 'learning', seed: 1 });
    const f = summary.final as { welfare: number };
    const c = summary.checker as { welfare: number };
    expect(f.welfare).toBeCloseTo(c.welfare, 9);
    expect(summary.matchesChecker).toBe(true);
  });
  it('the data union with fees off the type grid sells only records worth selling (the planner over V\'s pieces)', async () => {
    // by hand: one fee 1.5, so lows (ω = 1) never buy and each sold low costs r̄ = 0.5 for nothing; highs buy and
    // get 0.5 each, V = 0.6 · 0.7 · 0.5 = 0.21 and W = V + Σ q(U − r̄) = 0.21 at q = (0, 0.7) (0.06 with the lows)
    const s = validateScenario({ name: 'f', model: 'intermediation', types: [1, 2], mass: [0.3, 0.7], weights: { consumer: 0.6, merchant: 0 }, reservationUtility: 0.5, fees: [1.5], remedy: 'union' });
    for (const dynamics of ['best-response', 'tatonnement'] as const) {
      const { summary } = await simulateScenario(s, { lp, dynamics });
      const f = summary.final as { records: number[]; welfare: number };
      expect(f.records[0]).toBeCloseTo(0, 12);
      expect(f.records[1]).toBeCloseTo(0.7, 12);
      expect(f.welfare).toBeCloseTo(0.21, 12);
      expect(summary.matchesChecker).toBe(true);
    }
  });
});

describe('simulate on intermediation: a tolerance stop means every interior consumer is indifferent (review)', () => {
  it('three types, tatonnement: the stop waits for the gap itself, not η times it (the old test stopped at a gap of 1.2e-9)', async () => {
    // participation moves by η(G − r̄); the stop test took η·gap ≤ 1e-9, so with η = 0.5 a gap of 2e-9 passed while
    // the tie rule acts within 1e-9 (first seen on glp-six-types under the data tax, "converged" at round 1479). Here
    // type 1 is indifferent and the old test stopped at round 45 with |G − r̄| = 1.2e-9
    const s = validateScenario({ name: 'm35', model: 'intermediation', types: [1, 2, 3], mass: [0.118, 0.295, 0.884], weights: { consumer: 1.8, merchant: 0.4 }, reservationUtility: 1.9 });
    const { summary, trajectory } = await simulateScenario(s, { lp, dynamics: 'tatonnement', rounds: 3000 });
    const last = trajectory.rows[trajectory.rows.length - 1];
    const interior = [0, 1, 2].filter((w) => Number(last[`zeta_${w}`]) > 0 && Number(last[`zeta_${w}`]) < 1);
    expect(interior.length).toBeGreaterThan(0);
    expect(summary.stopReason).toBe('tolerance');
    // a tolerance stop only where every interior type is indifferent
    expect(Math.max(...interior.map((w) => Math.abs(Number(last[`gain_${w}`]) - 1.9)))).toBeLessThanOrEqual(1e-9);
  });
});

describe('simulate on intermediation: a run resting at another listed equilibrium matches it (review)', () => {
  it('three types: the dynamics rest at the checker\'s third listed equilibrium, not its reported (welfare-best) one', async () => {
    const { solveIntermediation } = await import('../../src/checker/intermediation/index.js');
    const s = validateScenario({ name: 'c3', model: 'intermediation', types: [1, 2, 3], mass: [0.2, 0.3, 0.5], weights: { consumer: 0.6, merchant: 0 }, reservationUtility: 0.3 });
    if (s.model !== 'intermediation') throw new Error('intermediation expected');
    const exact = (await solveIntermediation(s)).equilibria as Array<{ records: number[] }>;
    for (const dynamics of ['best-response', 'tatonnement'] as const) {
      const { summary } = await simulateScenario(s, { lp, dynamics });
      const f = summary.final as { records: number[] };
      const c = summary.checker as { records: number[] };
      // the entry the run is compared with is a listed one, the one the run's records are at
      const k = exact.findIndex((e) => e.records.every((x, w) => Math.abs(x - c.records[w]) <= 1e-12));
      expect(k).toBeGreaterThan(0);
      f.records.forEach((x, w) => expect(x).toBeCloseTo(c.records[w], 9));
      expect(summary.matchesChecker).toBe(true);
    }
  });
});

describe('simulate on intermediation: a market at rest at no trade stops there', () => {
  it('three types, r̄ above every gain: best response rests at q = 0 (it "cycled" between dual vertices of ∂V(0) for untraded types)', async () => {
    // at q = 0 every X is 0 and every dual-feasible p supports q: the LP's dual vertex depended on the solver's history,
    // so posted prices of untraded types flipped (0.7 ↔ 1.1) with the database unchanged
    const s = validateScenario({ name: 'rest', model: 'intermediation', types: [1, 2, 3], mass: [0.109, 0.989, 0.238], weights: { consumer: 0.7, merchant: 0.3 }, reservationUtility: 2.4 });
    for (const dynamics of ['best-response', 'tatonnement'] as const) {
      const { summary, trajectory } = await simulateScenario(s, { lp, dynamics });
      expect(summary.stopReason).toBe('tolerance');
      expect((summary.final as Final).records).toEqual([0, 0, 0]);
      expect(column(trajectory, 'priceChange').at(-1)).toBeLessThanOrEqual(1e-12);
      expect(summary.matchesChecker).toBe(true);
    }
  });
});

describe('simulate on intermediation: a run at another point of a listed continuum matches it', () => {
  it('three types: tatonnement rests at the far end of the reported continuum; the point it is compared with satisfies the definition', async () => {
    const { solveIntermediation } = await import('../../src/checker/intermediation/index.js');
    const raw = { name: 'far-end', model: 'intermediation', types: [1, 2, 3], mass: [0.346, 0.978, 0.306], weights: { consumer: 2.2, merchant: 0.5 }, reservationUtility: 1.5 };
    const s = validateScenario(raw);
    if (s.model !== 'intermediation') throw new Error('intermediation expected');
    const listed = (await solveIntermediation(s)).equilibria as Array<{ records: number[]; continuum?: { type: number; from: number; to: number } }>;
    const { summary } = await simulateScenario(s, { lp, dynamics: 'tatonnement' });
    const f = summary.final as Final & { welfare: number };
    const c = summary.checker as Final & { welfare: number; segmentation: number[][]; listedEntry: number; nearestPoint: boolean };
    expect(summary.converged).toBe(true);
    // the run is not at the entry's reported point: type 1's records are at the other end of its continuum
    const entry = listed[c.listedEntry];
    expect(entry.continuum?.type).toBe(1);
    expect(Math.abs(f.records[1] - entry.records[1])).toBeGreaterThan(0.1);
    expect(c.nearestPoint).toBe(true);
    f.records.forEach((x, w) => expect(Math.abs(x - c.records[w])).toBeLessThanOrEqual(1e-6 * 0.978));
    // the compared point is an equilibrium by the definition checked in the test (BBM closed form, jsLpSolver)
    checkDefinition(raw.types, raw.mass, 2.2, 0.5, 1.5, c);
    expect(summary.matchesChecker).toBe(true);
  });
});

describe('simulate on intermediation: set points with a zero-mass type, and in another mass unit (review)', () => {
  it('a type of mass 0 imposes no consumer condition at the set point (it did not match when it did)', async () => {
    const raw = { name: 'zero-mass', model: 'intermediation', types: [1, 2, 3], mass: [0, 0.854, 0.158], weights: { consumer: 1.8, merchant: 0.5 }, reservationUtility: 1 };
    const s = validateScenario(raw);
    const { summary } = await simulateScenario(s, { lp, dynamics: 'tatonnement' });
    const c = summary.checker as Final & { welfare: number; segmentation: (number[] | null)[]; nearestPoint: boolean };
    expect(summary.converged).toBe(true);
    expect(c.nearestPoint).toBe(true);
    checkDefinition(raw.types, raw.mass, 1.8, 0.5, 1, c);
    expect(summary.matchesChecker).toBe(true);
  });

  it('the far-end run at masses × 2^-14: the same verdict and compared point, scaled (the support LP runs in the checker\'s unit)', async () => {
    const market = (k: number) => validateScenario({ name: 'far-end', model: 'intermediation', types: [1, 2, 3], mass: [0.346 * k, 0.978 * k, 0.306 * k], weights: { consumer: 2.2, merchant: 0.5 }, reservationUtility: 1.5 });
    const one = (await simulateScenario(market(1), { lp, dynamics: 'tatonnement' })).summary;
    const small = (await simulateScenario(market(2 ** -14), { lp, dynamics: 'tatonnement' })).summary;
    const [c1, cs] = [one.checker, small.checker] as Array<Final & { welfare: number; nearestPoint: boolean }>;
    expect(cs.nearestPoint).toBe(c1.nearestPoint);
    expect(small.matchesChecker).toBe(one.matchesChecker);
    cs.records.forEach((x, w) => expect(x / 2 ** -14).toBeCloseTo(c1.records[w], 6));
    expect(cs.welfare / 2 ** -14).toBeCloseTo(c1.welfare, 6);
  });
});

describe('simulate on intermediation: the verdict does not depend on the masses\' unit (review)', () => {
  it('complete markets, a learning merchant stopped mid-exploration: the same verdict at masses × 1e-4 as at × 1', async () => {
    // masses are relative (the checker scales exactly); the welfare tolerance had an absolute floor of 1e-3, so at
    // masses of 1e-4 a run on the wrong fees (W = −2.9e-5 against 8.4e-5) "matched" while the same run at × 1 did not
    const market = (k: number) => validateScenario({ name: 'c3', model: 'intermediation', types: [1, 2, 3], mass: [0.2 * k, 0.3 * k, 0.5 * k], weights: { consumer: 0.6, merchant: 0 }, reservationUtility: 0.3, remedy: 'complete' });
    let mismatches = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const one = (await simulateScenario(market(1), { lp, dynamics: 'learning', rounds: 2, seed })).summary;
      const small = (await simulateScenario(market(1e-4), { lp, dynamics: 'learning', rounds: 2, seed })).summary;
      expect(small.matchesChecker).toBe(one.matchesChecker);
      if (!one.matchesChecker) mismatches++;
    }
    // the runs are cut short on purpose: most end off the checker's outcome
    expect(mismatches).toBeGreaterThan(0);
  });

  it('tatonnement: the same run at masses × 1e-4 as at × 1 — stop, rounds and prices (the platform\'s LPs in the checker\'s unit)', async () => {
    // review: the platform's design LPs at masses of 1e-4 (absolute tolerances) made these runs stop at 42 rounds for
    // 34, 36 for 32, and cycle at round 78 for 131 with other prices
    const markets = [
      { types: [1, 2, 3.5], mass: [1.07, 1.07, 0.65], weights: { consumer: 0.5, merchant: 0 }, reservationUtility: 1 },
      { types: [1.5, 2, 3.5], mass: [1.07, 0.2, 0.65], weights: { consumer: 1, merchant: 0.3 }, reservationUtility: 2.4 },
      { types: [1, 2.5, 4], mass: [0.2, 0.65, 0.65], weights: { consumer: 1, merchant: 0 }, reservationUtility: 2.4 },
    ];
    for (const m of markets) {
      const run = async (k: number) => (await simulateScenario(validateScenario({ name: 'u', model: 'intermediation', ...m, mass: m.mass.map((x) => x * k) }), { lp, dynamics: 'tatonnement', rounds: 300 })).summary;
      const [one, small] = [await run(1), await run(1e-4)];
      expect([small.stopReason, small.rounds]).toEqual([one.stopReason, one.rounds]);
      (small.final as Final).prices.forEach((p, w) => expect(p).toBeCloseTo((one.final as Final).prices[w], 9));
    }
  });
});
