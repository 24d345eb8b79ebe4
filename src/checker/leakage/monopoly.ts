/**
 * Exact monopoly leakage equilibrium (AMMO Thm 1–2) and first best (AMMO §3.1), MODEL.md B.2.
 *   a^E ∈ argmax_A Φ(A),  p^E = least sustaining prices of a^E,   a^W ∈ argmax_A SS(A).
 * General Σ: all 2ⁿ sets by a depth-first walk with Kalman updates (src/model/leakage/enumerate.ts).
 * Communities: sharer-count vectors (src/model/leakage/community.ts), by exact branch and bound
 * (communitySearch.ts) or plain enumeration.
 */
import { InputError } from '../../scenario/errors.js';
import type { Communities } from '../../scenario/schema.js';
import type { LeakageScenario } from '../../scenario/validate.js';
import { inverseSpd, matFrom, type Mat } from '../../model/linalg.js';
import { enumerateSetValues } from '../../model/leakage/enumerate.js';
import { maskToSet } from '../../model/leakage/gaussian.js';
import { evaluateSharingSet, outcomeFrom, type SharingOutcome } from '../../model/leakage/outcome.js';
import { blockLeakage, blockScratch, countValues, phiSeparableBound, phiUpperBound, ssSeparableBound, ssUpperBound } from '../../model/leakage/community.js';
import { maximiseOverCounts, type CountSearch } from './communitySearch.js';
import { maxWithTies, maxWithTiesIn, preferCounts, preferSets, MAX_TIES_KEPT, TIE_TOL } from './select.js';

/** Largest n solved by full enumeration without structure (measured: docs/performance.md). */
export const MAX_ENUMERATION_USERS = 24;
/** Largest number of sharer-count vectors Π(n_g + 1) enumerated for communities. */
export const MAX_COUNT_VECTORS = 50_000_000;

export interface EquilibriumReport extends SharingOutcome {
  sharersByCommunity?: number[];
  /** Every optimal set (or count vector) tied with the reported one; `count` may exceed the list. */
  ties: { count: number; sets: number[][] };
}

export interface FirstBestReport {
  sharers: number[];
  socialSurplus: number;
  sharersByCommunity?: number[];
  ties: { count: number; sets: number[][] };
}

export interface MonopolySolution {
  model: 'leakage';
  method: string;
  users: number;
  equilibrium: EquilibriumReport;
  firstBest: FirstBestReport;
  /** "Too much data": equilibrium surplus below zero (shutting the market down helps) / below first best. */
  verdict: { negativeSurplus: boolean; efficient: boolean; surplusGap: number };
}

/** Solves the single-platform leakage market exactly. */
export function solveMonopoly(s: LeakageScenario): MonopolySolution {
  return s.structure.kind === 'general'
    ? solveGeneral(s.structure.Sigma, s.noiseVariance, s.privacyValues)
    : solveCommunities(s.structure, s.noiseVariance, s.privacyValues);
}

function verdict(eq: number, fb: number): MonopolySolution['verdict'] {
  const tol = 1e-9 * Math.max(1, Math.abs(fb));
  return { negativeSurplus: eq < -tol, efficient: eq >= fb - tol, surplusGap: fb - eq };
}

/**
 * Users every optimal or tied set must contain (AMMO Lemma 3 with a margin), as a bitmask; the enumeration
 * then computes Φ only over their supersets (enumerate.ts `required`).
 *
 * Claim. Let every v_j ≥ 0, B = Σ_l Σ_ll (1 + v_l) and ε = TIE_TOL·max(1, B) + 1e-9·B. If v_i < 1 and
 * (1 − v_i)Δ_i(N) > 2ε (N = all users), no set without i is optimal or tied with the optimum (select.ts).
 * Proof. For i ∉ S and S⁺ = S ∪ {i},
 *   Φ(S⁺) − Φ(S) = Δ_i(S⁺) + Σ_{l≠i}[I_l(S⁺) − I_l(S)] − v_iΔ_i(S⁺) − Σ_{j∈S} v_j[Δ_j(S⁺) − Δ_j(S)]
 *                ≥ (1 − v_i)Δ_i(S⁺) ≥ (1 − v_i)Δ_i(N),
 * because I_l is monotone in the sharer set (AMMO Lemma 1.1), Δ_j is non-increasing in it (Lemma 1.2) and
 * v_j ≥ 0. Since 0 ≤ I_l ≤ Σ_ll and 0 ≤ Δ_j ≤ Σ_jj, |Φ| ≤ B, so the tie tolerance TIE_TOL·max(1, |max Φ|) is
 * at most TIE_TOL·max(1, B); 1e-9·B allows for round-off in the computed values (tested to 1e-9 relative),
 * and the factor 2 for round-off in Δ_i(N) itself. So Φ(S) < max Φ − tolerance, strictly, for every S ∌ i. ∎
 * Δ_i(N) = (τ² M_ii − 1)²/M_ii with M = (Σ + τ²Id)⁻¹ (MODEL.md B.11).
 */
