/**
 * Single-platform solver on community sharer counts for leakage that is not the plain Gaussian I_i of one
 * block covariance (docs/leakage-competition.md): mutual information I(X_i; S_A) (AMMO §5.1, MODEL.md B.9
 * item 25 (b)) and expected leakage over a finite list of block covariances Σ ~ μ (AMMO §5.3). Users of a
 * block are exchangeable under every Σ in the list (all share the same sizes), so leakage still depends on
 * sharer counts only, and the transform −½ ln(1 − I/σ²) is applied per block (model community.ts
 * blockLeakFn, mixBlockLeak; Φ and SS by blockValues).
 *
 * Full enumeration of the Π(n_g + 1) count vectors (the branch and bound of communitySearch.ts relies on
 * bounds proved for the MSE measure of one Σ, so it is not reused here).
 */
import { InputError } from '../../scenario/errors.js';
import { blockValues, type BlockLeakage } from '../../model/leakage/community.js';
import { outcomeFrom } from '../../model/leakage/outcome.js';
import { expandCounts, type MonopolySolution } from './monopoly.js';
import { maxWithTies, preferCounts, MAX_TIES_KEPT } from './select.js';

/** Largest number of sharer-count vectors Π(n_g + 1) enumerated here. */
export const MAX_COMMUNITY_TABLE_VECTORS = 5_000_000;

function countVectors(sizes: readonly number[]): number[][] {
  const out: number[][] = [];
  const x = new Array<number>(sizes.length).fill(0);
  for (;;) {
    out.push(x.slice());
    let g = sizes.length - 1;
    while (g >= 0 && x[g] === sizes[g]) {
      x[g] = 0;
      g--;
    }
    if (g < 0) return out;
    x[g]++;
  }
}

/** Up-front limit of the count-vector enumeration (also asked by the preflight); returns Π(n_g + 1). */
export function checkCommunityTableLimits(sizes: readonly number[]): number {
  const total = sizes.reduce((p, ng) => p * (ng + 1), 1);
  if (total > MAX_COMMUNITY_TABLE_VECTORS) {
    throw new InputError('communities.sizes', `${total} sharer-count vectors exceed the limit of ${MAX_COMMUNITY_TABLE_VECTORS} for this leakage measure / uncertainty on communities`);
  }
  return total;
}

/** AMMO Thm 1 argmax Φ and first best on counts, with leakage from `leakOf`, and the outcome per user. */
export function solveCommunityTable(sizes: readonly number[], leakOf: (m: readonly number[]) => BlockLeakage, vBlock: readonly number[], method: string): MonopolySolution {
  const total = checkCommunityTableLimits(sizes);
  const K = sizes.length;
  const vecs = countVectors(sizes);
  const phi = new Float64Array(vecs.length);
  const ss = new Float64Array(vecs.length);
  const prices = new Float64Array(K);
  vecs.forEach((m, k) => {
    const r = blockValues(sizes, vBlock, m, leakOf(m), prices);
    phi[k] = r.phi;
    ss[k] = r.ss;
  });
  const pick = (arr: Float64Array): { best: number[]; count: number; sets: number[][] } => {
    const t = maxWithTies(arr.length, (k) => arr[k], (a, b) => preferCounts(vecs[a], vecs[b]));
    const sets = t.indices.map((k) => vecs[k]).sort(preferCounts);
    return { best: sets[0], count: t.count, sets: sets.slice(0, MAX_TIES_KEPT) };
  };
  const eq = pick(phi);
  const fb = pick(ss);
  const perUser = (m: readonly number[], sh: ArrayLike<number>, other: ArrayLike<number>): number[] =>
    sizes.flatMap((ng, g) => Array.from({ length: ng }, (_, r) => (r < m[g] ? sh[g] : other[g])));
  const v = perUser(sizes, vBlock, vBlock);
  const outcome = (m: readonly number[]) => {
    const { leak: L, prices } = blockValues(sizes, vBlock, m, leakOf(m));
    return outcomeFrom(expandCounts(sizes, m), perUser(m, L.sharer, L.nonSharer), perUser(m, prices, new Float64Array(K)), v);
  };
  const eqOut = outcome(eq.best);
  const fbOut = outcome(fb.best);
  const tol = 1e-9 * Math.max(1, Math.abs(fbOut.socialSurplus));
  return {
    model: 'leakage',
    method: `exact: enumeration of all ${total} sharer-count vectors over ${K} exchangeable communities; ${method}`,
    users: v.length,
    equilibrium: { ...eqOut, sharersByCommunity: eq.best, ties: { count: eq.count, sets: eq.sets } },
    firstBest: { sharers: fbOut.sharers, socialSurplus: fbOut.socialSurplus, sharersByCommunity: fb.best, ties: { count: fb.count, sets: fb.sets } },
    verdict: { negativeSurplus: eqOut.socialSurplus < -tol, efficient: eqOut.socialSurplus >= fbOut.socialSurplus - tol, surplusGap: fbOut.socialSurplus - eqOut.socialSurplus },
  };
}
