/**
 * Duopoly first best (docs/leakage-competition.md): the planner assigns every user to platform 1, 2 or —
 * when joining values are given — to none, and picks each platform's sharer set A_k ⊆ J_k, maximising the
 * social surplus of PAL §V-B (with spillovers, the sum of payoffs (5)–(6), MODEL.md B.9 item 20):
 *   SS = Σ_{i∈J_1∪J_2} [(1 − v_i)(I_i(A_{b_i}) + α I_i(A_{other})) + c_i(J_{b_i})] − Σ_{i∉J_1∪J_2} v_i α (I_i(A_1) + I_i(A_2)).
 * AMMO §4 and PAL §V describe this first best in words only ("all users on one platform, low-value users
 * sharing" under their conditions); here it is the exact argmax, reported next to the joining equilibria.
 *
 * The objective separates across platforms once the partition (J_1, J_2, N) is fixed:
 *   SS = f(A_1; J_1, J_2, N) + f(A_2; J_2, J_1, N) + c-terms,
 *   f(A; M, O, N) = Σ_{i∈M}(1 − v_i) I_i(A) + α Σ_{i∈O}(1 − v_i) I_i(A) − α Σ_{i∈N} v_i I_i(A),
 * so each platform's best sharer set is found alone; with α = 0 (or nobody outside) f depends on M only and
 * is solved once per member set (3ⁿ sharer sets in all).
 */
import type { Communities } from '../../scenario/schema.js';
import { maskToSet } from '../../model/leakage/gaussian.js';
import { submasks, type SetTable } from '../../model/leakage/setTable.js';
import { joiningValueOf, type JoiningValue } from '../../model/leakage/duopoly.js';
import { blockLeakage, blockScratch } from '../../model/leakage/community.js';
import { preferCounts, preferSets, TIE_TOL } from './select.js';

export interface DuopolyFirstBest {
  /** Per user: 1, 2, or 0 (joins none; only when joining values are given). */
  assignment: (0 | 1 | 2)[];
  sharers: [number[], number[]];
  /** Data part plus joining values. */
  socialSurplus: number;
  dataSurplus: number;
  /** How many partitions attain the maximum (the mirror image, platform 1 ↔ 2, is counted). */
  ties: number;
  membersByCommunity?: [number[], number[]];
  sharersByCommunity?: [number[], number[]];
}

/** Largest n for the general-Σ first best with spillovers and an outside option (2·4ⁿ sharer sets). */
export const MAX_FIRST_BEST_OUTSIDE_USERS = 10;
/** Largest number of sharer-count vectors examined for communities. */
export const MAX_FIRST_BEST_COUNT_WORK = 20_000_000;

const tolOf = (x: number): number => TIE_TOL * Math.max(1, Math.abs(x));
const popcount = (x: number): number => {
  let c = 0;
  for (let y = x; y; y &= y - 1) c++;
  return c;
};

interface Candidate {
  key: number[];
  value: number;
}

/** Tie rule for partitions: more users on platform 1, then fewer outside, then smaller indices on platform 1. */
function better(a: { m1: number[]; out: number; val: number }, b: { m1: number[]; out: number; val: number } | undefined): boolean {
  if (!b) return true;
  const t = tolOf(Math.max(Math.abs(a.val), Math.abs(b.val)));
  if (a.val > b.val + t) return true;
  if (a.val < b.val - t) return false;
  if (a.m1.length !== b.m1.length) return a.m1.length > b.m1.length;
  if (a.out !== b.out) return a.out < b.out;
  return preferSets(a.m1, b.m1) < 0;
}

/**
 * General Σ from the per-set table. Returns null (with the reason) when the enumeration would exceed the
 * documented limit.
 */
