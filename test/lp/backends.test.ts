import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  highsSolver,
  jsLpSolver,
  LpInfeasibleError,
  LpLimitError,
  LpSolverError,
  LpUnboundedError,
  type LinearProgram,
} from '../../src/lp/index.js';
import { buildDesignLp } from '../../src/model/intermediation/designLp.js';

// max 3x + 2y  s.t. x + y ≤ 4, x + 3y ≤ 6, 0 ≤ x ≤ 3: optimum (3, 1), value 11 (by hand: both rows bind).
const small: LinearProgram = {
  sense: 'max',
  cost: [3, 2],
  colLower: [0, 0],
  colUpper: [3, Infinity],
  rows: [
    { indices: [0, 1], values: [1, 1], lower: -Infinity, upper: 4 },
    { indices: [0, 1], values: [1, 3], lower: -Infinity, upper: 6 },
  ],
};

describe('LP backends', () => {
  it('agree on a hand-solved LP', async () => {
    const h = await highsSolver();
    for (const s of [h, jsLpSolver()]) {
      const r = s.solve(small);
      expect(r.objective).toBeCloseTo(11, 10);
      expect(r.x[0]).toBeCloseTo(3, 10);
      expect(r.x[1]).toBeCloseTo(1, 10);
    }
  });

  it('highs row duals are ∂(value)/∂(bound): a ≥ row in a max problem has a negative dual', async () => {
    const h = await highsSolver();
    // max −x s.t. x ≥ 2: value −2, raising the bound by 1 lowers the value by 1.
    const lp: LinearProgram = { sense: 'max', cost: [-1], colLower: [0], colUpper: [Infinity], rows: [{ indices: [0], values: [1], lower: 2, upper: Infinity }] };
    const r = h.solve(lp, { duals: true });
    expect(r.objective).toBeCloseTo(-2, 12);
    expect(r.rowDual?.[0]).toBeCloseTo(-1, 12);
    // max x + y s.t. 2x + y ≤ 4: y = 4, value 4 = 1·bound, so the dual is 1.
    const lp2: LinearProgram = { sense: 'max', cost: [1, 1], colLower: [0, 0], colUpper: [Infinity, Infinity], rows: [{ indices: [0, 1], values: [2, 1], lower: -Infinity, upper: 4 }] };
    expect(h.solve(lp2, { duals: true }).rowDual?.[0]).toBeCloseTo(1, 12);
  });

  it('turns infeasible and unbounded outcomes into typed errors (both backends)', async () => {
    const h = await highsSolver();
    const unb: LinearProgram = { sense: 'max', cost: [1], colLower: [0], colUpper: [Infinity], rows: [{ indices: [0], values: [1], lower: 2, upper: Infinity }] };
    const inf: LinearProgram = { ...unb, rows: [...unb.rows, { indices: [0], values: [1], lower: -Infinity, upper: 1 }] };
    for (const s of [h, jsLpSolver()]) {
      expect(() => s.solve(unb)).toThrow(LpUnboundedError);
      expect(() => s.solve(inf)).toThrow(LpInfeasibleError);
    }
    expect(() => jsLpSolver().solve(small, { duals: true })).toThrow(LpSolverError);
  });

  it('solveEach applies each variant to the base LP (highs and js agree)', async () => {
    const h = await highsSolver();
    const variants = [
      { rowBounds: [{ row: 0, lower: -Infinity, upper: 3 }] }, // x=3,y=0 → 9
      {},
      { sense: 'min' as const, cost: [1, 1] }, // 0
      { rowBounds: [{ row: 0, lower: 5, upper: Infinity }] }, // x+y ≥ 5 with x ≤ 3, x+3y ≤ 6: infeasible
    ];
    const a = h.solveEach(small, variants);
    const b = jsLpSolver().solveEach(small, variants);
    expect(a.slice(0, 3)).toEqual([expect.closeTo(9, 9), expect.closeTo(11, 9), expect.closeTo(0, 9)]);
    expect(b.slice(0, 3)).toEqual([expect.closeTo(9, 9), expect.closeTo(11, 9), expect.closeTo(0, 9)]);
    expect(a[3]).toBeInstanceOf(LpInfeasibleError);
    expect(b[3]).toBeInstanceOf(LpInfeasibleError);
  });

  it('random small LPs: both backends give the same optimal value', async () => {
    const h = await highsSolver();
    const arb = fc.record({
      cost: fc.array(fc.integer({ min: -5, max: 9 }), { minLength: 3, maxLength: 3 }),
      rows: fc.array(
        fc.record({ values: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 3, maxLength: 3 }), upper: fc.integer({ min: 1, max: 20 }) }),
        { minLength: 1, maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(arb, ({ cost, rows }) => {
        // a box row keeps every instance bounded
        const lp: LinearProgram = {
          sense: 'max',
          cost,
          colLower: [0, 0, 0],
          colUpper: [Infinity, Infinity, Infinity],
          rows: [
            ...rows.map((r) => ({ indices: [0, 1, 2], values: r.values, lower: -Infinity, upper: r.upper })),
            { indices: [0, 1, 2], values: [1, 1, 1], lower: -Infinity, upper: 10 },
          ],
        };
        expect(jsLpSolver().solve(lp).objective).toBeCloseTo(h.solve(lp).objective, 7);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('javascript-lp-solver on negative, free and upper-only columns and zero coefficients: hand cases (review)', () => {
    const js = jsLpSolver();
    const I = Infinity;
    // max −x, 0 ≤ x ≤ 3 as a row, x ≥ −1: 0 at x = 0 (the library's `unrestricted` returned x = −1)
    const a = js.solve({ sense: 'max', cost: [-1], colLower: [-1], colUpper: [I], rows: [{ indices: [0], values: [1], lower: 0, upper: 3 }] });
    expect(a.objective).toBe(0);
    expect(a.x[0]).toBe(0);
    // max −x − y, 0 ≤ x + y ≤ 3, x ≥ −1, y free: 0 (was "unbounded")
    expect(js.solve({ sense: 'max', cost: [-1, -1], colLower: [-1, -I], colUpper: [I, I], rows: [{ indices: [0, 1], values: [1, 1], lower: 0, upper: 3 }] }).objective).toBeCloseTo(0, 12);
    // min x, x − y = −3, x free, 0 ≤ y ≤ 2: −3 at (−3, 0) (was "infeasible")
    expect(Array.from(js.solve({ sense: 'min', cost: [1, 0], colLower: [-I, 0], colUpper: [I, 2], rows: [{ indices: [0, 1], values: [1, -1], lower: -3, upper: -3 }] }).x)).toEqual([-3, 0]);
    // only an upper bound: max x with x ≤ −2 is −2
    expect(js.solve({ sense: 'max', cost: [1], colLower: [-I], colUpper: [-2], rows: [] }).objective).toBe(-2);
    // max −x, 2x = 5 and 0·x ≤ 2: −2.5 (the zero coefficient made it "infeasible"); 0·x ≥ 1 cannot hold
    const zero = (lower: number, upper: number): LinearProgram => ({ sense: 'max', cost: [-1], colLower: [0], colUpper: [I], rows: [{ indices: [0], values: [2], lower: 5, upper: 5 }, { indices: [0], values: [0], lower, upper }] });
    expect(js.solve(zero(-I, 2)).objective).toBe(-2.5);
    expect(() => js.solve(zero(1, I))).toThrow(LpInfeasibleError);
  });

  it('random LPs with negative, free and boxed columns and ≤, ≥, = and range rows: both backends, same verdict and value', async () => {
    const h = await highsSolver();
    const js = jsLpSolver();
    const I = Infinity;
    const col = fc.constantFrom<[number, number]>([0, I], [-1, I], [-I, I], [-I, 2], [-2, 4], [0, 4]);
    const row = fc.record({ values: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 }), b: fc.integer({ min: -2, max: 6 }), kind: fc.nat(3) });
    const verdict = (s: typeof h, lp: LinearProgram): number | string => {
      try {
        return s.solve(lp).objective;
      } catch (e) {
        if (e instanceof LpInfeasibleError || e instanceof LpUnboundedError) return e.name;
        throw e;
      }
    };
    let optimal = 0;
    fc.assert(
      fc.property(fc.array(col, { minLength: 3, maxLength: 3 }), fc.array(row, { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 }), fc.boolean(), (cols, rows, cost, max) => {
        const lp: LinearProgram = {
          sense: max ? 'max' : 'min',
          cost,
          colLower: cols.map((c) => c[0]),
          colUpper: cols.map((c) => c[1]),
          rows: rows.map(({ values, b, kind }) => ({ indices: [0, 1, 2], values, lower: kind === 0 ? -I : kind === 3 ? b - 2 : b, upper: kind === 1 ? I : b })),
        };
        const [hv, jv] = [verdict(h, lp), verdict(js, lp)];
        if (typeof hv === 'number' && typeof jv === 'number') {
          optimal++;
          expect(jv).toBeCloseTo(hv, 7);
        } else expect(jv).toBe(hv);
      }),
      { numRuns: 400, seed: 11 },
    );
    expect(optimal).toBeGreaterThan(50);
  });
});

describe('HiGHS time limit (SolveOptions.timeLimit)', () => {
  // design LPs of 30 types (~20 ms each warm), on the solver's one reused model
  const types = Array.from({ length: 30 }, (_, k) => 1 + k / 7);
  const game = { types, fees: types, gammaU: 0.7, gammaPi: 0.3 };
  const lp = (k: number) => buildDesignLp(game, types.map((_, w) => 0.1 + ((w * 7 + k) % 11) / 10));

  it('a limit that cannot be met is a typed error, never a number', async () => {
    const h = await highsSolver();
    expect(() => h.solve(lp(99), { timeLimit: 1e-7 })).toThrow(LpLimitError);
    // and the next solve without a limit is not limited
    expect(h.solve(lp(98)).objective).toBeGreaterThan(0);
  });

  it('applies to each solve, not to the run time accumulated on the reused model (HiGHS counts from its last clock reset)', async () => {
    const h = await highsSolver();
    for (let k = 0; k < 5; k++) h.solve(lp(k));
    const t0 = performance.now();
    for (let k = 0; k < 20; k++) h.solve(lp(k));
    const one = (performance.now() - t0) / 20 / 1000;
    // a limit 20× one solve, and solves together worth 3× the limit: without the reset, all after the first ~20 failed
    const limit = Math.max(0.05, 20 * one);
    const n = Math.ceil((3 * limit) / one);
    for (let k = 0; k < n; k++) expect(h.solve(lp(k), { timeLimit: limit }).objective).toBeGreaterThan(0);
  });
});
