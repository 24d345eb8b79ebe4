/**
 * Leakage with a community (block) covariance, from sharer counts only (MODEL.md B.11 item 6: users of one
 * block are exchangeable, so leakage depends on how many of each block share, not on which).
 *
 * Σ = a·Id + U C Uᵀ, with a = variance − within, C_kl = within (k = l) or across (k ≠ l), U the block
 * indicator. For sharer counts m (D = diag(m)) and c = a + τ², Woodbury gives M U = U R with
 * R = (c Id_K + C D)⁻¹, hence with P = R C:
 *   non-sharer of block g:  I^ns_g = (C D P)_gg
 *   sharer of block g:      I^sh_g = (a²/c)(1 − P_gg) + 2a P_gg + (C D P)_gg
 *   sharer, leave-one-out:  I^loo_g = variance + τ² − c / (1 − P_gg)      (B.11: Σ_ii + τ² − 1/M_mm)
 * Each costs O(K³) per count vector, independent of the number of users.
 */
import type { Communities } from '../../scenario/schema.js';
import { inverseGeneral } from '../linalg.js';

export interface BlockLeakage {
  /** I^ns_g: leakage about a non-sharer of block g. */
  nonSharer: Float64Array;
  /** I^sh_g: leakage about a sharer of block g (meaningful when m_g ≥ 1). */
  sharer: Float64Array;
  /** I^loo_g = I_i(S ∖ {i}) for a sharer i of block g (meaningful when m_g ≥ 1). */
  leaveOneOut: Float64Array;
}

/** Scratch buffers for blockLeakage, so the enumeration loop allocates nothing. */
export interface BlockScratch {
  C: Float64Array;
  A: Float64Array;
  R: Float64Array;
  P: Float64Array;
  out: BlockLeakage;
}

export function blockScratch(c: Communities): BlockScratch {
  const K = c.sizes.length;
  const C = new Float64Array(K * K);
  for (let k = 0; k < K; k++) for (let l = 0; l < K; l++) C[k * K + l] = k === l ? c.within : c.across;
  return {
    C,
    A: new Float64Array(K * K),
    R: new Float64Array(K * K),
    P: new Float64Array(K * K),
    out: { nonSharer: new Float64Array(K), sharer: new Float64Array(K), leaveOneOut: new Float64Array(K) },
  };
}

/** Block leakage for sharer counts m (0 ≤ m_g ≤ sizes_g); results live in `scratch.out` until the next call. */
export function blockLeakage(c: Communities, tau2: number, m: readonly number[], scratch = blockScratch(c)): BlockLeakage {
  const K = c.sizes.length;
  const a = c.variance - c.within;
  const cc = a + tau2;
  const { C, A, R, P, out } = scratch;
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < K; l++) A[k * K + l] = C[k * K + l] * m[l] + (k === l ? cc : 0);
  }
  invertInto(A, K, R);
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < K; l++) {
      let s = 0;
      for (let j = 0; j < K; j++) s += R[k * K + j] * C[j * K + l];
      P[k * K + l] = s;
    }
  }
  for (let g = 0; g < K; g++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += C[g * K + j] * m[j] * P[j * K + g];
    out.nonSharer[g] = s;
    const pgg = P[g * K + g];
    out.sharer[g] = ((a * a) / cc) * (1 - pgg) + 2 * a * pgg + s;
    out.leaveOneOut[g] = c.variance + tau2 - cc / (1 - pgg);
  }
  return out;
}

/** R = A⁻¹ for small K: closed form for K ≤ 2, Gauss–Jordan otherwise. */
function invertInto(A: Float64Array, K: number, R: Float64Array): void {
  if (K === 1) {
    R[0] = 1 / A[0];
  } else if (K === 2) {
    const det = A[0] * A[3] - A[1] * A[2];
    R[0] = A[3] / det;
    R[1] = -A[1] / det;
    R[2] = -A[2] / det;
    R[3] = A[0] / det;
  } else {
    R.set(inverseGeneral(A, K));
  }
}

export interface CountValues {
  /** Platform objective Φ (AMMO Thm 1) at least sustaining prices. */
  phi: number;
  /** Social surplus Σ_i (1 − v_i) I_i. */
  ss: number;
  /** Per-block price v_g (I^sh_g − I^loo_g) paid to each sharer of block g. */
  prices: Float64Array;
  leak: BlockLeakage;
}

/** Φ, SS and prices for sharer counts m, with privacy value v_g per block. */
export function countValues(
  c: Communities,
  tau2: number,
  v: readonly number[],
  m: readonly number[],
  scratch = blockScratch(c),
  prices = new Float64Array(c.sizes.length),
): CountValues {
  const leak = blockLeakage(c, tau2, m, scratch);
  const K = c.sizes.length;
  let phi = 0;
  let ss = 0;
  for (let g = 0; g < K; g++) {
    const ng = c.sizes[g];
    const mg = m[g];
    const total = (ng - mg) * leak.nonSharer[g] + (mg > 0 ? mg * leak.sharer[g] : 0);
    const price = mg > 0 ? v[g] * (leak.sharer[g] - leak.leaveOneOut[g]) : 0;
    prices[g] = price;
    phi += total - mg * price;
    ss += (1 - v[g]) * total;
  }
  return { phi, ss, prices, leak };
}
