/**
 * Grid-restricted posted-price duopoly (PAL §VII Definitions 3–4 = AMMO §4 with prices before joining;
 * MODEL.md B.5, B.8.8; docs/leakage-competition.md). The papers' game lets each platform post any price
 * vector in R^n₊ and only asserts that a mixed equilibrium exists (PAL Thm 8, AMMO Thm B-1, not available);
 * equilibria are typically mixed over a continuum. We solve **the game restricted to a finite grid of
 * price vectors** given in the scenario — an approximation of the continuum game whose equilibria need not
 * be close to the continuum's — exactly:
 *
 *  (a) user equilibria A(p¹, p²): every profile of options (b_i, a_i) is tested for unilateral deviations
 *      (5ⁿ profiles, 4ⁿ without joining values), for every pair of grid price vectors;
 *  (b) pure equilibria per Def 3: (p¹, p², e) with e ∈ A(p¹, p²) such that for every other grid vector p of
 *      platform 1 some user equilibrium of (p, p²) gives platform 1 no more than at e (the deviator is
 *      judged at the user equilibrium least favourable to it, AMMO fn 13), and symmetrically;
 *  (c) a mixed equilibrium of the bimatrix game whose entries are M_k(p¹, p²) = min over A(p¹, p²) of
 *      platform k's payoff ("platform-pessimistic": each platform's matrix uses the user equilibrium worst
 *      for it, as Def 4 judges deviations). A Nash equilibrium (π¹, π²) of (M_1, M_2) satisfies Def 4 for
 *      any user-equilibrium selection on its support, because the played payoff is ≥ M_k while every pure
 *      deviation is judged at M_k. It is sufficient, not necessary: Def 4 equilibria that rely on a more
 *      favourable selection on the support are not searched (a modelling choice; see the docs).
 *
 * A price pair with no pure user equilibrium leaves Def 3/4 undefined there (mixed user equilibria are not
 * modelled): such pairs are counted; a deviation to one is treated as unprofitable for (b), and (c) is
 * not computed.
 */
import { InputError } from '../../scenario/errors.js';
import { maskToSet } from '../../model/leakage/gaussian.js';
import type { SetTable } from '../../model/leakage/setTable.js';
import { joiningValueOf, type JoiningValue } from '../../model/leakage/duopoly.js';
import { assumption1, memberNonPricePayoff, memberSurplus, platformOf, sharesIn, type UserOption } from '../../model/leakage/postedPrice.js';
import { solveBimatrix } from '../../model/game/bimatrix.js';
import { duopolyFirstBestGeneral, type DuopolyFirstBest } from './firstBestDuopoly.js';
import { TIE_TOL } from './select.js';

/** Largest number of users: 5ⁿ user profiles per price pair. */
export const MAX_POSTED_USERS = 4;
/** Largest number of price vectors per platform (bimatrix game of this size per side). */
export const MAX_POSTED_VECTORS = 400;
/** Largest (price vectors)² × (user profiles) × users: the user-equilibrium enumeration. */
export const MAX_POSTED_WORK = 50_000_000;
/** At most this many pure equilibria are listed (all are counted). */
export const MAX_POSTED_LISTED = 200;

export interface PostedUserEquilibrium {
  /** Per user: platform 0 (none), 1 or 2. */
  platform: (0 | 1 | 2)[];
  sharers: [number[], number[]];
  platformPayoffs: [number, number];
  socialSurplus: number;
  dataSurplus: number;
}

export interface PostedPureEquilibrium extends PostedUserEquilibrium {
  prices: [number[], number[]];
  /** Social surplus equals the (grid-game) first best. */
  efficient: boolean;
}

