/**
 * Exact duopoly leakage checker (PAL's embedded Stackelberg game, MODEL.md B.8.7; docs/leakage-competition.md).
 *
 * General Σ: without joining values every profile b ∈ {1,2}ⁿ (AMMO Assumption 1 taken as given: everyone joins);
 * with them every b ∈ {0,1,2}ⁿ (PAL Def 1: b_i = 0 joins neither, worth −v_i α (I_i(A_1) + I_i(A_2)) — a profile
 * with users outside can be the equilibrium, and only such ones may exist). Platforms are identical, so a
 * platform's Stackelberg solution depends on its member set M and, through PAL eq. (5)'s spillover term, on the
 * rival's members O (not on users outside); when everyone joins O = V ∖ M and all 2ⁿ member sets are solved once
 * (Σ_M 2^|M| = 3ⁿ sharer sets, from a table of per-set leakage built once), each with the monopoly tie rule of
 * select.ts; pairs (M, O) with users outside are solved when met (with α = 0 or de-correlation O plays no
 * part). A profile is a pure joining equilibrium when no user strictly gains by moving to the other platform or,
 * with joining values, to the outside (or from it onto a platform), both platforms re-optimising (the moved
 * profile is just another profile).
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
  /** Platform (1 or 2) per user; 0: joins neither (only with joining values). */
  assignment: (0 | 1 | 2)[];
  /** Sharers on platform 1 and on platform 2 (0-based user indices). */
  sharers: [number[], number[]];
  /** Data part plus joining values (= dataSurplus when joining values are not given). */
  socialSurplus: number;
  /** Σ_i (1 − v_i)(I_i(own) + α I_i(other)). */
  dataSurplus: number;
  /** Per user: PAL eq. (3) prices on her platform (0 for non-sharers and users outside). */
  prices: number[];
  /** Per user: PAL eq. (6); −v_i α (I_i(A_1) + I_i(A_2)) outside. */
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
  /** Sharer set (bitmask) chosen by a platform whose member set is the index, everyone else on the rival. */
  sol: Int32Array;
  /** Sharer set chosen by a platform with members M whose rival's members are O (PAL eq. (5)); sol[M] when O = V ∖ M. */
  choose(M: number, O: number): number;
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
 * Σ_{x ≤ sizes} Π_g (x_g + 1) = Π_g (n_g + 1)(n_g + 2)/2 (the sum factorises over communities); with users
 * outside (joining values) and spillovers a platform's solution depends on its rival's counts o too, and the sum
 * over x + o ≤ sizes is Π_g C(n_g + 3, 3); the count profiles themselves are Π_g C(n_g + 2, 2) then.
 */
