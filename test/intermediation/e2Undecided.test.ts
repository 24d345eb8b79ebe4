/**
 * An LP of the E2 search that the solver cannot decide (LpSolverError, status "unknown" after the HiGHS retries)
 * leaves E2 "not computed" with the reason, and the rest of the multi-platform result (E1, E3) stands. The solver
 * here fails every LP with a zero objective — the E2 price LPs — and solves the rest with HiGHS.
 */
import { describe, expect, it } from 'vitest';
import { highsSolver, LpSolverError, type LpSolver } from '../../src/lp/index.js';
import { multiPlatform } from '../../src/checker/intermediation/multiPlatform.js';
import { validateScenario, type IntermediationScenario } from '../../src/scenario/index.js';

describe('E2 with an LP the solver cannot decide', () => {
  for (const platforms of [1, 2]) {
    it(`${platforms} platform(s): E2 not computed, with the reason; E1 and E3 computed`, async () => {
      const h = await highsSolver();
      let failed = 0;
      const failing: LpSolver = {
        name: h.name,
        providesDuals: h.providesDuals,
        solveEach: (lp, v, o) => h.solveEach(lp, v, o),
        solve: (lp, o) => {
          if (lp.cost.every((c) => c === 0)) {
            failed++;
            throw new LpSolverError('highs', 'unknown');
          }
          return h.solve(lp, o);
        },
      };
      const plat = (consumer: number, merchant: number) => ({ weights: { consumer, merchant } });
      const s = validateScenario({ name: 'u', model: 'intermediation', types: [1, 2], mass: [0.3, 0.7], weights: { consumer: 1, merchant: 0 }, platforms: platforms === 1 ? [plat(1, 0)] : [plat(1, 0), plat(0, 1)], privacyValues: [0.5, 0.5] }) as IntermediationScenario;
      const out = multiPlatform(failing, s) as { E1: { welfare: number }; E3: { welfare: number }; E2: { available: boolean; reason?: string } };
      const ok = multiPlatform(h, s) as typeof out;
      expect(failed).toBeGreaterThan(0);
      expect(out.E2.available).toBe(false);
      expect(out.E2.reason).toMatch(/E2 not computed: an LP of its search could not be decided/);
      // E1 and E3 as with HiGHS itself, where E2 is computed
      expect(out.E1.welfare).toBeCloseTo(ok.E1.welfare, 12);
      expect(out.E3.welfare).toBeCloseTo(ok.E3.welfare, 12);
      expect(ok.E2.available).toBe(true);
    });
  }
});
