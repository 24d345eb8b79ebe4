/**
 * Points of the checker's listed equilibrium sets near a run's records (GLP, one platform). An entry of `solve`'s
 * `equilibria` stands for a set when it carries `continuum` (one indifferent type: the records of `type` anywhere in
 * [from, to], the others as reported) or `region` (the coordinate extents [lower, upper] of its interior types, and
 * with `segment` the set's two ends). A run that rests inside such a set at another point than the reported one is
 * still at an equilibrium; `simulate` compares it with the set's points these functions propose, each verified by the
 * fixed-q support LP (`nearestSupport`), so a proposal that is not an equilibrium never matches.
 */
/** The parts of a listed entry (solve's JSON) that describe its set. */
export interface ListedEntry {
  records: number[];
  continuum?: { type: number; from: number; to: number };
  region?: { types: number[]; lower: number[]; upper: number[]; segment?: { from: number[]; to: number[]; cone: boolean } };
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/**
 * Candidate points of the entry's set nearest `q` (max norm), best first: for a continuum the exact nearest point
 * (its type's records clamped to [from, to]); for a region, q clamped to the extents box (exact when the set is the
 * box, else only a candidate), for a segment (not a cone) the point of the segment nearest q (Euclidean), and for
 * a ray (the cone over a segment of length 0) the point of the ray nearest q in its moving types. A point entry
 * proposes itself. Types outside the set's moving types keep the entry's records.
 */
export function pointsNear(entry: ListedEntry, q: number[]): number[][] {
  const base = entry.records;
  if (entry.continuum) {
    const { type, from, to } = entry.continuum;
    return [base.map((x, w) => (w === type ? clamp(q[w], Math.min(from, to), Math.max(from, to)) : x))];
  }
  const region = entry.region;
  if (!region) return [base];
  const boxed = [...base];
  region.types.forEach((w, i) => (boxed[w] = clamp(q[w], region.lower[i], region.upper[i])));
  const out = [boxed];
  const seg = region.segment;
  if (seg?.cone && seg.from.every((x, w) => x === seg.to[w])) {
    // a ray (a cone over one point z): λz with λ = ⟨q, z⟩ / |z|² clamped to the extents
    const z = seg.from;
    const zz = region.types.reduce((acc, w) => acc + z[w] * z[w], 0);
    const top = Math.min(...region.types.map((w, i) => (z[w] > 0 ? region.upper[i] / z[w] : Infinity)));
    const lambda = zz > 0 ? clamp(region.types.reduce((acc, w) => acc + z[w] * q[w], 0) / zz, 0, top) : 0;
    out.push(base.map((x, w) => (region.types.includes(w) ? lambda * z[w] : x)));
  } else if (seg && !seg.cone) {
    const d = seg.to.map((x, w) => x - seg.from[w]);
    const dd = d.reduce((s, x) => s + x * x, 0);
    const s = dd > 0 ? clamp(d.reduce((acc, x, w) => acc + x * (q[w] - seg.from[w]), 0) / dd, 0, 1) : 0;
    out.push(seg.from.map((x, w) => x + s * d[w]));
  }
  return out;
}

/** The max-norm distance between two record vectors. */
export function maxDistance(a: number[], b: number[]): number {
  return Math.max(0, ...a.map((x, w) => Math.abs(x - b[w])));
}
