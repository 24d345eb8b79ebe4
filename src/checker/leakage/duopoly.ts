/**
 * Exact duopoly leakage checker (PAL's embedded Stackelberg game, MODEL.md B.8.7; docs/leakage-competition.md).
 *
 * General Σ: every joining profile b ∈ {1,2}ⁿ (PAL Lemma 1 / AMMO Lemma 4: everyone joins). Platforms are
 * identical, so a platform's Stackelberg solution depends only on its member set M; all 2ⁿ member sets are
 * solved once (Σ_M 2^|M| = 3ⁿ sharer sets in total, from a table of per-set leakage built once), each with
 * the monopoly tie rule of select.ts. A profile is a pure joining equilibrium (PAL Def 1) when no user
 * strictly gains by switching platform, both platforms re-optimising (the switched profile is just another
 * profile), nor — when joining values are given — by joining none.
 *
 * Communities: profiles are counts x_g of block g on platform 1; see solveDuopolyCommunities.
 */
import { InputError } from '../../scenario/errors.js';
import type { Communities } from '../../scenario/schema.js';
import { matFrom } from '../../model/linalg.js';
import { maskToSet } from '../../model/leakage/gaussian.js';
import { buildSetTable, platformObjective, submasks, tablePrice, type SetTable } from '../../model/leakage/setTable.js';
import {
  dataSurplusTerm,
  joiningValueOf,
  memberPayoff,
  outsidePayoff,
  palMixedBound,
  type JoiningValue,
} from '../../model/leakage/duopoly.js';
import { blockLeakage, blockScratch, type BlockLeakage } from '../../model/leakage/community.js';
import { decorrelatedPrice } from '../../model/leakage/regulation.js';
import { maxWithTies, preferCounts, preferSets, TIE_TOL } from './select.js';
import { duopolyFirstBestCommunities, duopolyFirstBestGeneral, type DuopolyFirstBest } from './firstBestDuopoly.js';

/** Largest n for the exact duopoly on a general Σ: 3ⁿ sharer sets plus a 2ⁿ·n table (docs/leakage-competition.md). */
export const MAX_DUOPOLY_USERS = 14;
/** Largest Σ_x Π_g (x_g + 1) (sharer-count vectors over all platform-1 member vectors) for communities. */
export const MAX_DUOPOLY_COUNT_WORK = 20_000_000;
/** At most this many pure joining equilibria are listed (all are counted). */
export const MAX_EQUILIBRIA_LISTED = 1000;

export interface DuopolyOptions {
  /** PAL's spillover α ∈ [0, 1]. */
  alpha: number;
  /** c_i(J); absent = AMMO Assumption 1 taken as given (joining always beats staying out) and c omitted from surplus. */
  joining?: JoiningValue;
  /**
   * AMMO §6 applied to each platform of the join-first duopoly (general Σ only; docs/leakage-competition.md):
   * a per-transaction tax `rate` paid by the platform, and/or de-correlation by one trusted mediator for the
   * whole market (Lemma 5 as an axiom: Ĩ_i = a_i I_i, so non-sellers leak nothing to either platform and
   * spillovers vanish; a seller is paid her whole disutility v_i I_i(A_k)).
   */
  regulation?: { rate: number; decorrelation: boolean };
}

export interface JoiningEquilibrium {
  /** Platform (1 or 2) per user. */
  assignment: (1 | 2)[];
  /** Sharers on platform 1 and on platform 2 (0-based user indices). */
  sharers: [number[], number[]];
  /** Data part plus joining values (= dataSurplus when joining values are not given). */
  socialSurplus: number;
  /** Σ_i (1 − v_i)(I_i(own) + α I_i(other)). */
  dataSurplus: number;
  /** Per user: PAL eq. (3) prices on her platform (0 for non-sharers). */
  prices: number[];
  /** Per user: PAL eq. (6). */
  userPayoffs: number[];
  /** Communities: members and sharers per block on each platform, and how many user-level assignments this count profile stands for. */
  membersByCommunity?: [number[], number[]];
  sharersByCommunity?: [number[], number[]];
  multiplicity?: number;
}