export interface PostedPriceReport {
  gridNote: string;
  priceVectorsPerPlatform: number;
  userProfiles: number;
  /** Price pairs with no pure user equilibrium (Def 3/4 undefined there). */
  pairsWithoutUserEquilibrium: number;
  /** Largest number of user equilibria at one price pair. */
  maxUserEquilibria: number;
  /** Every user equilibrium at every price pair has everyone joining (AMMO Lemma 4). */
  everyoneJoins: boolean;
  assumption1: { strictNetworkEffects: boolean; joiningExceedsPrivacyLoss: boolean } | null;
  pureEquilibria: PostedPureEquilibrium[];
  pureEquilibriaCount: number;
  /** How many of all pure equilibria reach the first-best surplus. */
  efficientPureEquilibriaCount: number;
  mixed:
    | {
        selection: 'platform-pessimistic';
        /** Support of each platform's mixed strategy: price vector and probability. */
        support: [{ prices: number[]; probability: number }[], { prices: number[]; probability: number }[]];
        /** Expected platform payoffs under the pessimistic matrices (lower bounds on what they get). */
        platformPayoffs: [number, number];
        /** Largest gain of a pure deviation (verification; ≤ tolerance). */
        deviationGap: number;
        /** Expected social surplus (and data part) over the support, minimised / maximised over A(p¹, p²). */
        expectedSocialSurplus: { min: number; max: number };
        expectedDataSurplus: { min: number; max: number };
        /** Every price pair on the support has a single user equilibrium (then min = max). */
        uniqueUserEquilibriumOnSupport: boolean;
        /** Per user, under the surplus-minimising selection: P(joins 1), P(joins 2), P(shares). */
        joinProbability: [number[], number[]];
        shareProbability: number[];
        /** Per user, E[price posted] by each platform. */
        expectedPrices: [number[], number[]];
      }
    | null;
  mixedNote?: string;
  /** The planner's optimum (joining values included), the same as the join-first duopoly first best at α = 0. */
  firstBest: DuopolyFirstBest | null;
}

/** Cartesian product of per-user price levels, user 0 varying slowest. */
export function priceVectors(levels: readonly (readonly number[])[]): number[][] {
  let out: number[][] = [[]];
  for (const L of levels) out = out.flatMap((p) => L.map((x) => [...p, x]));
  return out;
}

const tolOf = (x: number): number => TIE_TOL * Math.max(1, Math.abs(x));

interface ProfileData {
  /** Option digits per profile. */
  options: Uint8Array;
  /** Non-price payoff per (profile, user). */
  w: Float64Array;
  /** 1 or 2 if the user shares on that platform, else 0, per (profile, user). */
  shareOn: Uint8Array;
  /** Σ_{i∈J_k} I_i(A_k) per profile, and surplus. */
  gross1: Float64Array;
  gross2: Float64Array;
  ss: Float64Array;
  data: Float64Array;
}

/**
 * Up-front limits of the grid posted-price duopoly on n users (also asked by the preflight): S = Π_k |levels_k|
 * price vectors per platform, O^n user profiles (O = 5 options with a joining value, else 4).
 */
export function checkPostedPriceLimits(n: number, levels: readonly (readonly number[])[], joining: boolean): void {
  if (n > MAX_POSTED_USERS) {
    throw new InputError('postedPrices', `the grid posted-price duopoly enumerates 5^n user profiles per price pair; ${n} users exceed its limit of ${MAX_POSTED_USERS}`);
  }
  const S = levels.reduce((p, L) => p * L.length, 1);
  const P = (joining ? 5 : 4) ** n;
  if (S > MAX_POSTED_VECTORS || S * S * P * n > MAX_POSTED_WORK) {
    throw new InputError(
      'postedPrices.levels',
      `${S} price vectors per platform and ${P} user profiles need ${S * S * P * n} checks; the limits are ${MAX_POSTED_VECTORS} vectors and ${MAX_POSTED_WORK} checks (use fewer levels or users)`,
    );
  }
}

