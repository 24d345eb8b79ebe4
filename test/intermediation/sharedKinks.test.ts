/**
 * Two types, several platforms: where two platforms can both hold records (sharedKinks.ts) and the exact search of
 * the crossings (rayPairs.ts). Independent checks: C_i's half-planes against min_k ⟨g_k, q⟩ on many directions; the
 * meetings against a grid of prices; the lemma against the exact E2 test at random allocations; the fans' slacks
 * against the exact test (its own piece ends on each line).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { highsSolver, jsLpSolver } from '../../src/lp/index.js';
import { checkE2Multi, findE2Multi, newE2MultiMemo, type E2MultiMarket } from '../../src/model/intermediation/e2Multi.js';
import { pricingDesign } from '../../src/model/intermediation/platformDesign.js';
import { platformPieces } from '../../src/model/intermediation/platformDesign.js';
import { priceRegion, regionsMeet, sharedKinks, type PriceRegion, type Pt } from '../../src/model/intermediation/sharedKinks.js';
import { envelopeVertices } from '../../src/model/intermediation/pieces.js';
import { buyerSlacks, crossingEquilibria, fromFan, payoffFan, sellsNothing, slackLines } from '../../src/model/intermediation/rayPairs.js';
import { designOf } from '../../src/model/intermediation/multiPlatform.js';
import { sliceSearchEquilibria, splitSlices } from '../../src/model/intermediation/e2MultiPairs.js';
import { solveIntermediation } from '../../src/checker/intermediation/index.js';
import { validateScenario, type IntermediationScenario } from '../../src/scenario/index.js';
import { readFileSync } from 'node:fs';

const gradient = fc.tuple(fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true })).map(([a, b]) => [a, b]);

/** Slack of p in C: min over the half-planes of ⟨p, n⟩ − c (≥ 0 inside; its distance to the boundary there). */
const slack = (r: PriceRegion, p: Pt) => Math.min(...r.halfPlanes.map(({ n, c }) => n[0] * p[0] + n[1] * p[1] - c));

describe('priceRegion: C = {p : ⟨p, q⟩ ≥ min_k ⟨g_k, q⟩ for all q ≥ 0} for two types', () => {
  it('closed form: (0, 1), (1, 0) and two dominated gradients give the chain (0, 1) → (1, 0) with normal (1, 1)/√2', () => {
    const r = priceRegion([
      [2, 2],
      [1, 0],
      [0.6, 0.6],
      [0, 1],
    ]);
    expect(r.chain).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(r.halfPlanes.map((h) => [h.n.map((x) => +x.toFixed(12)), +h.c.toFixed(12)])).toEqual([
      [[1, 0], 0],
      [[+Math.SQRT1_2.toFixed(12), +Math.SQRT1_2.toFixed(12)], +Math.SQRT1_2.toFixed(12)],
      [[0, 1], 0],
    ]);
    // a gradient inside the hull's lower-left chain becomes a vertex
    expect(priceRegion([[0, 1], [1, 0], [0.4, 0.4]]).chain).toEqual([[0, 1], [0.4, 0.4], [1, 0]]);
  });

  it('property: the half-planes agree with the definition on 2,001 directions q', () => {
    const dirs = Array.from({ length: 2001 }, (_, k): Pt => [Math.cos((k / 2000) * (Math.PI / 2)), Math.sin((k / 2000) * (Math.PI / 2))]);
    fc.assert(
      fc.property(fc.array(gradient, { minLength: 1, maxLength: 6 }), fc.tuple(fc.double({ min: -1, max: 4, noNaN: true }), fc.double({ min: -1, max: 4, noNaN: true })), (gs, p) => {
        const r = priceRegion(gs);
        const brute = Math.min(...dirs.map((q) => p[0] * q[0] + p[1] * q[1] - Math.min(...gs.map((g) => g[0] * q[0] + g[1] * q[1]))));
        const s = slack(r, p as Pt);
        // both vanish together, and have the same sign away from the boundary (the directions' grid is fine to 8e-4)
        if (Math.abs(s) > 1e-2) expect(Math.sign(brute)).toBe(Math.sign(s));
        if (s >= 0) expect(brute).toBeGreaterThanOrEqual(-1e-12);
      }),
      { numRuns: 300 },
    );
  });
});