export interface DuopolyReport {
  platforms: 2;
  spillover: number;
  joiningValue: JoiningValue | null;
  joiningMethod: string;
  /** Pure joining equilibria (possibly empty), at most MAX_EQUILIBRIA_LISTED listed. */
  joiningEquilibria: JoiningEquilibrium[];
  joiningEquilibriaCount: number;
  /** Communities only: count profiles whose verdict depends on which block members the platforms pick to share. */
  roleDependentProfiles?: number;
  uniformMixed: {
    /** E_b over independent ½–½ joining of the social surplus (data part + joining values). */
    expectedSocialSurplus: number;
    expectedDataSurplus: number;
    /** PAL Thm 4 (α = 0) / Thm 7 upper bound on expectedDataSurplus. */
    palBound: number;
  };
  /** The planner's best assignment of users to platforms (and outside, with joining values) and sharer sets (firstBestDuopoly.ts); null when over its size limit. */
  duopolyFirstBest: DuopolyFirstBest | null;
  /** Why duopolyFirstBest is null. */
  duopolyFirstBestNote?: string;
  /** Present when the joining equilibria are those of the regulated duopoly (the first best is not regulated). */
  duopolyRegulation?: { rate: number; decorrelation: boolean };
}

const gainTol = (x: number): number => TIE_TOL * Math.max(1, Math.abs(x));

/**
 * The joining game of a general-Σ duopoly, solved once for every profile: each platform's Stackelberg
 * solution per member set and every user's payoff in every profile. Shared by the checker (which lists the
 * pure equilibria) and the engine's join step (whose users search it), so both evaluate the same payoffs.
 */
export interface DuopolyGame {
  n: number;
  alpha: number;
  joining?: JoiningValue;
  regulation?: { rate: number; decorrelation: boolean };
  table: SetTable;
  /** Sharer set (bitmask) chosen by a platform whose member set is the index. */
  sol: Int32Array;
  /** Payoff of user i in profile P (bit i set ⇔ i on platform 1) at [P·n + i]. */
  pay: Float64Array;
  /** Social surplus (data part + joining values) and data part per profile. */
  ss: Float64Array;
  data: Float64Array;
}

/** Up-front limit of the general-Σ duopoly (also asked by the preflight and by simulate's join step). */
export function checkDuopolyGeneralLimits(n: number): void {
  if (n > MAX_DUOPOLY_USERS) {
    throw new InputError(
      'platforms',
      `the exact duopoly enumerates 2^n joining profiles (3^n sharer sets); ${n} users exceed its limit of ${MAX_DUOPOLY_USERS} for a general covariance — describe exchangeable users with "communities" instead`,
    );
  }
}

/**
 * Up-front limit of the community duopoly: the sharer-count vectors over all joining count profiles,
 * Σ_{x ≤ sizes} Π_g (x_g + 1) = Π_g (n_g + 1)(n_g + 2)/2 (the sum factorises over communities).
 */
export function checkDuopolyCommunityLimits(sizes: readonly number[]): void {
  const work = sizes.reduce((p, ng) => p * (((ng + 1) * (ng + 2)) / 2), 1);
  if (work > MAX_DUOPOLY_COUNT_WORK) {
    throw new InputError(
      'communities.sizes',
      `the exact duopoly needs more than ${MAX_DUOPOLY_COUNT_WORK} sharer-count vectors over all joining count profiles; use fewer or smaller communities`,
    );
  }
}

