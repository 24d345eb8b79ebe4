/**
 * Knife-edge regions of a slice as few polygons (sliceSearch.ts): where the payoffs are flat, every cell, edge and
 * vertex of the walls' arrangement can pass, and `searchSlice` listed each one — a four-type market with γ = (0, 0)
 * gave 3,175 entries. `mergeCells` joins passing cells across passing edges into groups and replaces a group by one
 * cell whose polygon is their union when that union is convex and everything of the arrangement inside it passed:
 * each arrangement cell strictly inside is one of them, each edge and vertex lies on a reported segment or at a
 * reported point. The merged polygon's interior is then made of parts each reported as equilibria (the same claim,
 * in one entry); points and segments strictly inside it are dropped (a segment reaching its boundary is kept), and
 * a group whose union is not convex is left as its cells.
 */
import type { Pt, SliceHit } from './sliceSearch.js';

/** Twice the signed area of a polygon. */
function area2(poly: Pt[]): number {
  let s = 0;
  for (let k = 0; k < poly.length; k++) {
    const [a, b] = [poly[k], poly[(k + 1) % poly.length]];
    s += a[0] * b[1] - a[1] * b[0];
  }
  return s;
}

/** Convex hull (Andrew's monotone chain), counter-clockwise, collinear points dropped. */
export function convexHull(points: Pt[]): Pt[] {
  const ps = [...points].sort((u, v) => u[0] - v[0] || u[1] - v[1]);
  if (ps.length < 3) return ps;
  const cross = (o: Pt, a: Pt, b: Pt) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const dist = (a: Pt, b: Pt) => Math.hypot(b[0] - a[0], b[1] - a[1]);
  const half = (seq: Pt[]) => {
    const h: Pt[] = [];
    for (const p of seq) {
      // collinear to rounding (a turn below 1e-12 rad) is collinear: a vertex 4e-17 off an edge was kept as a corner
      while (h.length >= 2 && cross(h[h.length - 2], h[h.length - 1], p) <= 1e-12 * dist(h[h.length - 2], h[h.length - 1]) * dist(h[h.length - 2], p)) h.pop();
      h.push(p);
    }
    h.pop();
    return h;
  };
  return [...half(ps), ...half(ps.reverse())];
}

/** Distance from p to the segment [a, b], and from p's projection to the nearer end (also sliceSearch.ts). */
export function toSegment(p: Pt, a: Pt, b: Pt): { off: number; fromEnd: number } {
  const d: Pt = [b[0] - a[0], b[1] - a[1]];
  const len2 = d[0] * d[0] + d[1] * d[1];
  const s = len2 > 0 ? Math.min(1, Math.max(0, ((p[0] - a[0]) * d[0] + (p[1] - a[1]) * d[1]) / len2)) : 0;
  return { off: Math.hypot(a[0] + s * d[0] - p[0], a[1] + s * d[1] - p[1]), fromEnd: Math.min(s, 1 - s) * Math.sqrt(len2) };
}

/** The mean of a polygon's vertices: the point at which a cell is decided (sliceSearch.ts). */
export function vertexMean(poly: Pt[]): Pt {
  return [poly.reduce((t, v) => t + v[0], 0) / poly.length, poly.reduce((t, v) => t + v[1], 0) / poly.length];
}

/** Signed distance of p inside the convex counter-clockwise polygon (negative outside). */
function depth(p: Pt, poly: Pt[]): number {
  let d = Infinity;
  for (let k = 0; k < poly.length; k++) {
    const [a, b] = [poly[k], poly[(k + 1) % poly.length]];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len === 0) continue;
    d = Math.min(d, ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])) / len);
  }
  return d;
}

/**
 * The hits with passing cells joined where they may be (module comment); `arrangement`: the final arrangement's cells
 * (sliceSearch.ts `cells`), `scale`: the box's larger side, `decide`: the slice's (memoised) exact test, for points
 * near a reported segment's end — a segment stops within the bisection's 1e-10 of a vertex that fails, and that
 * vertex is not reported on its own; `partial`: centres of cells that pass there but not everywhere (never inside a
 * union).
 */
