/**
 * A `simulate` sweep run on an intermediation market goes through batch's runOne, which must hand the
 * engine its worker's LP backend (the engine creates none). The expected outcomes are GLP's two-type
 * example (MODEL.md A.5): with γ_u = 0.6, r̄ = 0.5 < γ_u records trade (the over-supply equilibrium), with
 * γ_u < r̄ = 0.7 < (1 + γ_u)/2 the market unravels to no trade (welfare 0); the trade welfare is the checker's.
 */
import { describe, expect, it } from 'vitest';
import { runOne } from '../../src/batch/runOne.js';
import { validateScenario } from '../../src/scenario/index.js';
import { solveIntermediation } from '../../src/checker/intermediation/index.js';
import type { IntermediationScenario } from '../../src/scenario/validate.js';

const glp = (rbar: number) =>
  validateScenario({
    name: `glp-${rbar}`,
    model: 'intermediation',
    types: [1, 2],
    mass: [0.3, 0.7],
    weights: { consumer: 0.6, merchant: 0 },
    reservationUtility: rbar,
    dynamics: { kind: 'tatonnement' },
  });

describe('runOne simulate on intermediation (batch passes the LP backend)', () => {
  it('trade at r̄ = 0.5 with the checker welfare; unraveling to no trade at r̄ = 0.7', async () => {
    const trade = await runOne('simulate', glp(0.5), 7);
    const exact = (await solveIntermediation(glp(0.5) as IntermediationScenario)).equilibrium as { welfare: number };
    expect(trade.outcome).toBe('trade');
    expect(trade.converged).toBe(true);
    expect(trade.welfare as number).toBeCloseTo(exact.welfare, 6);
    // W in `welfare` only, as in solve rows: the leakage surplus column and the solve-only ones stay empty
    expect(trade.socialSurplus).toBeNull();
    expect(trade.platformValue ?? null).toBeNull();
    expect(trade.efficientWelfare ?? null).toBeNull();
    expect(trade.priceDistance as number).toBeLessThanOrEqual(1e-6);
    // the records' distance too (converged: the checker's records), no value distance with one platform
    expect(trade.recordDistance as number).toBeLessThanOrEqual(1e-6);
    expect(trade.valueDistance).toBeNull();
    // the verdict and why the run stopped; records sold as in solve rows (Σ of the checker's q*, which it reached)
    expect(trade.matchesChecker).toBe(true);
    expect(trade.stopReason).toBe('tolerance');
    const exactRecords = ((await solveIntermediation(glp(0.5) as IntermediationScenario)).equilibrium as { records: number[] }).records;
    expect(trade.recordsSold as number).toBeCloseTo(exactRecords.reduce((a, b) => a + b, 0), 6);
    const none = await runOne('simulate', glp(0.7), 7);
    expect(none.outcome).toBe('no-trade');
    expect(none.recordsSold).toBe(0);
    expect(none.welfare).toBe(0);
  });
});

describe('runOne simulate with several platforms: the distances the verdict reads', () => {
  it('GP example, 50 rounds of the tatonnement: recordDistance and valueDistance as in the summary', async () => {
    const { resultColumns, INTERMEDIATION_SIMULATE_COLUMNS } = await import('../../src/batch/runOne.js');
    const { simulateScenario } = await import('../../src/engine/index.js');
    const { highsSolver } = await import('../../src/lp/index.js');
    const gp = validateScenario({ name: 'gp', model: 'intermediation', types: [1, 2], mass: [0.3, 0.7], weights: { consumer: 1, merchant: 0 }, reservationUtility: 0, platforms: [{ weights: { consumer: 1, merchant: 0 }, buyerWeights: [1, 3] }], privacyValues: [2, 0], dynamics: { kind: 'tatonnement', rounds: 50 } });
    expect(resultColumns('simulate', [gp])).toEqual(expect.arrayContaining([...INTERMEDIATION_SIMULATE_COLUMNS]));
    const cells = await runOne('simulate', gp, 1);
    const { summary } = await simulateScenario(gp, { lp: await highsSolver(), seed: 1 });
    expect(cells.recordDistance).toBe(summary.distance.records);
    expect(cells.valueDistance).toBe(summary.distance.value);
    // the final state's W and outcome fill the intermediation columns too (E1's W of the records rationed to
    // supply: 4m + 2(0.3 − m), m = min(q₁, 0.3, q₂, 0.7), test/engine/multiPlatform.test.ts)
    expect(cells.welfare).toBe((summary.final as { welfare: number }).welfare);
    expect(cells.outcome).toBe('trade');
    expect(cells.welfare as number).toBeLessThanOrEqual(1.2 + 1e-9);
    // the value of the records rationed to supply is U = m (test/engine/multiPlatform.test.ts), E1's 0.3
    const [q1, q2] = (summary.final as { records: number[][] }).records[0];
    expect(cells.valueDistance as number).toBeCloseTo(Math.abs(Math.min(q1, 0.3, q2, 0.7) - 0.3), 9);
  }, 60_000);
});

