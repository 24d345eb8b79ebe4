/**
 * Numerical safety: LP failures are typed errors, never numbers; LP duality on the intermediation design
 * LP; the orderings the papers prove (leakage monotone and bounded; planner welfare ≥ every equilibrium's).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highsSolver, LpError, LpInfeasibleError, LpSolverError, LpUnboundedError, type LinearProgram } from '../../src/lp/index.js';
import { buildDesignLp } from '../../src/model/intermediation/designLp.js';
import { leakageAll } from '../../src/model/leakage/gaussian.js';
import { matFrom } from '../../src/model/linalg.js';
import { solveScenario } from '../../src/cli/solve.js';
import { validateScenario } from '../../src/scenario/validate.js';

describe('LP status is always checked', () => {
  it('infeasible, unbounded and unloadable LPs are typed errors from solve and solveEach', async () => {
    const h = await highsSolver();
    // max x s.t. x ≥ 2 (unbounded); adding x ≤ 1 makes it infeasible; a 1e300 coefficient cannot be loaded.
    const unb: LinearProgram = { sense: 'max', cost: [1], colLower: [0], colUpper: [Infinity], rows: [{ indices: [0], values: [1], lower: 2, upper: Infinity }] };
    const inf: LinearProgram = { ...unb, rows: [...unb.rows, { indices: [0], values: [1], lower: -Infinity, upper: 1 }] };
    const huge: LinearProgram = { ...inf, rows: [{ indices: [0], values: [1e300], lower: -Infinity, upper: 1 }] };
    expect(() => h.solve(unb)).toThrow(LpUnboundedError);
    expect(() => h.solve(inf)).toThrow(LpInfeasibleError);
    expect(() => h.solve(huge)).toThrow(LpSolverError);
    const each = h.solveEach(unb, [{}, { rowBounds: [{ row: 0, lower: 2, upper: 1 }] }]);
    expect(each[0]).toBeInstanceOf(LpUnboundedError);
    expect(each[1]).toBeInstanceOf(LpError);
    expect(() => h.solveEach(huge, [{}])).toThrow(LpSolverError);
    // The solver still works after a failed load.
    expect(h.solve({ ...unb, sense: 'min' }).objective).toBeCloseTo(2, 12);
  });

  it('an intermediation market outside the envelope is refused up front; unvalidated, it is not solved into a wrong number', async () => {
    // Unvalidated, this market (types spanning 1..1e10) made HiGHS report "infeasible" for a feasible LP — the
    // consumer-best stage with its optimum kept as a row of slack 1e-9·V; on the optimal face (lexicographic.ts)
    // it now solves, to the value derived by hand: γ = (1, 0) maximises consumer surplus; type 1e10 can be pooled
    // at fee 1 only up to (mass at fee 1)/(1e10 − 1), worth 1e10 − 1 per record, so V = 2·x2 + 0.3 with the type-2
    // records x2 at fee 1, or 0.6 − 2·x2 more at fee 2 (pooling 1e10 there): V = 0.9 either way.
    const raw = { name: 'x', model: 'intermediation', types: [1, 2, 1e10], mass: [0.3, 0.3, 0.4], weights: { consumer: 1, merchant: 0 } };
    expect(() => validateScenario(raw)).toThrow(/types\.2: magnitude 10000000000 exceeds the limit 1000000/);
    const s = { ...validateScenario({ ...raw, types: [1, 2, 3] }), types: [1, 2, 1e10], fees: [1, 2, 1e10] } as ReturnType<typeof validateScenario>;
    const r = (await solveScenario(s)) as { platformValue: number };
    expect(r.platformValue).toBeCloseTo(0.9, 8);
  });
});

/** Random markets: strictly increasing types (fees = types), masses, platform weights. */
const market = fc
  .record({
    gaps: fc.array(fc.double({ min: 0.05, max: 2, noNaN: true }), { minLength: 2, maxLength: 5 }),
    mass: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
    gu: fc.double({ min: 0, max: 1, noNaN: true }),
    gp: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ gaps, mass, gu, gp }) => {
    const types = gaps.map((_, i) => 0.5 + gaps.slice(0, i + 1).reduce((a, b) => a + b, 0));
    // Masses below 1e-3 become 0 (a positive mass under 1e-6 × the largest is outside the envelope).
    const q = mass.slice(0, types.length).map((m, i) => (i === 0 ? m + 0.1 : m < 1e-3 ? 0 : m));
    return { game: { types, fees: types, gammaU: gu, gammaPi: gp }, q };
  });

