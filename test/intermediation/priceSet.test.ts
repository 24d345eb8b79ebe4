/**
 * solvePriceSet (priceSet.ts): the reported interval of each price contains the reported price and lies within the
 * column's bounds, even where the min and max LPs end at the solver's tolerance (review: [0, −1.5e-14], a lower end
 * above the upper by 6e-14, a reported price outside its interval). A stub solver returns such values; the expected
 * intervals follow from the rule (clip to the bounds, then widen to the point).
 */
import { describe, expect, it } from 'vitest';
import { LpSolverError, type LinearProgram, type LpSolver } from '../../src/lp/index.js';
import { solvePriceSet } from '../../src/model/intermediation/priceSet.js';

function stub(x: number[], range: Array<number | Error>): LpSolver {
  return {
    name: 'highs',
    providesDuals: false,
    solve: () => ({ objective: 0, x: Float64Array.from(x) }),
    solveEach: () => range.map((r) => (r instanceof Error ? new LpSolverError('highs', 'stub') : r)),
  } as unknown as LpSolver;
}

const lp: LinearProgram = { sense: 'max', cost: [0, 0, 0], colLower: [0, 0, 0], colUpper: [Infinity, 5, Infinity], rows: [] };

describe('solvePriceSet: intervals at the solver tolerance', () => {
  it('clipped to the bounds and widened to the reported point', () => {
    // column 0: [0, −1.5e-14] (upper below the bound 0) with the point at 0 → [0, 0]
    // column 1: lower 1 − 6e-14 above upper 1 − 1.2e-13, point 1 − 2e-16 → [1 − 6e-14, 1 − 2e-16]
    // column 2: a failed max LP → the bound (+∞); the point −2.5e-12 below the bound 0 → 0
    const r = solvePriceSet(stub([0, 1 - 2e-16, -2.5e-12], [0, -1.5e-14, 1 - 6e-14, 1 - 1.2e-13, 0.5, new Error('x')]), () => lp, [0, 1, 2]);
    expect(r?.intervals).toEqual([
      { lower: 0, upper: 0 },
      { lower: 1 - 6e-14, upper: 1 - 2e-16 },
      { lower: 0, upper: Infinity },
    ]);
    expect(Array.from(r?.x ?? [])).toEqual([0, 1 - 2e-16, 0]);
    r?.intervals.forEach((iv, k) => {
      expect(iv.lower).toBeLessThanOrEqual(r.x[k]);
      expect(iv.upper).toBeGreaterThanOrEqual(r.x[k]);
    });
  });
  it('a clean answer is unchanged', () => {
    const r = solvePriceSet(stub([0.5, 2, 1], [0.25, 0.75, 1.5, 3, 1, 1]), () => lp, [0, 1, 2]);
    expect(r?.intervals).toEqual([
      { lower: 0.25, upper: 0.75 },
      { lower: 1.5, upper: 3 },
      { lower: 1, upper: 1 },
    ]);
  });
});