describe('runOne solve on intermediation: remedies and several platforms (review)', () => {
  it('a remedy the checker cannot compute leaves its cells empty, not the unregulated market', async () => {
    const { intermediationCells } = await import('../../src/batch/runOne.js');
    const r = { platformValue: 1, equilibrium: { outcome: 'trade', records: [0.1, 0.2], welfare: 0.5 }, constrainedEfficient: { available: false }, remedies: { available: false, reason: 'beyond the planner' } };
    expect(intermediationCells(r, 'tax')).toEqual({ platformValue: 1, outcome: null, welfare: null, efficientWelfare: null, recordsSold: null });
    // and the unregulated market itself is reported under none
    expect(intermediationCells(r, 'none')).toMatchObject({ outcome: 'trade', welfare: 0.5, recordsSold: expect.closeTo(0.3, 12) });
  });

  it('with platforms: E1, E2 (welfare, count, exhaustive), SB and E3 columns; GP example E2 W = 0.6, SB = 1.2', async () => {
    const { resultColumns, MULTI_PLATFORM_COLUMNS } = await import('../../src/batch/runOne.js');
    const gp = validateScenario({ name: 'gp', model: 'intermediation', types: [1, 2], mass: [0.3, 0.7], weights: { consumer: 1, merchant: 0 }, reservationUtility: 0, platforms: [{ weights: { consumer: 1, merchant: 0 }, buyerWeights: [1, 3] }], privacyValues: [2, 0] });
    expect(resultColumns('solve', [gp])).toEqual(expect.arrayContaining([...MULTI_PLATFORM_COLUMNS]));
    expect(resultColumns('solve', [glp(0.5)])).not.toContain('e2Welfare');
    const cells = await runOne('solve', gp, 1);
    // GP's example (MODEL.md A.10): E2 has W = 0.6 (records (0, t), t ≤ 0.7), SB = 1.2 (pool the 0.3 lows with as
    // many highs at fee 1: 0.3·(1 + 3)·(2 − 1))
    expect(cells.e2Welfare as number).toBeCloseTo(0.6, 9);
    expect(cells.secondBestWelfare as number).toBeCloseTo(1.2, 9);
    expect(cells.e2Exhaustive).toBe(true);
    const mp = (await solveIntermediation(gp as IntermediationScenario)).multiPlatform as { E1: { welfare: number }; E2: { equilibria: unknown[] }; E3: { welfare: number } };
    expect(cells.e2Equilibria).toBe(mp.E2.equilibria.length);
    expect(cells.e1Welfare).toBe(mp.E1.welfare);
    expect(cells.e3Welfare).toBe(mp.E3.welfare);
    // a privacy value that makes type 1 sell changes the E2 columns (review: a sweep's rows were all alike)
    const other = await runOne('solve', validateScenario({ ...JSON.parse(JSON.stringify(gp)), privacyValues: [0, 0] }), 1);
    expect(other.e2Welfare).not.toBe(cells.e2Welfare);
  }, 60_000);
});

describe('runOne solve on a regulated leakage market (review: rows showed the unregulated market)', () => {
  it('a uniform per-transaction tax lowers the profit by rate × sharers when the sharer set stays; a larger one ends sharing', async () => {
    const { readFileSync } = await import('node:fs');
    const base = JSON.parse(readFileSync('sims/ammo-fig3-rho0.06-vh5-tax-uniform.json', 'utf8')) as Record<string, unknown>;
    const at = (rate: number) => validateScenario({ ...base, regulation: { tax: { kind: 'uniform', rate } } });
    const untaxed = await runOne('solve', validateScenario({ ...base, regulation: undefined }), 1);
    const taxed = await runOne('solve', at(0.05), 1);
    expect(taxed.sharers).toBe(untaxed.sharers);
    expect(taxed.platformProfit as number).toBeCloseTo((untaxed.platformProfit as number) - 0.05 * (untaxed.sharers as number), 9);
    // the tax is a transfer: the surplus of the same sharer set is unchanged
    expect(taxed.socialSurplus as number).toBeCloseTo(untaxed.socialSurplus as number, 9);
    // at 0.5 per record no sale pays (the simulate sweep of the review: 0 sharers from 0.1 up)
    const high = await runOne('solve', at(0.5), 1);
    expect(high.sharers).toBe(0);
    expect(high.platformProfit as number).toBeCloseTo(0, 9);
  });
});

describe('runOne solve on a posted-price duopoly (review: rows showed only the join-first benchmark)', () => {
  it("the grid game's pure-equilibrium count and the mixed equilibrium's expected surplus, as solve reports them; the columns are declared", async () => {
    const { readFileSync } = await import('node:fs');
    const { solveLeakage } = await import('../../src/checker/leakage/index.js');
    const { resultColumns } = await import('../../src/batch/runOne.js');
    const scenario = validateScenario(JSON.parse(readFileSync('sims/pal-posted-price-two-users.json', 'utf8')));
    const row = await runOne('solve', scenario, 1);
    const posted = (solveLeakage(scenario as never) as unknown as { postedPrice: { pureEquilibriaCount: number; mixed: { expectedSocialSurplus: { min: number; max: number } } } }).postedPrice;
    expect(row.postedPureEquilibria).toBe(posted.pureEquilibriaCount);
    expect(row.postedMixedSurplusMin).toBe(posted.mixed.expectedSocialSurplus.min);
    expect(row.postedMixedSurplusMax).toBe(posted.mixed.expectedSocialSurplus.max);
    expect(posted.pureEquilibriaCount).toBeGreaterThan(0);
    expect(resultColumns('solve', [scenario])).toEqual(expect.arrayContaining(['postedPureEquilibria', 'postedMixedSurplusMin', 'postedMixedSurplusMax']));
    expect(resultColumns('simulate', [scenario])).not.toContain('postedPureEquilibria');
  });
});