export function duopolyFirstBestGeneral(
  t: SetTable,
  v: readonly number[],
  alpha: number,
  joining?: JoiningValue,
): { firstBest: DuopolyFirstBest | null; note?: string } {
  const n = t.n;
  const full = 2 ** n - 1;
  const withOutside = joining !== undefined;
  if (withOutside && alpha > 0 && n > MAX_FIRST_BEST_OUTSIDE_USERS) {
    return {
      firstBest: null,
      note: `with spillovers and an outside option the first best needs 2·4^n sharer sets; ${n} users exceed the limit of ${MAX_FIRST_BEST_OUTSIDE_USERS}`,
    };
  }
  /** max_{A⊆M} f(A; M, O, N), with the set tie rule (submasks walked in place: this is the hot loop). */
  const bestSet = (M: number, O: number, N: number): Candidate => {
    let bestVal = -Infinity;
    let bestA = 0;
    for (let A = M; ; A = (A - 1) & M) {
      let f = 0;
      const base = A * n;
      for (let i = 0; i < n; i++) {
        const bit = 1 << i;
        const I = t.leak[base + i];
        if (M & bit) f += (1 - v[i]) * I;
        else if (O & bit) f += alpha * (1 - v[i]) * I;
        else if (N & bit) f -= alpha * v[i] * I;
      }
      const tol = bestVal === -Infinity ? 0 : tolOf(bestVal);
      if (bestVal === -Infinity || f > bestVal + tol || (f >= bestVal - tol && preferSets(maskToSet(A, n), maskToSet(bestA, n)) < 0)) {
        bestVal = Math.max(f, bestVal);
        bestA = A;
      }
      if (A === 0) break;
    }
    return { key: [bestA], value: bestVal };
  };
  const cache = new Map<number, Candidate>();
  const bestOf = (M: number, O: number, N: number): Candidate => {
    // f depends on O and N only through α; when α = 0 or nobody is outside, M determines O.
    if (alpha === 0 || N === 0) {
      const hit = cache.get(M);
      if (hit) return hit;
      const r = bestSet(M, alpha === 0 ? 0 : full & ~M, 0);
      cache.set(M, r);
      return r;
    }
    return bestSet(M, O, N);
  };
  const cOf = (size: number): number => (joining && size > 0 ? size * joiningValueOf(joining, size) : 0);
  let best: { m1: number[]; out: number; val: number; M1: number; M2: number; A1: number; A2: number; data: number } | undefined;
  let ties = 0;
  let bestVal = -Infinity;
  const values: number[] = [];
  // Partitions: M1 ⊆ V, M2 ⊆ V ∖ M1 (M2 = the rest when nobody may stay out).
  for (let M1 = 0; M1 <= full; M1++) {
    const rest = full & ~M1;
    for (let M2 = rest; ; M2 = (M2 - 1) & rest) {
      const N = rest & ~M2;
      const b1 = bestOf(M1, M2, N);
      const b2 = bestOf(M2, M1, N);
      const data = b1.value + b2.value;
      const val = data + cOf(popcount(M1)) + cOf(popcount(M2));
      values.push(val);
      bestVal = Math.max(bestVal, val);
      // Build the candidate only when it can win (the tie rule needs index lists).
      if (!best || val >= best.val - tolOf(best.val)) {
        const cand = { m1: maskToSet(M1, n), out: popcount(N), val, M1, M2, A1: b1.key[0], A2: b2.key[0], data };
        if (better(cand, best)) best = cand;
      }
      if (!withOutside || M2 === 0) break;
    }
  }
  for (const x of values) if (x >= bestVal - tolOf(bestVal)) ties++;
  const b = best as NonNullable<typeof best>;
  return {
    firstBest: {
      assignment: v.map((_, i) => ((b.M1 >> i) & 1 ? 1 : (b.M2 >> i) & 1 ? 2 : 0)),
      sharers: [maskToSet(b.A1, n), maskToSet(b.A2, n)],
      socialSurplus: b.val,
      dataSurplus: b.data,
      ties,
    },
  };
}

/** Mixed-radix vectors 0 ≤ x ≤ bound. */
function vectorsUpTo(bound: readonly number[]): number[][] {
  const out: number[][] = [];
  const x = new Array<number>(bound.length).fill(0);
  for (;;) {
    out.push(x.slice());
    let g = bound.length - 1;
    while (g >= 0 && x[g] === bound[g]) {
      x[g] = 0;
      g--;
    }
    if (g < 0) return out;
    x[g]++;
  }
}