describe('sharedKinks: where two boundaries meet inside every C_k, p ≥ 0', () => {
  it('hand cases: a crossing pair, none, a shared vertex, a third boundary through a crossing', () => {
    const A = priceRegion([
      [0, 2],
      [2, 0],
    ]);
    const B = priceRegion([[0.5, 0.5]]);
    const k = sharedKinks([A, B]);
    // B's vertical ray p(0) = 0.5 and horizontal ray p(1) = 0.5 cross A's edge p(0) + p(1) = 2
    expect(k.map((x) => [x.price.map((v) => +v.toFixed(12)), x.crossing?.directions.map((d) => d.map((v) => +v.toFixed(12)))])).toEqual([
      [
        [0.5, 1.5],
        [
          [+Math.SQRT1_2.toFixed(12), +Math.SQRT1_2.toFixed(12)],
          [1, 0],
        ],
      ],
      [
        [1.5, 0.5],
        [
          [+Math.SQRT1_2.toFixed(12), +Math.SQRT1_2.toFixed(12)],
          [0, 1],
        ],
      ],
    ]);
    // the GP sims: privacy platforms' regions do not meet; the merchants' share the vertex (0, 1)
    expect(sharedKinks([priceRegion([[0, 1], [1, 0]]), priceRegion([[1, 2]])])).toEqual([]);
    // both have the edge p(0) = 0 above (0, 1): an overlap (records of type 0 only), and its end (0, 1) at one price
    expect(sharedKinks([priceRegion([[0, 1]]), priceRegion([[0, 1], [1, 0]])])).toEqual([
      { platforms: [0, 1], price: [0, 1], overlap: { direction: [1, 0], to: null } },
      { platforms: [0, 1], price: [0, 1] },
    ]);
    // a third region whose boundary passes through (0.5, 1.5): no longer a crossing of two alone
    const third = sharedKinks([A, B, priceRegion([[0.5, 1.5]])]).filter((x) => x.platforms[0] === 0 && x.platforms[1] === 1);
    expect(third.find((x) => Math.abs(x.price[0] - 0.5) < 1e-9)?.crossing).toBeUndefined();
    // a crossing outside a third region is no meeting at all
    expect(sharedKinks([A, B, priceRegion([[1, 1.6]])]).filter((x) => x.platforms[0] === 0 && x.platforms[1] === 1).map((x) => x.price)).toEqual([[1.5, 0.5].map((v) => v)].filter(() => false));
  });

  it('property: wherever ∂C_0, walked in steps of 1e-3, crosses or touches ∂C_1, a meeting is reported there, and every meeting is on both', () => {
    fc.assert(
      fc.property(fc.array(gradient, { minLength: 1, maxLength: 4 }), fc.array(gradient, { minLength: 1, maxLength: 4 }), (g0, g1) => {
        const regions = [priceRegion(g0), priceRegion(g1)];
        const kinks = sharedKinks(regions);
        for (const k of kinks) for (const r of regions) expect(Math.abs(slack(r, k.price))).toBeLessThan(1e-6);
        // ∂C_0 as a polyline: up the ray from the first vertex (to 5 above it), the chain, right along the last ray
        const c = regions[0].chain;
        const path: Pt[] = [[c[0][0], c[0][1] + 5], ...c, [c[c.length - 1][0] + 5, c[c.length - 1][1]]];
        const walk: Pt[] = [];
        for (let n = 0; n + 1 < path.length; n++) {
          const [a, b] = [path[n], path[n + 1]];
          const steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / 1e-3));
          for (let s = 0; s < steps; s++) walk.push([a[0] + ((b[0] - a[0]) * s) / steps, a[1] + ((b[1] - a[1]) * s) / steps]);
        }
        walk.push(path[path.length - 1]);
        for (let n = 0; n + 1 < walk.length; n++) {
          const [sa, sb] = [slack(regions[1], walk[n]), slack(regions[1], walk[n + 1])];
          if ((sa <= 0 && sb >= 0) || (sa >= 0 && sb <= 0)) {
            expect(kinks.some((k) => Math.hypot(k.price[0] - walk[n][0], k.price[1] - walk[n][1]) <= 2e-3)).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * Random two-type markets of two pricing platforms (continuous draws, as in docs/intermediation.md's census); with
 * `lowFee` a third fee below both types, so that type 0's buyers have a payoff too (with fees = types it is 0).
 */
function randomMarkets(seed: string, count: number, lowFee = false): E2MultiMarket[] {
  const rng = seedrandom(seed);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return Array.from({ length: count }, () => {
    const types = [r2(0.5 + rng()), r2(1.6 + rng())];
    const fees = lowFee ? [r2(0.4 * rng() + 0.05), ...types] : types;
    const designs = [0, 1].map(() => pricingDesign({ types, fees, gammaU: r2(rng() * 1.5), gammaPi: r2(rng()) }, types.map(() => r2(rng() * 3))));
    return { designs, qBar: types.map(() => r2(0.1 + rng())), keepValue: types.map(() => r2(rng() * 3)) };
  });
}

const design = (types: number[], gu: number, gp: number, beta: number[]) => pricingDesign({ types, fees: types, gammaU: gu, gammaPi: gp }, beta);

/** A random market (seed 5 of a census) with a segment of equilibria at a crossing. */
const segmentMarket = (): E2MultiMarket => {
  const t = [1.24, 2.34];
  return { designs: [design(t, 0.77, 0.53, [0.8, 0.76]), design(t, 1.44, 0.31, [0.5, 2.87])], qBar: [0.25, 0.5], keepValue: [0.12, 2.66] };
};

/** Each crossing of a market's shared kinks, with its rays, fans, box and records q_i = x d_i, q_j = y d_j. */
function crossings(h: Awaited<ReturnType<typeof highsSolver>>, m: E2MultiMarket) {
  return kinksOf(h, m).flatMap((k) => {
    if (!k.crossing) return [];
    const [i, j] = k.platforms;
    const [di, dj] = k.crossing.directions;
    const memo = newE2MultiMemo(2);
    const fans = m.designs.map((_, pl) => [0, 1].map((w) => payoffFan(h, m, pl, w, memo)));
    const X = Math.min(...[0, 1].map((w) => (di[w] > 0 ? m.qBar[w] / di[w] : Infinity)));
    const Y = Math.min(...[0, 1].map((w) => (dj[w] > 0 ? m.qBar[w] / dj[w] : Infinity)));
    const records = (x: number, y: number) => m.designs.map((_, pl) => (pl === i ? [x * di[0], x * di[1]] : pl === j ? [y * dj[0], y * dj[1]] : [0, 0]));
    return [{ k, i, j, di, dj, memo, fans, X, Y, records }];
  });
}

/** The one two-split segment the slice search finds on a two-type two-platform market (its ends, records[i][ω]). */
function sliceSegment(h: Awaited<ReturnType<typeof highsSolver>>, m: E2MultiMarket): number[][][] {
  const segs = sliceSearchEquilibria(h, m, splitSlices(m.qBar, 2), newE2MultiMemo(2)).equilibria.filter((e) => e.twoSplit?.from && e.twoSplit.to);
  expect(segs).toHaveLength(1);
  return [segs[0].twoSplit?.from ?? [], segs[0].twoSplit?.to ?? []];
}

/** Two segments with the same ends within 1e-6 (either order). */
function sameSegment(a: number[][][], b: number[][][]): boolean {
  const close = (x: number[][], y: number[][]) => x.every((q, i) => q.every((v, w) => Math.abs(v - y[i][w]) <= 1e-6));
  return (close(a[0], b[0]) && close(a[1], b[1])) || (close(a[0], b[1]) && close(a[1], b[0]));
}

const kinksOf = (h: Awaited<ReturnType<typeof highsSolver>>, m: E2MultiMarket) => sharedKinks(m.designs.map((d) => priceRegion(platformPieces(h, d).gradients)));

describe('the lemma: two platforms hold records only at a shared kink', () => {
  it('random markets: random allocations with two holders pass the exact test only at a meeting price', async () => {
    const h = await highsSolver();
    const rng = seedrandom('lemma');
    let tried = 0;
    let passed = 0;
    for (const m of [...randomMarkets('lemma-markets', 6), ...randomMarkets('lemma-low-fee', 6, true)]) {
      const kinks = kinksOf(h, m);
      const memo = newE2MultiMemo(2);
      for (let n = 0; n < 25; n++) {
        // each type over keep, platform 1, platform 2 (uniform on the simplex), some points on the kinks' rays
        const split = (T: number) => {
          const [a, b] = [rng(), rng()].sort((x, y) => x - y);
          return [a * T, (b - a) * T];
        };
        const s0 = split(m.qBar[0]);
        const s1 = split(m.qBar[1]);
        const records = [
          [s0[0], s1[0]],
          [s0[1], s1[1]],
        ];
        tried++;
        const e = checkE2Multi(h, m, records, memo);
        if (e) {
          passed++;
          expect(kinks.some((k) => e.priceIntervals.every((iv, w) => k.price[w] >= iv.lower - 1e-7 && k.price[w] <= iv.upper + 1e-7))).toBe(true);
        }
      }
      // and no meeting ⇒ no equilibrium with two holders in the whole search
      if (kinks.length === 0) {
        const found = findE2Multi(h, m);
        expect(found.equilibria.every((e) => e.records.filter((q) => q.some((x) => x > 1e-9)).length <= 1)).toBe(true);
        expect(Object.values(found.searched).every((v) => v !== false)).toBe(true);
      }
    }
    expect(tried).toBe(300);
    // random allocations are almost never equilibria; the test is that those that are sit at a meeting
    expect(passed).toBeLessThan(tried);
  }, 240_000);
});

describe('crossingEquilibria: the fans\' slacks decide as the exact test', () => {
  it('random crossing slices: at random points and on the feasibility lines, slack ≥ 0 ⇔ checkE2Multi passes (clear verdicts)', async () => {
    const h = await highsSolver();
    const rng = seedrandom('slacks');
    let agree = 0;
    let positives = 0;
    // random markets, and the market of the segment below (its points on type 0's line pass)
    const markets = [...randomMarkets('slack-markets', 40), ...randomMarkets('slack-low-fee', 40, true), segmentMarket()];
    for (const m of markets) {
      for (const { k, di, dj, memo, fans, X, records: at } of crossings(h, m)) {
        for (let n = 0; n < 20; n++) {
          const x = (0.02 + 0.96 * rng()) * X;
          // y free, or on a feasibility line (type n % 3 keeps nothing), where equilibria sit
          const cap = (w: number) => (dj[w] > 0 ? (m.qBar[w] - x * di[w]) / dj[w] : Infinity);
          const yMax = Math.min(cap(0), cap(1));
          if (!(yMax > 1e-3)) continue;
          const y = n % 3 < 2 && cap(n % 3) <= yMax ? cap(n % 3) : (0.02 + 0.96 * rng()) * yMax;
          const records = at(x, y);
          const slacks = [0, 1].map((w) => Math.min(...buyerSlacks(fans, records, w, m.qBar[w], k.price[w] - m.keepValue[w]).values()));
          const least = Math.min(...slacks);
          // equilibria are often indifferent to a deviation (slack 0): passes within 1e-9, fails below −1e-6
          if (least < -1e-9 && least > -1e-6) continue;
          const exact = checkE2Multi(h, m, records, memo) !== null;
          expect(exact).toBe(least >= -1e-9);
          agree++;
          if (exact) positives++;
        }
      }
    }
    expect(agree).toBeGreaterThan(100);
    expect(positives).toBeGreaterThan(0);
  }, 240_000);

  it('buyerSlacks: the least slack is φ(t*) − max φ over the buyer\'s simplex (a 300 × 300 grid of it, same fans)', async () => {
    const h = await highsSolver();
    const rng = seedrandom('vertices');
    let compared = 0;
    for (const m of randomMarkets('vertex-markets', 30, true)) {
      for (const { k, di, dj, fans, X, Y, records: at } of crossings(h, m)) {
        for (let n = 0; n < 4; n++) {
          const [x, y] = [rng() * X, rng() * Y];
          if (![0, 1].every((w) => x * di[w] + y * dj[w] <= m.qBar[w])) continue;
          const records = at(x, y);
          for (const w of [0, 1]) {
            const T = m.qBar[w];
            const c = k.price[w] - m.keepValue[w];
            const H = (pl: number, t: number) => (w === 0 ? fromFan(fans[pl][0], t, records[pl][1]) : fromFan(fans[pl][1], records[pl][0], t));
            const phi = (t: number[]) => t.reduce((acc, tk, pl) => acc + H(pl, tk) + c * tk, 0);
            const here = phi(records.map((q) => q[w]));
            const slacks = buyerSlacks(fans, records, w, T, c);
            const vertexMax = here - Math.min(...slacks.values());
            let gridMax = -Infinity;
            const G = 300;
            for (let a = 0; a <= G; a++) for (let b = 0; a + b <= G; b++) gridMax = Math.max(gridMax, phi([(a / G) * T, (b / G) * T]));
            // the vertices' max is the true max: never below the grid's, and above it by at most a slope times a step
            expect(vertexMax).toBeGreaterThanOrEqual(gridMax - 1e-9);
            expect(vertexMax).toBeLessThanOrEqual(gridMax + 10 * (T / G));
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(40);
  }, 240_000);

  it('buyerSlacks, closed form: the best deviation fills the total with a coordinate at no breakpoint', () => {
    // buyer 0 with the other type's records 1 at both platforms: h_0(t) = 2 min(t, 0.7) and h_1(t) = min(t, 0.5)
    // (fans of H(q) = min(2 q0, 1.4 q1) and min(q0, 0.5 q1)); holding nothing, total 1, c = 0: the best deviation
    // is (0.7, 0.3) with φ = 1.7 — t_1 = 0.3 is fixed by the total, not an end of h_1 (the ends alone give 1.4)
    const fan0 = [
      { t: 0, h: 0 },
      { t: 1 / 1.7, h: 1.4 / 1.7 },
      { t: 1, h: 0 },
    ];
    const fan1 = [
      { t: 0, h: 0 },
      { t: 1 / 1.5, h: 0.5 / 1.5 },
      { t: 1, h: 0 },
    ];
    const flat = [
      { t: 0, h: 0 },
      { t: 1, h: 0 },
    ];
    const slacks = buyerSlacks(
      [
        [fan0, flat],
        [fan1, flat],
      ],
      [
        [0, 1],
        [0, 1],
      ],
      0,
      1,
      0,
    );
    const best = [...slacks.entries()].reduce((u, v) => (v[1] < u[1] ? v : u));
    expect(best[1]).toBeCloseTo(-1.7, 12);
    expect(best[0]).toBe('r0,*');
    expect(Math.min(...[...slacks.entries()].filter(([l]) => !l.includes('*')).map(([, v]) => v))).toBeCloseTo(-1.4, 12);
  });

  it('random crossing slices: the search is complete on every one (the lines of the module comment are all there)', async () => {
    const h = await highsSolver();
    let crossings = 0;
    for (const m of [...randomMarkets('x1', 40), ...randomMarkets('x1-low-fee', 40, true)]) {
      for (const k of kinksOf(h, m)) {
        if (!k.crossing) continue;
        crossings++;
        expect(crossingEquilibria(h, m, k, newE2MultiMemo(2)).complete).toBe(true);
      }
    }
    expect(crossings).toBeGreaterThan(10);
  }, 240_000);

  it('a crossing with a segment of equilibria and one with a corner point: exact sets, complete', async () => {
    const h = await highsSolver();
    // type 0 split between the platforms, type 1 between keeping and platform 2 along a segment (pooled on a ray)
    const m1 = segmentMarket();
    const k1 = kinksOf(h, m1).filter((k) => k.crossing);
    expect(k1.length).toBe(2);
    const r1 = k1.map((k) => crossingEquilibria(h, m1, k, newE2MultiMemo(2)));
    expect(r1.every((r) => r.complete)).toBe(true);
    const seg = r1.flatMap((r) => r.equilibria);
    expect(seg.length).toBe(1);
    const [a, b] = seg[0].sharedKink?.region ?? [];
    // type 0 sold in full between the platforms along it, type 1 at platform 2 only, at the ray's ratio
    for (const q of [a, b]) expect(q[0][0] + q[1][0]).toBeCloseTo(0.25, 7);
    const ends = [a, b].map((q) => q[1][1]).sort((x, y) => x - y);
    expect(ends[0]).toBeLessThan(1e-7);
    // the far end as the slice search (e2MultiPairs.ts, scans and bisection: a second method) finds it
    expect(sameSegment([a, b], sliceSegment(h, m1))).toBe(true);
    const mid = a.map((q, pl) => q.map((x, w) => (x + b[pl][w]) / 2));
    expect(checkE2Multi(h, m1, mid)).not.toBeNull();
    // off the segment (type 0 keeping 1e-3): not an equilibrium
    expect(checkE2Multi(h, m1, mid.map((q, pl) => q.map((x, w) => (w === 0 && pl === 0 ? x - 1e-3 : x))))).toBeNull();
    // a corner where both types keep nothing
    const t2 = [0.56, 1.9];
    const m2: E2MultiMarket = { designs: [design(t2, 1.32, 0.35, [2.66, 2.84]), design(t2, 1.08, 0.49, [0.31, 1.66])], qBar: [1.06, 0.85], keepValue: [0.17, 0.28] };
    const found = kinksOf(h, m2)
      .filter((k) => k.crossing)
      .map((k) => crossingEquilibria(h, m2, k, newE2MultiMemo(2)));
    expect(found.every((r) => r.complete)).toBe(true);
    const pts = found.flatMap((r) => r.equilibria.map((e) => e.sharedKink?.region));
    expect(pts.length).toBe(1);
    expect(pts[0]?.length).toBe(1);
    const q = pts[0]?.[0] ?? [];
    expect(q[0][0]).toBeCloseTo(1.06, 9);
    expect(q[0][1] + q[1][1]).toBeCloseTo(0.85, 9);
  }, 120_000);
});

describe('sellsNothing: a buyer whose every sale loses against keeping at the meeting price', () => {
  it('closed form: slopes of H along her records from its fan, against r − p', () => {
    // H(q) = min(2 q0, 1.4 q1) for buyer 0: slope 2 on the cone where 2 q0 < 1.4 q1 (t near 1), 0 on the other
    const fan = [
      { t: 0, h: 0 },
      { t: 1 / 1.7, h: 1.4 / 1.7 },
      { t: 1, h: 0 },
    ];
    expect(sellsNothing([fan], 0, 0, 2.1, 1e-9)).toBe(true);
    expect(sellsNothing([fan], 0, 0, 1.9, 1e-9)).toBe(false);
    expect(sellsNothing([fan], 0, 1, 2.9, 1e-9)).toBe(false);
    // buyer 1 on the same fan: slopes 1.4 and 0
    expect(sellsNothing([fan], 1, 0, 1.5, 1e-9)).toBe(true);
    expect(sellsNothing([fan], 1, 0, 1.3, 1e-9)).toBe(false);
  });
});

describe('the GP two-platform sims: E2 exhaustive, and no two-holder allocation on a grid passes the exact test', () => {
  for (const name of ['gp-two-platforms-privacy', 'gp-two-platforms-merchants']) {
    it(name, async () => {
      const h = await highsSolver();
      const s = validateScenario(JSON.parse(readFileSync(`sims/${name}.json`, 'utf8'))) as IntermediationScenario;
      const r = await solveIntermediation(s);
      const e2 = (r.multiPlatform as { E2: { searched: Record<string, unknown>; sharedKinks: Array<{ by: string }> } }).E2;
      expect(Object.values(e2.searched).every((v) => v !== false)).toBe(true);
      expect(e2.sharedKinks.every((k) => k.by !== 'notSearched')).toBe(true);
      // every allocation of a grid (each type over keep and the two platforms in steps of 1/10 of its mass) with both
      // platforms holding records fails the exact test (the merchants' meeting at (0, 1): type 0 sells nothing at
      // p(0) = 0 < r = 0.5, and the single seller's cone there holds no type 1 without type 0)
      const m: E2MultiMarket = {
        designs: (s.platforms ?? []).map((p) => designOf({ game: { types: s.types, fees: p.fees ?? s.types, gammaU: p.weights.consumer, gammaPi: p.weights.merchant }, buyerWeights: p.buyerWeights ?? s.types.map(() => 1), ...(p.merchants && p.merchants.length > 1 ? { merchants: { types: s.types, merchantFees: p.merchants.map((x) => x.fees), competition: p.competition ?? 'separate', gammaU: p.weights.consumer, gammaPi: p.weights.merchant } } : {}) })),
        qBar: s.mass,
        keepValue: s.privacyValues ?? s.types.map(() => s.reservationUtility),
      };
      const memo = newE2MultiMemo(2);
      const splits = (T: number) => Array.from({ length: 11 }, (_, a) => a).flatMap((a) => Array.from({ length: 11 - a }, (_, b) => [(a / 10) * T, (b / 10) * T]));
      let twoHolders = 0;
      for (const [a0, b0] of splits(m.qBar[0])) {
        for (const [a1, b1] of splits(m.qBar[1])) {
          const records = [
            [a0, a1],
            [b0, b1],
          ];
          if (!records.every((q) => q.some((x) => x > 0))) continue;
          twoHolders++;
          expect(checkE2Multi(h, m, records, memo)).toBeNull();
        }
      }
      expect(twoHolders).toBeGreaterThan(3000);
    }, 240_000);
  }
});

describe('review 2026-11-27: the tolerance of the exact test against the crossing search and the flags', () => {
  const scenario = (types: number[], mass: number[], fees: number[], plats: Array<[number, number, number[]]>, privacyValues: number[]) =>
    validateScenario({
      name: 'r',
      model: 'intermediation',
      types,
      mass,
      weights: { consumer: 1, merchant: 0 },
      reservationUtility: 0,
      platforms: plats.map(([c, m, b]) => ({ weights: { consumer: c, merchant: m }, fees, buyerWeights: b })),
      privacyValues,
    }) as IntermediationScenario;
  type E2Json = { searched: Record<string, unknown>; sharedKinks: Array<{ by: string }>; strayTwoHolders: boolean; equilibria: Array<{ records: number[][]; sharedKink?: { region: number[][][] }; twoSplit?: { from?: number[][]; to?: number[][] } }> };
  const e2Of = async (s: IntermediationScenario) => (((await solveIntermediation(s)).multiPlatform as { E2: E2Json }).E2);
  const mOf = (s: IntermediationScenario): E2MultiMarket => ({ designs: (s.platforms ?? []).map((p) => pricingDesign({ types: s.types, fees: p.fees ?? s.types, gammaU: p.weights.consumer, gammaPi: p.weights.merchant }, p.buyerWeights ?? [])), qBar: s.mass, keepValue: s.privacyValues ?? [] });

  it('regions nested 5e-7 apart with a small type: two-holder allocations pass the exact test within its tolerance, so the search is not claimed exhaustive', async () => {
    const s = scenario([1, 2], [1, 0.001], [1, 2], [[1, 1, [0, 0]], [1.0000005, 1.0000005, [0, 0]]], [1.0000005, 2.000001]);
    const e2 = await e2Of(s);
    expect(e2.sharedKinks).toEqual([]);
    expect(e2.strayTwoHolders).toBe(true);
    expect(e2.searched.severalSplitTypes).toBe(false);
  }, 120_000);

  it('a segment along a feasibility line: the crossing set is the slice search\'s whole segment, every vertex passing (its end was cut at 0.31 of 0.61)', async () => {
    const s = scenario([1.35, 2.48], [0.63, 0.73], [0.27, 1.35, 2.48], [[1.41, 0.55, [1.76, 2.47]], [0.04, 0.79, [2.39, 1.03]]], [1.05, 2.08]);
    const e2 = await e2Of(s);
    const k = e2.equilibria.find((e) => e.sharedKink)?.sharedKink?.region;
    if (!k) throw new Error('the crossing set is missing');
    expect(k).toHaveLength(2);
    const h = await highsSolver();
    for (const v of k) expect(checkE2Multi(h, mOf(s), v)).not.toBeNull();
    const tops = k.map((v) => v[0][0]).sort((a, b) => a - b);
    expect(tops[0]).toBeLessThan(1e-7);
    // the whole segment the slice search (a second method) finds, not a part of it
    expect(sameSegment(k, sliceSegment(h, mOf(s)))).toBe(true);
    expect(Object.values(e2.searched).every((v) => v !== false)).toBe(true);
  }, 120_000);

  it('a point where both types keep nothing, widened into a segment 3e-7 long: reported as the point, and the search complete', async () => {
    const s = scenario([1.34, 2.54], [0.19, 0.49], [0.22, 1.34, 2.54], [[1.2, 0.71, [2.21, 1.06]], [0.38, 0.76, [2.32, 2.49]]], [1.46, 0.5]);
    const e2 = await e2Of(s);
    expect(Object.values(e2.searched).every((v) => v !== false)).toBe(true);
    expect(e2.sharedKinks.every((x) => x.by !== 'notSearched')).toBe(true);
    const q = e2.equilibria[0].records;
    expect(q[0][0] + q[1][0]).toBeCloseTo(0.19, 9);
    expect(q[0][1] + q[1][1]).toBeCloseTo(0.49, 9);
  }, 120_000);

  it('a sliver 1e-6 of the box off an axis (a platform holding 1e-6 passes 1e-3 inside its region) is not reported as a two-holder set', async () => {
    const s = scenario([0.53, 2.56], [0.58, 0.88], [0.43, 0.53, 2.56], [[1.25, 0.33, [2.71, 1]], [0.22, 0.62, [2.34, 2.76]]], [0.47, 0.62]);
    const e2 = await e2Of(s);
    expect(e2.equilibria.some((e) => e.sharedKink)).toBe(false);
    expect(Object.values(e2.searched).every((v) => v !== false)).toBe(true);
  }, 120_000);
});

describe('slackLines: between its lines every labelled slack is affine (synthetic fans, no LPs)', () => {
  it('property: for two points with the same side of every line, each slack at their midpoint is the mean of its ends', () => {
    const rng = seedrandom('affine');
    let pairs = 0;
    for (let run = 0; run < 40; run++) {
      // random fans t ↦ H((1 − t, t)): kinks in (0, 1), H = 0 where the buyer has no records (t = 1 for ω = 0, t = 0 for ω = 1)
      const fan = (w: number) => {
        const ts = [0, ...Array.from({ length: 1 + Math.floor(rng() * 3) }, () => 0.05 + 0.9 * rng()).sort((a, b) => a - b), 1];
        return ts.map((t, n) => ({ t, h: (w === 0 && n === ts.length - 1) || (w === 1 && n === 0) ? 0 : 2 * rng() }));
      };
      const fans = [0, 1].map(() => [fan(0), fan(1)]);
      const unit = (a: number, b: number): Pt => [a / Math.hypot(a, b), b / Math.hypot(a, b)];
      const di = unit(0.1 + rng(), 0.1 + rng());
      const dj = unit(0.1 + rng(), 0.1 + rng());
      const T = [0.3 + rng(), 0.3 + rng()];
      const c = [rng() - 0.5, rng() - 0.5];
      const lines = slackLines(fans[0], fans[1], di, dj, T);
      const X = Math.min(T[0] / di[0], T[1] / di[1]);
      const Y = Math.min(T[0] / dj[0], T[1] / dj[1]);
      const records = (x: number, y: number) => [
        [x * di[0], x * di[1]],
        [y * dj[0], y * dj[1]],
      ];
      const side = (x: number, y: number) => lines.map((l) => (l.a * x + l.b * y - l.c > 0 ? '+' : '-')).join('');
      const groups = new Map<string, Pt[]>();
      for (let n = 0; n < 600; n++) {
        const [x, y] = [rng() * X, rng() * Y];
        if (![0, 1].every((w) => x * di[w] + y * dj[w] < T[w])) continue;
        const key = side(x, y);
        groups.set(key, [...(groups.get(key) ?? []), [x, y]]);
      }
      for (const pts of groups.values()) {
        for (let n = 0; n + 1 < pts.length && n < 6; n += 2) {
          const [a, b] = [pts[n], pts[n + 1]];
          const mid: Pt = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
          for (const w of [0, 1]) {
            const [sa, sb, sm] = [a, b, mid].map((p) => buyerSlacks(fans, records(p[0], p[1]), w, T[w], c[w]));
            expect([...sm.keys()].sort()).toEqual([...sa.keys()].sort());
            expect([...sb.keys()].sort()).toEqual([...sa.keys()].sort());
            for (const [label, v] of sm) expect(v).toBeCloseTo(((sa.get(label) as number) + (sb.get(label) as number)) / 2, 9);
          }
          pairs++;
        }
      }
    }
    expect(pairs).toBeGreaterThan(500);
  });
});

describe('regionsMeet: any number of types (an LP per pair of rows)', () => {
  it('property, two types: it says the regions meet exactly when sharedKinks lists a meeting (a second method)', () => {
    fc.assert(
      fc.property(fc.array(gradient, { minLength: 1, maxLength: 4 }), fc.array(gradient, { minLength: 1, maxLength: 4 }), (g0, g1) => {
        const js = jsLpSolver();
        const meet = regionsMeet(js, [g0, g1].map((gs) => ({ gradients: gs, vertices: envelopeVertices(gs) })));
        expect(meet).toBe(sharedKinks([priceRegion(g0), priceRegion(g1)]).length > 0);
      }),
      { numRuns: 150 },
    );
  });

  it('three types, two platforms: where the regions do not meet (the first such random market), random allocations with two holders fail the exact test, and every flag is true', async () => {
    const h = await highsSolver();
    const rng = seedrandom('three-types');
    const r2 = (x: number) => Math.round(x * 100) / 100;
    let apart = 0;
    for (let n = 0; n < 3 && apart === 0; n++) {
      const types = [r2(0.5 + rng()), r2(1.6 + rng()), r2(2.7 + rng())];
      const designs = [0, 1].map(() => pricingDesign({ types, fees: types, gammaU: r2(rng() * 1.5), gammaPi: r2(rng()) }, types.map(() => r2(rng() * 3))));
      const m: E2MultiMarket = { designs, qBar: types.map(() => r2(0.1 + rng())), keepValue: types.map(() => r2(rng() * 3)) };
      const meet = regionsMeet(h, designs.map((d) => platformPieces(h, d)));
      if (meet) continue;
      apart++;
      const memo = newE2MultiMemo(2);
      for (let k = 0; k < 20; k++) {
        const records = [
          [0, 0, 0],
          [0, 0, 0],
        ];
        m.qBar.forEach((T, w) => {
          const [a, b] = [rng(), rng()].sort((x, y) => x - y);
          records[0][w] = a * T;
          records[1][w] = (b - a) * T;
        });
        expect(checkE2Multi(h, m, records, memo)).toBeNull();
      }
      const found = findE2Multi(h, m);
      expect(found.regionsApart).toBe(true);
      expect(Object.values(found.searched).every((v) => v !== false)).toBe(true);
      expect(found.equilibria.every((e) => e.records.filter((q) => q.some((x) => x > 1e-8)).length <= 1)).toBe(true);
    }
    expect(apart).toBeGreaterThan(0);
  }, 240_000);
});