export function requiredSharers(S: Mat, tau2: number, v: readonly number[]): number {
  const n = S.n;
  if (n === 0 || v.some((x) => !(x >= 0))) return 0;
  let B = 0;
  for (let l = 0; l < n; l++) B += S.data[l * n + l] * (1 + v[l]);
  const eps = TIE_TOL * Math.max(1, B) + 1e-9 * B;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) a[i] = S.data[i];
  for (let i = 0; i < n; i++) a[i * n + i] += tau2;
  const M = inverseSpd(a, n);
  let mask = 0;
  for (let i = 0; i < n; i++) {
    const mii = M[i * n + i];
    const e = tau2 * mii - 1;
    if (v[i] < 1 && (1 - v[i]) * ((e * e) / mii) > 2 * eps) mask |= 1 << i;
  }
  return mask;
}

/** Up-front limit of the general-Σ enumeration (also asked by the preflight, src/checker/preflight.ts). */
export function checkGeneralLimits(n: number): void {
  if (n > MAX_ENUMERATION_USERS) {
    throw new InputError(
      'covariance',
      `${n} users exceed the exact-enumeration limit of ${MAX_ENUMERATION_USERS} for a general covariance (2^n sets); describe exchangeable users with "communities" instead`,
    );
  }
}

/**
 * Most users in all for communities (the outcome lists every user: 10⁶ users solve in ~1 s, 10⁷ took 6 s and 1.7 GB,
 * 10⁸ ran out of memory and 10¹² did not end — review).
 */
export const MAX_COMMUNITY_USERS = 1_000_000;

/**
 * Up-front limits of the single-platform MSE solve (`solveMonopoly`). Communities: at most MAX_COMMUNITY_USERS users;
 * the branch and bound's budget (and the enumeration beyond it, MAX_COUNT_VECTORS) is known only while it runs.
 */
export function checkMonopolyLimits(s: LeakageScenario): void {
  if (s.structure.kind === 'general') checkGeneralLimits(s.structure.Sigma.length);
  else {
    const users = s.structure.sizes.reduce((a, b) => a + b, 0);
    if (users > MAX_COMMUNITY_USERS) throw new InputError('communities.sizes', `${users} users in all exceed the limit of ${MAX_COMMUNITY_USERS} (each user's outcome is listed); use fewer users`);
  }
}

/** Exact solve for a general covariance by enumerating all 2ⁿ sharer sets. */
export function solveGeneral(Sigma: number[][], tau2: number, v: number[]): MonopolySolution {
  const n = Sigma.length;
  checkGeneralLimits(n);
  const S = matFrom(Sigma);
  const values = enumerateSetValues(S, tau2, v, requiredSharers(S, tau2, v));
  const pick = (arr: Float64Array): { best: number[]; count: number; sets: number[][] } => {
    const t = maxWithTiesIn(arr, (a, b) => preferSets(maskToSet(a, n), maskToSet(b, n)));
    const sets = t.indices.map((m) => maskToSet(m, n)).sort(preferSets);
    return { best: sets[0], count: t.count, sets: sets.slice(0, MAX_TIES_KEPT) };
  };
  const eq = pick(values.phi);
  const fb = pick(values.ss);
  // Report payoffs from direct solves, not from the incremental path.
  const eqOut = evaluateSharingSet(S, tau2, v, eq.best);
  const fbOut = evaluateSharingSet(S, tau2, v, fb.best);
  return {
    model: 'leakage',
    method: `exact: enumeration of all 2^${n} sharing sets (depth-first Kalman updates); payoffs re-evaluated by Cholesky solves`,
    users: n,
    equilibrium: { ...eqOut, ties: { count: eq.count, sets: eq.sets } },
    firstBest: { sharers: fbOut.sharers, socialSurplus: fbOut.socialSurplus, ties: { count: fb.count, sets: fb.sets } },
    verdict: verdict(eqOut.socialSurplus, fbOut.socialSurplus),
  };
}

