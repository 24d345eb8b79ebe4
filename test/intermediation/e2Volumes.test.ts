/**
 * GP E2 with four types: three interior types next to one that sells everything, and four interior
 * (src/model/intermediation/e2Volumes.ts on the three-dimensional search volumeSearch.ts).
 */
import { describe, expect, it } from 'vitest';
import { highsSolver, jsLpSolver } from '../../src/lp/index.js';
import { checkE2, findE2, type E2Market } from '../../src/model/intermediation/e2.js';
import { mergeHits, volumes } from '../../src/model/intermediation/e2Volumes.js';
import { ownPlanes, searchVolume, valuePlanes, volumePlanes, type Plane, type Pt3 } from '../../src/model/intermediation/volumeSearch.js';
import { findE2Multi } from '../../src/model/intermediation/e2Multi.js';
import { designOf } from '../../src/model/intermediation/multiPlatform.js';
import { solveIntermediation } from '../../src/checker/intermediation/index.js';
import { validateScenario, type IntermediationScenario } from '../../src/scenario/index.js';
import { bruteDesignPayoffs, bruteE2Payoffs, bruteE2Violations, bruteViolations } from './e2Brute.js';

const unit = (n: Pt3): Pt3 => {
  const s = Math.hypot(...n);
  return n.map((v) => v / s) as Pt3;
};
const dot = (a: Pt3, b: Pt3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

describe('volumeSearch: planes and the search on them (synthetic payoffs)', () => {
  // f = Σ w_k |⟨n_k, p⟩ − c_k|: kinks exactly on the planes ⟨n_k, p⟩ = c_k, with slope changes 2 w_k n_k(axis)
  const known: Array<{ n: Pt3; c: number; w: number }> = [
    { n: unit([1, 0, 0]), c: 0.3, w: 1 },
    // parallel to the first, another change of slope: the fit must not join breakpoints of the two
    { n: unit([1, 0, 0]), c: 0.6, w: 2.5 },
    { n: unit([1, 0.5, -0.25]), c: 0.55, w: 0.7 },
    { n: unit([0.2, 1, 1]), c: 0.8, w: 1.3 },
  ];
  const f = (p: Pt3) => known.reduce((s, k) => s + k.w * Math.abs(dot(k.n, p) - k.c), 0);
  const box: Pt3 = [1, 0.9, 0.8];
  const has = (planes: Plane[], k: { n: Pt3; c: number }) => planes.some((o) => o.n.every((v, i) => Math.abs(v - k.n[i]) <= 1e-6) && Math.abs(o.c - k.c) <= 1e-6);

  it('the kink planes crossed by several lines along axis 0 are found, and no others', () => {
    const planes: Plane[] = [];
    ownPlanes(f, 0, box, 1e-8, planes);
    for (const k of known.slice(0, 3)) expect(has(planes, k)).toBe(true);
    // plane 3 (x = (1.14 − y − z)/0.2) is nearly parallel to the lines along x: it crosses few of them, far apart
    expect(planes.every((o) => known.some((k) => has([o], k)))).toBe(true);
  });

  it('along axis 2 the planes x = 0.3, 0.6 (parallel to it) are not kinks and are not found; over the three axes all four are', () => {
    const planes: Plane[] = [];
    ownPlanes(f, 2, box, 1e-8, planes);
    expect(has(planes, known[0])).toBe(false);
    expect(has(planes, known[1])).toBe(false);
    expect(has(planes, known[3])).toBe(true);
    expect(planes.every((o) => known.some((k) => has([o], k)))).toBe(true);
    const all = volumePlanes({ box, band: 1e-8, planes: [], own: [f, f, f], mix: f, decide: () => null });
    for (const k of known) expect(has(all, k)).toBe(true);
    expect(all).toHaveLength(known.length);
  });

  it('two parallel walls with the same change of slope: exactly those two (fits across them are not confirmed between their breakpoints)', () => {
    // breakpoints 0.3 and 0.6 on every line along x: 0.3, 0.6 at one corner pair and 0.3, 0.6 at the other fit a
    // slanted plane through four of them, on which the payoff does not kink (at the square's centre it predicts 0.45)
    const g = (p: Pt3) => Math.abs(p[0] - 0.3) + Math.abs(p[0] - 0.6) + 0.1 * p[1];
    const planes: Plane[] = [];
    ownPlanes(g, 0, box, 1e-8, planes);
    expect(planes.map((o) => [o.n.map((v) => Math.round(v * 1e6) / 1e6 + 0), Math.round(o.c * 1e6) / 1e6]).sort()).toEqual([
      [[1, 0, 0], 0.3],
      [[1, 0, 0], 0.6],
    ]);
  });

  it('valuePlanes: the walls of min_k ⟨g_k, q⟩ where two pieces are both the least, and no wall of a piece that is never the least', async () => {
    const h = await highsSolver();
    // on the slice q = (x, y, z, 0.5): pieces g0 = (1, 0, 0, 0), g1 = (0, 1, 0, 0), g2 = (0, 0, 0, 2) (≡ 1 on the
    // slice), g3 = (3, 3, 3, 3) (above the others everywhere in the box [0, 1]³)
    const grads = [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 0, 2],
      [3, 3, 3, 3],
    ];
    const planes: Plane[] = [];
    valuePlanes(h, grads, [0, 0, 0, 0.5], [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], [1, 1, 1], planes);
    const key = (o: Plane) => `${o.n.map((v) => Math.round(v * 1e6) / 1e6 + 0)}|${Math.round(o.c * 1e6) / 1e6}`;
    // x = y (pieces 0, 1), x = 1 and y = 1 are at the box's edge (pieces 0 or 1 against 2: a face, no patch inside)
    expect(planes.map(key).sort()).toEqual([`${[1, -1, 0].map((v) => Math.round((v / Math.SQRT2) * 1e6) / 1e6 + 0)}|0`]);
    // with g2 = (0, 0, 0, 1) (≡ 0.5): the walls x = 0.5 and y = 0.5 where pieces 0 or 1 meet it, and x = y below it
    const planes2: Plane[] = [];
    valuePlanes(h, [grads[0], grads[1], [0, 0, 0, 1], grads[3]], [0, 0, 0, 0.5], [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], [1, 1, 1], planes2);
    expect(planes2.map(key).sort()).toEqual([`${[1, -1, 0].map((v) => Math.round((v / Math.SQRT2) * 1e6) / 1e6 + 0)}|0`, '0,1,0|0.5', '1,0,0|0.5'].sort());
  });

  it('a plane found in both orientations is one plane (review: (±0.577, ∓0.577, ∓0.577) kept twice)', () => {
    // |0.3x − 0.3y + 0.1|: the normal's two largest coordinates tie in absolute value
    const g = (p: Pt3) => Math.abs(0.3 * p[0] - 0.3 * p[1] + 0.1);
    const all = volumePlanes({ box: [1, 1, 1], band: 1e-8, planes: [], own: [g, g, g], mix: g, decide: () => null });
    expect(all).toHaveLength(1);
  });

  it('searchVolume finds a point where three planes meet and a segment where two meet', () => {
    // the vertex of planes 0, 2, 3 and the line of planes 1 and 3, solved by hand (Cramer) below
    const [a, b, c] = [known[0], known[2], known[3]];
    const det = (m: number[][]) => m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    const M = [a.n, b.n, c.n];
    const D = det(M);
    const rhs = [a.c, b.c, c.c];
    const vertex = [0, 1, 2].map((i) => det(M.map((row, r) => row.map((v, j) => (j === i ? rhs[r] : v)))) / D) as Pt3;
    expect(vertex.every((v, i) => v > 0 && v < box[i])).toBe(true);
    const onPlane = (k: { n: Pt3; c: number }, p: Pt3) => Math.abs(dot(k.n, p) - k.c) <= 1e-9;
    const hits = searchVolume({
      box,
      band: 1e-8,
      planes: [],
      own: [f, f, f],
      mix: f,
      decide: (p) => (Math.hypot(p[0] - vertex[0], p[1] - vertex[1], p[2] - vertex[2]) <= 1e-9 ? 'vertex' : onPlane(known[1], p) && onPlane(known[3], p) ? 'line' : null),
    });
    const merged = mergeHits(hits, 1);
    const points = merged.filter((h) => h.eq === 'vertex');
    expect(points).toHaveLength(1);
    expect(Math.hypot(...points[0].at.map((v, i) => v - vertex[i]))).toBeLessThan(1e-9);
    const lines = merged.filter((h) => h.eq === 'line');
    expect(lines).toHaveLength(1);
    const { from, to } = lines[0];
    if (!from || !to) throw new Error('a segment expected');
    for (const p of [from, to]) {
      expect(onPlane(known[1], p) && onPlane(known[3], p)).toBe(true);
      // the line x = 0.6, 0.2·0.6 + y + z = 0.8·√2.04 runs from face to face of the box
      expect(p.some((v, i) => Math.abs(v) < 1e-6 || Math.abs(v - box[i]) < 1e-6)).toBe(true);
    }
  });
});