export function solvePostedPrice(t: SetTable, v: readonly number[], variances: readonly number[], levels: readonly (readonly number[])[], joining?: JoiningValue): PostedPriceReport {
  const n = t.n;
  checkPostedPriceLimits(n, levels, Boolean(joining));
  const vectors = priceVectors(levels);
  const S = vectors.length;
  const optionList: UserOption[] = joining ? [0, 1, 2, 3, 4] : [1, 2, 3, 4];
  const O = optionList.length;
  const P = O ** n;
  const d = profileData(t, v, optionList, joining);
  const pow = Array.from({ length: n }, (_, i) => O ** i);

  const userEqs: number[][] = new Array(S * S);
  let empty = 0;
  let maxEq = 0;
  let everyoneJoins = true;
  const payoff = (Q: number, i: number, p1: readonly number[], p2: readonly number[]): number => {
    const k = d.shareOn[Q * n + i];
    return d.w[Q * n + i] + (k === 1 ? p1[i] : k === 2 ? p2[i] : 0);
  };
  for (let s = 0; s < S; s++) {
    for (let r = 0; r < S; r++) {
      const p1 = vectors[s];
      const p2 = vectors[r];
      const eqs: number[] = [];
      for (let Q = 0; Q < P; Q++) {
        let ok = true;
        for (let i = 0; i < n && ok; i++) {
          const u = payoff(Q, i, p1, p2);
          const digit = Math.floor(Q / pow[i]) % O;
          for (let e = 0; e < O; e++) {
            if (e === digit) continue;
            if (payoff(Q + (e - digit) * pow[i], i, p1, p2) > u + tolOf(u)) {
              ok = false;
              break;
            }
          }
        }
        if (ok) {
          eqs.push(Q);
          if (joining) for (let i = 0; i < n; i++) if (d.options[Q * n + i] === 0) everyoneJoins = false;
        }
      }
      if (eqs.length === 0) empty++;
      maxEq = Math.max(maxEq, eqs.length);
      userEqs[s * S + r] = eqs;
    }
  }
  const sumOn = (Q: number, k: 1 | 2, p: readonly number[]): number => {
    let x = 0;
    for (let i = 0; i < n; i++) if (d.shareOn[Q * n + i] === k) x += p[i];
    return x;
  };
  const U1 = (Q: number, s: number): number => d.gross1[Q] - sumOn(Q, 1, vectors[s]);
  const U2 = (Q: number, r: number): number => d.gross2[Q] - sumOn(Q, 2, vectors[r]);
  // Pessimistic payoffs per pair (NaN: no user equilibrium).
  const pess1 = new Float64Array(S * S).fill(NaN);
  const pess2 = new Float64Array(S * S).fill(NaN);
  for (let s = 0; s < S; s++) {
    for (let r = 0; r < S; r++) {
      const eqs = userEqs[s * S + r];
      if (eqs.length === 0) continue;
      pess1[s * S + r] = Math.min(...eqs.map((Q) => U1(Q, s)));
      pess2[s * S + r] = Math.min(...eqs.map((Q) => U2(Q, r)));
    }
  }
  const fb = duopolyFirstBestGeneral(t, v, 0, joining).firstBest;
  const fbSS = fb ? fb.socialSurplus : Infinity;

  // (b) pure equilibria: best pessimistic deviation payoff excluding the own vector (top two per column/row).
  const bestDev = (get: (a: number) => number, own: number): number => {
    let m = -Infinity;
    for (let a = 0; a < S; a++) {
      if (a === own) continue;
      const x = get(a);
      if (!Number.isNaN(x) && x > m) m = x;
    }
    return m;
  };
  const pure: PostedPureEquilibrium[] = [];
  let pureCount = 0;
  let efficientCount = 0;
  const dev1Cache = new Map<string, number>();
  for (let s = 0; s < S; s++) {
    for (let r = 0; r < S; r++) {
      const eqs = userEqs[s * S + r];
      if (eqs.length === 0) continue;
      const k1 = `${s},${r}`;
      let d1 = dev1Cache.get(k1);
      if (d1 === undefined) {
        d1 = bestDev((a) => pess1[a * S + r], s);
        dev1Cache.set(k1, d1);
      }
      const d2 = bestDev((b) => pess2[s * S + b], r);
      for (const Q of eqs) {
        const u1 = U1(Q, s);
        const u2 = U2(Q, r);
        if (d1 > u1 + tolOf(u1) || d2 > u2 + tolOf(u2)) continue;
        pureCount++;
        const efficient = d.ss[Q] >= fbSS - tolOf(fbSS);
        if (efficient) efficientCount++;
        if (pure.length < MAX_POSTED_LISTED) pure.push({ ...describe(d, Q, n, u1, u2), prices: [vectors[s], vectors[r]], efficient });
      }
    }
  }

  // (c) mixed equilibrium of the platform-pessimistic bimatrix game.
  let mixed: PostedPriceReport['mixed'] = null;
  let mixedNote: string | undefined;
  if (empty > 0) {
    mixedNote = `${empty} price pairs have no pure user equilibrium, so the platform-pessimistic payoff matrix is undefined there (mixed user equilibria are not modelled)`;
  } else {
    const M1 = Array.from({ length: S }, (_, s) => Array.from({ length: S }, (_, r) => pess1[s * S + r]));
    const M2 = Array.from({ length: S }, (_, s) => Array.from({ length: S }, (_, r) => pess2[s * S + r]));
    const eq = solveBimatrix(M1, M2);
    let ssMin = 0;
    let ssMax = 0;
    let dMin = 0;
    let dMax = 0;
    let unique = true;
    const join: [number[], number[]] = [new Array<number>(n).fill(0), new Array<number>(n).fill(0)];
    const share = new Array<number>(n).fill(0);
    for (let s = 0; s < S; s++) {
      for (let r = 0; r < S; r++) {
        const w = eq.x[s] * eq.y[r];
        if (!(w > 0)) continue;
        const eqs = userEqs[s * S + r];
        if (eqs.length > 1) unique = false;
        let lo = eqs[0];
        for (const Q of eqs) if (d.ss[Q] < d.ss[lo]) lo = Q;
        ssMin += w * d.ss[lo];
        ssMax += w * Math.max(...eqs.map((Q) => d.ss[Q]));
        dMin += w * Math.min(...eqs.map((Q) => d.data[Q]));
        dMax += w * Math.max(...eqs.map((Q) => d.data[Q]));
        for (let i = 0; i < n; i++) {
          const o = d.options[lo * n + i] as UserOption;
          const k = platformOf(o);
          if (k > 0) join[k - 1][i] += w;
          if (sharesIn(o)) share[i] += w;
        }
      }
    }
    const supp = (x: number[]): { prices: number[]; probability: number }[] =>
      x.flatMap((p, k) => (p > 1e-12 ? [{ prices: vectors[k], probability: p }] : []));
    const expect = (x: number[]): number[] => Array.from({ length: n }, (_, i) => x.reduce((a, p, k) => a + p * vectors[k][i], 0));
    mixed = {
      selection: 'platform-pessimistic',
      support: [supp(eq.x), supp(eq.y)],
      platformPayoffs: [eq.rowPayoff, eq.colPayoff],
      deviationGap: eq.gap,
      expectedSocialSurplus: { min: ssMin, max: ssMax },
      expectedDataSurplus: { min: dMin, max: dMax },
      uniqueUserEquilibriumOnSupport: unique,
      joinProbability: join,
      shareProbability: share,
      expectedPrices: [expect(eq.x), expect(eq.y)],
    };
  }
  return {
    gridNote: 'equilibria of the game restricted to the given finite price grid, not of the continuum game of PAL §VII / AMMO §4',
    priceVectorsPerPlatform: S,
    userProfiles: P,
    pairsWithoutUserEquilibrium: empty,
    maxUserEquilibria: maxEq,
    everyoneJoins: joining ? everyoneJoins : true,
    assumption1: joining ? assumption1(joining.base, joining.perMember, v, variances) : null,
    pureEquilibria: pure,
    pureEquilibriaCount: pureCount,
    efficientPureEquilibriaCount: efficientCount,
    mixed,
    ...(mixedNote ? { mixedNote } : {}),
    firstBest: fb,
  };
}

