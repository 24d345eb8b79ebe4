/**
 * Types with mass 0 (no consumers): GLP's participation condition (c) is about consumers who exist, so such a type
 * imposes none, and the equilibria are those of the market without it, with q(ω) = 0 (X(·, ω) = 0 leaves V, the
 * obedience constraints and ∂V on the other types unchanged). Reference: the checker on the scenario with the type
 * removed. Found by a fuzz run: a zero mass made `solve` report no equilibrium at all (and `simulate` exit 2). The
 * absent type's price completes the others into a supergradient of V (a review found V'(q; +e_ω) reported, which
 * can support nothing).
 */
import { describe, expect, it } from 'vitest';
import { solveIntermediation } from '../../src/checker/intermediation/index.js';
import { validateScenario, type IntermediationScenario } from '../../src/scenario/index.js';
import { jsLpSolver } from '../../src/lp/index.js';
import { buildDesignLp } from '../../src/model/intermediation/designLp.js';

interface Eq { records: number[]; prices: number[]; welfare: number; recordPriceIntervals: Array<{ lower: number | null }> }
type Out = { equilibria: Eq[]; equilibriumSearch: { exact: boolean } };

async function solve(types: number[], mass: number[], gamma: [number, number], rbar: number, fees?: number[]): Promise<Out> {
  const s = validateScenario({ name: 'z', model: 'intermediation', types, mass, weights: { consumer: gamma[0], merchant: gamma[1] }, reservationUtility: rbar, ...(fees ? { fees } : {}) }) as IntermediationScenario;
  return (await solveIntermediation(s)) as unknown as Out;
}

/**
 * The least p(ω) for the absent type ω that makes p a supergradient of V at q (q(ω) = 0, the other prices given),
 * by the primal side of the completion: V is homogeneous and concave, so p supports V at q iff V(q') ≤ ⟨p, q'⟩ for
 * all q' ≥ 0, and the least p(ω) is max over q' with q'(ω) = 1 of V(q') − Σ_{w≠ω} p(w) q'(w) — one LP over the design
 * X of q' (q' = its row sums), on javascript-lp-solver. (The checker solves the dual side on HiGHS.)
 */
function leastCompletionPrimal(types: number[], gamma: [number, number], prices: number[], w: number | number[]): number {
  // with several types ω: the least Σ p(ω) over them (LP duality: q'(ω) = 1 for each, the rest free)
  const ws = Array.isArray(w) ? w : [w];
  const game = { types, fees: types, gammaU: gamma[0], gammaPi: gamma[1] };
  const N = types.length;
  const lp = buildDesignLp(game, types.map((_, k) => (ws.includes(k) ? 1 : 0)));
  return jsLpSolver().solve({
    ...lp,
    cost: lp.cost.map((c, j) => (ws.includes(j % N) ? c : c - prices[j % N])),
    // q'(ω) = 1, the other resource rows free
    rows: lp.rows.map((r, k) => (k < N && !ws.includes(k) ? { ...r, lower: -Infinity, upper: Infinity } : r)),
  }).objective;
}

describe('types with mass 0', () => {
  it('closed form: types 2, 4, masses 1, 0, γ = (1, 0): V(q) = 2·min(q₀, q₁), so with p(2) = 0 the absent type\'s price is 2', async () => {
    // the merchant obeys fee 2 on a segment with x₀ type-2 and x₁ type-4 records iff 2(x₀ + x₁) ≥ 4x₁, i.e. x₁ ≤ x₀, and
    // type 4 gets 2 per record there: V = 2·min(q₀, q₁). Review: (0, V'(0; +e₁)) = (0, 0) was reported, and
    // V(1, 1) = 2 > ⟨(0, 0), (1, 1)⟩
    const r = await solve([2, 4], [1, 0], [1, 0], 0.2);
    expect(r.equilibria.map((e) => [e.records, e.prices])).toEqual([[[0, 0], [expect.closeTo(0, 12), expect.closeTo(2, 9)]]]);
    expect(leastCompletionPrimal([2, 4], [1, 0], [0, NaN], 1)).toBeCloseTo(2, 9);
  });

  const cases: Array<{ types: number[]; mass: number[]; gamma: [number, number]; rbar: number }> = [
    { types: [1, 2, 3], mass: [0.5, 0, 0.1], gamma: [1, 0], rbar: 0.4 },
    { types: [1, 2, 3], mass: [0.3, 0, 0.3], gamma: [0.5, 0], rbar: 0 },
    { types: [1, 2, 3, 4], mass: [0, 0.4, 0.7, 0.2], gamma: [1.2, 0.3], rbar: 1.1 },
  ];
  it('two absent types: no least vector exists; the least sum is reported, and each price is least given the other', async () => {
    // review: (0.6854, ·, 2.7950) and (0.5803, ·, 3.456) both complete p(1) = 1.37, so neither price is least alone
    const [types, gamma]: [number[], [number, number]] = [[0.46, 2.24, 3.64], [1.49, 0.43]];
    const r = await solve(types, [0, 0.86, 0], gamma, 1.37);
    expect(r.equilibria.length).toBeGreaterThan(0);
    for (const e of r.equilibria) {
      expect(e.prices[0] + e.prices[2]).toBeCloseTo(leastCompletionPrimal(types, gamma, e.prices, [0, 2]), 7);
      for (const w of [0, 2]) expect(e.prices[w]).toBeCloseTo(leastCompletionPrimal(types, gamma, e.prices, w), 7);
    }
    // the other completion of the review: p(0) lower, p(2) higher, also supporting (p(0) least given that p(2))
    const other = [0, r.equilibria[0].prices[1], 3.456];
    other[0] = leastCompletionPrimal(types, gamma, other, 0);
    expect(other[0]).toBeLessThan(r.equilibria[0].prices[0] - 0.05);
  });

  for (const c of cases) {
    it(`mass ${c.mass.join(', ')}: the equilibria of the market without the absent types`, async () => {
      const present = c.mass.map((_, w) => w).filter((w) => c.mass[w] > 0);
      // the fee grid stays the whole market's
      const full = await solve(c.types, c.mass, c.gamma, c.rbar, c.types);
      const reduced = await solve(present.map((w) => c.types[w]), present.map((w) => c.mass[w]), c.gamma, c.rbar, c.types);
      expect(full.equilibria.length).toBeGreaterThan(0);
      expect(full.equilibriumSearch.exact).toBe(reduced.equilibriumSearch.exact);
      expect(full.equilibria.length).toBe(reduced.equilibria.length);
      full.equilibria.forEach((e, k) => {
        const r = reduced.equilibria[k];
        expect(e.welfare).toBeCloseTo(r.welfare, 9);
        present.forEach((w, i) => {
          expect(e.records[w]).toBeCloseTo(r.records[i], 9);
          expect(e.prices[w]).toBeCloseTo(r.prices[i], 9);
        });
        c.mass.forEach((m, w) => {
          if (m > 0) return;
          expect(e.records[w]).toBe(0);
          // the least price that completes the others into a supergradient of V (primal LP, second backend)
          expect(e.prices[w]).toBeCloseTo(leastCompletionPrimal(c.types, c.gamma, e.prices, w), 7);
        });
      });
    }, 30_000);
  }
});