/** Communities: partitions by counts (x on 1, y on 2, the rest outside), sharers by counts. */
export function duopolyFirstBestCommunities(
  c: Communities,
  tau2: number,
  vBlock: readonly number[],
  alpha: number,
  joining?: JoiningValue,
  leakFn?: (m: readonly number[]) => { sharer: Float64Array; nonSharer: Float64Array },
): { firstBest: DuopolyFirstBest | null; note?: string } {
  const sizes = c.sizes;
  const K = sizes.length;
  const withOutside = joining !== undefined;
  const pairs: [number[], number[]][] = [];
  let work = 0;
  for (const x of vectorsUpTo(sizes)) {
    const rest = sizes.map((ng, g) => ng - x[g]);
    for (const y of withOutside ? vectorsUpTo(rest) : [rest]) {
      pairs.push([x, y]);
      work += x.reduce((p, k) => p * (k + 1), 1) + y.reduce((p, k) => p * (k + 1), 1);
      if (work > MAX_FIRST_BEST_COUNT_WORK) {
        return { firstBest: null, note: `the community first best would examine more than ${MAX_FIRST_BEST_COUNT_WORK} sharer-count vectors` };
      }
    }
  }
  const scratch = blockScratch(c);
  const leakCache = new Map<string, Float64Array[]>();
  const leakOf = (m: readonly number[]): Float64Array[] => {
    const k = m.join(',');
    let r = leakCache.get(k);
    if (!r) {
      const b = leakFn ? leakFn(m) : blockLeakage(c, tau2, m, scratch);
      r = [Float64Array.from(b.sharer), Float64Array.from(b.nonSharer)];
      leakCache.set(k, r);
    }
    return r;
  };
  const solveCache = new Map<string, { m: number[]; value: number }>();
  const bestOf = (x: readonly number[], o: readonly number[], z: readonly number[]): { m: number[]; value: number } => {
    const k = alpha === 0 ? x.join(',') : `${x.join(',')}|${o.join(',')}`;
    const hit = solveCache.get(k);
    if (hit) return hit;
    let best: { m: number[]; value: number } | undefined;
    for (const m of vectorsUpTo(x)) {
      const [sh, ns] = leakOf(m);
      let f = 0;
      for (let g = 0; g < K; g++) {
        f += (1 - vBlock[g]) * (m[g] * sh[g] + (x[g] - m[g]) * ns[g]);
        f += alpha * ((1 - vBlock[g]) * o[g] - vBlock[g] * z[g]) * ns[g];
      }
      if (!best || f > best.value + tolOf(best.value) || (f >= best.value - tolOf(best.value) && preferCounts(m, best.m) < 0)) best = { m, value: f };
    }
    const r = best as { m: number[]; value: number };
    solveCache.set(k, r);
    return r;
  };
  const total = (x: readonly number[]): number => x.reduce((a, b) => a + b, 0);
  const cOf = (size: number): number => (joining && size > 0 ? size * joiningValueOf(joining, size) : 0);
  let best: { x: number[]; y: number[]; m1: number[]; m2: number[]; val: number; data: number; out: number } | undefined;
  const vals: { val: number; mult: number }[] = [];
  const logFact = [0];
  for (let k = 1; k <= Math.max(...sizes); k++) logFact.push(logFact[k - 1] + Math.log(k));
  for (const [x, y] of pairs) {
    const z = sizes.map((ng, g) => ng - x[g] - y[g]);
    const b1 = bestOf(x, y, z);
    const b2 = bestOf(y, x, z);
    const data = b1.value + b2.value;
    const val = data + cOf(total(x)) + cOf(total(y));
    // User-level partitions this count pair stands for: Π_g n_g! / (x_g! y_g! z_g!).
    let lm = 0;
    for (let g = 0; g < K; g++) lm += logFact[sizes[g]] - logFact[x[g]] - logFact[y[g]] - logFact[z[g]];
    vals.push({ val, mult: Math.round(Math.exp(lm)) });
    const t = best ? tolOf(Math.max(Math.abs(val), Math.abs(best.val))) : 0;
    if (
      !best ||
      val > best.val + t ||
      (val >= best.val - t && (total(x) > total(best.x) || (total(x) === total(best.x) && (total(z) < best.out || (total(z) === best.out && preferCounts(x, best.x) < 0)))))
    ) {
      best = { x, y, m1: b1.m, m2: b2.m, val, data, out: total(z) };
    }
  }
  const b = best as NonNullable<typeof best>;
  let ties = 0;
  for (const e of vals) if (e.val >= b.val - tolOf(b.val)) ties += e.mult;
  // Canonical users: in block g the first x_g are on platform 1, the next y_g on platform 2.
  const assignment: (0 | 1 | 2)[] = [];
  const sh1: number[] = [];
  const sh2: number[] = [];
  let offset = 0;
  sizes.forEach((ng, g) => {
    for (let r = 0; r < ng; r++) {
      const on = r < b.x[g] ? 1 : r < b.x[g] + b.y[g] ? 2 : 0;
      assignment.push(on);
      if (on === 1 && r < b.m1[g]) sh1.push(offset + r);
      if (on === 2 && r - b.x[g] < b.m2[g]) sh2.push(offset + r);
    }
    offset += ng;
  });
  return {
    firstBest: {
      assignment,
      sharers: [sh1, sh2],
      socialSurplus: b.val,
      dataSurplus: b.data,
      ties,
      membersByCommunity: [b.x, b.y],
      sharersByCommunity: [b.m1, b.m2],
    },
  };
}