describe('E2, four types: three interior next to a full type, and four interior (e2Volumes.ts)', () => {
  // e2.test.ts's market: γ = (0, 0) (U ≡ 0, p = 0), the ray q ∝ (3, 1, 2) of types 0–2 is an equilibrium from 0 to
  // the box, with a fourth type nobody values (β = r = 0): indifferent, whatever it sells
  const m: E2Market = { game: { types: [1, 2, 3, 4], fees: [1, 2, 3, 4], gammaU: 0, gammaPi: 0 }, buyerWeights: [1, 3, 3, 0], qBar: [0.72, 0.28, 0.62, 0.5], keepValue: [0, 2, 1, 0] };
  // one search of this market, read by the tests below (a few seconds each)
  let searched: ReturnType<typeof findE2> | undefined;
  const solved = async () => (searched ??= findE2(await highsSolver(), m, { manyInterior: true }));

  it('eight volumes: each type full next to the other three, and each face of the four', () => {
    const v = volumes(m.qBar);
    expect(v).toHaveLength(8);
    expect(v.filter((x) => x.face === undefined).map((x) => x.base)).toEqual([
      [0.72, 0, 0, 0],
      [0, 0.28, 0, 0],
      [0, 0, 0.62, 0],
      [0, 0, 0, 0.5],
    ]);
    expect(volumes([0.1, 0.2, 0.3])).toEqual([]);
    expect(volumes([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])).toEqual([]);
  });

  it('five types: 50 volumes — each triple next to the other two at corners, not both at 0 (10 × 3), and each face of each four (5 × 4)', () => {
    const qBar = [0.1, 0.2, 0.3, 0.4, 0.5];
    const v = volumes(qBar);
    expect(v).toHaveLength(50);
    const three = v.filter((x) => x.face === undefined);
    expect(three).toHaveLength(30);
    for (const x of three) {
      const others = qBar.map((_, w) => w).filter((w) => !x.types.includes(w));
      // each other type at 0 or q̄, at least one at q̄
      expect(others.every((w) => x.base[w] === 0 || x.base[w] === qBar[w])).toBe(true);
      expect(others.some((w) => x.base[w] === qBar[w])).toBe(true);
    }
    expect(new Set(three.map((x) => `${x.types}|${x.base}`)).size).toBe(30);
    const faces = v.filter((x) => x.face !== undefined);
    expect(faces).toHaveLength(20);
    // the fifth type (neither moving nor the face) at 0
    for (const x of faces) expect(x.base.filter((b, w) => b === 0 && !x.types.includes(w))).toHaveLength(1);
  });

  it('the ray with type 3 selling everything is found, and passes the brute force; a point off it fails', async () => {
    const h = await highsSolver();
    const js = jsLpSolver();
    const r = await solved();
    expect(r.searched.severalInterior).toBe(true);
    expect(findE2(h, m, { manyInterior: false }).searched.severalInterior).toBe(false);
    const ray = r.equilibria.filter((e) => e.manyInterior && e.manyInterior.face === undefined && e.records[3] === 0.5);
    expect(ray).toHaveLength(1);
    const e = ray[0];
    expect(e.manyInterior?.types).toEqual([0, 1, 2]);
    expect(e.records[1] / e.records[0]).toBeCloseTo(1 / 3, 6);
    expect(e.records[2] / e.records[0]).toBeCloseTo(2 / 3, 6);
    // the segment runs from the origin's band to the box (type 0 fills first: 0.72 / 3 < 0.28, 0.62 / 2)
    const { from, to } = e.manyInterior ?? {};
    expect(from?.[0]).toBeLessThan(1e-6);
    expect(to?.[0]).toBeCloseTo(0.72, 6);
    // Definition 2 on a grid with independent LPs (javascript-lp-solver) at 0.05, 0.5 and 0.99 of the ray
    for (const s of [0.05, 0.5, 0.99]) expect(bruteE2Violations(js, m, [0.72 * s, 0.24 * s, 0.48 * s, 0.5], [0, 0, 0, 0], 4)).toEqual([]);
    expect(bruteE2Violations(js, m, [0.6, 0.24, 0.48, 0.5], [0, 0, 0, 0], 4)).not.toEqual([]);
    // none of these allocations (three interior next to a full type) was a candidate before: no other entry has them
    const others = r.equilibria.filter((x) => x !== e && !x.manyInterior);
    expect(others.some((x) => x.records[3] === 0.5 && [0, 1, 2].every((w) => x.records[w] > 1e-6 && x.records[w] < m.qBar[w] - 1e-6))).toBe(false);
  }, 120_000);

  it('the face entries of four interior types carry where their ray enters the set (here: near the origin)', async () => {
    const h = await highsSolver();
    const r = await solved();
    const faces = r.equilibria.filter((e) => e.manyInterior?.face !== undefined);
    expect(faces.length).toBeGreaterThan(0);
    for (const e of faces) {
      const from = e.manyInterior?.rayFrom;
      if (!from) throw new Error('rayFrom expected: the verdicts along these rays are monotone (the ray passes from 0)');
      // on the reported point's ray, and near the origin (the whole ray from 0 is an equilibrium)
      const share = from[0] / e.records[0];
      from.forEach((x, w) => expect(x).toBeCloseTo(share * e.records[w], 9));
      expect(share).toBeLessThan(1e-6);
      expect(checkE2(h, m, e.records.map((x) => 0.5 * x))).not.toBeNull();
    }
  }, 120_000);

  it('nothing at stake: no plane at all, every volume reports polygons of its middle planes (one merchant, and two through findE2Multi)', async () => {
    const h = await highsSolver();
    const zero: E2Market = { game: { types: [1, 2, 3, 4], fees: [1, 2, 3, 4], gammaU: 0, gammaPi: 0 }, buyerWeights: [0, 0, 0, 0], qBar: [1, 0.5, 0.8, 0.6], keepValue: [0, 0, 0, 0] };
    const r = findE2(h, zero, { manyInterior: true });
    const cells = r.equilibria.filter((e) => e.manyInterior?.cell);
    // each of the 8 volumes: its three middle planes, each one cell (no walls) — merged entries keep one per plane
    expect(cells.length).toBeGreaterThanOrEqual(8);
    for (const e of cells) for (const v of e.manyInterior?.cell ?? []) expect(v.every((x, w) => x >= 0 && x <= zero.qBar[w] + 1e-12)).toBe(true);
    // the same market on a platform of two merchants (nothing at stake either): the same cells, as records[i][ω]
    const types = zero.game.types;
    const design = designOf({ game: zero.game, buyerWeights: zero.buyerWeights, merchants: { types, merchantFees: [types, types], competition: 'separate', gammaU: 0, gammaPi: 0 } });
    const multi = findE2Multi(h, { designs: [design], qBar: zero.qBar, keepValue: zero.keepValue }, { manyInterior: true }).equilibria.filter((e) => e.manyInterior?.cell);
    expect(multi).toHaveLength(cells.length);
    for (const e of multi) for (const v of e.manyInterior?.cell ?? []) expect(v.length === 1 && v[0].every((x, w) => x >= 0 && x <= zero.qBar[w] + 1e-12)).toBe(true);
  }, 120_000);

  it('a thin set near a face whose kinks the whole-line scan misses is not reported (review: 17 false entries)', async () => {
    // types 1…4, γ = (0, 0), β = (1, 0, 1, 1), r = (0, 0, 1, 1): points q ≈ (1.5e-5, 0.56, 0.28, 0.84) passed checkE2,
    // but buyer 2 gains 3.6e-6 by selling 5.4e-6 more (payoffs by javascript-lp-solver below)
    const h = await highsSolver();
    const js = jsLpSolver();
    const mk: E2Market = { game: { types: [1, 2, 3, 4], fees: [1, 2, 3, 4], gammaU: 0, gammaPi: 0 }, buyerWeights: [1, 0, 1, 1], qBar: [0.78, 0.56, 0.54, 1.04], keepValue: [0, 0, 1, 1] };
    const q = [1.464e-5, 0.56, 0.28, 0.84];
    const phi = (t: number) => mk.keepValue[2] * (mk.qBar[2] - t) + bruteE2Payoffs(js, mk, q.map((x, w) => (w === 2 ? t : x))).H[2];
    expect(phi(0.2800054) - phi(0.28)).toBeGreaterThan(1e-6);
    const r = findE2(h, mk, { manyInterior: true });
    // type 1 at q̄ or on the face at (1 − 1e-6)·q̄: a face entry at (1.2e-6, 0.56(1 − 1e-6), 0.28, 0.84) was reported
    // while buyer 3 gained 2.5e-7 by selling 5e-7 more (review: her line had no breakpoint left, pieceEnds)
    const near = r.equilibria.filter((e) => e.manyInterior && e.records[0] < 1e-4 && Math.abs(e.records[1] - 0.56) < 1e-5);
    expect(near).toEqual([]);
  }, 120_000);

  it('type 0 selling everything: types 1–3 interior along q = (0.72, 0.24, 0.48, t), t ∈ (0, 0.5), by brute force at t = 0.25', async () => {
    const h = await highsSolver();
    const js = jsLpSolver();
    const r = await solved();
    const set = r.equilibria.filter((e) => e.manyInterior && e.manyInterior.face === undefined && e.records[0] === 0.72);
    expect(set).toHaveLength(1);
    expect(set[0].manyInterior?.types).toEqual([1, 2, 3]);
    const { from, to } = set[0].manyInterior ?? {};
    expect(from?.slice(0, 3).map((x) => x.toFixed(9))).toEqual(['0.720000000', '0.240000000', '0.480000000']);
    expect(from?.[3]).toBeLessThan(1e-6);
    expect(to?.[3]).toBeCloseTo(0.5, 6);
    expect(bruteE2Violations(js, m, [0.72, 0.24, 0.48, 0.25], [0, 0, 0, 0], 4)).toEqual([]);
    expect(checkE2(h, m, [0.72, 0.25, 0.48, 0.25])).toBeNull();
  }, 120_000);

  it('one platform of two separate merchants with the same fees (findE2Multi): U, every H and r doubled, so the same sets as findE2 at twice the welfare; Definition 2 by brute force on the two-merchant design', async () => {
    const h = await highsSolver();
    const js = jsLpSolver();
    const types = m.game.types;
    // separate merchants are separable (multiPlatformMerchants.test.ts): the same merchant twice doubles U and each
    // stage of the selection, so every H; with r doubled too Definition 2 holds at the same allocations
    const design = designOf({ game: m.game, buyerWeights: m.buyerWeights, merchants: { types, merchantFees: [types, types], competition: 'separate', gammaU: 0, gammaPi: 0 } });
    const mm = { designs: [design], qBar: m.qBar, keepValue: m.keepValue.map((x) => 2 * x) };
    const multi = findE2Multi(h, mm, { manyInterior: true });
    expect(multi.manyInterior).toEqual({ requested: true, complete: true });
    expect(multi.searched.severalSplitTypes).toBe(true);
    const one = (await solved()).equilibria.filter((e) => e.manyInterior);
    const got = multi.equilibria.filter((e) => e.manyInterior);
    expect(got).toHaveLength(one.length);
    const near = (a: number[] | undefined, b: number[] | undefined, tol: number) => (a === undefined) === (b === undefined) && (a ?? []).every((x, w) => Math.abs(x - (b ?? [])[w]) <= tol);
    for (const e of one) {
      const twin = got.find((x) => near(x.records[0], e.records, 1e-6) && x.manyInterior?.face === e.manyInterior?.face && x.manyInterior?.types.join() === e.manyInterior?.types.join());
      expect(twin).toBeDefined();
      // welfare at the twin's own point (a segment's middle moves with its ends; welfare changes along it)
      expect(twin?.welfare).toBeCloseTo(2 * (checkE2(h, m, twin?.records[0] ?? [])?.welfare ?? NaN), 7);
      // a segment's ends are located by bisection (its point is its middle): near the origin to a few 1e-7; which
      // end is `from` follows the plane the segment was found on (either orientation is the same set)
      const [from, to] = [twin?.manyInterior?.from?.[0], twin?.manyInterior?.to?.[0]];
      const [f1, t1] = [e.manyInterior?.from, e.manyInterior?.to];
      expect((near(from, f1, 1e-6) && near(to, t1, 1e-6)) || (near(from, t1, 1e-6) && near(to, f1, 1e-6))).toBe(true);
      expect(twin?.manyInterior?.rayFrom === undefined).toBe(e.manyInterior?.rayFrom === undefined);
    }
    // Definition 2 on a grid with the two-merchant design's own LPs (javascript-lp-solver): the ray's midpoint next
    // to type 3 selling everything passes, a point off the ray fails
    const pay = (q: number[]) => bruteDesignPayoffs(js, design, q);
    expect(bruteViolations(pay, mm.qBar, mm.keepValue, [0.36, 0.12, 0.24, 0.5], [0, 0, 0, 0], 4)).toEqual([]);
    expect(bruteViolations(pay, mm.qBar, mm.keepValue, [0.36, 0.2, 0.24, 0.5], [0, 0, 0, 0], 4)).not.toEqual([]);
    // through `solve` with a merchants array: the option reaches the search, and the entries keep records[i][ω]
    const scenario = validateScenario({ name: 'vm', model: 'intermediation', types, mass: m.qBar, weights: { consumer: 0, merchant: 0 }, privacyValues: mm.keepValue, platforms: [{ weights: { consumer: 0, merchant: 0 }, buyerWeights: m.buyerWeights, merchants: [{ fees: types }, { fees: types }] }], equilibriumSearch: { manyInterior: true } }) as IntermediationScenario;
    const E2 = ((await solveIntermediation(scenario)).multiPlatform as { E2: { manyInterior: unknown; equilibria: Array<{ manyInterior?: { from?: number[][] } }> } }).E2;
    expect(E2.manyInterior).toEqual({ requested: true, complete: true });
    const viaSolve = E2.equilibria.filter((e) => e.manyInterior);
    expect(viaSolve).toHaveLength(one.length);
    expect(viaSolve.some((e) => Array.isArray(e.manyInterior?.from?.[0]))).toBe(true);
    // with the volume search switched off: not searched, and the search says so
    const plain = findE2Multi(h, mm, { manyInterior: false });
    expect(plain.manyInterior).toEqual({ requested: false, complete: false });
    expect(plain.searched.severalSplitTypes).toBe(false);
    expect(plain.equilibria.some((e) => e.manyInterior)).toBe(false);
  }, 180_000);
});

