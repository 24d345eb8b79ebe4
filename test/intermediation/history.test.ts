/**
 * A scenario's result does not depend on what the process solved before (docs/numerics.md): the checker's first LP
 * (P_q at q̄) has a matrix that depends on types and fees only, so without a fresh model it warm-started from the
 * last basis of a simulate run of another market with the same grids, and where V kinks at q̄ its duals came out at
 * another vertex. Types 1, 2, 3, γ = (1, 0), q̄ = (1, 1, 2): fees 2 and 3 tie (revenue 2·(1 + 2) = 3·2), so V kinks
 * at q̄ and ∂V(q̄) has several vertices ((1, 0, 1) and (1, 2, 0) both support it: 1 + 0 + 2 = 1 + 2 + 0 = V = 3).
 */
import { describe, expect, it } from 'vitest';
import { solveIntermediation } from '../../src/checker/intermediation/index.js';
import { simulateScenario } from '../../src/engine/index.js';
import { highsSolver } from '../../src/lp/index.js';
import { validateScenario, type IntermediationScenario } from '../../src/scenario/index.js';

const market = (mass: number[], rbar: number) =>
  validateScenario({ name: 'm', model: 'intermediation', types: [1, 2, 3], mass, weights: { consumer: 1, merchant: 0 }, reservationUtility: rbar }) as IntermediationScenario;

describe('the checker starts each scenario on a fresh LP model', () => {
  it('the same solve JSON alone and after a simulate run of another market with the same types and fees', async () => {
    const Y = market([1, 1, 2], 0);
    const alone = await solveIntermediation(Y);
    // V(q̄) = 3 by hand (BBM, γ_π = 0: consumer surplus TS − uniform monopoly profit = 9 − 6)
    expect(alone.platformValue).toBeCloseTo(3, 12);
    const duals = alone.recordPriceDuals as number[];
    expect(duals.reduce((s, p, w) => s + p * [1, 1, 2][w], 0)).toBeCloseTo(3, 9); // a supergradient at q̄
    const lp = await highsSolver();
    await simulateScenario(market([2, 1, 1], 1), { seed: 1, lp });
    expect(JSON.stringify(await solveIntermediation(Y))).toBe(JSON.stringify(alone));
  }, 60_000);
});
