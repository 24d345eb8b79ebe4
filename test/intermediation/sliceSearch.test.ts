/**
 * The slice search (src/model/intermediation/sliceSearch.ts) on synthetic slices whose equilibria are known by
 * construction: `decide` accepts given points and a given segment, `scan` is 0 or has kinks only where it should.
 *  - the points and the segment are found, the segment whole (from its ends' bisection) and reported at its middle;
 *  - a review's case: with a scanned payoff made of small pyramids at the four points, each probe round adds a line,
 *    and the last round's new line cut the segment so that no edge's middle lay in it — it was reported as a single
 *    point; now an edge also tries points of sets found before;
 *  - a cell: `decide` accepting a whole polygon between walls gives one cell hit, with that polygon;
 *  - `scanWalls` on f = max of four planes, whose walls end inside the box: a breakpoint on only two scan lines is
 *    joined to the breakpoints in line with it on both sides, and to no others (before 2026-11-27 it was joined to
 *    every breakpoint near it: four lines that are no walls, each adding candidates); but a wall starting at such a
 *    breakpoint on a straight one (a T-junction) is still joined (review: the new rule had dropped it);
 *  - a set that leaves a passing cell at its corner along a wall the scans miss is still found (the corner is
 *    probed: it is on the passing cells' boundary, not inside their union; review).
 */
import { describe, expect, it } from 'vitest';
import { affineWalls, inConvex, scanWalls, searchSlice, type Line, type Pt } from '../../src/model/intermediation/sliceSearch.js';

const L = (a: number, b: number, c: number): Line => {
  const s = Math.hypot(a, b);
  return { a: a / s, b: b / s, c: c / s };
};
// y = m x + k
const D = (m: number, k: number) => L(-m, 1, k);
const walls: Line[] = [D(1, -0.2), D(-1, 0.4), D(2, -0.4), D(-2, 1.6), D(1.2, -0.32), L(1, 0, 0.9), L(0, 1, 0.35), L(0, 1, 0.65)];
const V: Pt[] = [
  [0.3, 0.1],
  [0.3, 0.2],
  [0.7, 0.2],
  [0.7, 0.52],
];
const decide = (p: Pt): string | null => {
  const k = V.findIndex((v) => Math.hypot(v[0] - p[0], v[1] - p[1]) < 1e-9);
  if (k >= 0) return `V${k}`;
  if (Math.abs(p[0] - 0.9) < 1e-12 && p[1] >= 0.45 && p[1] <= 0.57) return 'S';
  return null;
};
const pyramids = (p: Pt) => V.reduce((s, v) => s + Math.max(0, 0.006 - Math.abs(p[0] - v[0]) - Math.abs(p[1] - v[1])), 0);

