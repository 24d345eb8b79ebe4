/**
 * Constrained efficiency without the closed form (planner.ts) against independent oracles:
 *  - BBM closed form W(q) = (1+γ_u)TS − (1+γ_u−γ_π)πM (γ_u ≥ γ_π) or γ_π TS, derived in MODEL.md A.7, and a
 *    brute-force grid maximum of W(q) − r̄Σq;
 *  - off the closed form (fee grid not containing the types): W(q) recomputed here as a lexicographic LP
 *    on the second backend (javascript-lp-solver), maximised over a grid, and V = min_k ⟨g_k, q⟩ checked
 *    against that backend's V;
 *  - ψ against the closed-form intervals and against difference quotients of W (W is piecewise linear,
 *    so a small step gives the one-sided derivative exactly).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { highsSolver, jsLpSolver, type LpSolver } from '../../src/lp/index.js';
import { buildDesignLp } from '../../src/model/intermediation/designLp.js';
import {
  designPieces,
  plannerByPieces,
  socialBenefit,
  socialBenefitByPieces,
  welfareByPieces,
} from '../../src/model/intermediation/index.js';
import { solveIntermediation } from '../../src/checker/intermediation/index.js';
import { validateScenario, type IntermediationScenario } from '../../src/scenario/index.js';

type Game = { types: number[]; fees: number[]; gammaU: number; gammaPi: number };

function closedW(g: Game, q: number[]): number {
  const TS = g.types.reduce((s, w, k) => s + w * q[k], 0);
  if (g.gammaPi > g.gammaU) return g.gammaPi * TS;
  const piM = Math.max(...g.fees.map((a) => a * g.types.reduce((s, w, k) => s + (w >= a ? q[k] : 0), 0)));
  return (1 + g.gammaU) * TS - (1 + g.gammaU - g.gammaPi) * piM;
}

/** W(q) by a lexicographic LP written here: max Σ(v+u)X over {feasible, obedient, Σ v X ≥ V(q) − 1e-9}. */
function lexW(s: LpSolver, g: Game, q: number[]): number {
  const lp = buildDesignLp(g, q);
  const V = s.solve(lp).objective;
  const u = g.fees.flatMap((a) => g.types.map((w) => Math.max(w - a, 0)));
  return s.solve({
    ...lp,
    cost: lp.cost.map((c, j) => c + u[j]),
    rows: [...lp.rows, { indices: lp.cost.map((_, j) => j), values: lp.cost, lower: V - 1e-9, upper: Infinity }],
  }).objective;
}

function grid(qBar: number[], steps: number): number[][] {
  let pts: number[][] = [[]];
  for (const m of qBar) pts = pts.flatMap((p) => Array.from({ length: steps + 1 }, (_, k) => [...p, (m * k) / steps]));
  return pts;
}