function describe(d: ProfileData, Q: number, n: number, u1: number, u2: number): PostedUserEquilibrium {
  const platform: (0 | 1 | 2)[] = [];
  const sh: [number[], number[]] = [[], []];
  for (let i = 0; i < n; i++) {
    const o = d.options[Q * n + i] as UserOption;
    platform.push(platformOf(o));
    if (o === 2) sh[0].push(i);
    if (o === 4) sh[1].push(i);
  }
  return { platform, sharers: sh, platformPayoffs: [u1, u2], socialSurplus: d.ss[Q], dataSurplus: d.data[Q] };
}

/** Price-independent data of every user profile (leakage from the per-set table). */
function profileData(t: SetTable, v: readonly number[], optionList: readonly UserOption[], joining?: JoiningValue): ProfileData {
  const n = t.n;
  const O = optionList.length;
  const P = O ** n;
  const options = new Uint8Array(P * n);
  const w = new Float64Array(P * n);
  const shareOn = new Uint8Array(P * n);
  const gross1 = new Float64Array(P);
  const gross2 = new Float64Array(P);
  const ss = new Float64Array(P);
  const data = new Float64Array(P);
  for (let Q = 0; Q < P; Q++) {
    let J1 = 0;
    let J2 = 0;
    let A1 = 0;
    let A2 = 0;
    for (let i = 0, q = Q; i < n; i++, q = Math.floor(q / O)) {
      const o = optionList[q % O];
      options[Q * n + i] = o;
      const k = platformOf(o);
      if (k === 1) J1 |= 1 << i;
      if (k === 2) J2 |= 1 << i;
      if (o === 2) A1 |= 1 << i;
      if (o === 4) A2 |= 1 << i;
      shareOn[Q * n + i] = sharesIn(o) ? k : 0;
    }
    const size1 = maskToSet(J1, n).length;
    const size2 = maskToSet(J2, n).length;
    for (let i = 0; i < n; i++) {
      const k = platformOf(options[Q * n + i] as UserOption);
      if (k === 0) continue;
      const A = k === 1 ? A1 : A2;
      const I = t.leak[A * n + i];
      const c = joining ? joiningValueOf(joining, k === 1 ? size1 : size2) : 0;
      w[Q * n + i] = memberNonPricePayoff(v[i], I, c);
      ss[Q] += memberSurplus(v[i], I, c);
      data[Q] += memberSurplus(v[i], I, 0);
      if (k === 1) gross1[Q] += I;
      else gross2[Q] += I;
    }
  }
  return { options, w, shareOn, gross1, gross2, ss, data };
}
