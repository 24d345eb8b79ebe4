/**
 * Exact values of every sharer set, 2ⁿ of them, in Gray-code order (MODEL.md B.11).
 *
 * With S the sharer set, k = |S| and M = (Σ[S,S] + τ² Id)⁻¹:
 *   Σ_i w_i I_i(S)       = trace(M (Σ W Σ)[S,S])          (all users, sharers or not)
 *   I_i(S) − I_i(S∖{i}) = (τ² M_mm − 1)² / M_mm            (i ∈ S at position m)
 * so the platform's induced-subset objective Φ(S) = Σ_i I_i(S) − Σ_{i∈S} v_i (I_i(S) − I_i(S∖{i}))
 * (AMMO Thm 1) and the social surplus SS(S) = Σ_i (1 − v_i) I_i(S) need only M. Consecutive Gray-code sets
 * differ by one user, so M changes by a bordered (rank-one) update when a user joins and a Schur-complement
 * downdate when one leaves: O(k²) per set instead of O(n k³) for per-user solves. M is recomputed from
 * scratch every REFRESH steps to keep round-off bounded (tested against direct solves).
 */
import { inverseSpd, type Mat } from '../linalg.js';

/** Recompute M from scratch this often (steps). */
export const REFRESH = 64;

export interface SetValues {
  n: number;
  /** Φ(S) indexed by bitmask (bit i = user i shares). */
  phi: Float64Array;
  /** SS(S) indexed by bitmask. */
  ss: Float64Array;
}

/**
 * Φ and SS for all 2ⁿ sharer sets. `weights` w_i = 1 − v_i for SS.
 * Memory: two Float64Arrays of 2ⁿ entries (n = 24 → 256 MiB).
 */
export function enumerateSetValues(Sigma: Mat, tau2: number, v: readonly number[]): SetValues {
  const n = Sigma.n;
  const S = Sigma.data;
  const size = 2 ** n;
  const phi = new Float64Array(size);
  const ss = new Float64Array(size);
  // G = ΣΣ (total leakage) and H = Σ diag(1 − v) Σ (surplus), n×n, computed once.
  const G = new Float64Array(n * n);
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let g = 0;
      let h = 0;
      for (let l = 0; l < n; l++) {
        const t = S[i * n + l] * S[l * n + j];
        g += t;
        h += t * (1 - v[l]);
      }
      G[i * n + j] = g;
      H[i * n + j] = h;
    }
  }
  const M = new Float64Array(n * n); // k×k block used with stride n
  const mem = new Int32Array(n); // position → user
  const pos = new Int32Array(n).fill(-1); // user → position
  const Mb = new Float64Array(n);
  let k = 0;
  let mask = 0;

  const refresh = (): void => {
    if (k === 0) return;
    const a = new Float64Array(k * k);
    for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) a[r * k + c] = S[mem[r] * n + mem[c]] + (r === c ? tau2 : 0);
    const inv = inverseSpd(a, k);
    for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) M[r * n + c] = inv[r * k + c];
  };

  const add = (j: number): void => {
    let s = S[j * n + j] + tau2;
    for (let r = 0; r < k; r++) {
      let t = 0;
      for (let c = 0; c < k; c++) t += M[r * n + c] * S[mem[c] * n + j];
      Mb[r] = t;
      s -= S[mem[r] * n + j] * t;
    }
    const inv = 1 / s;
    for (let r = 0; r < k; r++) {
      const f = Mb[r] * inv;
      for (let c = 0; c < k; c++) M[r * n + c] += f * Mb[c];
      M[r * n + k] = -f;
      M[k * n + r] = -f;
    }
    M[k * n + k] = inv;
    mem[k] = j;
    pos[j] = k;
    k++;
  };

  const remove = (j: number): void => {
    const m = pos[j];
    const last = k - 1;
    if (m !== last) {
      // Swap position m with the last position (rows and columns) so the leaver sits at the end.
      for (let c = 0; c < k; c++) {
        const t = M[m * n + c];
        M[m * n + c] = M[last * n + c];
        M[last * n + c] = t;
      }
      for (let r = 0; r < k; r++) {
        const t = M[r * n + m];
        M[r * n + m] = M[r * n + last];
        M[r * n + last] = t;
      }
      const u = mem[last];
      mem[m] = u;
      pos[u] = m;
    }
    const d = M[last * n + last];
    for (let r = 0; r < last; r++) {
      const f = M[r * n + last] / d;
      for (let c = 0; c < last; c++) M[r * n + c] -= f * M[last * n + c];
    }
    pos[j] = -1;
    k--;
  };

  for (let t = 1; t < size; t++) {
    const j = 31 - Math.clz32(t & -t);
    mask ^= 1 << j;
    if (mask & (1 << j)) add(j);
    else remove(j);
    if (t % REFRESH === 0) refresh();
    let total = 0;
    let surplus = 0;
    let payments = 0;
    for (let r = 0; r < k; r++) {
      const gr = mem[r] * n;
      for (let c = 0; c < k; c++) {
        const mrc = M[r * n + c];
        total += mrc * G[gr + mem[c]];
        surplus += mrc * H[gr + mem[c]];
      }
      const mrr = M[r * n + r];
      const e = tau2 * mrr - 1;
      payments += (v[mem[r]] * e * e) / mrr;
    }
    phi[mask] = total - payments;
    ss[mask] = surplus;
  }
  return { n, phi, ss };
}