export function buildDuopolyGame(Sigma: number[][], tau2: number, v: number[], opts: DuopolyOptions, table?: SetTable): DuopolyGame {
  const n = Sigma.length;
  checkDuopolyGeneralLimits(n);
  const t = table ?? buildSetTable(matFrom(Sigma), tau2);
  const { alpha, joining, regulation } = opts;
  const full = 2 ** n - 1;
  const size = 2 ** n;
  const rate = regulation?.rate ?? 0;
  const decor = regulation?.decorrelation ?? false;
  /** Platform objective on member set M: AMMO Thm 1 / PAL eq. (5), or Thm 6.1 under de-correlation; minus the tax. */
  const objective = (M: number, A: number): number => {
    let base = 0;
    if (decor) {
      for (let i = 0; i < n; i++) if (A & (1 << i)) base += (1 - v[i]) * t.leak[A * n + i];
    } else base = platformObjective(t, v, M, A, alpha);
    return rate > 0 ? base - rate * popcount(A) : base;
  };

  // Stackelberg solution (sharer set) of a platform with member set M.
  const sol = new Int32Array(size);
  for (let M = 0; M < size; M++) {
    const cands = submasks(M);
    const ties = maxWithTies(cands.length, (k) => objective(M, cands[k]));
    sol[M] = ties.indices.map((k) => cands[k]).sort((a, b) => preferSets(maskToSet(a, n), maskToSet(b, n)))[0];
  }
  // Under de-correlation a user leaks only as a seller and is then fully compensated: own and cross leakage
  // in payoffs are 0, and only sellers' leakage enters surplus.
  const leak = (A: number, i: number): number => (decor ? 0 : t.leak[A * n + i]);
  const own = (A: number, i: number): number => (decor ? 0 : t.loo[A * n + i]);
  const dataLeak = (A: number, i: number): number => (decor && !(A & (1 << i)) ? 0 : t.leak[A * n + i]);
  const cOf = (members: number): number => (joining ? joiningValueOf(joining, popcount(members)) : 0);

  const pay = new Float64Array(size * n);
  const ss = new Float64Array(size);
  const data = new Float64Array(size);
  for (let P = 0; P < size; P++) {
    const M1 = P;
    const M2 = full & ~P;
    const A1 = sol[M1];
    const A2 = sol[M2];
    let d = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const on1 = (P >> i) & 1;
      const [Aown, Aoth, Mown] = on1 ? [A1, A2, M1] : [A2, A1, M2];
      const ci = cOf(Mown);
      pay[P * n + i] = memberPayoff(v[i], own(Aown, i), leak(Aoth, i), alpha, ci);
      d += dataSurplusTerm(v[i], dataLeak(Aown, i), leak(Aoth, i), alpha);
      c += ci;
    }
    data[P] = d;
    ss[P] = d + c;
  }
  return { n, alpha, ...(joining ? { joining } : {}), ...(regulation ? { regulation } : {}), table: t, sol, pay, ss, data };
}

export function popcount(x: number): number {
  let c = 0;
  for (let y = x; y; y &= y - 1) c++;
  return c;
}

/** PAL Def 1: no user strictly gains by switching platform, nor (with joining values) by staying out. */
export function isJoiningEquilibrium(g: DuopolyGame, v: readonly number[], P: number): boolean {
  const { n, pay, sol, table: t, alpha, joining } = g;
  const full = 2 ** n - 1;
  for (let i = 0; i < n; i++) {
    const u = pay[P * n + i];
    if (pay[(P ^ (1 << i)) * n + i] > u + gainTol(u)) return false;
    if (joining) {
      const on1 = (P >> i) & 1;
      const M1 = on1 ? P & ~(1 << i) : P;
      const M2 = on1 ? full & ~P : full & ~P & ~(1 << i);
      const out = g.regulation?.decorrelation ? 0 : outsidePayoff(v[i], t.leak[sol[M1] * n + i], t.leak[sol[M2] * n + i], alpha);
      if (out > u + gainTol(u)) return false;
    }
  }
  return true;
}

/** Per-user prices (PAL eq. (3)) on their platforms in profile P. */
export function profilePrices(g: DuopolyGame, v: readonly number[], P: number): number[] {
  const { n, sol, table: t } = g;
  const A1 = sol[P];
  const A2 = sol[(2 ** n - 1) & ~P];
  return v.map((vi, i) => {
    const A = (P >> i) & 1 ? A1 : A2;
    if (!(A & (1 << i))) return 0;
    // De-correlation (AMMO Thm 6.1): the seller's whole disutility; otherwise PAL eq. (3).
    return g.regulation?.decorrelation ? decorrelatedPrice(vi, t.leak[A * n + i]) : tablePrice(t, vi, A, i);
  });
}

