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
import { mutualInformation } from './setTable.js';

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

/**
 * Block leakage for sharer counts m (0 ≤ m_g ≤ sizes_g); results live in `scratch.out` until the next call.
 *
 * Fast path, O(K). Here C = d·Id + x·11ᵀ with d = within − across, x = across (K = 1: d = within, x = 0), so
 * cId + C D = Λ + x·1 mᵀ with Λ = diag(λ_g), λ_g = c + d m_g. When d ≥ 0, λ_g ≥ c > 0, and 1 + x s > 0 with
 * s = Σ_g u_g, u_g = m_g/λ_g (det(cId + CD) = det Λ·(1 + x s) > 0 because cId + CD is similar to the
 * positive-definite cId + D^½CD^½). Sherman–Morrison then gives, with q = 1/(1 + x s):
 *   R_kl = δ_kl/λ_k − x q u_l/λ_k,    P_gg = (d − d x q u_g + x q)/λ_g,
 *   (C D P)_gg = d m_g P_gg + x q (d u_g + x s) = d² u_g − d² x q u_g² + 2 d x q u_g + x² q s.
 * Otherwise (within < across) the K×K system is solved by Gauss–Jordan in scratch buffers.
 */
export function blockLeakage(c: Communities, tau2: number, m: ArrayLike<number>, scratch = blockScratch(c)): BlockLeakage {
  const K = c.sizes.length;
  const a = c.variance - c.within;
  const cc = a + tau2;
  const { out } = scratch;
  const d = K === 1 ? c.within : c.within - c.across;
  const x = K === 1 ? 0 : c.across;
  if (d >= 0) {
    const u = scratch.P; // reuse: u_g in P[0..K)
    let s = 0;
    for (let g = 0; g < K; g++) {
      const ug = m[g] / (cc + d * m[g]);
      u[g] = ug;
      s += ug;
    }
    const q = 1 / (1 + x * s);
    const xxqs = x * x * q * s;
    for (let g = 0; g < K; g++) {
      const ug = u[g];
      const lam = cc + d * m[g];
      const pgg = (d - d * x * q * ug + x * q) / lam;
      const ns = d * d * ug - d * d * x * q * ug * ug + 2 * d * x * q * ug + xxqs;
      out.nonSharer[g] = ns;
      out.sharer[g] = ((a * a) / cc) * (1 - pgg) + 2 * a * pgg + ns;
      out.leaveOneOut[g] = c.variance + tau2 - cc / (1 - pgg);
    }
    return out;
  }
  const { C, A, R, P } = scratch;
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
  m: ArrayLike<number>,
  scratch = blockScratch(c),
  prices = new Float64Array(c.sizes.length),
): CountValues {
  return blockValues(c.sizes, v, m, blockLeakage(c, tau2, m, scratch), prices);
}

/**
 * Φ, SS and prices for sharer counts m from any block leakage at m (Gaussian, mutual information, or a
 * μ-mixture): L_g = (n_g − m_g) I^ns_g + m_g I^sh_g, p_g = v_g (I^sh_g − I^loo_g), Φ = Σ_g L_g − m_g p_g,
 * SS = Σ_g (1 − v_g) L_g.
 */
export function blockValues(
  sizes: readonly number[],
  v: readonly number[],
  m: ArrayLike<number>,
  leak: BlockLeakage,
  prices = new Float64Array(sizes.length),
): CountValues {
  const K = sizes.length;
  let phi = 0;
  let ss = 0;
  for (let g = 0; g < K; g++) {
    const ng = sizes[g];
    const mg = m[g];
    const total = (ng - mg) * leak.nonSharer[g] + (mg > 0 ? mg * leak.sharer[g] : 0);
    const price = mg > 0 ? v[g] * (leak.sharer[g] - leak.leaveOneOut[g]) : 0;
    prices[g] = price;
    phi += total - mg * price;
    ss += (1 - v[g]) * total;
  }
  return { phi, ss, prices, leak };
}