/** Mixed-radix index ↔ count vector m with 0 ≤ m_g ≤ sizes_g. */
function countsAt(index: number, sizes: readonly number[], out: number[]): number[] {
  let r = index;
  for (let g = sizes.length - 1; g >= 0; g--) {
    const base = sizes[g] + 1;
    out[g] = r % base;
    r = Math.floor(r / base);
  }
  return out;
}

/** Users of block g are indices offset_g … offset_g + n_g − 1; the first m_g of them share. */
export function expandCounts(sizes: readonly number[], m: readonly number[]): number[] {
  const out: number[] = [];
  let offset = 0;
  sizes.forEach((ng, g) => {
    for (let i = 0; i < m[g]; i++) out.push(offset + i);
    offset += ng;
  });
  return out;
}

/** Expands per-block quantities to per-user arrays. */
function perUser(sizes: readonly number[], m: readonly number[], sharerVal: ArrayLike<number>, otherVal: ArrayLike<number>): number[] {
  const out: number[] = [];
  sizes.forEach((ng, g) => {
    for (let i = 0; i < ng; i++) out.push(i < m[g] ? sharerVal[g] : otherVal[g]);
  });
  return out;
}

/**
 * How the community solver searches the count vectors:
 * - 'enumerate': every vector Π(n_g + 1) (the reference; guarded by MAX_COUNT_VECTORS);
 * - 'branch-and-bound': best-first branch and bound with the monotone bounds of community.ts — exact,
 *   including ties (communitySearch.ts), and fast for thousands of users per block;
 * - 'auto' (default): branch and bound, falling back to enumeration if its work budget runs out.
 */
export type CommunityMethod = 'auto' | 'enumerate' | 'branch-and-bound';

/** Point evaluations allowed to branch and bound before it gives up (degenerate, flat objectives). */
export const MAX_SEARCH_EVALUATIONS = 20_000_000;

/** The separable bounds (O(Σ_g widths)) are computed for boxes whose widths sum to at most this (measured). */
const SEPARABLE_MAX_WIDTH = 4096;

interface Pick {
  best: number[];
  count: number;
  sets: number[][];
}

/** Plain enumeration of every count vector: argmax of Φ and SS with ties (select.ts). */
function enumerateCounts(c: Communities, tau2: number, vBlock: readonly number[]): { eq: Pick; fb: Pick } {
  const sizes = c.sizes;
  const vectors = sizes.reduce((p, ng) => p * (ng + 1), 1);
  if (vectors > MAX_COUNT_VECTORS) {
    throw new InputError(
      'communities.sizes',
      `${vectors} sharer-count vectors exceed the exact limit of ${MAX_COUNT_VECTORS}; use fewer or smaller communities`,
    );
  }
  const buf = new Array<number>(sizes.length).fill(0);
  const phi = new Float64Array(vectors);
  const ss = new Float64Array(vectors);
  const scratch = blockScratch(c);
  const priceBuf = new Float64Array(sizes.length);
  for (let i = 0; i < vectors; i++) {
    const r = countValues(c, tau2, vBlock, countsAt(i, sizes, buf), scratch, priceBuf);
    phi[i] = r.phi;
    ss[i] = r.ss;
  }
  const at = (i: number): number[] => countsAt(i, sizes, new Array<number>(sizes.length));
  const pick = (arr: Float64Array): Pick => {
    const t = maxWithTies(arr.length, (i) => arr[i], (a, b) => preferCounts(at(a), at(b)));
    const sets = t.indices.map(at).sort(preferCounts);
    return { best: sets[0], count: t.count, sets: sets.slice(0, MAX_TIES_KEPT) };
  };
  return { eq: pick(phi), fb: pick(ss) };
}

