import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { solveBimatrix, lemkeHowson } from '../../src/model/game/bimatrix.js';

/** Independent check of the definition: no pure strategy beats the mixed one against the opponent's mix. */
function regret(A: number[][], B: number[][], x: number[], y: number[]): number {
  const m = A.length;
  const n = A[0].length;
  let u1 = 0;
  let u2 = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    u1 += x[i] * y[j] * A[i][j];
    u2 += x[i] * y[j] * B[i][j];
  }
  let r = 0;
  for (let i = 0; i < m; i++) r = Math.max(r, A[i].reduce((s, a, j) => s + a * y[j], 0) - u1);
  for (let j = 0; j < n; j++) r = Math.max(r, A.reduce((s, _, i) => s + B[i][j] * x[i], 0) - u2);
  return r;
}

describe('bimatrix Nash equilibrium (Lemke–Howson, lexicographic)', () => {
  it('matching pennies: the unique equilibrium is ½–½', () => {
    const A = [[1, -1], [-1, 1]];
    const B = A.map((r) => r.map((a) => -a));
    const e = solveBimatrix(A, B);
    e.x.forEach((p) => expect(p).toBeCloseTo(0.5, 12));
    e.y.forEach((p) => expect(p).toBeCloseTo(0.5, 12));
    expect(e.rowPayoff).toBeCloseTo(0, 12);
  });

  it('rock–paper–scissors: uniform ⅓', () => {
    const A = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]];
    const B = A.map((r) => r.map((a) => -a));
    const e = solveBimatrix(A, B);
    [...e.x, ...e.y].forEach((p) => expect(p).toBeCloseTo(1 / 3, 12));
  });

  it('2×2 games with a unique completely mixed equilibrium: the closed form by indifference', () => {
    // A = [[a, 0], [0, b]] for the row player, B = [[0, c], [d, 0]]: no pure equilibrium; indifference gives
    // y_1 = b/(a+b), x_1 = d/(c+d).
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), (a, b, c, d) => {
        const e = solveBimatrix([[a, 0], [0, b]], [[0, c], [d, 0]]);
        expect(e.y[0]).toBeCloseTo(b / (a + b), 10);
        expect(e.x[0]).toBeCloseTo(d / (c + d), 10);
      }),
      { numRuns: 40 },
    );
  });

  it('every Lemke–Howson path of random (often degenerate) integer games ends at an equilibrium', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 72, maxLength: 72 }),
        (m, n, vals) => {
          const A = [...Array(m)].map((_, i) => [...Array(n)].map((_, j) => vals[i * n + j]));
          const B = [...Array(m)].map((_, i) => [...Array(n)].map((_, j) => vals[36 + i * n + j]));
          for (let k = 0; k < m + n; k++) {
            const s = lemkeHowson(A, B, k);
            expect(s).not.toBeNull();
            if (s) expect(regret(A, B, s.x, s.y)).toBeLessThan(1e-9);
          }
          const e = solveBimatrix(A, B);
          expect(regret(A, B, e.x, e.y)).toBeLessThan(1e-9);
          expect(e.x.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a constant game: any strategy is an equilibrium and one is returned', () => {
    const e = solveBimatrix([[2, 2], [2, 2]], [[5, 5], [5, 5]]);
    expect(e.gap).toBe(0);
  });
});