describe('LP duality on the design LP P_q (MODEL.md A.2.2)', () => {
  it('primal V(q) = dual Σ_ω p(ω) q(ω) from HiGHS row duals; the duals are dual feasible', async () => {
    const h = await highsSolver();
    fc.assert(
      fc.property(market, ({ game, q }) => {
        const lp = buildDesignLp(game, q);
        const sol = h.solve(lp, { duals: true });
        const y = sol.rowDual as Float64Array;
        const N = game.types.length;
        // Obedience rows have right-hand side 0, so only the resource rows enter the dual objective.
        let dualObjective = 0;
        for (let w = 0; w < N; w++) dualObjective += y[w] * q[w];
        const scale = Math.max(1, Math.abs(sol.objective));
        expect(Math.abs(sol.objective - dualObjective)).toBeLessThanOrEqual(1e-8 * scale);
        // Dual feasibility of a max LP with x ≥ 0: c_j ≤ (Aᵀy)_j; ≥ rows carry y ≤ 0.
        const aty = new Float64Array(lp.cost.length);
        lp.rows.forEach((r, i) => r.indices.forEach((j, t) => (aty[j] += r.values[t] * y[i])));
        lp.cost.forEach((c, j) => expect(c - aty[j]).toBeLessThanOrEqual(1e-8 * scale));
        for (let i = N; i < lp.rows.length; i++) expect(y[i]).toBeLessThanOrEqual(1e-8 * scale);
        // Complementary slackness on the columns: x_j > 0 ⇒ reduced cost 0.
        lp.cost.forEach((c, j) => {
          if (sol.x[j] > 1e-7) expect(Math.abs(c - aty[j])).toBeLessThanOrEqual(1e-7 * scale);
        });
      }),
      { numRuns: 150, seed: 21 },
    );
  });
});

describe('orderings the papers prove', () => {
  it('leakage: I_i(A) is monotone in A and bounded by Σ_ii (AMMO §2: posterior variance ≥ 0)', () => {
    const spd = fc
      .tuple(fc.integer({ min: 2, max: 6 }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 36, maxLength: 36 }), fc.double({ min: 0.05, max: 5, noNaN: true }))
      .map(([n, b, tau2]) => {
        // Σ = BBᵀ + 0.01 Id is positive definite.
        const S = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
          let s = i === j ? 0.01 : 0;
          for (let k = 0; k < n; k++) s += b[i * 6 + k] * b[j * 6 + k];
          return s;
        }));
        return { S, n, tau2 };
      });
    fc.assert(
      fc.property(spd, fc.nat(), fc.nat(), ({ S, n, tau2 }, m1, m2) => {
        const full = (1 << n) - 1;
        const small = m1 & full;
        const large = small | (m2 & full);
        const set = (m: number): number[] => Array.from({ length: n }, (_, i) => i).filter((i) => (m >> i) & 1);
        const Sigma = matFrom(S);
        const a = leakageAll(Sigma, tau2, set(small));
        const b = leakageAll(Sigma, tau2, set(large));
        for (let i = 0; i < n; i++) {
          const tol = 1e-10 * S[i][i];
          expect(a[i]).toBeGreaterThanOrEqual(-tol);
          expect(a[i]).toBeLessThanOrEqual(b[i] + tol);
          expect(b[i]).toBeLessThanOrEqual(S[i][i] + tol);
        }
      }),
      { numRuns: 400, seed: 22 },
    );
  });

  it('intermediation: the constrained-efficient welfare Wo is at least every equilibrium welfare (GLP)', async () => {
    const samples = fc.sample(market, { numRuns: 12, seed: 23 });
    for (const { game, q } of samples) {
      const s = validateScenario({ name: 'm', model: 'intermediation', types: game.types, mass: q, weights: { consumer: game.gammaU, merchant: game.gammaPi }, reservationUtility: 0.2 });
      const r = (await solveScenario(s)) as { equilibria: { welfare: number }[]; constrainedEfficient?: { welfare: number } };
      expect(r.constrainedEfficient, 'DESIGN.md §4: solve reports constrainedEfficient').toBeDefined();
      const wo = r.constrainedEfficient?.welfare ?? NaN;
      for (const e of r.equilibria) expect(e.welfare).toBeLessThanOrEqual(wo + 1e-9 * Math.max(1, Math.abs(wo)));
    }
  });

  it('leakage: the first-best surplus is at least the equilibrium surplus (AMMO)', async () => {
    const samples = fc.sample(fc.tuple(fc.double({ min: -0.9, max: 0.9, noNaN: true }), fc.double({ min: 0, max: 0.9, noNaN: true }), fc.array(fc.double({ min: 0, max: 4, noNaN: true }), { minLength: 3, maxLength: 3 })), { numRuns: 40, seed: 24 });
    for (const [r1, r2, v] of samples) {
      const S = [[1, r1 * 0.5, 0.1], [r1 * 0.5, 1, r2 * 0.5], [0.1, r2 * 0.5, 1]];
      const s = validateScenario({ name: 'l', model: 'leakage', covariance: S, privacyValues: v });
      const out = (await solveScenario(s)) as { equilibrium: { socialSurplus: number }; firstBest: { socialSurplus: number } };
      expect(out.equilibrium.socialSurplus).toBeLessThanOrEqual(out.firstBest.socialSurplus + 1e-9 * Math.max(1, Math.abs(out.firstBest.socialSurplus)));
    }
  });
});
