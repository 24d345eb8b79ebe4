/**
 * Breakpoints of a piecewise-linear function of one variable, found by evaluation (GP E2's buyer payoffs along a
 * line, and the scans of the slice search): `pieceEnds` bisects every segment that fails a four-point linearity test
 * (resolution E2_RESOLUTION·T), shortcutting a single kink where the lines through a segment's ends meet; the
 * result is the fewest evaluated points whose polyline passes within 1e-9·max(1, |H|) of all of them, clear kinks kept.
 *
 * Tested alone, H is sampled: a buyer's payoff under the platform's selection need not be concave, and a short piece
 * or a bump between the test's points is not seen. So the E2 searches pass H with the selection's stage values
 * (`Staged`, `selectionStages`): along a line q(t) = q + t·e the platform's value U is concave (an LP's value in its
 * right-hand side), and on an interval where stages 1…k−1 are affine, stage k is concave too (the set of (t, x) that
 * keep their optima is convex there). A concave function on the chord at an interior point is affine on the whole
 * interval, and one on both lines through its ends at their meeting point c (its slopes read at a + e and b − e) is
 * their minimum. So a segment passes only if every stage passes at its test points, a shortcut at c only if every
 * stage then passes on [a, c] and [c, b], and by induction over the stages each one — and H, a combination of
 * them — is affine on every piece found, provided each stage's kinks show at the test's points: a stage's kink whose
 * effect there stays below 1e-9·max(1, |stage|) is not seen, and a later stage may bend there by any amount unseen
 * (review: a kink of U with slope change 1e-8 hid a dip of 1e-3 in H; near-degenerate markets, γ_π = γ_u ± ε, have
 * such kinks) — there the method is H's sampling again. Where the line itself bends (the triangle's diagonal of
 * sliceSearch.ts, the box faces of volumeSearch.ts's clamp) the stages are concave on each side only.
 *
 * Exact where f gives ranges (`RangeAt`: the interval around t on which the selection's cached face stays optimal,
 * lexicographic.ts `faceRange`, so that every stage is affine on it — the E2 searches pass them on straight lines):
 * a segment is covered by the range at its middle, cut at the range's ends (evaluated and kept: the face changes
 * there), and the parts left covered the same way, so consecutive kept points lie in one range and H is affine
 * between them whatever the test would see. Where no range is known, or it is shorter than the resolution (a
 * degenerate face) on a part longer than SHORT_PART resolutions, the four-point test decides that part, as above.
 */

/**
 * What `pieceEnds` resolves at t: H alone (sampled), or H with the stage values it is made of, in the selection's
 * order (`selectionStages`; H must be a linear combination of them).
 */
export type Staged = number | { h: number; stages: readonly number[]; range?: RangeAt };

/**
 * An interval [lo, hi] ∋ t on which every stage (and so H) is exactly affine, preferably one containing [a, b]
 * (the selection's face there stays optimal: lexicographic.ts `faceRange`), or undefined when none is known.
 */
export type RangeAt = (a: number, b: number) => readonly [number, number] | undefined;

/**
 * A payoff at a point of a slice or volume (sliceSearch.ts, volumeSearch.ts), with, where known, `along`: the
 * interval [lo, hi] ∋ 0 of s on which every stage is affine along p + s·d (preferably containing `want`).
 */
export type PointStaged<P> = number | { h: number; stages: readonly number[]; along?: Along<P> };
export type Along<P> = (d: P, want: readonly [number, number]) => readonly [number, number] | undefined;

/** A point's value on a line through it with direction d, at line parameter t: `along` as `pieceEnds`' range. */
export function onLine<P>(r: PointStaged<P>, d: P, t: number): Staged {
  if (typeof r === 'number') return r;
  const along = r.along;
  return along ? { h: r.h, stages: r.stages, range: (a, b) => shift(along(d, [a - t, b - t]), t) } : { h: r.h, stages: r.stages };
}