describe('E2, five types: the volumes when asked for (manyInterior: true)', () => {
  // the four-type market above with a fifth type (value 5) nobody values that keeps its records (β = 0, r = 1 > p = 0):
  // at 0 in every equilibrium, so the ray q ∝ (3, 1, 2) of types 0–2 next to type 3 selling everything remains one
  const m: E2Market = { game: { types: [1, 2, 3, 4, 5], fees: [1, 2, 3, 4, 5], gammaU: 0, gammaPi: 0 }, buyerWeights: [1, 3, 3, 0, 0], qBar: [0.72, 0.28, 0.62, 0.5, 0.3], keepValue: [0, 2, 1, 0, 1] };
  it('the ray with type 3 selling everything and type 4 keeping all is found, and passes the brute force; off by default', async () => {
    const h = await highsSolver();
    const js = jsLpSolver();
    const r = findE2(h, m, { manyInterior: true });
    expect(r.manyInterior).toEqual({ requested: true, complete: true });
    // four-dimensional sets (four interior next to a full type, five interior) are not searched
    expect(r.searched.severalInterior).toBe(false);
    const ray = r.equilibria.filter((e) => e.manyInterior && e.manyInterior.face === undefined && e.records[3] === 0.5 && e.records[4] === 0 && e.manyInterior.types.join() === '0,1,2');
    expect(ray).toHaveLength(1);
    const e = ray[0];
    expect(e.records[1] / e.records[0]).toBeCloseTo(1 / 3, 6);
    expect(e.records[2] / e.records[0]).toBeCloseTo(2 / 3, 6);
    expect(e.manyInterior?.to?.[0]).toBeCloseTo(0.72, 6);
    // Definition 2 with independent LPs (javascript-lp-solver) at half the ray, and a point off it
    expect(bruteE2Violations(js, m, [0.36, 0.12, 0.24, 0.5, 0], [0, 0, 0, 0, 0], 4)).toEqual([]);
    expect(bruteE2Violations(js, m, [0.6, 0.24, 0.48, 0.5, 0], [0, 0, 0, 0, 0], 4)).not.toEqual([]);
    // by default five types skip the volumes, and say so
    const d = findE2(h, m);
    expect(d.manyInterior).toEqual({ requested: false, complete: false });
    expect(d.equilibria.some((x) => x.records[3] === 0.5 && x.records[4] === 0 && [0, 1, 2].every((w) => x.records[w] > 1e-6 && x.records[w] < m.qBar[w] - 1e-6))).toBe(false);
  }, 120_000);
});
