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
