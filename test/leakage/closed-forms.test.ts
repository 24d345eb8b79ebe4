/**
 * Closed forms derived by hand (MODEL.md B.4.2–B.4.3, B.10) for two users with σ² = 1, Σ_12 = ρ, τ² = 1:
 *   Σ[A,A] + Id = [[2, ρ], [ρ, 2]] for A = {1,2}, inverse [[2, −ρ], [−ρ, 2]]/(4 − ρ²), so
 *   I_i({1,2}) = (1, ρ)·[[2,−ρ],[−ρ,2]]·(1, ρ)ᵀ/(4 − ρ²) = 2/(4 − ρ²);  I_i({i}) = 1/2;  I_j({i}) = ρ²/2.
 *   p_i({1,2}) = v(2/(4−ρ²) − ρ²/2) = v(2 − ρ²)²/(2(4 − ρ²)).
 *   Φ(∅) = 0,  Φ({i}) = (1 + ρ² − v_i)/2,  Φ({1,2}) = 4/(4−ρ²) − (v_1 + v_2)(2−ρ²)²/(2(4−ρ²)).
 * With v_1 = v_2 = v, Φ({1,2}) ≥ 0 ⇔ v ≤ 4/(2−ρ²)², and Φ({1,2}) − Φ({1}) has numerator
 * (4 − 3t + t²) + v(−4 + 7t − 2t²) (t = ρ²) which is > 0 whenever v ≤ 4/(2−t)² (difference of the two bounds
 * is t²(12 − 7t + t²) > 0), and Φ({1}) ≤ 0 when v ≥ 4/(2−t)² since 4 − (1+t)(2−t)² = t²(3 − t) ≥ 0.
 * Hence a^E = {1,2} iff v ≤ 4/(2−ρ²)², else ∅ (AMMO §3.4).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { solveGeneral } from '../../src/checker/leakage/monopoly.js';
import { evaluateSharingSet } from '../../src/model/leakage/outcome.js';
import { matFrom } from '../../src/model/linalg.js';
import { close, real } from './oracle.js';

const pair = (rho: number): number[][] => [
  [1, rho],
  [rho, 1],
];
const threshold = (rho: number): number => 4 / (2 - rho * rho) ** 2;
const pairPrice = (rho: number, v: number): number => ((2 - rho * rho) ** 2 / (2 * (4 - rho * rho))) * v;

describe('two users, σ² = 1, Σ_12 = ρ, v_1 = v_2 = v (AMMO §3.4, B.10)', () => {
  it('both share iff v ≤ 4/(2−ρ²)², at price (2−ρ²)²/(2(4−ρ²))·v, else nobody', () => {
    fc.assert(
      fc.property(real(-1, 1), real(0, 1), fc.boolean(), (rho, frac, above) => {
        const thr = threshold(rho);
        // v strictly inside a region (at least 1e-6 relative away from the boundary).
        const v = above ? thr * (1 + 1e-6 + frac * 3) : thr * (1e-6 + frac * (1 - 2e-6));
        const sol = solveGeneral(pair(rho), 1, [v, v]);
        if (above) {
          expect(sol.equilibrium.sharers).toEqual([]);
          expect(sol.equilibrium.platformProfit).toBe(0);
        } else {
          expect(sol.equilibrium.sharers).toEqual([0, 1]);
          expect(close(sol.equilibrium.prices[0], pairPrice(rho, v), 1e-12)).toBe(true);
          expect(close(sol.equilibrium.prices[1], pairPrice(rho, v), 1e-12)).toBe(true);
          expect(close(sol.equilibrium.leakage[0], 2 / (4 - rho * rho), 1e-12)).toBe(true);
          const surplus = (4 * (1 - v)) / (4 - rho * rho);
          expect(close(sol.equilibrium.socialSurplus, surplus, 1e-12)).toBe(true);
          // Surplus negative exactly on (1, 4/(2−ρ²)²] (Figure 2).
          if (v > 1 + 1e-9) {
            expect(sol.equilibrium.socialSurplus).toBeLessThan(0);
            expect(sol.verdict.negativeSurplus).toBe(true);
          }
          if (v < 1 - 1e-9) expect(sol.equilibrium.socialSurplus).toBeGreaterThan(0);
        }
        // First best: both iff v ≤ 1 (SS(A) = (1 − v) Σ_i I_i(A), maximised by the largest leakage or by none).
        if (v < 1 - 1e-9) expect(sol.firstBest.sharers).toEqual([0, 1]);
        if (v > 1 + 1e-9) expect(sol.firstBest.sharers).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('at v = 4/(2−ρ²)² exactly, Φ({1,2}) ties with Φ(∅) = 0 and the larger set is reported', () => {
    for (const rho of [0.3, 0.5, 0.8, 0.95]) {
      const v = threshold(rho);
      const sol = solveGeneral(pair(rho), 1, [v, v]);
      expect(sol.equilibrium.sharers).toEqual([0, 1]);
      expect(sol.equilibrium.ties.count).toBe(2);
      expect(sol.equilibrium.ties.sets).toEqual([[0, 1], []]);
      expect(Math.abs(sol.equilibrium.platformProfit)).toBeLessThan(1e-12);
    }
  });

  it('total payment for (1,1) is v(2−ρ²)²/(4−ρ²) vs v/2 for (1,0); crossover at ρ² = (7−√17)/4', () => {
    const cross = (7 - Math.sqrt(17)) / 4;
    expect(cross).toBeCloseTo(0.7192235935955849, 15);
    fc.assert(
      fc.property(real(0, 1), real(0.1, 5), (t, v) => {
        const rho = Math.sqrt(t);
        const S = matFrom(pair(rho));
        const both = evaluateSharingSet(S, 1, [v, v], [0, 1]).prices.reduce((a, b) => a + b, 0);
        const one = evaluateSharingSet(S, 1, [v, v], [0]).prices.reduce((a, b) => a + b, 0);
        expect(close(both, (v * (2 - t) ** 2) / (4 - t), 1e-12)).toBe(true);
        expect(close(one, v / 2, 1e-12)).toBe(true);
        // (2−t)²/(4−t) ≤ 1/2 ⇔ 2t² − 7t + 4 ≤ 0 ⇔ t ≥ (7−√17)/4 on [0, 1].
        if (t > cross + 1e-9) expect(both).toBeLessThan(one);
        if (t < cross - 1e-9) expect(both).toBeGreaterThan(one);
      }),
      { numRuns: 300 },
    );
    const rhoCross = Math.sqrt(cross);
    const S = matFrom(pair(rhoCross));
    const both = evaluateSharingSet(S, 1, [1, 1], [0, 1]).prices.reduce((a, b) => a + b, 0);
    expect(both).toBeCloseTo(0.5, 14);
  });

  it('Example 1 multiplicity band: own increments 1/2 (other out) and (2−ρ²)²/(2(4−ρ²)) (other in)', () => {
    for (const rho of [0, 0.2, 0.5, 0.9, 1]) {
      const S = matFrom(pair(rho));
      // With v = 1 the least sustaining price is the own increment; the band is [(2−ρ²)²/(2(4−ρ²)), 1/2].
      const alone = evaluateSharingSet(S, 1, [1, 1], [0]).prices[0];
      const together = evaluateSharingSet(S, 1, [1, 1], [0, 1]).prices[0];
      expect(alone).toBeCloseTo(0.5, 15);
      expect(together).toBeCloseTo((2 - rho * rho) ** 2 / (2 * (4 - rho * rho)), 15);
      expect(together).toBeLessThanOrEqual(alone);
      const sol = solveGeneral(pair(rho), 1, [1, 1]);
      expect(sol.equilibrium.sharers).toEqual([0, 1]);
      expect(sol.equilibrium.prices[0]).toBeCloseTo(together, 15);
    }
  });
});

/**
 * General two users: σ_1², σ_2², covariance c, noise τ², values v_1, v_2. With D = (σ_1²+τ²)(σ_2²+τ²) − c²,
 *   I_1({1,2}) = xᵀ M⁻¹ x with x = (σ_1², c), M = [[σ_1²+τ², c], [c, σ_2²+τ²]]:
 *             = xᵀ adj(M) x / D = [σ_1⁴(σ_2²+τ²) − 2σ_1² c² + c²(σ_1²+τ²)]/D
 *   I_1({1}) = σ_1⁴/(σ_1²+τ²),  I_1({2}) = c²/(σ_2²+τ²)   (and symmetrically for user 2),
 * so Φ of the four sets is explicit and the equilibrium is the best of four numbers (ties: larger set, then
 * {1} before {2}).
 */
