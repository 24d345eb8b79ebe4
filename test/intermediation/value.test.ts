/**
 * V(q) and record prices against closed forms derived here (BBM 2015 surplus triangle, MODEL.md A.7; `closedForm` in
 * definition.ts):
 * with A = Ω ⊂ (0, ∞), TS = Σ ω q(ω), πM(q) = max_a a·Σ_{ω ≥ a} q(ω),
 *   γ_π ≥ γ_u:  V = γ_π·TS                      (full disclosure)
 *   γ_u ≥ γ_π:  V = γ_u·TS − (γ_u − γ_π)·πM(q)   (consumer-optimal vertex)
 * V is a max of linear functions minus a max of linear functions, so its one-sided partial derivatives are
 *   lower(ω) = γ_u ω − c·max_{a ∈ argmax} a·1[ω ≥ a],  upper(ω) = γ_u ω − c·min_{a ∈ argmax} a·1[ω ≥ a]
 * (c = γ_u − γ_π), with upper = +∞ where q(ω) = 0.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { highsSolver, jsLpSolver } from '../../src/lp/index.js';
import { buildDesignLp } from '../../src/model/intermediation/designLp.js';
import { perRecordSurplus, recordPriceIntervals, solveDesign } from '../../src/model/intermediation/value.js';
import { closedForm } from './definition.js';


const close = (a: number, b: number, tol = 1e-8) => (a === Infinity ? b === Infinity : Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)));

describe('V(q), x*, record prices', () => {
  it('GLP example (MODEL.md A.9): γ_u = 0.6, q = (0.3, 0.7)', async () => {
    const h = await highsSolver();
    const game = { types: [1, 2], fees: [1, 2], gammaU: 0.6, gammaPi: 0 };
    const d = solveDesign(h, game, [0.3, 0.7]);
    expect(d.value).toBeCloseTo(0.18, 12);
    expect(d.X[0][0]).toBeCloseTo(0.3, 12);
    expect(d.X[0][1]).toBeCloseTo(0.3, 12);
    expect(d.X[1][1]).toBeCloseTo(0.4, 12);
    expect(perRecordSurplus(game, d.X, [0.3, 0.7])[1]).toBeCloseTo(3 / 7, 12);
    const iv = recordPriceIntervals(h, game, [0.3, 0.7]);
    expect(iv.map((i) => [i.lower, i.upper])).toEqual([
      [expect.closeTo(0.6, 12), expect.closeTo(0.6, 12)],
      [expect.closeTo(0, 12), expect.closeTo(0, 12)],
    ]);
    const flipped = recordPriceIntervals(h, game, [0.7, 0.3]);
    expect(flipped.map((i) => [i.lower, i.upper])).toEqual([
      [expect.closeTo(0, 12), expect.closeTo(0, 12)],
      [expect.closeTo(0.6, 12), expect.closeTo(0.6, 12)],
    ]);
  });

  it('kinks: q1 = q2 gives p(ω) ∈ [0, γ_u] for both types; q = (q1, 0) gives p(2) ∈ [γ_u, ∞)', async () => {
    const h = await highsSolver();
    const game = { types: [1, 2], fees: [1, 2], gammaU: 0.6, gammaPi: 0 };
    const iv = recordPriceIntervals(h, game, [0.4, 0.4]);
    for (const i of iv) {
      expect(i.lower).toBeCloseTo(0, 12);
      expect(i.upper).toBeCloseTo(0.6, 12);
    }
    const edge = recordPriceIntervals(h, game, [0.5, 0]);
    expect(edge[0].lower).toBeCloseTo(0, 12);
    expect(edge[0].upper).toBeCloseTo(0, 12);
    expect(edge[1].lower).toBeCloseTo(0.6, 12);
    expect(edge[1].upper).toBe(Infinity);
  });

  it('full disclosure oracle (MODEL.md A.9): Ω = {1,2,3}, q = (.2,.3,.5), γ = (.4,.7)', async () => {
    const h = await highsSolver();
    const game = { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 0.4, gammaPi: 0.7 };
    const d = solveDesign(h, game, [0.2, 0.3, 0.5]);
    expect(d.value).toBeCloseTo(1.61, 12);
    expect(d.duals.map((p) => +p.toFixed(10))).toEqual([0.7, 1.4, 2.1]);
    expect(perRecordSurplus(game, d.X, [0.2, 0.3, 0.5]).every((u) => Math.abs(u) < 1e-12)).toBe(true);
  });

  it('random markets: V, the exact price intervals and the LP duals match the closed form; both backends agree on V', async () => {
    const h = await highsSolver();
    const js = jsLpSolver();
    const arb = fc
      .record({
        n: fc.integer({ min: 1, max: 5 }),
        steps: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 5, maxLength: 5 }),
        mass: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1, noNaN: true })), { minLength: 5, maxLength: 5 }),
        gu: fc.double({ min: 0, max: 2, noNaN: true }),
        gp: fc.double({ min: 0, max: 2, noNaN: true }),
      })
      .filter((r) => r.mass.slice(0, r.n).some((m) => m > 0));
    fc.assert(
      fc.property(arb, ({ n, steps, mass, gu, gp }) => {
        const types: number[] = [];
        steps.slice(0, n).reduce((acc, s) => (types.push(acc + s / 2), acc + s / 2), 0);
        const q = mass.slice(0, n);
        const game = { types, fees: types, gammaU: gu, gammaPi: gp };
        const cf = closedForm(types, q, gu, gp);
        const d = solveDesign(h, game, q);
        expect(close(d.value, cf.V, 1e-9)).toBe(true);
        const iv = recordPriceIntervals(h, game, q, d.x);
        iv.forEach((i, w) => {
          expect(close(i.lower, cf.lower[w], 1e-7)).toBe(true);
          expect(close(i.upper, cf.upper[w], 1e-7)).toBe(true);
          // the LP vertex dual is one supergradient: inside the interval
          if (q[w] > 0) {
            expect(d.duals[w]).toBeGreaterThanOrEqual(i.lower - 1e-7);
            expect(d.duals[w]).toBeLessThanOrEqual(i.upper + 1e-7);
          }
        });
        if (n <= 4) expect(close(js.solve(buildDesignLp(game, q)).objective, cf.V, 1e-7)).toBe(true);
      }),
      { numRuns: 80, seed: 11 },
    );
  });

  it('exact kinks on random tie markets: uniform-monopoly ties give the closed-form interval', async () => {
    const h = await highsSolver();
    // Ω = {1,2,3}: πM ties when a·S_a coincide. q = (s, t, u) with 1·(s+t+u) = 2·(t+u) = 3u ⇒ t = u/2, s = u.
    for (const u of [0.2, 0.5, 1]) {
      const q = [u, u / 2, u];
      for (const [gu, gp] of [[1, 0], [0.8, 0.3]]) {
        const cf = closedForm([1, 2, 3], q, gu, gp);
        const iv = recordPriceIntervals(h, { types: [1, 2, 3], fees: [1, 2, 3], gammaU: gu, gammaPi: gp }, q);
        iv.forEach((i, w) => {
          expect(i.lower).toBeCloseTo(cf.lower[w], 9);
          expect(i.upper).toBeCloseTo(cf.upper[w], 9);
        });
        expect(iv.some((i) => i.upper - i.lower > 0.1)).toBe(true);
      }
    }
  });
});
