/**
 * Per-set leakage table for a general covariance: for every sharer set A ⊆ V (bitmask) the leakage
 * I_i(A) about every user i and, for sharers, the leave-one-out leakage I_i(A∖{i}) (MODEL.md B.1).
 *
 * The monopoly enumeration path (enumerate.ts) only keeps Φ and SS per set. Competition, regulation and the
 * alternative information measure need per-user leakage of each set (a platform's objective weights users
 * differently depending on who is a member), so this table keeps all of it: 2ⁿ·n·2 doubles.
 *
 * Leave-one-out leakage I_i(A∖{i}) is read from the row of A∖{i}, which the ascending bitmask order has
 * already filled (a direct solve; the precision form of AMMO Thm 2 would lose digits to cancellation when
 * Σ_ii is large against τ²).
 */
import type { Mat } from '../linalg.js';
import { leakageAll, maskToSet } from './gaussian.js';

export interface SetTable {
  n: number;
  /** I_i(A) at [A·n + i]. */
  leak: Float64Array;
  /** I_i(A∖{i}) at [A·n + i] for i ∈ A; equals leak for i ∉ A. */
  loo: Float64Array;
}

/** Builds the table for all 2ⁿ sets (cost 2ⁿ Cholesky solves of size |A|). */
export function buildSetTable(Sigma: Mat, tau2: number): SetTable {
  const n = Sigma.n;
  const size = 2 ** n;
  const leak = new Float64Array(size * n);
  const loo = new Float64Array(size * n);
  for (let A = 1; A < size; A++) {
    const I = leakageAll(Sigma, tau2, maskToSet(A, n));
    const base = A * n;
    for (let i = 0; i < n; i++) {
      leak[base + i] = I[i];
      if (A & (1 << i)) {
        // A∖{i} < A, so its row is already filled: an exact direct solve, no cancellation.
        loo[base + i] = leak[(A ^ (1 << i)) * n + i];
      } else {
        loo[base + i] = I[i];
      }
    }
  }
  return { n, leak, loo };
}

/**
 * Gaussian mutual information I(X_i; S_A) = ½ ln(Var X_i / Var(X_i | S_A)) = −½ ln(1 − I_i(A)/σ_i²),
 * MODEL.md B.9 item 25 option (b): AMMO §5.1 defines MI on types, which is infinite for a sharer's own
 * continuous type, so we measure it on the noisy signals the platform actually sees.
 */
export function mutualInformation(mseLeak: number, sigmaII: number): number {
  return -0.5 * Math.log1p(-mseLeak / sigmaII);
}

/** The same table with every entry mapped to mutual information (diagonal of Σ gives σ_i²). */
export function toMutualInformation(t: SetTable, Sigma: Mat): SetTable {
  const n = t.n;
  const leak = new Float64Array(t.leak.length);
  const loo = new Float64Array(t.loo.length);
  for (let k = 0; k < leak.length; k++) {
    const s2 = Sigma.data[(k % n) * n + (k % n)];
    leak[k] = mutualInformation(t.leak[k], s2);
    loo[k] = mutualInformation(t.loo[k], s2);
  }
  return { n, leak, loo };
}

/** Weighted mixture Σ_s w_s t_s of tables for the same n (expected leakage under a finite μ, AMMO §5.3). */
export function mixTables(tables: readonly SetTable[], weights: readonly number[]): SetTable {
  const n = tables[0].n;
  const leak = new Float64Array(tables[0].leak.length);
  const loo = new Float64Array(tables[0].loo.length);
  tables.forEach((t, s) => {
    const w = weights[s];
    for (let k = 0; k < leak.length; k++) {
      leak[k] += w * t.leak[k];
      loo[k] += w * t.loo[k];
    }
  });
  return { n, leak, loo };
}

/**
 * AMMO Thm 1's induced-subset objective of a platform whose members are `members` (bitmask), generalised
 * to PAL §V-C spillovers: Φ(A) = Σ_{i∈M} I_i(A) − Σ_{i∈A} v_i (I_i(A) − I_i(A∖{i})) + α Σ_{i∈O} I_i(A),
 * for A ⊆ M, with O = `others`, the other platform's members (PAL eq. (5) counts them only, not users who join
 * neither; default: every non-member, which they are when everyone joins). With M = V and α = 0 this is the
 * monopoly Φ.
 */
export function platformObjective(t: SetTable, v: readonly number[], members: number, A: number, alpha: number, others = ~members): number {
  const n = t.n;
  const base = A * n;
  let phi = 0;
  for (let i = 0; i < n; i++) {
    const I = t.leak[base + i];
    if (members & (1 << i)) {
      phi += I;
      if (A & (1 << i)) phi -= v[i] * (I - t.loo[base + i]);
    } else if (others & (1 << i)) {
      phi += alpha * I;
    }
  }
  return phi;
}

/** Own increment q_i(A) = I_i(A) − I_i(A∖{i}) of a sharer i ∈ A (AMMO Thm 1), 0 for i ∉ A. */
export function tableIncrement(t: SetTable, A: number, i: number): number {
  return A & (1 << i) ? t.leak[A * t.n + i] - t.loo[A * t.n + i] : 0;
}

/** Least sustaining price v_i q_i(A) of user i in sharer set A (AMMO Thm 1, PAL eq. (3)), 0 for i ∉ A. */
export function tablePrice(t: SetTable, v: number, A: number, i: number): number {
  return A & (1 << i) ? v * (t.leak[A * t.n + i] - t.loo[A * t.n + i]) : 0;
}

/** Social surplus Σ_i (1 − v_i) I_i(A) of one sharer set. */
export function setSurplus(t: SetTable, v: readonly number[], A: number): number {
  const n = t.n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (1 - v[i]) * t.leak[A * n + i];
  return s;
}

/** Submasks of M, M itself first, ∅ last. */
export function submasks(M: number): number[] {
  const out: number[] = [];
  for (let s = M; ; s = (s - 1) & M) {
    out.push(s);
    if (s === 0) break;
  }
  return out;
}
