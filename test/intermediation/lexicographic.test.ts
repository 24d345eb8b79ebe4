/**
 * lexicographicSolve: with HiGHS's row duals each stage runs on the previous stage's optimal face (complementary
 * slackness); without duals each optimum is kept as a row with a 1e-9 slack. Checked against
 *  - a hand example where the slack rows are bought at a huge exchange rate (exact answer 0, slack answer 1);
 *  - the slack rows on javascript-lp-solver (the second backend) on random small LPs: the same stage values.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { highsSolver, jsLpSolver, LpInfeasibleError, type LinearProgram, type LpSolver } from '../../src/lp/index.js';
import { lexicographicSolve, newFaceCache } from '../../src/model/intermediation/lexicographic.js';
import { buildDesignLp } from '../../src/model/intermediation/designLp.js';

describe('lexicographicSolve on optimal faces', () => {
  it('a later stage cannot buy its objective with a sliver of the earlier one', async () => {
    // max x1 s.t. x1 + x2 ≤ 1, then max 1e9·x2: the first optimum is x = (1, 0) alone (x2 has reduced cost −1),
    // so the second stage's value is 0; slack rows (x1 ≥ 1 − 1e-9) would let it reach 1e9·1e-9 = 1
    const h = await highsSolver();
    const lp: LinearProgram = { sense: 'max', cost: [1, 0], colLower: [0, 0], colUpper: [Infinity, Infinity], rows: [{ indices: [0, 1], values: [1, 1], lower: -Infinity, upper: 1 }] };
    const [first, second] = lexicographicSolve(h, lp, [
      [1, 0],
      [0, 1e9],
    ]);
    expect(first.objective).toBeCloseTo(1, 12);
    expect(second.objective).toBe(0);
    const slack = lexicographicSolve(jsLpSolver(), lp, [
      [1, 0],
      [0, 1e9],
    ]);
    expect(slack[1].objective).toBeCloseTo(1, 3);
  });

  it('a binding row becomes an equality for the next stage: max x1 (x1 ≤ 1), then max x2 (x1 + x2 ≤ 5) gives (1, 4)', async () => {
    const h = await highsSolver();
    const lp: LinearProgram = {
      sense: 'max',
      cost: [1, 0],
      colLower: [0, 0],
      colUpper: [Infinity, Infinity],
      rows: [
        { indices: [0], values: [1], lower: -Infinity, upper: 1 },
        { indices: [0, 1], values: [1, 1], lower: -Infinity, upper: 5 },
      ],
    };
    const out = lexicographicSolve(h, lp, [
      [1, 0],
      [-1, 1],
    ]);
    expect(Array.from(out[1].x)).toEqual([1, 4].map((v) => expect.closeTo(v, 12)));
  });

  it('a binding ≥ row (dual < 0) also becomes an equality: max −x1 − x2 (x1 + x2 ≥ 1), then max x2 gives (0, 1) exactly', async () => {
    // slack rows would allow x1 + x2 ≤ 1 + 1e-9 and so x2 = 1 + 1e-9
    const h = await highsSolver();
    const lp: LinearProgram = { sense: 'max', cost: [-1, -1], colLower: [0, 0], colUpper: [Infinity, Infinity], rows: [{ indices: [0, 1], values: [1, 1], lower: 1, upper: Infinity }] };
    const out = lexicographicSolve(h, lp, [
      [-1, -1],
      [0, 1],
    ]);
    expect(out[1].objective).toBeCloseTo(1, 13);
    expect(out[1].x[0]).toBeCloseTo(0, 13);
  });

  it('duals off by 5e-8 (within HiGHS\'s loose tolerance) do not cut the face too small: the slack rows take over', async () => {
    // review: max x1 + x2 (x1 + x2 ≤ 1, 0 ≤ x2 ≤ 5), then max x2 — the optimal set is the whole segment, so the
    // second value is 1; a dual of −5e-8 on x2's row made x2 look fixed at 0 and gave 0, unnoticed by the final check
    const h = await highsSolver();
    const noisy: LpSolver = {
      name: 'highs',
      providesDuals: true,
      solveEach: (lp, v, o) => h.solveEach(lp, v, o),
      solve: (lp, o) => {
        const s = h.solve(lp, o);
        if (s.rowDual) s.rowDual[1] -= 5e-8;
        return s;
      },
    };
    const lp: LinearProgram = {
      sense: 'max',
      cost: [1, 1],
      colLower: [0, 0],
      colUpper: [Infinity, Infinity],
      rows: [
        { indices: [0, 1], values: [1, 1], lower: -Infinity, upper: 1 },
        { indices: [1], values: [1], lower: 0, upper: 5 },
      ],
    };
    const out = lexicographicSolve(noisy, lp, [
      [1, 1],
      [0, 1],
    ]);
    expect(out[1].objective).toBeCloseTo(1, 8);
  });

  it('random LPs: the same stage values as slack rows on javascript-lp-solver, and the final point keeps every stage', async () => {
    const h = await highsSolver();
    const js = jsLpSolver();
    const coef = fc.integer({ min: -3, max: 3 });
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }), { minLength: 2, maxLength: 3 }), fc.array(fc.array(coef, { minLength: 4, maxLength: 4 }), { minLength: 2, maxLength: 3 }), (A, costs) => {
        // Σ_j A_ij x_j ≤ 1 + i with x ≥ 0, and Σ x ≤ 3 (bounded)
        const rows = [...A.map((a, i) => ({ indices: [0, 1, 2, 3], values: a, lower: -Infinity, upper: 1 + i })), { indices: [0, 1, 2, 3], values: [1, 1, 1, 1], lower: -Infinity, upper: 3 }];
        const lp: LinearProgram = { sense: 'max', cost: costs[0], colLower: [0, 0, 0, 0], colUpper: [Infinity, Infinity, Infinity, Infinity], rows };
        const faces = lexicographicSolve(h, lp, costs);
        const slack = lexicographicSolve(js, lp, costs);
        const x = faces[faces.length - 1].x;
        faces.forEach((s, k) => {
          expect(s.objective).toBeCloseTo(slack[k].objective, 6);
          expect(costs[k].reduce((acc, c, j) => acc + c * x[j], 0)).toBeCloseTo(s.objective, 8);
        });
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});

describe('lexicographicSolve stops solving once the optimal face is a point', () => {
  const counting = (h: LpSolver) => {
    const calls = { n: 0 };
    const s: LpSolver = { name: h.name, providesDuals: h.providesDuals, solveEach: (lp, v, o) => h.solveEach(lp, v, o), solve: (lp, o) => (calls.n++, h.solve(lp, o)) };
    return { s, calls };
  };

  it('bounds: max x1 + x2 on [0, 1]² is (1, 1) alone, so max x2 − x1 next is 0 without a second LP', async () => {
    const { s, calls } = counting(await highsSolver());
    const lp: LinearProgram = { sense: 'max', cost: [1, 1], colLower: [0, 0], colUpper: [1, 1], rows: [] };
    const out = lexicographicSolve(s, lp, [
      [1, 1],
      [-1, 1],
    ]);
    expect(calls.n).toBe(1);
    expect(out.map((o) => o.objective)).toEqual([expect.closeTo(2, 12), expect.closeTo(0, 12)]);
  });

  it('equality rows of full rank: x1 + x2 = 1, x1 − x2 = 0 pin (1/2, 1/2); a zero first cost leaves both columns free', async () => {
    const { s, calls } = counting(await highsSolver());
    const lp: LinearProgram = {
      sense: 'max',
      cost: [0, 0],
      colLower: [0, 0],
      colUpper: [Infinity, Infinity],
      rows: [
        { indices: [0, 1], values: [1, 1], lower: 1, upper: 1 },
        { indices: [0, 1], values: [1, -1], lower: 0, upper: 0 },
      ],
    };
    const out = lexicographicSolve(s, lp, [
      [0, 0],
      [1, 2],
      [3, -1],
    ]);
    expect(calls.n).toBe(1);
    expect(out.map((o) => o.objective)).toEqual([0, 1.5, 1].map((v) => expect.closeTo(v, 12)));
  });

  it('a face that is a segment is not taken for a point: x1 + x2 = 1 alone, then max x2 is solved (value 1)', async () => {
    const { s, calls } = counting(await highsSolver());
    const lp: LinearProgram = { sense: 'max', cost: [0, 0], colLower: [0, 0], colUpper: [Infinity, Infinity], rows: [{ indices: [0, 1], values: [1, 1], lower: 1, upper: 1 }] };
    const out = lexicographicSolve(s, lp, [
      [0, 0],
      [0, 1],
    ]);
    expect(calls.n).toBe(2);
    expect(out[1].objective).toBeCloseTo(1, 12);
  });
});

describe('lexicographicSolve: rows dependent up to rounding are not a point (review)', () => {
  it('x₁ − x₂ = 0 and (1000.3 − 1000.2)·x₁ − 0.1·x₂ = 0 on [0, 10]²: the face is the diagonal, so max x₁ + x₂ is 20', async () => {
    // the second row is 0.1·(x₁ − x₂) up to 2e-14; SVD's own rank (cut ~1e-16·s₀) called the face the point 0
    const h = await highsSolver();
    const lp: LinearProgram = {
      sense: 'max',
      cost: [0, 0],
      colLower: [0, 0],
      colUpper: [10, 10],
      rows: [
        { indices: [0, 1], values: [1, -1], lower: 0, upper: 0 },
        { indices: [0, 1], values: [1000.3 - 1000.2, -0.1], lower: 0, upper: 0 },
      ],
    };
    const out = lexicographicSolve(h, lp, [
      [0, 0],
      [1, 1],
    ]);
    expect(out[1].objective).toBeCloseTo(20, 6);
  });
});

describe('lexicographicSolve with a face cache (the same LP at other bounds)', () => {
  const counting = (h: LpSolver) => {
    const calls = { n: 0 };
    const s: LpSolver = { name: h.name, providesDuals: h.providesDuals, solveEach: (lp, v, o) => h.solveEach(lp, v, o), solve: (lp, o) => (calls.n++, h.solve(lp, o)) };
    return { s, calls };
  };
  // x ≥ 0, x1 + x2 = b, x1 ≤ c; max x1, then max x2: x = (b, 0) when b ≤ c, else (c, b − c)
  const lp = (b: number, c: number): LinearProgram => ({
    sense: 'max',
    cost: [1, 0],
    colLower: [0, 0],
    colUpper: [Infinity, Infinity],
    rows: [
      { indices: [0, 1], values: [1, 1], lower: b, upper: b },
      { indices: [0], values: [1], lower: -Infinity, upper: c },
    ],
  });
  const costs = [
    [1, 0],
    [0, 1],
  ];

  it('a face met before gives the point without an LP inside its piece, and is not used outside it', async () => {
    const { s, calls } = counting(await highsSolver());
    const cache = newFaceCache();
    const run = (b: number, c: number) => Array.from(lexicographicSolve(s, lp(b, c), costs, { cache, family: 'f' })[1].x);
    expect(run(1, 2)).toEqual([1, 0].map((v) => expect.closeTo(v, 12)));
    const first = calls.n;
    expect(first).toBeGreaterThan(0);
    // same piece (b ≤ c): no LP
    expect(run(1.5, 2)).toEqual([1.5, 0].map((v) => expect.closeTo(v, 12)));
    expect(calls.n).toBe(first);
    // the other piece: the first face's point (3, 0) breaks x1 ≤ 2, so the LPs run, and their face is kept too
    expect(run(3, 2)).toEqual([2, 1].map((v) => expect.closeTo(v, 12)));
    const second = calls.n;
    expect(second).toBeGreaterThan(first);
    expect(run(4, 3)).toEqual([3, 1].map((v) => expect.closeTo(v, 12)));
    expect(run(0.5, 3)).toEqual([0.5, 0].map((v) => expect.closeTo(v, 12)));
    expect(calls.n).toBe(second);
    // another family does not see these faces
    lexicographicSolve(s, lp(1, 2), costs, { cache, family: 'g' });
    expect(calls.n).toBeGreaterThan(second);
  });

  it('tiny bounds are judged relative to their size: (b, c) = (1.5e-9, 1e-9) is in the other piece, (1e-9, 0.5e-9)', async () => {
    // an absolute tolerance of 1e-9 accepted the face x = (b, 0) there (x1 over c by 5e-10)
    const { s } = counting(await highsSolver());
    const cache = newFaceCache();
    lexicographicSolve(s, lp(1, 2), costs, { cache, family: 'f' });
    const x = lexicographicSolve(s, lp(1.5e-9, 1e-9), costs, { cache, family: 'f' })[1].x;
    expect(x[0]).toBeCloseTo(1e-9, 18);
    expect(x[1]).toBeCloseTo(0.5e-9, 18);
  });

  it('just past a kink the face of the other side is not stretched: b = c·(1 + 1e-10) gives x2 = b − c, not 0', async () => {
    // the face x = (b, 0) of b ≤ c breaks x1 ≤ c by 1e-10 there; a feasibility tolerance of 1e-9 took it (review:
    // payoffs off by 5e-9 at kinks, above pieceEnds' linearity test)
    const { s } = counting(await highsSolver());
    const cache = newFaceCache();
    lexicographicSolve(s, lp(1, 2), costs, { cache, family: 'f' });
    const x = lexicographicSolve(s, lp(2 * (1 + 1e-10), 2), costs, { cache, family: 'f' })[1].x;
    expect(x[0]).toBeCloseTo(2, 14);
    expect(Math.abs(x[1] - 2e-10)).toBeLessThan(1e-14);
  });

  it('random design LPs of GP at many record vectors (some scaled by 1e-3 and 1e-6): the same stage values as solving afresh, and a feasible point', async () => {
    const h = await highsSolver();
    const rec = fc.array(fc.integer({ min: 0, max: 1000 }).map((k) => k / 1000), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 2 }),
        fc.array(fc.tuple(rec, fc.constantFrom(1, 1e-3, 1e-6)), { minLength: 8, maxLength: 8 }),
        (beta, gammaU, qs) => {
          const game = { types: [1, 2, 3], fees: [1, 2, 3], gammaU, gammaPi: 1 };
          const g = game.fees.flatMap((a) => game.types.map((w, k) => beta[k] * Math.max(w - a, 0)));
          const cache = newFaceCache();
          for (const [q0, scale] of qs) {
            const q = q0.map((x) => x * scale);
            const design = buildDesignLp(game, q);
            const stages = [design.cost, g, ...q.map((_, w) => g.map((c, j) => (j % 3 === w ? c : 0)))];
            const cached = lexicographicSolve(h, design, stages, { cache, family: 'all' });
            const fresh = lexicographicSolve(h, design, stages);
            // the fresh solve's tolerances are absolute (HiGHS at 1e-10, highs.ts), the cache's relative (1e-12)
            const tol = 1e-11 + 1e-9 * Math.max(...q);
            fresh.forEach((f, k) => expect(Math.abs(cached[k].objective - f.objective)).toBeLessThanOrEqual(tol * Math.max(1, ...stages[k].map(Math.abs))));
            // the cached point is feasible: masses and obedience
            const x = cached[cached.length - 1].x;
            for (const r of design.rows) {
              const a = r.indices.reduce((acc, j, t) => acc + r.values[t] * x[j], 0);
              expect(a).toBeGreaterThanOrEqual(r.lower - tol);
              expect(a).toBeLessThanOrEqual(r.upper + tol);
            }
          }
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });
});

describe('lexicographicSolve retries from scratch', () => {
  it('a stage that a warm-started solver calls infeasible is solved again cold (solver.cold), and without cold the error stands', async () => {
    // a stand-in for HiGHS misled by a warm start: every solve outside `cold` says infeasible
    const h = await highsSolver();
    let inCold = false;
    let coldRuns = 0;
    const misled = (withCold: boolean): LpSolver => ({
      name: 'highs',
      providesDuals: true,
      solveEach: (lp, v, o) => h.solveEach(lp, v, o),
      solve: (lp, o) => {
        if (!inCold) throw new LpInfeasibleError('highs', 'infeasible');
        return h.solve(lp, o);
      },
      ...(withCold
        ? {
            cold: <T>(f: () => T): T => {
              coldRuns++;
              inCold = true;
              try {
                return f();
              } finally {
                inCold = false;
              }
            },
          }
        : {}),
    });
    // max x1 on x1 + x2 ≤ 1, then max x2 on that face: (1, 0), values 1 and 0
    const lp: LinearProgram = { sense: 'max', cost: [1, 0], colLower: [0, 0], colUpper: [Infinity, Infinity], rows: [{ indices: [0, 1], values: [1, 1], lower: -Infinity, upper: 1 }] };
    const costs = [
      [1, 0],
      [0, 1],
    ];
    const out = lexicographicSolve(misled(true), lp, costs);
    expect(coldRuns).toBe(1);
    expect(out.map((o) => o.objective)).toEqual([expect.closeTo(1, 12), expect.closeTo(0, 12)]);
    expect(() => lexicographicSolve(misled(false), lp, costs)).toThrow(LpInfeasibleError);
  });
});
