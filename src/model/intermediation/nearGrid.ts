type Pt = readonly [number, number];

/**
 * Points kept apart by more than `tol` in some coordinate, hashed by cells of side 2·tol (a point within `tol` of
 * another lies in one of its 3 × 3 neighbouring cells, also after rounding: side tol was not enough — (−5e-324, 0) and
 * (1e-9, −1e-9) are 1e-9 apart in floating point, two cells apart at side 1e-9): the vertex loop met each of its L² intersections against
 * every vertex seen (sliceSearch.ts), a twelfth of the E2 benchmark's time.
 */
export class NearGrid {
  private readonly cells = new Map<number, Pt[]>();
  constructor(private readonly tol: number) {}

  /** Adds p unless a point within `tol` in both coordinates is there; says whether it was added. */
  addIfFar(p: Pt): boolean {
    // tol 0 (all records 0): exact matches only, in one cell
    const side = 2 * this.tol;
    const ix = side > 0 ? Math.floor(p[0] / side) : 0;
    const iy = side > 0 ? Math.floor(p[1] / side) : 0;
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        // distinct cells may share a key (beyond 2^53): harmless, the points themselves are compared
        const bucket = this.cells.get((ix + dx) * 4294967296 + (iy + dy));
        if (bucket?.some((s) => Math.abs(s[0] - p[0]) <= this.tol && Math.abs(s[1] - p[1]) <= this.tol)) return false;
      }
    }
    const key = ix * 4294967296 + iy;
    const bucket = this.cells.get(key);
    if (bucket) bucket.push(p);
    else this.cells.set(key, [p]);
    return true;
  }
}