/** The intersection of ranges (undefined if any is). */
export function meet(rs: ReadonlyArray<readonly [number, number] | undefined>): [number, number] | undefined {
  let [lo, hi] = [-Infinity, Infinity];
  for (const r of rs) {
    if (!r) return undefined;
    [lo, hi] = [Math.max(lo, r[0]), Math.min(hi, r[1])];
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/**
 * H_ω at the point of a line at parameter t, with its stages and the line's exact range there: `range(want)` is
 * the selection's (e2.ts `selectionRange`) in the line's units around the point.
 */
export function buyerOnLine(p: { value: number; buyer: readonly number[] }, w: number, t: number, range: (want: readonly [number, number]) => readonly [number, number] | undefined): Staged {
  return { ...buyerStaged(p, w), range: (a, b) => shift(range([a - t, b - t]), t) };
}

/** A range of s around 0 moved to around t (`RangeAt` of a line parametrised from t). */
export function shift(r: readonly [number, number] | undefined, t: number): [number, number] | undefined {
  return r && [t + r[0], t + r[1]];
}

/**
 * The selection's stage values at q (e2.ts, platformDesign.ts: U, then Σ_ω H_ω, then each H_ω in type order; a
 * type without records has H_ω = 0) up to type `upTo`'s own: what H_ω for ω ≤ upTo, and their combinations, need.
 */
export function selectionStages(p: { value: number; buyer: readonly number[] }, upTo: number): number[] {
  let all = 0;
  for (const b of p.buyer) all += b;
  return [p.value, all, ...p.buyer.slice(0, upTo + 1)];
}

/** H_ω with the stages it needs (`selectionStages` up to ω): what the searches resolve along ω's own line. */
export function buyerStaged(p: { value: number; buyer: readonly number[] }, w: number): { h: number; stages: number[] } {
  return { h: p.buyer[w], stages: selectionStages(p, w) };
}

/**
 * Weights of the payoffs in a scanned mix Σ_n MIX_WEIGHTS[n]·H_n (distinct irrationals: kinks of different payoffs do
 * not cancel).
 */
export const MIX_WEIGHTS = [
  1, 0.6180339887498949, 0.41421356237309515, 0.7320508075688772, 0.2360679774997898, 0.3166247903554,
  // √7 − 2, √10 − 3, √17 − 4, √13 − 3, √14 − 3, √15 − 3: enough for two moving platforms' five payoffs each (review)
  0.6457513110645907, 0.16227766016837952, 0.12310562561766059, 0.6055512754639891, 0.7416573867739413, 0.8729833462074170,
];

/**
 * The mix Σ_n MIX_WEIGHTS[first + n]·H_{types[n]} with the stages every one of them needs: the payoffs of types that
 * do not move along a scan (kept at a corner or a face) can kink where their own conditions change, where no moving
 * type's payoff does (review: sets bounded by another buyer's pooling kink min(q_i, q_j) were lost).
 */
export function mixStaged(p: { value: number; buyer: readonly number[] }, types: readonly number[], first = 0): { h: number; stages: number[] } {
  let h = 0;
  types.forEach((w, n) => (h += MIX_WEIGHTS[(first + n) % MIX_WEIGHTS.length] * p.buyer[w]));
  return { h, stages: selectionStages(p, Math.max(0, ...types)) };
}

export const E2_SEGMENTS = 8;
export const E2_RESOLUTION = 1e-10;
/** `pieceEnds` covers a part shorter than this many resolutions with ranges of any positive length. */
const SHORT_PART = 4;

/** Piecewise-linear H along t ∈ [0, T]: sorted points (t, H(t)) including every detected breakpoint (also used by e2Multi.ts). */
export function pieceEnds(f: (t: number) => Staged, T: number, maxEvaluations = MAX_LINE_EVALUATIONS): Array<{ t: number; h: number }> {
  // at each t: the stages' values, then H (H alone when f gives no stages)
  const pts = new Map<number, number[]>();
  const ranges = new Map<number, RangeAt>();
  // the points the result is read from: segment ends, the linearity test's points and kinks — not the shortcut's
  // probes (c ± e, c ± d and the secants' a + e, b − e), which lie ~(b − a)/1024 from a kink: as its neighbours
  // they made the slope change times the gap fall below the noise floor, and the kink was dropped (review: a flat
  // piece 3e-7 long between slopes 3 and 2 left no breakpoint at all, nor did a slope change of 5e-5 at one kink)
  const kept = new Set<number>();
  const values = (t: number, probe = false): number[] => {
    if (!probe) kept.add(t);
    let v = pts.get(t);
    if (v === undefined) {
      // payoffs whose noise exceeds the linearity test's 1e-9 everywhere would be bisected to the resolution on
      // every segment (2^30 evaluations): stop with an error instead of running for hours
      if (pts.size >= maxEvaluations) throw new E2ResolutionError(maxEvaluations);
      const r = f(t);
      v = typeof r === 'number' ? [r] : [...r.stages, r.h];
      pts.set(t, v);
      if (typeof r !== 'number' && r.range) ranges.set(t, r.range);
    }
    return v;
  };
  const tol = (k: number, a: number, b: number) => 1e-9 * Math.max(1, Math.abs(values(a)[k]), Math.abs(values(b)[k]));
  // a component (stages in order, then H) off the chord of [a, b] at the first quarter point where one is, or −1
  const bent = (a: number, b: number): number => {
    const [va, vb] = [values(a), values(b)];
    for (const s of [0.25, 0.5, 0.75]) {
      const v = values(a + s * (b - a));
      for (let k = 0; k < v.length; k++) if (Math.abs(v[k] - (va[k] + s * (vb[k] - va[k]))) > tol(k, a, b)) return k;
    }
    return -1;
  };
  const res = E2_RESOLUTION * Math.max(1, T);
  // [a, b] covered by exact ranges where f gives them: the range at its middle is a piece of every stage; its ends
  // inside [a, b] are evaluated and kept (the selection's face changes there: a kink or not) and the rest covered
  // the same way, each part at most half of [a, b] (3/4 when a quarter point's range is used). Consecutive kept points then lie in one range, where every stage
  // is affine, whatever the test would have seen. Without a usable range (none known, or shorter than the
  // resolution) the four-point test decides [a, b] (`test`), as for payoffs passed without ranges.
  const cover = (a: number, b: number): void => {
    // a part within the resolution between two ranges' ends is a kink located to the resolution, as the test's
    // (points that close are merged below anyway)
    if (b - a <= res) return;
    // the range at the middle, else at a quarter point (the middle can lie where none is known: past a box face
    // or a triangle's diagonal, review); each part left is then at most 3/4 of [a, b]. On a part shorter than
    // SHORT_PART·res any range of positive length will do (the widest): within ~1e-10 of a kink a face's slack is
    // below its feasibility tolerance and its range ends at its own point, so the ranges either side of the kink
    // leave a gap below the resolution — 59 of ~490,000 segments of the e2 bench went to the test for that alone
    let [lo, hi] = [0, 0];
    let [wideLo, wideHi] = [0, 0];
    for (const s of [0.5, 0.25, 0.75]) {
      const t = a + s * (b - a);
      values(t);
      const r = ranges.get(t)?.(a, b);
      [lo, hi] = r ? [Math.max(a, r[0]), Math.min(b, r[1])] : [t, t];
      if (hi - lo > res) break;
      if (hi - lo > wideHi - wideLo) [wideLo, wideHi] = [lo, hi];
    }
    if (!(hi - lo > res)) {
      if (!(b - a <= SHORT_PART * res && wideHi > wideLo)) return test(a, b);
      [lo, hi] = [wideLo, wideHi];
    }
    if (lo > a) {
      values(lo);
      cover(a, lo);
    }
    if (hi < b) {
      values(hi);
      cover(hi, b);
    }
  };
  const test = (a: number, b: number): void => {
    const k = bent(a, b);
    if (k < 0) return;
    if (b - a <= res) return;
    // one continuous kink of component k: the lines through the two ends meet at it (checked by evaluating there,
    // and e to each side of it: a short piece next to c, between the four-point test's points, lies off both lines
    // there — a flat piece 9e-5 long right of a kink was missed, and a buyer who gains by selling less passed).
    // With stages, whichever k: every stage is then tested on [a, c] and [c, b], which makes each one affine there
    // in turn (module comment)
    const at = (t: number, probe = false) => values(t, probe)[k];
    const e = (b - a) / 1024;
    const sl = (at(a + e, true) - at(a)) / e;
    const sr = (at(b) - at(b - e, true)) / e;
    if (Math.abs(sl - sr) > 1e-9 * Math.max(1, Math.abs(sl), Math.abs(sr))) {
      const c = (at(b) - at(a) + sl * a - sr * b) / (sl - sr);
      // and d to each side, where the two lines part by 10 times the test's tolerance: a third piece between the
      // lines (H leaves line 1 after c, or joins line 2 before it) puts c off the kinks, with H off a line within d
      // of c unless that piece lies within d of c — the lines through a slope-3 and a slope-2 piece met 2e-5 before
      // a flat piece 1e-5 long, and a buyer who gained 1.8e-5 passed (GP E2, the units test's four-type market;
      // H alone: with its stages the check at c decides)
      const d = Math.min(e, (10 * tol(k, a, b)) / Math.abs(sl - sr));
      const onLines = () => {
        const hc = at(a) + sl * (c - a);
        const on = (x: number, slope: number) => Math.abs(at(c + x, true) - (hc + slope * x)) <= tol(k, a, b);
        return Math.abs(at(c) - hc) <= tol(k, a, b) && on(-e, sl) && on(e, sr) && on(-d, sl) && on(d, sr);
      };
      if (c > a + 2 * e && c < b - 2 * e && onLines() && bent(a, c) < 0 && bent(c, b) < 0) return;
    }
    const mid = (a + b) / 2;
    cover(a, mid);
    cover(mid, b);
  };
  for (let k = 0; k <= E2_SEGMENTS; k++) values((T * k) / E2_SEGMENTS);
  for (let k = 0; k < E2_SEGMENTS; k++) cover((T * k) / E2_SEGMENTS, (T * (k + 1)) / E2_SEGMENTS);
  // keep the fewest points whose polyline passes within the noise floor 1e-9·max(1, |H|) of every evaluated one:
  // from each kept point, the farthest point whose chord passes within it of all points between (slope bounds kept
  // as it extends). Judging each point by its neighbours' slopes lost kinks whose neighbours were close: bisection
  // leaves a cloud of points ~1e-9 apart at a kink it cannot resolve, each carrying part of the slope change below
  // the floor, and all were dropped — one kink with payoff noise 1e-11, or clusters with |H| ~ 1e3, gave [0, T]
  // (review). A kink the greedy finds in such a cloud sits within floor/|Δslope| of it. Points within the resolution
  // of the previous one are dropped first (a slope over such a distance is noise), and so are points within
  // END_BAND·T of an end: the lexicographic stages' 1e-9 slack makes kinks of a few 1e-9 there that are not the
  // model's.
  const sorted = [...pts.entries()].filter(([t]) => kept.has(t)).map(([t, v]) => ({ t, h: v[v.length - 1] })).sort((x, y) => x.t - y.t);
  const gap = E2_RESOLUTION * Math.max(1, T);
  const all = sorted.filter((p, k) => k === 0 || k === sorted.length - 1 || (p.t - sorted[k - 1].t > gap && p.t > END_BAND * T && p.t < T - END_BAND * T));
  // a point whose slope change times the longer neighbouring gap exceeds the floor is a kink where it was evaluated
  // and is kept as such (the greedy alone moved clean kinks of small slope change by up to floor/|Δslope| onto a
  // neighbour — 7.5e-5 for Δslope = 1e-5 — and the volume search's plane fits need them to 1e-8: review)
  const floorAt = (h: number) => 1e-9 * Math.max(1, Math.abs(h));
  const kink = all.map((p, k) => {
    if (k === 0 || k === all.length - 1) return true;
    const [a, b] = [all[k - 1], all[k + 1]];
    const [sl, sr] = [(p.h - a.h) / (p.t - a.t), (b.h - p.h) / (b.t - p.t)];
    return Math.abs(sl - sr) * Math.max(p.t - a.t, b.t - p.t) > floorAt(p.h);
  });
  const out = [all[0]];
  for (let a = 0; a < all.length - 1; ) {
    const [ta, ha] = [all[a].t, all[a].h];
    let [lo, hi] = [-Infinity, Infinity];
    let last = a + 1;
    for (let j = a + 1; j < all.length; j++) {
      const dt = all[j].t - ta;
      const s = (all[j].h - ha) / dt;
      if (s < lo || s > hi) break;
      last = j;
      if (kink[j]) break;
      const floor = floorAt(all[j].h);
      lo = Math.max(lo, (all[j].h - floor - ha) / dt);
      hi = Math.min(hi, (all[j].h + floor - ha) / dt);
    }
    out.push(all[last]);
    a = last;
  }
  return out;
}


/** Interior breakpoints within END_BAND·T of a line's ends are not kept by `pieceEnds` (module comment there). */
export const END_BAND = 1e-8;

/** Most evaluations of a buyer's payoff along one line (`pieceEnds`); lines of GP's examples need a few hundred. */
export const MAX_LINE_EVALUATIONS = 5000;

/** A line whose payoff could not be resolved into linear pieces within `MAX_LINE_EVALUATIONS`. */
export class E2ResolutionError extends RangeError {
  constructor(readonly evaluations: number) {
    super(`E2 not computed: a buyer's payoff along a line did not resolve into linear pieces within ${evaluations} evaluations (MAX_LINE_EVALUATIONS; numerically noisy payoffs, e.g. with a tiny mass)`);
  }
}