/**
 * Upper bounds of Φ and SS over a box of count vectors lo ≤ m ≤ hi (componentwise), for the exact
 * branch-and-bound search (src/checker/leakage/communitySearch.ts).
 *
 * Write L_g(m) = (n_g − m_g) I^ns_g + m_g I^sh_g for the total leakage about block g's users and
 * Δ_g(m) = I^sh_g − I^loo_g for the own increment of a block-g sharer (m_g ≥ 1). Then
 *   Φ(m)  = Σ_g L_g(m) − Σ_g v_g m_g Δ_g(m)          (AMMO Thm 1 at least sustaining prices, Thm 2)
 *   SS(m) = Σ_g (1 − v_g) L_g(m).
 * Claims, for m ≤ m′ (pick sharer sets S ⊆ S′ realising them — users of a block are exchangeable):
 *   (i)  L_g(m) ≤ L_g(m′): every user's leakage is monotone in the sharer set (AMMO Lemma 1.1), and a user
 *        who switches from not sharing to sharing moves from I_i(S) to I_i(S ∪ {i}) ≥ I_i(S).
 *   (ii) Δ_g(m) ≥ Δ_g(m′) when m_g ≥ 1: the own increment of a sharer i ∈ S ⊆ S′ is non-increasing in the
 *        others' sharing (AMMO Lemma 1.2, submodularity in own action).
 * Hence for every m in the box, with v_g ≥ 0,
 *   Φ(m)  ≤ Σ_g L_g(hi) − Σ_{g: lo_g ≥ 1} v_g lo_g Δ_g(hi)
 *   SS(m) ≤ Σ_{g: v_g ≤ 1} (1 − v_g) L_g(hi) + Σ_{g: v_g > 1} (1 − v_g) L_g(lo).
 * Both bounds are attained when the box is a single point, so a search that splits boxes converges.
 */
export function phiUpperBound(
  c: Communities,
  tau2: number,
  v: readonly number[],
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  scratch: BlockScratch,
): number {
  const leak = blockLeakage(c, tau2, hi, scratch);
  let ub = 0;
  for (let g = 0; g < c.sizes.length; g++) {
    const h = hi[g];
    ub += (c.sizes[g] - h) * leak.nonSharer[g] + (h > 0 ? h * leak.sharer[g] : 0);
    if (lo[g] >= 1) ub -= v[g] * lo[g] * (leak.sharer[g] - leak.leaveOneOut[g]);
  }
  return ub;
}

export function ssUpperBound(
  c: Communities,
  tau2: number,
  v: readonly number[],
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  scratch: BlockScratch,
): number {
  let ub = 0;
  for (const [m, gain] of [
    [hi, true],
    [lo, false],
  ] as const) {
    const leak = blockLeakage(c, tau2, m, scratch);
    for (let g = 0; g < c.sizes.length; g++) {
      if (v[g] <= 1 !== gain) continue;
      const k = m[g];
      ub += (1 - v[g]) * ((c.sizes[g] - k) * leak.nonSharer[g] + (k > 0 ? k * leak.sharer[g] : 0));
    }
  }
  return ub;
}