describe('general two-user threshold (v_1 ≠ v_2, any σ², τ²)', () => {
  it('solveGeneral picks the argmax of the four closed-form values', () => {
    fc.assert(
      fc.property(real(0.1, 3), real(0.1, 3), real(-0.999, 0.999), real(0.2, 3), real(0, 4), real(0, 4), (s1, s2, r, tau2, v1, v2) => {
        const c = r * Math.sqrt(s1 * s2);
        const D = (s1 + tau2) * (s2 + tau2) - c * c;
        const both1 = (s1 * s1 * (s2 + tau2) - 2 * s1 * c * c + c * c * (s1 + tau2)) / D;
        const both2 = (s2 * s2 * (s1 + tau2) - 2 * s2 * c * c + c * c * (s2 + tau2)) / D;
        const own1 = (s1 * s1) / (s1 + tau2);
        const own2 = (s2 * s2) / (s2 + tau2);
        const phi = [
          0,
          own1 + (c * c) / (s1 + tau2) - v1 * own1,
          own2 + (c * c) / (s2 + tau2) - v2 * own2,
          both1 + both2 - v1 * (both1 - (c * c) / (s2 + tau2)) - v2 * (both2 - (c * c) / (s1 + tau2)),
        ];
        const sets = [[], [0], [1], [0, 1]];
        const max = Math.max(...phi);
        const gap = [...phi].sort((a, b) => b - a)[1];
        fc.pre(max - gap > 1e-7 * Math.max(1, max));
        const sol = solveGeneral(
          [
            [s1, c],
            [c, s2],
          ],
          tau2,
          [v1, v2],
        );
        expect(sol.equilibrium.sharers).toEqual(sets[phi.indexOf(max)]);
        expect(close(sol.equilibrium.platformProfit, max, 1e-10)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