describe('planner by linear pieces of V', () => {
  it('BBM markets: Wo equals the closed-form optimum and beats a brute-force grid', async () => {
    const h = await highsSolver();
    const arb = fc.record({
      mass: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
      gu: fc.double({ min: 0, max: 2, noNaN: true }),
      gp: fc.double({ min: 0, max: 2, noNaN: true }),
      rbar: fc.double({ min: 0, max: 3, noNaN: true }),
    }).filter((r) => Math.abs(r.gu - r.gp) > 1e-3 && Math.max(r.gu, r.gp) > 1e-3); // γ_u = γ_π: every segmentation is optimal
    fc.assert(
      fc.property(arb, ({ mass, gu, gp, rbar }) => {
        const g = { types: [1, 2, 3], fees: [1, 2, 3], gammaU: gu, gammaPi: gp };
        const sol = plannerByPieces(h, g, mass, rbar);
        const atQ = closedW(g, sol.records) - rbar * sol.records.reduce((a, b) => a + b, 0);
        expect(sol.welfare).toBeCloseTo(atQ, 8);
        // W − r̄Σq is piecewise linear on the box with kinks where πM ties: its maximum is ≥ every grid value
        for (const q of grid(mass, 6)) expect(sol.welfare).toBeGreaterThanOrEqual(closedW(g, q) - rbar * q.reduce((a, b) => a + b, 0) - 1e-9);
      }),
      { numRuns: 25, seed: 21 },
    );
  });

  it('fee grid without the types (no closed form): V = min_k ⟨g_k, q⟩ and Wo ≥ grid maximum of W on the second backend', async () => {
    const h = await highsSolver();
    const js = jsLpSolver();
    const cases: Array<{ g: Game; qBar: number[]; rbar: number }> = [
      { g: { types: [1, 2], fees: [0.5, 1.5, 2], gammaU: 1, gammaPi: 0.2 }, qBar: [0.4, 0.6], rbar: 0.6 },
      { g: { types: [1, 2, 3], fees: [0.8, 1.7, 2.5], gammaU: 0.7, gammaPi: 0 }, qBar: [0.3, 0.3, 0.4], rbar: 0.9 },
      { g: { types: [0, 1, 2.5], fees: [0.5, 1, 2], gammaU: 1.5, gammaPi: 0.5 }, qBar: [0.2, 0.5, 0.3], rbar: 0.4 },
    ];
    for (const { g, qBar, rbar } of cases) {
      const pieces = designPieces(h, g);
      const sol = plannerByPieces(h, g, qBar, rbar, pieces);
      let best = -Infinity;
      for (const q of grid(qBar, g.types.length === 2 ? 10 : 5)) {
        const V = js.solve(buildDesignLp(g, q)).objective;
        const env = Math.min(...pieces.gradients.map((p) => p.reduce((s, x, w) => s + x * q[w], 0)));
        expect(env).toBeCloseTo(V, 7);
        best = Math.max(best, lexW(js, g, q) - rbar * q.reduce((a, b) => a + b, 0));
      }
      expect(sol.welfare).toBeGreaterThanOrEqual(best - 1e-7);
      expect(lexW(js, g, sol.records) - rbar * sol.records.reduce((a, b) => a + b, 0)).toBeCloseTo(sol.welfare, 7);
    }
  });

  it('a vertex of the envelope a rounding error below 0 is not an infeasible record vector (5 types): V = min_k ⟨g_k, q⟩ on the second backend', async () => {
    // types 1.968 … 4.104 with the fee grid = the types, γ = (0.893, 0.814): an envelope vertex came out with a
    // coordinate ~ −1e-17, the design LP there was infeasible and `solve` crashed ("internal: the LP is infeasible")
    const h = await highsSolver();
    const js = jsLpSolver();
    const g: Game = { types: [1.968, 2.057, 2.761, 2.855, 4.104], fees: [1.968, 2.057, 2.761, 2.855, 4.104], gammaU: 0.893, gammaPi: 0.814 };
    const pieces = designPieces(h, g);
    for (const v of pieces.vertices) expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }), (q) => {
      const V = js.solve(buildDesignLp(g, q)).objective;
      const env = Math.min(...pieces.gradients.map((p) => p.reduce((acc, x, w) => acc + x * q[w], 0)));
      expect(env).toBeCloseTo(V, 7);
    }), { numRuns: 40 });
  });

  it('ψ: closed-form intervals in BBM markets, difference quotients of W elsewhere', async () => {
    const h = await highsSolver();
    const bbm = { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 0.9, gammaPi: 0.2 };
    for (const q of [[0.2, 0.3, 0.5], [0.4, 0.2, 0.4 / 3], [0.3, 0, 0.2]]) {
      const got = socialBenefitByPieces(h, bbm, q);
      const cf = socialBenefit(bbm, q);
      got.forEach((i, w) => {
        expect(i.lower).toBeCloseTo(cf[w].lower, 8);
        if (cf[w].upper === Infinity) expect(i.upper).toBe(Infinity);
        else expect(i.upper).toBeCloseTo(cf[w].upper, 8);
      });
    }
    const g = { types: [1, 2, 3], fees: [0.8, 1.7, 2.5], gammaU: 0.7, gammaPi: 0 };
    const pieces = designPieces(h, g);
    const q = [0.25, 0.2, 0.35];
    const psi = socialBenefitByPieces(h, g, q, pieces);
    // W from the lexicographic LP written here (not from the pieces ψ is computed on: review); W is piecewise
    // linear, so the quotients over 1e-3 are its one-sided derivatives, up to the 1e-9 slack row over the step
    const W0 = lexW(h, g, q);
    const step = 1e-3;
    psi.forEach((i, w) => {
      const up = q.map((x, k) => (k === w ? x + step : x));
      const dn = q.map((x, k) => (k === w ? x - step : x));
      expect((lexW(h, g, up) - W0) / step).toBeCloseTo(i.lower, 4);
      expect((W0 - lexW(h, g, dn)) / step).toBeCloseTo(i.upper, 4);
    });
    // and the pieces' own W agrees with it at q
    expect(welfareByPieces(h, g, q, pieces)).toBeCloseTo(W0, 7);
  });

  it('solve: constrained efficiency and remedies are available without the closed form', async () => {
    const s = validateScenario({
      name: 'x', model: 'intermediation', types: [1, 2], mass: [0.4, 0.6], fees: [0.5, 1.5, 2],
      weights: { consumer: 1, merchant: 0.2 }, reservationUtility: 0.6,
    }) as IntermediationScenario;
    const r = JSON.parse(JSON.stringify(await solveIntermediation(s)));
    expect(r.constrainedEfficient.records).toHaveLength(2);
    expect(r.constrainedEfficient.welfare).toBeCloseTo(r.constrainedEfficient.lexicographicWelfare, 8);
    expect(r.remedies.tax.revenue).toBeCloseTo(r.constrainedEfficient.welfare, 8);
    expect(r.remedies.complete.welfare).toBeGreaterThanOrEqual(r.constrainedEfficient.welfare - 1e-9);
  });

  it('the data tax reaches Wo and no more: the consumer-best stage costs the platform nothing (fuzz case)', async () => {
    // types 1…4: remedies.tax.welfare exceeded Wo by 3.4e-7 while the consumer-best stage kept V as a row with
    // slack 1e-9·V (Σ U q bought at the platform's expense); on the optimal face it is Wo to rounding
    const s = validateScenario({
      name: 'x', model: 'intermediation', types: [1, 2, 3, 4], mass: [0.624, 0.707, 0.384, 0.925],
      weights: { consumer: 1.161, merchant: 1.178 }, reservationUtility: 3.288,
    }) as IntermediationScenario;
    const r = JSON.parse(JSON.stringify(await solveIntermediation(s)));
    expect(Math.abs(r.remedies.tax.welfare - r.constrainedEfficient.welfare)).toBeLessThan(1e-12 * Math.max(1, r.constrainedEfficient.welfare));
  });
});