/**
 * A second, much tighter upper bound of Φ over a box lo ≤ m ≤ hi (fast path only: within ≥ across, v ≥ 0),
 * exact in each block's own count and second-order tight around an interior optimum.
 *
 * Separability given q. In the fast path every block quantity depends on m only through the block's own
 * count m_g and the one scalar q = 1/(1 + x s), s = Σ_h u_h, u_h = m_h/(c + d m_h) (blockLeakage), because
 * x² q s = x(1 − q). With λ_g = c + d m_g, u = u_g:
 *   ns_g  = N0 + N1 q,           N0 = d² u + x,  N1 = 2dxu − d²xu² − x,
 *   P_gg  = p0 + p1 q,           p0 = d/λ_g,     p1 = x(1 − d u)/λ_g,
 *   sh_g − ns_g = E0 + E1 q,     E0 = a²/c + (2a − a²/c) p0,  E1 = (2a − a²/c) p1,
 *   loo_g = variance + τ² − c/(1 − P_gg),
 * and block g's share of Φ = Σ_g [(n_g − m_g) ns_g + m_g sh_g − v_g m_g (sh_g − loo_g)] is
 *   f_g(m_g, q) = (n_g − v_g m_g) ns_g + (1 − v_g) m_g (sh_g − ns_g) + v_g m_g loo_g,
 * so Φ(m) = Σ_g f_g(m_g, q(m)).
 *
 * Claim. For any real κ, every m in the box satisfies
 *   Φ(m) ≤ Σ_g max_{lo_g ≤ k ≤ hi_g} [ max_{q ∈ Q_g(k)} f_g(k, q) + κ u_g(k) ] + max(−κ s(lo), −κ s(hi)),
 * with Q_g(k) the interval between q(lo_{−g}, k) and q(hi_{−g}, k).
 * Proof. Φ(m) = Σ_g [f_g(m_g, q(m)) + κ u_g(m_g)] − κ s(m). Each u_h is increasing in m_h and q is monotone
 * in s, so q(m) ∈ Q_g(m_g) for every g and s(lo) ≤ s(m) ≤ s(hi); bound each term by its maximum. ∎
 * Inner maximum over q. Both ends of Q_g(k) are real count vectors, where 1 − P_gg = c·M_mm > 0 (MODEL.md
 * B.11); P_gg is affine in q, so 1 − P_gg > 0 on all of Q_g(k), and there −c/(1 − P_gg) is concave (c > 0).
 * With v_g k ≥ 0, f_g(k, ·) is affine + concave = concave, hence below its tangent at either end:
 *   max_{[q1,q2]} f ≤ min( f(q1) + max(0, f′(q1))(q2 − q1),  f(q2) + max(0, −f′(q2))(q2 − q1) ),
 *   f′(q) = (n_g − v_g k) N1 + (1 − v_g) k E1 − v_g k c p1/(1 − P_gg)².
 * Choice of κ (any value is valid). Without κ each block would maximise f_g at fixed q and ignore that its
 * count moves q; the stationarity of Φ is ∂f_g/∂m_g + F′(q) q′(s) u_g′ = 0 with F = Σ_g f_g, so κ =
 * F′(q̄)·(−x q̄²) at the box centre restores it, and the bound's excess is second order in the box width.
 * On a single point Q_g is a point and the bound equals Φ (up to round-off), so splitting converges.
 * Social surplus. SS(m) = Σ_g (1 − v_g)[(n_g − m_g) ns_g + m_g sh_g] = Σ_g h_g(m_g, q(m)) with
 *   h_g(k, q) = (1 − v_g)(n_g ns_g + k (sh_g − ns_g)),
 * affine in q (no loo term), so the same claim and proof hold with h_g for f_g, for any sign of v_g, and the
 * tangent bounds are exact (the larger end value).
 * Cost O(Σ_g (hi_g − lo_g + 1)); the search uses it on boxes up to a width limit. Returns +∞ (no
 * information) outside the fast path, for negative v (Φ only) or c ≤ 0.
 */
export function phiSeparableBound(
  c: Communities,
  tau2: number,
  v: readonly number[],
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
): number {
  return separableBound(c, tau2, v, lo, hi, true);
}

/** The separable bound of SS over a box (see phiSeparableBound). */
export function ssSeparableBound(
  c: Communities,
  tau2: number,
  v: readonly number[],
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
): number {
  return separableBound(c, tau2, v, lo, hi, false);
}