describe('slice search on synthetic slices', () => {
  // without scanned kinks only V0 is a vertex of the walls; the pyramids' kinks make the others vertices, one more
  // found in each probe round
  for (const [name, scan, vertices] of [
    ['no scanned kinks', () => 0, ['V0']],
    ['a probe line in every round (review: the segment was lost in the last one)', pyramids, ['V0', 'V1', 'V2', 'V3']],
  ] as const) {
    it(`the vertices and the whole segment x = 0.9, y ∈ [0.45, 0.57]: ${name}`, () => {
      const hits = searchSlice({ X: 1, Y: 1, band: 1e-8, walls, scan, decide });
      expect(hits.filter((h) => h.eq.startsWith('V')).map((h) => h.eq).sort()).toEqual(vertices);
      const seg = hits.filter((h) => h.eq === 'S');
      expect(seg).toHaveLength(1);
      expect(seg[0].from?.[1]).toBeCloseTo(0.45, 9);
      expect(seg[0].to?.[1]).toBeCloseTo(0.57, 9);
      expect(seg[0].from?.[0]).toBe(0.9);
    });
  }

  it('a wall no scan shows: an edge that fails between its middle and an end that passes again stops at the wall (review)', () => {
    // passing: the segment y = 0.5, x < 0.6, and the point x = 1 − 1e-8 (the end inside the band) by itself
    const decideS = (p: Pt) => (Math.abs(p[1] - 0.5) <= 1e-12 && (p[0] < 0.6 || p[0] > 0.99) ? 'S' : null);
    const hits = searchSlice({ X: 1, Y: 1, band: 1e-8, walls: [L(0, 1, 0.5)], scan: () => 0, decide: decideS });
    const seg = hits.filter((h) => h.from && h.to);
    expect(seg).toHaveLength(1);
    expect(seg[0].from?.[0]).toBeLessThan(1e-7);
    // located by bisection from the middle to the first failing check (x = 0.75)
    expect(seg[0].to?.[0]).toBeCloseTo(0.6, 9);
  });

  it('a cell crossed by a wall no scan shows: traced, and only the passing part is a cell (review)', () => {
    // the box split by the line x = 0.3 that no wall or scan gives: x > 0.3 passes, x < 0.3 fails
    const decideC = (p: Pt) => (p[0] > 0.3 ? 'C' : null);
    const hits = searchSlice({ X: 1, Y: 1, band: 1e-8, walls: [L(0, 1, 0.5)], scan: () => 0, decide: decideC });
    const cells = hits.filter((h) => h.cell);
    expect(cells).toHaveLength(1);
    const xs = (cells[0].cell ?? []).map((v) => v[0]);
    expect(Math.min(...xs)).toBeCloseTo(0.3, 9);
    expect(Math.max(...xs)).toBe(1);
    // no entry claims a point with x < 0.3
    for (const h of hits) for (const q of [h.at, ...(h.from && h.to ? [h.from, h.to] : []), ...(h.cell ?? [])]) expect(q[0]).toBeGreaterThan(0.3 - 1e-9);
  });

  it('walls no scan shows, more than the rounds trace: the cells left are their centres, and the search says so (review)', () => {
    // passing: a 12-gon of inradius 0.35 around the box's centre, none of whose sides is a wall or a scanned kink
    const inGon = (p: Pt) => Array.from({ length: 12 }, (_, k) => (2 * k * Math.PI) / 12 + 0.1).every((t) => Math.cos(t) * (p[0] - 0.5) + Math.sin(t) * (p[1] - 0.5) <= 0.35);
    let partial = 0;
    const hits = searchSlice({ X: 1, Y: 1, band: 1e-8, walls: [L(0, 1, 0.5)], scan: () => 0, decide: (p) => (inGon(p) ? 'G' : null), onPartial: (n) => (partial += n) });
    expect(partial).toBeGreaterThan(0);
    // whatever is reported lies in the 12-gon (cells at their vertices too)
    for (const h of hits) for (const q of [h.at, ...(h.from && h.to ? [h.from, h.to] : []), ...(h.cell ?? [])]) expect(inGon(q) || h.cell !== undefined).toBe(true);
    for (const h of hits.filter((x) => x.cell)) for (const v of h.cell ?? []) expect(inGon([0.5 + 0.999 * (v[0] - 0.5), 0.5 + 0.999 * (v[1] - 0.5)])).toBe(true);
    // traced walls that do resolve a cell say nothing: a cell crossed by one missed wall (the test above)
    let none = 0;
    searchSlice({ X: 1, Y: 1, band: 1e-8, walls: [L(0, 1, 0.5)], scan: () => 0, decide: (p) => (p[0] > 0.3 ? 'C' : null), onPartial: (n) => (none += n) });
    expect(none).toBe(0);
  });

  it('a polygon where every point passes is one cell, reported with its polygon', () => {
    // accepted: the triangle x > 0.5, y > 0.5, x + y < 1.4 (walls x = 0.5, y = 0.5, x + y = 1.4), strictly inside
    const tri = [L(1, 0, 0.5), L(0, 1, 0.5), L(1, 1, 1.4)];
    const inside = (p: Pt) => p[0] > 0.5 + 1e-9 && p[1] > 0.5 + 1e-9 && p[0] + p[1] < 1.4 - 1e-9;
    const hits = searchSlice({ X: 1, Y: 1, band: 1e-8, walls: tri, scan: () => 0, decide: (p) => (inside(p) ? 'C' : null) });
    expect(hits).toHaveLength(1);
    const cell = hits[0].cell ?? [];
    expect(cell.map((v) => v.map((x) => x.toFixed(9)).join()).sort()).toEqual(['0.500000000,0.500000000', '0.500000000,0.900000000', '0.900000000,0.500000000']);
  });

  describe('knife-edge regions merged (sliceMerge.ts)', () => {
    const box = (cell: Pt[] | undefined) => (cell ?? []).map((v) => v.map((x) => x.toFixed(9)).join()).sort();
    it('every point passing: one cell, the whole box; interior vertices dropped, segments reaching the box kept', () => {
      const hits = searchSlice({ X: 1, Y: 1, band: 1e-8, walls, scan: () => 0, decide: () => 'K' });
      const cellHits = hits.filter((h) => h.cell);
      expect(cellHits).toHaveLength(1);
      expect(box(cellHits[0].cell)).toEqual(['0.000000000,0.000000000', '0.000000000,1.000000000', '1.000000000,0.000000000', '1.000000000,1.000000000']);
      // the reported point lies in the box, and no point entry is left (every vertex is strictly inside)
      expect(hits.filter((h) => !h.cell && !h.from)).toHaveLength(0);
      // each wall is one passing segment from band to band (all eight cross the box)
      expect(hits.filter((h) => h.from && h.to)).toHaveLength(walls.length);
    });

    // the triangle x > 0.5, y > 0.5, x + y < 1.4 split by x = 0.7
    const tri = [L(1, 0, 0.5), L(0, 1, 0.5), L(1, 1, 1.4), L(1, 0, 0.7)];
    const inTri = (p: Pt) => p[0] > 0.5 + 1e-9 && p[1] > 0.5 + 1e-9 && p[0] + p[1] < 1.4 - 1e-9;
    it('two passing cells and the passing edge between them: one triangle; with the edge failing, two cells', () => {
      const merged = searchSlice({ X: 1, Y: 1, band: 1e-8, walls: tri, scan: () => 0, decide: (p) => (inTri(p) ? 'C' : null) });
      expect(merged.filter((h) => h.cell).map((h) => box(h.cell))).toEqual([['0.500000000,0.500000000', '0.500000000,0.900000000', '0.900000000,0.500000000']]);
      // the edge x = 0.7 ends on the triangle's boundary: kept
      expect(merged.filter((h) => h.from && h.to)).toHaveLength(1);
      const cut = searchSlice({ X: 1, Y: 1, band: 1e-8, walls: tri, scan: () => 0, decide: (p) => (inTri(p) && Math.abs(p[0] - 0.7) > 1e-12 ? 'C' : null) });
      expect(cut.filter((h) => h.cell)).toHaveLength(2);
    });

    it('a vertex inside that fails, or a union that is not convex: the cells stay as they are', () => {
      // the box split by x = 0.5 and y = 0.5: four cells; their crossing (0.5, 0.5) fails
      const cross = [L(1, 0, 0.5), L(0, 1, 0.5)];
      const holed = searchSlice({ X: 1, Y: 1, band: 1e-8, walls: cross, scan: () => 0, decide: (p) => (Math.hypot(p[0] - 0.5, p[1] - 0.5) < 1e-9 ? null : 'K') });
      expect(holed.filter((h) => h.cell)).toHaveLength(4);
      // an L: every point passes except the open quarter x > 0.5, y > 0.5 (and its edges' points there)
      const ell = searchSlice({ X: 1, Y: 1, band: 1e-8, walls: cross, scan: () => 0, decide: (p) => (p[0] > 0.5 - 1e-12 && p[1] > 0.5 - 1e-12 && !(p[0] === 0.5 && p[1] === 0.5) ? null : 'K') });
      expect(ell.filter((h) => h.cell)).toHaveLength(3);
      // with every point passing, the four cells are one box
      const all = searchSlice({ X: 1, Y: 1, band: 1e-8, walls: cross, scan: () => 0, decide: () => 'K' });
      expect(all.filter((h) => h.cell)).toHaveLength(1);
    });

    it('a small failing cell inside a passing box, its edges and vertices passing, is not swallowed (review)', () => {
      // the triangle (0.5, 0.5), (0.5 + s, 0.5), (0.5 + s/2, 0.5 + s·√3/2), s = 3e-5: its area is within the area
      // test's 1e-9 of the box's, and only its open inside fails
      const s = 3e-5;
      const P: Pt[] = [[0.5, 0.5], [0.5 + s, 0.5], [0.5 + s / 2, 0.5 + (s * Math.sqrt(3)) / 2]];
      const through = (u: Pt, v: Pt) => L(-(v[1] - u[1]), v[0] - u[0], -(v[1] - u[1]) * u[0] + (v[0] - u[0]) * u[1]);
      const sides = [through(P[0], P[1]), through(P[1], P[2]), through(P[2], P[0])];
      // strictly on the side of each wall where the opposite corner lies
      const inTriangle = (p: Pt) => sides.every((l, k) => {
        const o = P[(k + 2) % 3];
        return Math.sign(l.a * o[0] + l.b * o[1] - l.c) * (l.a * p[0] + l.b * p[1] - l.c) > 1e-13;
      });
      const hits = searchSlice({ X: 1, Y: 1, band: 1e-8, walls: sides, scan: () => 0, decide: (p) => (inTriangle(p) ? null : 'K') });
      const centroid: Pt = [(P[0][0] + P[1][0] + P[2][0]) / 3, (P[0][1] + P[1][1] + P[2][1]) / 3];
      expect(inTriangle(centroid)).toBe(true);
      expect(hits.some((h) => h.cell && inConvex(centroid, h.cell, 0))).toBe(false);
    });
  });

  it('three walls crossing within 2e-9 of one point make a cell that is a vertex: one point, not a point and a cell', () => {
    // x = 0.5, y = 0.5, x + y = 1 + 2e-9: a triangle with legs 2e-9 at (0.5, 0.5), where every point passes (a
    // random four-type market reported its equilibrium twice, as a point and as a cell whose corners agreed to 1e-7)
    const sliver = [L(1, 0, 0.5), L(0, 1, 0.5), L(1, 1, 1 + 2e-9)];
    const hits = searchSlice({ X: 1, Y: 1, band: 1e-8, walls: sliver, scan: () => 0, decide: (p) => (Math.hypot(p[0] - 0.5, p[1] - 0.5) < 1e-8 ? 'P' : null) });
    expect(hits).toHaveLength(1);
    expect(hits[0].cell).toBeUndefined();
  });

  it('affineWalls: the lines where two pieces of min_k ⟨g_k, q⟩ tie while both are the least', () => {
    // V(q) = min(q0, q1, 0.5 + 0.2 q0) on the slice q = (x, y, 1)·(1, 1, ·): pieces (1,0,0), (0,1,0), (0.2,0,0.5)
    const lines: Line[] = [];
    affineWalls(
      [
        [1, 0, 0],
        [0, 1, 0],
        [0.2, 0, 0.5],
      ],
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
      1,
      1,
      lines,
    );
    // x = y (both least while x, y < 0.625), x = 0.625 (x = 0.5 + 0.2x, least while y > 0.625); y = 0.5 + 0.2x ties
    // y with the third piece, the least where x > y — so also a wall; three lines in all
    const key = (l: Line) => [l.a, l.b, l.c].map((v) => (Math.abs(v) < 1e-12 ? 0 : v).toFixed(6)).join();
    expect(lines.map(key).sort()).toEqual([key(L(1, -1, 0)), key(L(1, 0, 0.625)), key(L(-0.2, 1, 0.5))].sort());
  });

  it('scanWalls: a wall crossing only two scan lines is the line through its breakpoints in line across them, and no other line is added', () => {
    // planes P1 = 0, P2 = x − 0.4 − 0.1y, P3 = y − 0.62 − 0.05x, P4 = 2(y − 0.7) + 0.3x − 0.03; the walls that cross
    // the vertical scan lines x = 0, 0.25, …, 1: P1 = P3 (y = 0.62 + 0.05x, for x below ≈ 0.46, so on two of them),
    // P3 = P4 (y = 0.81 − 0.35x) and P2 = P4 (2.1y = 0.7x + 1.03)
    const planes = (p: Pt) => [0, p[0] - 0.4 - 0.1 * p[1], p[1] - 0.62 - 0.05 * p[0], 2 * (p[1] - 0.7) + 0.3 * p[0] - 0.03];
    const f = (p: Pt) => Math.max(...planes(p));
    const lines: Line[] = [];
    scanWalls(f, 1, 1, false, 1e-8, lines);
    const key = (l: Line) => [l.a, l.b, l.c].map((v) => v.toFixed(6)).join();
    expect(lines.map(key).sort()).toEqual([key(L(-0.05, 1, 0.62)), key(L(0.35, 1, 0.81)), key(L(-0.7, 2.1, 1.03))].sort());
  });

  // a small pyramid (height 0.5, half-width 0.03 across) whose ridge runs from b = (0.6, 0.5) to E = (0.64, 0.62)
  const ridge = (from: Pt, to: Pt) => (p: Pt) => {
    const C: Pt = [(from[0] + to[0]) / 2, (from[1] + to[1]) / 2];
    const len = Math.hypot(to[0] - from[0], to[1] - from[1]);
    const e: Pt = [(to[0] - from[0]) / len, (to[1] - from[1]) / len];
    const d: Pt = [p[0] - C[0], p[1] - C[1]];
    const u = (d[0] * e[0] + d[1] * e[1]) / (len / 2);
    const v = (d[0] * -e[1] + d[1] * e[0]) / 0.03;
    return 0.5 * Math.max(0, 1 - Math.abs(u) - Math.abs(v));
  };

  it('scanWalls: a wall that starts on a straight one (a T-junction) at a leftover breakpoint is still joined', () => {
    // x = 0.6 + max(0, |y − 0.5| − 0.1) bends at y = 0.4 and 0.6, so its breakpoint b = (0.6, 0.5) on the scan line
    // y = 0.5 is left over, with breakpoints in line across it; the pyramid's ridge b → E starts there
    const pyr = ridge([0.6, 0.5], [0.64, 0.62]);
    const f = (p: Pt) => Math.abs(p[0] - 0.6 - Math.max(0, Math.abs(p[1] - 0.5) - 0.1)) + pyr(p);
    const lines: Line[] = [];
    scanWalls(f, 1, 1, true, 1e-8, lines);
    const through = (l: Line, p: Pt) => Math.abs(l.a * p[0] + l.b * p[1] - l.c) < 1e-7;
    expect(lines.some((l) => through(l, [0.6, 0.5]) && through(l, [0.64, 0.62]))).toBe(true);
  });

  it('a set leaving a passing cell at its corner along a wall the scans miss: the corner is probed and the set found', () => {
    // equilibria: the square [0.3, 0.45]² and the segment from its corner (0.45, 0.45) to (0.49, 0.48), a ridge too
    // short for the scans
    const v: Pt = [0.45, 0.45];
    const E: Pt = [0.49, 0.48];
    const len = Math.hypot(E[0] - v[0], E[1] - v[1]);
    const onS = (p: Pt) => {
      const d: Pt = [p[0] - v[0], p[1] - v[1]];
      const s = (d[0] * (E[0] - v[0]) + d[1] * (E[1] - v[1])) / len;
      return s >= -1e-9 && s <= len + 1e-9 && Math.abs(d[0] * (v[1] - E[1]) + d[1] * (E[0] - v[0])) / len <= 1e-9;
    };
    const inC = (p: Pt) => p[0] >= 0.3 - 1e-9 && p[0] <= 0.45 + 1e-9 && p[1] >= 0.3 - 1e-9 && p[1] <= 0.45 + 1e-9;
    const hits = searchSlice({ X: 1, Y: 1, band: 1e-8, walls: [L(1, 0, 0.3), L(1, 0, 0.45), L(0, 1, 0.3), L(0, 1, 0.45)], scan: ridge(v, E), decide: (p) => (inC(p) || onS(p) ? 'eq' : null) });
    expect(hits.some((h) => h.to && Math.hypot(h.to[0] - E[0], h.to[1] - E[1]) < 1e-7)).toBe(true);
  });
});