/** Exact duopoly for a general covariance. */
export function solveDuopolyGeneral(Sigma: number[][], tau2: number, v: number[], opts: DuopolyOptions, table?: SetTable): DuopolyReport {
  const g = buildDuopolyGame(Sigma, tau2, v, opts, table);
  const { n, sol, pay, ss, data, table: t, alpha, joining } = g;
  const full = 2 ** n - 1;
  const size = 2 ** n;
  const equilibria: JoiningEquilibrium[] = [];
  let count = 0;
  for (let P = 0; P < size; P++) {
    if (!isJoiningEquilibrium(g, v, P)) continue;
    count++;
    if (equilibria.length >= MAX_EQUILIBRIA_LISTED) continue;
    const A1 = sol[P];
    const A2 = sol[full & ~P];
    const prices = profilePrices(g, v, P);
    equilibria.push({
      assignment: v.map((_, i) => ((P >> i) & 1 ? 1 : 2)),
      sharers: [maskToSet(A1, n), maskToSet(A2, n)],
      socialSurplus: ss[P],
      dataSurplus: data[P],
      prices,
      userPayoffs: Array.from(pay.subarray(P * n, (P + 1) * n)),
    });
  }

  let eSS = 0;
  let eData = 0;
  for (let P = 0; P < size; P++) {
    eSS += ss[P];
    eData += data[P];
  }
  const low = v.reduce((m, vi, i) => (vi <= 1 ? m | (1 << i) : m), 0);
  const leakRow = (A: number): Float64Array => t.leak.subarray(A * n, (A + 1) * n);
  const fb = duopolyFirstBestGeneral(t, v, alpha, joining);
  return {
    platforms: 2,
    spillover: alpha,
    joiningValue: joining ?? null,
    joiningMethod: `exact: all 2^${n} joining profiles; each platform's Stackelberg game solved for all 2^${n} member sets (3^${n} sharer sets) with the monopoly tie rule`,
    joiningEquilibria: equilibria,
    joiningEquilibriaCount: count,
    uniformMixed: {
      expectedSocialSurplus: eSS / size,
      expectedDataSurplus: eData / size,
      palBound: palMixedBound(v, leakRow(full), leakRow(low), alpha),
    },
    duopolyFirstBest: fb.firstBest,
    ...(fb.note ? { duopolyFirstBestNote: fb.note } : {}),
    ...(opts.regulation ? { duopolyRegulation: opts.regulation } : {}),
  };
}

/* ----------------------------------------------------------------------------------------------------- */
/* Communities                                                                                            */
/* ----------------------------------------------------------------------------------------------------- */

/** Mixed-radix enumeration of vectors 0 ≤ x_g ≤ bound_g. */
function* vectorsUpTo(bound: readonly number[]): Generator<number[]> {
  const x = new Array<number>(bound.length).fill(0);
  for (;;) {
    yield x.slice();
    let g = bound.length - 1;
    while (g >= 0 && x[g] === bound[g]) {
      x[g] = 0;
      g--;
    }
    if (g < 0) return;
    x[g]++;
  }
}

const key = (x: readonly number[]): string => x.join(',');

/**
 * Exact duopoly for a community covariance. A joining profile is the vector x of block-g members on
 * platform 1 (users of a block are exchangeable, so leakage depends on counts only; MODEL.md B.9 item 31).
 * Platform k's problem on member counts x is AMMO Thm 1 on sharer counts m ≤ x with the α term for the
 * other platform's members (block leakage from community.ts).
 *
 * Identity subtlety: when a platform buys from only some members of a block (0 < m_g < x_g), sharers and
 * non-sharers of that block get different payoffs, and which members share is the platform's arbitrary
 * choice. A count profile is reported as an equilibrium only if no member gains whatever the platforms'
 * choice (every present role before, every possible role after a switch); profiles whose verdict depends
 * on that choice are counted in roleDependentProfiles. docs/leakage-competition.md.
 */
