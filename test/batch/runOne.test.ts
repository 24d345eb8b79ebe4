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
    expect(trade.priceDistance as number).toBeLessThanOrEqual(1e-6);
    const none = await runOne('simulate', glp(0.7), 7);
    expect(none.outcome).toBe('no-trade');
    expect(none.welfare).toBe(0);
  });
});
