/** NearGrid (the slice search's seen vertices) against the linear scan it replaced. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NearGrid } from '../../src/model/intermediation/nearGrid.js';

const scan = (tol: number) => {
  const seen: Array<[number, number]> = [];
  return (p: [number, number]): boolean => {
    if (seen.some((s) => Math.abs(s[0] - p[0]) <= tol && Math.abs(s[1] - p[1]) <= tol)) return false;
    seen.push(p);
    return true;
  };
};

describe('NearGrid', () => {
  it('adds exactly the points the linear scan adds, in any order (clusters within and just beyond tol, negative coordinates, tol 0)', () => {
    const coord = fc.oneof(fc.double({ min: -2, max: 2, noNaN: true }), fc.integer({ min: -6, max: 6 }).map((k) => k * 1e-9));
    fc.assert(
      fc.property(fc.constantFrom(0, 1e-9, 1e-3), fc.array(fc.tuple(coord, coord), { maxLength: 60 }), fc.array(fc.nat(59), { maxLength: 60 }), (tol, pts, repeats) => {
        // repeats: points seen again, and nudged by tol exactly (within) and by 2·tol (beyond)
        const all: Array<[number, number]> = [...pts];
        for (const r of repeats) if (pts.length) {
          const [x, y] = pts[r % pts.length];
          all.push([x, y], [x + tol, y - tol], [x + 2 * tol, y]);
        }
        const grid = new NearGrid(tol);
        const ref = scan(tol);
        for (const p of all) expect(grid.addIfFar(p)).toBe(ref(p));
      }),
      { numRuns: 300 },
    );
  });
});