export function solveDuopolyCommunities(
  c: Communities,
  tau2: number,
  vBlock: number[],
  opts: DuopolyOptions,
  /** Block leakage by sharer counts; default: the MSE block leakage of `c` (mutual information or E_μ otherwise). */
  leakFn?: (m: readonly number[]) => BlockLeakage,
): DuopolyReport {
  const sizes = c.sizes;
  const K = sizes.length;
  checkDuopolyCommunityLimits(sizes);
  const { alpha, joining } = opts;
  // AMMO §6 per platform (see DuopolyOptions.regulation): tax per sharer; de-correlation pays sellers their
  // whole disutility, so every member's payoff is c and only sellers' leakage enters surplus.
  const rate = opts.regulation?.rate ?? 0;
  const decor = opts.regulation?.decorrelation ?? false;
  const N = sizes.reduce((a, b) => a + b, 0);
  const scratch = blockScratch(c);
  const leakCache = new Map<string, BlockLeakage>();
  const leakOf = (m: readonly number[]): BlockLeakage => {
    const k = key(m);
    let r = leakCache.get(k);
    if (!r) {
      const b = leakFn ? leakFn(m) : blockLeakage(c, tau2, m, scratch);
      r = { nonSharer: Float64Array.from(b.nonSharer), sharer: Float64Array.from(b.sharer), leaveOneOut: Float64Array.from(b.leaveOneOut) };
      leakCache.set(k, r);
    }
    return r;
  };
  // Platform solution (sharer counts) for member counts x; others = sizes − x.
  const solCache = new Map<string, number[]>();
  const solve = (x: readonly number[]): number[] => {
    const k = key(x);
    const hit = solCache.get(k);
    if (hit) return hit;
    const cands = [...vectorsUpTo(x)];
    const ties = maxWithTies(cands.length, (idx) => {
      const m = cands[idx];
      const L = leakOf(m);
      let phi = 0;
      for (let g = 0; g < K; g++) {
        if (decor) {
          if (m[g] > 0) phi += m[g] * (1 - vBlock[g]) * L.sharer[g];
        } else {
          phi += (x[g] - m[g]) * L.nonSharer[g] + alpha * (sizes[g] - x[g]) * L.nonSharer[g];
          if (m[g] > 0) phi += m[g] * (L.sharer[g] - vBlock[g] * (L.sharer[g] - L.leaveOneOut[g]));
        }
        phi -= rate * m[g];
      }
      return phi;
    });
    const best = ties.indices.map((i) => cands[i]).sort(preferCounts)[0];
    solCache.set(k, best);
    return best;
  };
  const cOf = (members: number): number => (joining ? joiningValueOf(joining, members) : 0);
  const total = (x: readonly number[]): number => x.reduce((a, b) => a + b, 0);

  /** Payoffs of a block-g member of a platform with members x, sharer counts m, facing other sharer counts mo. */
  const rolePayoffs = (g: number, x: readonly number[], m: readonly number[], mo: readonly number[]): number[] => {
    const L = leakOf(m);
    const cross = leakOf(mo).nonSharer[g];
    const cj = cOf(total(x));
    const out: number[] = [];
    if (decor) return [memberPayoff(vBlock[g], 0, 0, alpha, cj)];
    if (m[g] >= 1) out.push(memberPayoff(vBlock[g], L.leaveOneOut[g], cross, alpha, cj));
    if (m[g] < x[g]) out.push(memberPayoff(vBlock[g], L.nonSharer[g], cross, alpha, cj));
    return out;
  };

  const logFact = [0];
  for (let k = 1; k <= Math.max(...sizes); k++) logFact.push(logFact[k - 1] + Math.log(k));
  const logChoose = (nn: number, k: number): number => logFact[nn] - logFact[k] - logFact[nn - k];

  const equilibria: JoiningEquilibrium[] = [];
  let count = 0;
  let roleDependent = 0;
  let eSS = 0;
  let eData = 0;
  for (const x of vectorsUpTo(sizes)) {
    const y = sizes.map((ng, g) => ng - x[g]);
    const m1 = solve(x);
    const m2 = solve(y);
    const L1 = leakOf(m1);
    const L2 = leakOf(m2);
    // Surplus: counts only (roles do not matter for Σ (1 − v) I).
    let data = 0;
    for (let g = 0; g < K; g++) {
      const on = (xg: number, mg: number, L: BlockLeakage, Lo: BlockLeakage): number =>
        decor
          ? (1 - vBlock[g]) * mg * L.sharer[g]
          : (1 - vBlock[g]) * (mg * L.sharer[g] + (xg - mg) * L.nonSharer[g] + alpha * xg * Lo.nonSharer[g]);
      data += on(x[g], m1[g], L1, L2) + on(y[g], m2[g], L2, L1);
    }
    const cTot = (total(x) > 0 ? total(x) * cOf(total(x)) : 0) + (total(y) > 0 ? total(y) * cOf(total(y)) : 0);
    const ssx = data + cTot;
    let logW = -N * Math.LN2;
    for (let g = 0; g < K; g++) logW += logChoose(sizes[g], x[g]);
    const w = Math.exp(logW);
    eSS += w * ssx;
    eData += w * data;

    // Equilibrium test per block and side: worst current role vs best role after switching.
    let robust = true;
    let possible = true;
    const sides: [number[], number[], number[], number[]][] = [
      [x, y, m1, m2],
      [y, x, m2, m1],
    ];
    for (const [own, oth, mOwn, mOth] of sides) {
      for (let g = 0; g < K; g++) {
        if (own[g] === 0) continue;
        const now = rolePayoffs(g, own, mOwn, mOth);
        const ownAfter = own.map((k, h) => (h === g ? k - 1 : k));
        const othAfter = oth.map((k, h) => (h === g ? k + 1 : k));
        const mOwnAfter = solve(ownAfter);
        const mOthAfter = solve(othAfter);
        const dev = rolePayoffs(g, othAfter, mOthAfter, mOwnAfter);
        const outside = joining
          ? decor
            ? 0
            : outsidePayoff(vBlock[g], leakOf(mOwnAfter).nonSharer[g], leakOf(mOth).nonSharer[g], alpha)
          : -Infinity;
        const worstNow = Math.min(...now);
        const bestNow = Math.max(...now);
        const bestDev = Math.max(...dev, outside);
        const worstDev = Math.max(Math.min(...dev), outside);
        if (bestDev > worstNow + gainTol(worstNow)) robust = false;
        if (worstDev > bestNow + gainTol(bestNow)) possible = false;
      }
    }
    if (!robust) {
      if (possible) roleDependent++;
      continue;
    }
    const mult = Math.round(Math.exp(logW + N * Math.LN2));
    count += mult;
    if (equilibria.length >= MAX_EQUILIBRIA_LISTED) continue;
    // Canonical representative: in block g the first x_g users join platform 1, and on each platform the
    // first members of a block are the sharers.
    const assignment: (1 | 2)[] = [];
    const sh1: number[] = [];
    const sh2: number[] = [];
    const prices: number[] = [];
    const payoffs: number[] = [];
    let offset = 0;
    for (let g = 0; g < K; g++) {
      for (let r = 0; r < sizes[g]; r++) {
        const u = offset + r;
        const on1 = r < x[g];
        const rank = on1 ? r : r - x[g];
        const m = on1 ? m1 : m2;
        const L = on1 ? L1 : L2;
        const Lo = on1 ? L2 : L1;
        const shares = rank < m[g];
        assignment.push(on1 ? 1 : 2);
        if (shares) (on1 ? sh1 : sh2).push(u);
        prices.push(shares ? (decor ? vBlock[g] * L.sharer[g] : vBlock[g] * (L.sharer[g] - L.leaveOneOut[g])) : 0);
        payoffs.push(
          decor
            ? memberPayoff(vBlock[g], 0, 0, alpha, cOf(total(on1 ? x : y)))
            : memberPayoff(vBlock[g], shares ? L.leaveOneOut[g] : L.nonSharer[g], Lo.nonSharer[g], alpha, cOf(total(on1 ? x : y))),
        );
      }
      offset += sizes[g];
    }
    equilibria.push({
      assignment,
      sharers: [sh1, sh2],
      socialSurplus: ssx,
      dataSurplus: data,
      prices,
      userPayoffs: payoffs,
      membersByCommunity: [x, y],
      sharersByCommunity: [m1, m2],
      multiplicity: mult,
    });
  }
  // PAL bound from block leakage: I_i(V) (everyone shares) and I_i(V(l)) (all low-value blocks share).
  const Lall = leakOf(sizes);
  const lowCounts = sizes.map((ng, g) => (vBlock[g] <= 1 ? ng : 0));
  const Llow = leakOf(lowCounts);
  const vUser: number[] = [];
  const leakAllUser: number[] = [];
  const leakLowUser: number[] = [];
  sizes.forEach((ng, g) => {
    for (let r = 0; r < ng; r++) {
      vUser.push(vBlock[g]);
      leakAllUser.push(Lall.sharer[g]);
      leakLowUser.push(lowCounts[g] > 0 ? Llow.sharer[g] : Llow.nonSharer[g]);
    }
  });
  const fb = duopolyFirstBestCommunities(c, tau2, vBlock, alpha, joining, leakFn);
  return {
    platforms: 2,
    spillover: alpha,
    joiningValue: joining ?? null,
    joiningMethod: `exact: all ${sizes.reduce((p, ng) => p * (ng + 1), 1)} joining count profiles over ${K} exchangeable communities; each platform solved on sharer counts; uniform mixing weighted by binomial counts`,
    joiningEquilibria: equilibria,
    joiningEquilibriaCount: count,
    roleDependentProfiles: roleDependent,
    uniformMixed: {
      expectedSocialSurplus: eSS,
      expectedDataSurplus: eData,
      palBound: palMixedBound(vUser, leakAllUser, leakLowUser, alpha),
    },
    duopolyFirstBest: fb.firstBest,
    ...(fb.note ? { duopolyFirstBestNote: fb.note } : {}),
    ...(opts.regulation ? { duopolyRegulation: opts.regulation } : {}),
  };
}