export function mergeCells<T>(hits: Array<SliceHit<T>>, arrangement: Pt[][], scale: number, decide: (p: Pt) => T | null, partial: readonly Pt[] = []): Array<SliceHit<T>> {
  const tol = 1e-7 * scale;
  const cellHits = hits.filter((h) => h.cell && h.cell.length >= 3);
  if (cellHits.length < 2) return hits;
  const segs = hits.flatMap((h) => (h.from && h.to ? [[h.from, h.to] as [Pt, Pt]] : []));
  const pointsAt = hits.filter((h) => !h.from && !h.cell).map((h) => h.at);
  const passes = (p: Pt) => {
    if (pointsAt.some((o) => Math.hypot(o[0] - p[0], o[1] - p[1]) <= tol)) return true;
    const on = segs.map(([a, b]) => toSegment(p, a, b)).filter((d) => d.off <= tol);
    if (on.some((d) => d.fromEnd > 1e-9 * scale)) return true;
    return on.length > 0 && decide(p) !== null;
  };
  // cells sharing an edge (two vertices within 1e-9 of the box: the arrangement splits both sides of an edge at the
  // same points)
  const near = (u: Pt, v: Pt) => Math.hypot(u[0] - v[0], u[1] - v[1]) <= 1e-9 * scale;
  const parent = cellHits.map((_, k) => k);
  const find = (k: number): number => (parent[k] === k ? k : (parent[k] = find(parent[k])));
  for (let i = 0; i < cellHits.length; i++) {
    for (let j = i + 1; j < cellHits.length; j++) {
      const shared = (cellHits[i].cell as Pt[]).filter((u) => (cellHits[j].cell as Pt[]).some((v) => near(u, v)));
      if (shared.length < 2) continue;
      const [a, b] = shared;
      if (passes([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2])) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, number[]>();
  cellHits.forEach((_, k) => groups.set(find(k), [...(groups.get(find(k)) ?? []), k]));
  // the arrangement's vertices and edges, to check what lies inside a union
  const edges = arrangement.flatMap((poly) => poly.map((v, k): [Pt, Pt] => [v, poly[(k + 1) % poly.length]]));
  const merged: Array<{ hit: SliceHit<T>; poly: Pt[]; members: Set<SliceHit<T>> }> = [];
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const polys = members.map((k) => cellHits[k].cell as Pt[]);
    // vertices within 1e-9 of the box's size are one (the arrangement splits both sides of an edge at points agreeing to
    // rounding; a review found one twice on a merged polygon)
    const hull = convexHull(polys.flat().filter((v, k, all) => all.findIndex((u) => near(u, v)) === k));
    const total = polys.reduce((s, p) => s + Math.abs(area2(p)), 0);
    if (hull.length < 3 || Math.abs(area2(hull) - total) > 1e-9 * Math.max(area2(hull), scale * scale * 1e-12)) continue;
    // every cell, edge and vertex of the arrangement strictly inside the union passed: a cell whose centre is inside
    // is a member or passes there (the area test alone let a failing triangle 4.5e-5 wide inside a passing box be
    // swallowed — its edges and vertices passed: review)
    const inside = (p: Pt) => depth(p, hull) > tol;
    const memberCentres = polys.map(vertexMean);
    const ok =
      edges.every(([u, v]) => {
        const m: Pt = [(u[0] + v[0]) / 2, (u[1] + v[1]) / 2];
        return (!inside(m) || passes(m)) && (!inside(u) || passes(u));
      }) &&
      arrangement.every((poly) => {
        const c = vertexMean(poly);
        return !inside(c) || memberCentres.some((o) => near(o, c)) || (passes(c) && !partial.some((o) => near(o, c)));
      });
    if (!ok) continue;
    // reported at the largest cell's point (inside the union)
    const largest = members.reduce((best, k) => (Math.abs(area2(cellHits[k].cell as Pt[])) > Math.abs(area2(cellHits[best].cell as Pt[])) ? k : best), members[0]);
    merged.push({ hit: { ...cellHits[largest], cell: hull }, poly: hull, members: new Set(members.map((k) => cellHits[k])) });
  }
  if (merged.length === 0) return hits;
  const gone = new Set<SliceHit<T>>(merged.flatMap((g) => [...g.members]));
  const within = (h: SliceHit<T>) =>
    merged.some(({ poly }) => {
      // a segment only when both its ends are inside too: an end on the union's boundary is claimed by no one else
      // (a vertex on a reported segment is not reported on its own)
      if (h.from && h.to) return depth(h.from, poly) > tol && depth(h.to, poly) > tol;
      return !h.cell && depth(h.at, poly) > tol;
    });
  return [...hits.filter((h) => !gone.has(h) && !within(h)), ...merged.map((g) => g.hit)];
}