function separableBound(
  c: Communities,
  tau2: number,
  v: readonly number[],
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  phi: boolean,
): number {
  const K = c.sizes.length;
  const a = c.variance - c.within;
  const cc = a + tau2;
  const d = K === 1 ? c.within : c.within - c.across;
  const x = K === 1 ? 0 : c.across;
  if (!(d >= 0) || !(cc > 0)) return Infinity;
  if (phi) for (let g = 0; g < K; g++) if (!(v[g] >= 0)) return Infinity;
  const u = (m: number): number => m / (cc + d * m);
  const w = 2 * a - (a * a) / cc;
  const top = c.variance + tau2;
  let sLo = 0;
  let sHi = 0;
  let sMid = 0;
  for (let g = 0; g < K; g++) {
    sLo += u(lo[g]);
    sHi += u(hi[g]);
    sMid += u((lo[g] + hi[g]) / 2);
  }
  // f_g(k, q) and f′_g(k, q) (h_g for SS) into `fv`, `fd`; coefficients of ns, sh − ns and loo.
  let fv = 0;
  let fd = 0;
  const f = (g: number, k: number, q: number): void => {
    const ng = c.sizes[g];
    const vg = v[g];
    const lam = cc + d * k;
    const ug = k / lam;
    const N1 = 2 * d * x * ug - d * d * x * ug * ug - x;
    const ns = d * d * ug + x + N1 * q;
    const p0 = d / lam;
    const p1 = (x * (1 - d * ug)) / lam;
    const pgg = p0 + p1 * q;
    const E1 = w * p1;
    const E = (a * a) / cc + w * pgg;
    const cNs = phi ? ng - vg * k : (1 - vg) * ng;
    const cE = (1 - vg) * k;
    fv = cNs * ns + cE * E;
    fd = cNs * N1 + cE * E1;
    if (phi && k > 0 && vg > 0) {
      const r = 1 - pgg;
      fv += vg * k * (top - cc / r);
      fd -= (vg * k * cc * p1) / (r * r);
    }
  };
  const qMid = 1 / (1 + x * sMid);
  let dF = 0;
  for (let g = 0; g < K; g++) {
    f(g, (lo[g] + hi[g]) / 2, qMid);
    dF += fd;
  }
  const kappa = -x * qMid * qMid * dF;
  let total = Math.max(-kappa * sLo, -kappa * sHi);
  for (let g = 0; g < K; g++) {
    const restLo = sLo - u(lo[g]);
    const restHi = sHi - u(hi[g]);
    let best = -Infinity;
    for (let k = lo[g]; k <= hi[g]; k++) {
      const uk = u(k);
      const qa = 1 / (1 + x * (restLo + uk));
      const qb = 1 / (1 + x * (restHi + uk));
      const q1 = Math.min(qa, qb);
      const q2 = Math.max(qa, qb);
      f(g, k, q1);
      const f1 = fv;
      const d1 = fd;
      let ub = f1 + Math.max(0, d1) * (q2 - q1);
      if (q2 > q1) {
        f(g, k, q2);
        ub = Math.min(ub, fv + Math.max(0, -fd) * (q2 - q1));
      }
      const val = ub + kappa * uk;
      if (val > best) best = val;
    }
    total += best;
  }
  return total;
}

/** Block leakage of one community structure under the chosen measure. */
export function blockLeakFn(c: Communities, tau2: number, measure: 'mse' | 'mutual-information'): (m: readonly number[]) => BlockLeakage {
  const scratch = blockScratch(c);
  return (m) => {
    const b = blockLeakage(c, tau2, m, scratch);
    const map = (x: Float64Array): Float64Array => Float64Array.from(x, (I) => (measure === 'mse' ? I : mutualInformation(I, c.variance)));
    return { sharer: map(b.sharer), nonSharer: map(b.nonSharer), leaveOneOut: map(b.leaveOneOut) };
  };
}

/** μ-weighted mixture of block leakage functions (same sizes). */
export function mixBlockLeak(fns: readonly ((m: readonly number[]) => BlockLeakage)[], weights: readonly number[]): (m: readonly number[]) => BlockLeakage {
  return (m) => {
    const parts = fns.map((f) => f(m));
    const K = parts[0].sharer.length;
    const out: BlockLeakage = { sharer: new Float64Array(K), nonSharer: new Float64Array(K), leaveOneOut: new Float64Array(K) };
    parts.forEach((p, s) => {
      for (let g = 0; g < K; g++) {
        out.sharer[g] += weights[s] * p.sharer[g];
        out.nonSharer[g] += weights[s] * p.nonSharer[g];
        out.leaveOneOut[g] += weights[s] * p.leaveOneOut[g];
      }
    });
    return out;
  };
}