export function checkDuopolyCommunityLimits(sizes: readonly number[], outside = false, spillover = false): void {
  const choose = (a: number, b: number): number => (b === 2 ? (a * (a - 1)) / 2 : (a * (a - 1) * (a - 2)) / 6);
  const solves = sizes.reduce((p, ng) => p * (outside && spillover ? choose(ng + 3, 3) : choose(ng + 2, 2)), 1);
  const profiles = outside ? sizes.reduce((p, ng) => p * choose(ng + 2, 2), 1) : 0;
  if (solves + profiles > MAX_DUOPOLY_COUNT_WORK) {
    throw new InputError(
      'communities.sizes',
      `the exact duopoly needs more than ${MAX_DUOPOLY_COUNT_WORK} sharer-count vectors over all joining count profiles${outside ? ' (users may join neither platform: joiningValue)' : ''}; use fewer or smaller communities`,
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
  /** Platform objective on member set M, rival members O: AMMO Thm 1 / PAL eq. (5), or Thm 6.1 under de-correlation; minus the tax. */
  const objective = (M: number, O: number, A: number): number => {
    let base = 0;
    if (decor) {
      for (let i = 0; i < n; i++) if (A & (1 << i)) base += (1 - v[i]) * t.leak[A * n + i];
    } else base = platformObjective(t, v, M, A, alpha, O);
    return rate > 0 ? base - rate * popcount(A) : base;
  };
  // Stackelberg solution (sharer set) of a platform with member set M and rival members O.
  const best = (M: number, O: number): number => {
    const cands = submasks(M);
    const ties = maxWithTies(cands.length, (k) => objective(M, O, cands[k]));
    return ties.indices.map((k) => cands[k]).sort((a, b) => preferSets(maskToSet(a, n), maskToSet(b, n)))[0];
  };
  const sol = new Int32Array(size);
  for (let M = 0; M < size; M++) sol[M] = best(M, full & ~M);
  // the rival's members enter only through α (not under de-correlation): otherwise the everyone-joins solution;
  // pairs with users outside are memoised by the profile's ternary index Σ_{i∈M} 3^i + 2·Σ_{i∈O} 3^i (3ⁿ entries)
  const spills = alpha > 0 && !decor && joining !== undefined;
  const ternary = spills ? Int32Array.from({ length: size }, (_, m) => maskToSet(m, n).reduce((acc, i) => acc + 3 ** i, 0)) : null;
  const memo = spills ? new Int32Array(3 ** n).fill(-1) : null;
  const choose = (M: number, O: number): number => {
    if (!memo || !ternary || O === (full & ~M)) return sol[M];
    const k = ternary[M] + 2 * ternary[O];
    if (memo[k] < 0) memo[k] = best(M, O);
    return memo[k];
  };
  const pay = new Float64Array(size * n);
  const ss = new Float64Array(size);
  const data = new Float64Array(size);
  const game: DuopolyGame = { n, alpha, ...(joining ? { joining } : {}), ...(regulation ? { regulation } : {}), table: t, sol, choose, pay, ss, data };
  for (let P = 0; P < size; P++) {
    const e = evaluateProfile(game, v, P, full & ~P, pay.subarray(P * n, (P + 1) * n));
    data[P] = e.data;
    ss[P] = e.social;
  }
  return game;
}

/**
 * Users' payoffs (written to `pay`) and social surplus of the profile with members M1 on platform 1, M2 on platform
 * 2 and the rest outside (MODEL.md B.9 item 20: members (1 − v_i)(I_i(A_own) + α I_i(A_other)) + c_i, users outside
 * −v_i α (I_i(A_1) + I_i(A_2)); under de-correlation only sellers leak, and are paid for it).
 */
export function evaluateProfile(g: DuopolyGame, v: readonly number[], M1: number, M2: number, pay: Float64Array): { social: number; data: number } {
  const { n, alpha, joining, table: t } = g;
  const decor = g.regulation?.decorrelation ?? false;
  const A1 = g.choose(M1, M2);
  const A2 = g.choose(M2, M1);
  let d = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    pay[i] = payoffWith(g, v, M1, M2, A1, A2, i);
    const bit = 1 << i;
    if (!((M1 | M2) & bit)) {
      d += pay[i];
      continue;
    }
    const [Aown, Aoth, Mown] = M1 & bit ? [A1, A2, M1] : [A2, A1, M2];
    // under de-correlation only sellers leak (and are paid their whole disutility)
    const own = decor && !(Aown & bit) ? 0 : t.leak[Aown * n + i];
    d += dataSurplusTerm(v[i], own, decor ? 0 : t.leak[Aoth * n + i], alpha);
    if (joining) c += joiningValueOf(joining, popcount(Mown));
  }
  return { social: d + c, data: d };
}

/**
 * User i's payoff in the profile (M1, M2): PAL eq. (6) on a platform, −v_i α (I_i(A_1) + I_i(A_2)) outside; under
 * de-correlation a user leaks only as a seller and is then fully compensated, so own and cross leakage are 0.
 */
export function payoffIn(g: DuopolyGame, v: readonly number[], M1: number, M2: number, i: number): number {
  return payoffWith(g, v, M1, M2, g.choose(M1, M2), g.choose(M2, M1), i);
}

/** `payoffIn` with the platforms' sharer sets A1, A2 of the profile already chosen. */
function payoffWith(g: DuopolyGame, v: readonly number[], M1: number, M2: number, A1: number, A2: number, i: number): number {
  const { n, alpha, joining, table: t } = g;
  const decor = g.regulation?.decorrelation ?? false;
  const bit = 1 << i;
  const leak = (A: number): number => (decor ? 0 : t.leak[A * n + i]);
  if (!((M1 | M2) & bit)) return outsidePayoff(v[i], leak(A1), leak(A2), alpha);
  const [Aown, Aoth, Mown] = M1 & bit ? [A1, A2, M1] : [A2, A1, M2];
  return memberPayoff(v[i], decor ? 0 : t.loo[Aown * n + i], leak(Aoth), alpha, joining ? joiningValueOf(joining, popcount(Mown)) : 0);
}

export function popcount(x: number): number {
  let c = 0;
  for (let y = x; y; y &= y - 1) c++;
  return c;
}

/**
 * PAL Def 1 for the profile with members M1 on platform 1 and M2 on platform 2 (the rest outside): no user strictly
 * gains by moving to the other platform nor, with joining values, to the outside or from it onto a platform.
 */
export function isProfileEquilibrium(g: DuopolyGame, v: readonly number[], M1: number, M2: number): boolean {
  for (let i = 0; i < g.n; i++) {
    const bit = 1 << i;
    const u = payoffIn(g, v, M1, M2, i);
    const r1 = M1 & ~bit;
    const r2 = M2 & ~bit;
    const moves: Array<[number, number]> = [[r1 | bit, r2], [r1, r2 | bit]];
    if (g.joining) moves.push([r1, r2]);
    for (const [a1, a2] of moves) {
      if (a1 === M1 && a2 === M2) continue;
      if (payoffIn(g, v, a1, a2, i) > u + gainTol(u)) return false;
    }
  }
  return true;
}

/** Per-user prices (PAL eq. (3)) on their platforms in profile P (everyone joins). */
export function profilePrices(g: DuopolyGame, v: readonly number[], P: number): number[] {
  return pricesIn(g, v, P, (2 ** g.n - 1) & ~P);
}

/** Per-user prices (PAL eq. (3)) on their platforms in the profile (M1, M2); 0 outside. */
export function pricesIn(g: DuopolyGame, v: readonly number[], M1: number, M2: number): number[] {
  const { n, table: t } = g;
  const A1 = g.choose(M1, M2);
  const A2 = g.choose(M2, M1);
  return v.map((vi, i) => {
    const A = (M1 >> i) & 1 ? A1 : (M2 >> i) & 1 ? A2 : 0;
    if (!(A & (1 << i))) return 0;
    // De-correlation (AMMO Thm 6.1): the seller's whole disutility; otherwise PAL eq. (3).
    return g.regulation?.decorrelation ? decorrelatedPrice(vi, t.leak[A * n + i]) : tablePrice(t, vi, A, i);
  });
}

/** Exact duopoly for a general covariance. */
export function solveDuopolyGeneral(Sigma: number[][], tau2: number, v: number[], opts: DuopolyOptions, table?: SetTable): DuopolyReport {
  const g = buildDuopolyGame(Sigma, tau2, v, opts, table);
  const { n, ss, data, table: t, alpha, joining } = g;
  const full = 2 ** n - 1;
  const size = 2 ** n;
  const equilibria: JoiningEquilibrium[] = [];
  let count = 0;
  const pay = new Float64Array(n);
  // platform 1's members ascending; for each, the rival's from everyone else down (everyone joining first), to
  // none when users may stay outside (joining values), else only everyone else
  for (let M1 = 0; M1 < size; M1++) {
    const rest = full & ~M1;
    for (let M2 = rest; ; M2 = (M2 - 1) & rest) {
      if (isProfileEquilibrium(g, v, M1, M2)) {
        count++;
        if (equilibria.length < MAX_EQUILIBRIA_LISTED) {
          const e = evaluateProfile(g, v, M1, M2, pay);
          equilibria.push({
            assignment: v.map((_, i) => ((M1 >> i) & 1 ? 1 : (M2 >> i) & 1 ? 2 : 0)),
            sharers: [maskToSet(g.choose(M1, M2), n), maskToSet(g.choose(M2, M1), n)],
            socialSurplus: e.social,
            dataSurplus: e.data,
            prices: pricesIn(g, v, M1, M2),
            userPayoffs: Array.from(pay),
          });
        }
      }
      if (!joining || M2 === 0) break;
    }
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
    joiningMethod: joining
      ? `exact: all 3^${n} joining profiles (platform 1, platform 2 or neither); each platform's Stackelberg game solved for every member set and, with spillovers, every set of rival members, with the monopoly tie rule`
      : `exact: all 2^${n} joining profiles; each platform's Stackelberg game solved for all 2^${n} member sets (3^${n} sharer sets) with the monopoly tie rule`,
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
  const { alpha, joining } = opts;
  checkDuopolyCommunityLimits(sizes, joining !== undefined, alpha > 0);
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
  // Platform solution (sharer counts) for member counts x, rival member counts o (PAL eq. (5): the α term over the
  // rival's members only; o = sizes − x when everyone joins; o plays no part with α = 0 or de-correlation).
  const solCache = new Map<string, number[]>();
  const solve = (x: readonly number[], o: readonly number[]): number[] => {
    const k = alpha > 0 && !decor ? `${key(x)}|${key(o)}` : key(x);
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
          phi += (x[g] - m[g]) * L.nonSharer[g] + alpha * o[g] * L.nonSharer[g];
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

  /** A block-g user's payoff outside, the platforms' sharer counts m1 and m2 (only spillovers reach her). */
  const outsideOf = (g: number, m1: readonly number[], m2: readonly number[]): number => (decor ? 0 : outsidePayoff(vBlock[g], leakOf(m1).nonSharer[g], leakOf(m2).nonSharer[g], alpha));
  const plus = (x: readonly number[], g: number, d: number): number[] => x.map((k, h) => (h === g ? k + d : k));

  const equilibria: JoiningEquilibrium[] = [];
  let count = 0;
  let roleDependent = 0;
  let eSS = 0;
  let eData = 0;
  for (const x of vectorsUpTo(sizes)) {
    const rest = sizes.map((ng, g) => ng - x[g]);
    // platform 2's counts: everyone else, or with joining values any y ≤ rest (the others join neither)
    for (const y of joining ? vectorsUpTo(rest) : [rest]) {
      const z = rest.map((r, g) => r - y[g]);
      const outside = z.some((k) => k > 0);
      const m1 = solve(x, y);
      const m2 = solve(y, x);
      const L1 = leakOf(m1);
      const L2 = leakOf(m2);
      // Surplus: counts only (roles do not matter for Σ (1 − v) I); users outside lose −v α (I(A_1) + I(A_2)).
      let data = 0;
      for (let g = 0; g < K; g++) {
        const on = (xg: number, mg: number, L: BlockLeakage, Lo: BlockLeakage): number =>
          decor
            ? (1 - vBlock[g]) * mg * L.sharer[g]
            : (1 - vBlock[g]) * (mg * L.sharer[g] + (xg - mg) * L.nonSharer[g] + alpha * xg * Lo.nonSharer[g]);
        data += on(x[g], m1[g], L1, L2) + on(y[g], m2[g], L2, L1) + z[g] * outsideOf(g, m1, m2);
      }
      const cTot = (total(x) > 0 ? total(x) * cOf(total(x)) : 0) + (total(y) > 0 ? total(y) * cOf(total(y)) : 0);
      const ssx = data + cTot;
      if (!outside) {
        // the uniform ½ mix is over profiles where everyone joins
        let logW = -N * Math.LN2;
        for (let g = 0; g < K; g++) logW += logChoose(sizes[g], x[g]);
        const w = Math.exp(logW);
        eSS += w * ssx;
        eData += w * data;
      }

      // Equilibrium test per block and position: worst current role vs best role after a move.
      let robust = true;
      let possible = true;
      const judge = (now: number[], dev: number[][]): void => {
        const worstNow = Math.min(...now);
        const bestNow = Math.max(...now);
        const bestDev = Math.max(...dev.flat());
        const worstDev = Math.max(...dev.map((d) => Math.min(...d)));
        if (bestDev > worstNow + gainTol(worstNow)) robust = false;
        if (worstDev > bestNow + gainTol(bestNow)) possible = false;
      };
      const sides: [number[], number[], number[], number[]][] = [
        [x, y, m1, m2],
        [y, x, m2, m1],
      ];
      for (const [own, oth, mOwn, mOth] of sides) {
        for (let g = 0; g < K; g++) {
          if (own[g] === 0) continue;
          const ownAfter = plus(own, g, -1);
          const othAfter = plus(oth, g, 1);
          const dev = [rolePayoffs(g, othAfter, solve(othAfter, ownAfter), solve(ownAfter, othAfter))];
          // joining none: the platform left re-optimises, and so does the rival (its α term loses her)
          if (joining) dev.push([outsideOf(g, solve(ownAfter, oth), solve(oth, ownAfter))]);
          judge(rolePayoffs(g, own, mOwn, mOth), dev);
        }
      }
      for (let g = 0; g < K; g++) {
        if (z[g] === 0) continue;
        const x1 = plus(x, g, 1);
        const y1 = plus(y, g, 1);
        judge([outsideOf(g, m1, m2)], [rolePayoffs(g, x1, solve(x1, y), solve(y, x1)), rolePayoffs(g, y1, solve(y1, x), solve(x, y1))]);
      }
      if (!robust) {
        if (possible) roleDependent++;
        continue;
      }
      // user-level profiles this count profile stands for: Π_g n_g! / (x_g! y_g! z_g!)
      let logM = 0;
      for (let g = 0; g < K; g++) logM += logChoose(sizes[g], x[g]) + logChoose(rest[g], y[g]);
      const mult = Math.round(Math.exp(logM));
      count += mult;
      if (equilibria.length >= MAX_EQUILIBRIA_LISTED) continue;
      // Canonical representative: in block g the first x_g users join platform 1, the next y_g platform 2 and the
      // rest neither, and on each platform the first members of a block are the sharers.
      const assignment: (0 | 1 | 2)[] = [];
      const sh1: number[] = [];
      const sh2: number[] = [];
      const prices: number[] = [];
      const payoffs: number[] = [];
      let offset = 0;
      for (let g = 0; g < K; g++) {
        for (let r = 0; r < sizes[g]; r++) {
          const u = offset + r;
          if (r >= x[g] + y[g]) {
            assignment.push(0);
            prices.push(0);
            payoffs.push(outsideOf(g, m1, m2));
            continue;
          }
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
    joiningMethod: `exact: all ${sizes.reduce((p, ng) => p * (joining ? ((ng + 1) * (ng + 2)) / 2 : ng + 1), 1)} joining count profiles over ${K} exchangeable communities${joining ? ' (platform 1, platform 2 or neither)' : ''}; each platform solved on sharer counts; uniform mixing weighted by binomial counts`,
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
