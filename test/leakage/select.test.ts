/** maxWithTiesIn (array fast path) against maxWithTies (callback path) on random arrays with many exact ties. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maxWithTies, maxWithTiesIn } from '../../src/checker/leakage/select.js';

describe('maxWithTiesIn', () => {
  it('same max, count and kept indices as maxWithTies, with and without a preference', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 700 }), (xs) => {
        const arr = Float64Array.from(xs, (x) => x / 7);
        const prefer = (a: number, b: number): number => b - a; // prefer larger indices
        for (const p of [undefined, prefer]) {
          const a = maxWithTiesIn(arr, p);
          const b = maxWithTies(arr.length, (i) => arr[i], p);
          expect(a).toEqual(b);
          // Independent check of the count: the maximum is exact (no round-off between equal entries).
          expect(a.count).toBe(xs.filter((x) => x === Math.max(...xs)).length);
        }
      }),
      { numRuns: 200 },
    );
  });
});