/** Branch and bound for Φ and SS (undefined if the work budget ran out). */
function searchCounts(c: Communities, tau2: number, vBlock: readonly number[]): { eq: Pick; fb: Pick; work: number } | undefined {
  const scratch = blockScratch(c);
  const priceBuf = new Float64Array(c.sizes.length);
  // Round-off allowance: 1e-11 of the largest magnitude any term can reach (every user fully leaked, paid).
  const scale = c.sizes.reduce((s, ng, g) => s + ng * Math.abs(c.variance) * (1 + vBlock[g]), 1);
  const opts = { margin: 1e-11 * scale, budget: MAX_SEARCH_EVALUATIONS };
  // Lemma 3 with a margin: for v_g < 1, Φ(m + e_g) − Φ(m) ≥ (1 − v_g)Δ_g(m + e_g) ≥ (1 − v_g)Δ_g(sizes)
  // (the other users' terms of Φ do not decrease, AMMO Lemma 3's proof; Δ_g is non-increasing, Lemma 1.2).
  // When that gap exceeds the tie tolerance (|Φ| ≤ scale), no vector with m_g < n_g is optimal or tied, so
  // the search may start at lo_g = n_g without changing the answer or the tie count.
  // Both bounds of a box are valid (community.ts): the monotone one is O(K); the separable one is much
  // tighter (second order around interior optima) but costs O(Σ widths), so it is skipped on wide boxes.
  type Bound = (c: Communities, tau2: number, v: readonly number[], lo: Int32Array, hi: Int32Array) => number;
  const tighter = (monotone: number, l: Int32Array, h: Int32Array, separable: Bound): number => {
    let width = 0;
    for (let g = 0; g < l.length; g++) width += h[g] - l[g] + 1;
    return width > SEPARABLE_MAX_WIDTH ? monotone : Math.min(monotone, separable(c, tau2, vBlock, l, h));
  };
  const full = blockLeakage(c, tau2, c.sizes, scratch);
  const lo = c.sizes.map((ng, g) =>
    vBlock[g] < 1 && (1 - vBlock[g]) * (full.sharer[g] - full.leaveOneOut[g]) > 1e-9 * scale + opts.margin ? ng : 0,
  );
  const eq = maximiseOverCounts(
    c.sizes,
    (m) => countValues(c, tau2, vBlock, m, scratch, priceBuf).phi,
    (l, h) => tighter(phiUpperBound(c, tau2, vBlock, l, h, scratch), l, h, phiSeparableBound),
    { ...opts, lo },
  );
  if (!eq) return undefined;
  const fb = maximiseOverCounts(
    c.sizes,
    (m) => countValues(c, tau2, vBlock, m, scratch, priceBuf).ss,
    (l, h) => tighter(ssUpperBound(c, tau2, vBlock, l, h, scratch), l, h, ssSeparableBound),
    opts,
  );
  if (!fb) return undefined;
  const asPick = (r: CountSearch): Pick => ({ best: r.sets[0], count: r.count, sets: r.sets });
  return { eq: asPick(eq), fb: asPick(fb), work: eq.evaluated + fb.evaluated };
}

/** Exact solve for a community covariance from sharer counts per block (see CommunityMethod). */
export function solveCommunities(
  c: Communities,
  tau2: number,
  vBlock: number[],
  options: { method?: CommunityMethod } = {},
): MonopolySolution {
  const sizes = c.sizes;
  const method = options.method ?? 'auto';
  const vectors = sizes.reduce((p, ng) => p * (ng + 1), 1);
  const found = method === 'enumerate' ? undefined : searchCounts(c, tau2, vBlock);
  if (!found && method === 'branch-and-bound') {
    throw new InputError(
      'communities',
      `branch and bound exceeded ${MAX_SEARCH_EVALUATIONS} evaluations (flat objective); use method "enumerate" on smaller communities`,
    );
  }
  const how = found
    ? `exact: best-first branch and bound over the ${vectors} sharer-count vectors of ${sizes.length} exchangeable communities (monotone leakage bounds, AMMO Lemma 1, and separable bounds given q; ${found.work} vectors evaluated)`
    : `exact: enumeration of all ${vectors} sharer-count vectors over ${sizes.length} exchangeable communities (closed-form block leakage)`;
  const { eq, fb } = found ?? enumerateCounts(c, tau2, vBlock);
  const v = perUser(sizes, sizes, vBlock, vBlock);
  const eqVals = countValues(c, tau2, vBlock, eq.best);
  const leak = perUser(sizes, eq.best, eqVals.leak.sharer, eqVals.leak.nonSharer);
  const prices = perUser(sizes, eq.best, eqVals.prices, new Float64Array(sizes.length));
  const eqOut = outcomeFrom(expandCounts(sizes, eq.best), leak, prices, v);
  const fbVals = countValues(c, tau2, vBlock, fb.best);
  return {
    model: 'leakage',
    method: how,
    users: v.length,
    equilibrium: { ...eqOut, sharersByCommunity: eq.best, ties: { count: eq.count, sets: eq.sets } },
    firstBest: {
      sharers: expandCounts(sizes, fb.best),
      socialSurplus: fbVals.ss,
      sharersByCommunity: fb.best,
      ties: { count: fb.count, sets: fb.sets },
    },
    verdict: verdict(eqOut.socialSurplus, fbVals.ss),
  };
}
