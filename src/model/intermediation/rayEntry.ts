/**
 * Where a ray enters its set of equilibria (homogeneous faces: each ray's equilibria are {λ ≥ λ*}): λ* as a share of
 * the reported point by bisection on `passes(share)`, or undefined when the verdicts at 0.1, …, 0.9 of it are not
 * monotone (a point within the tolerance of a ray but off it). Used by e2Pairs.ts, e2MultiPairs.ts and e2Volumes.ts.
 */
export function rayEntry(passes: (share: number) => boolean): number | undefined {
  const grid = Array.from({ length: 9 }, (_, k) => passes((k + 1) / 10));
  if (!grid.every((g, k) => k === 0 || !grid[k - 1] || g)) return undefined;
  let [lo, hi] = [0, 1];
  for (let k = 0; k < 50 && hi - lo > 1e-10; k++) {
    const mid = (lo + hi) / 2;
    if (passes(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
