/**
 * Gaussian leakage (AMMO §2.2, MODEL.md B.1). Types X ~ N(0, Σ); user j's shared data S_j = X_j + Z_j with
 * Z_j ~ N(0, τ²) (τ² = `tau2`, the noise variance; the papers fix τ² = 1).
 *
 * Leaked information about user i when the sharer set is A:
 *   I_i(A) = Σ_ii − Var(X_i | S_A) = Σ[i,A] (Σ[A,A] + τ² Id)⁻¹ Σ[A,i],   I_i(∅) = 0.
 */
import { choleskyInPlace, choleskySolveInPlace, type Mat } from '../linalg.js';

/** Leakage I_i(A) for every user i (sharer or not), by one Cholesky factorisation of Σ[A,A] + τ² Id. */
export function leakageAll(Sigma: Mat, tau2: number, A: readonly number[]): Float64Array {
  const n = Sigma.n;
  const k = A.length;
  const out = new Float64Array(n);
  if (k === 0) return out;
  const l = new Float64Array(k * k);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) l[r * k + c] = Sigma.data[A[r] * n + A[c]] + (r === c ? tau2 : 0);
  }
  if (!choleskyInPlace(l, k)) throw new Error('Σ[A,A] + τ²Id is not positive definite');
  const b = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) b[r] = Sigma.data[i * n + A[r]];
    // I_i = bᵀ (LLᵀ)⁻¹ b = ‖L⁻¹ b‖²: forward substitution only.
    let s = 0;
    for (let r = 0; r < k; r++) {
      let y = b[r];
      for (let p = 0; p < r; p++) y -= l[r * k + p] * b[p];
      y /= l[r * k + r];
      b[r] = y;
      s += y * y;
    }
    out[i] = s;
  }
  return out;
}

/** Leakage about one user, I_i(A). */
export function leakageOf(Sigma: Mat, tau2: number, A: readonly number[], i: number): number {
  const n = Sigma.n;
  const k = A.length;
  if (k === 0) return 0;
  const l = new Float64Array(k * k);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) l[r * k + c] = Sigma.data[A[r] * n + A[c]] + (r === c ? tau2 : 0);
  }
  if (!choleskyInPlace(l, k)) throw new Error('Σ[A,A] + τ²Id is not positive definite');
  const b = new Float64Array(k);
  for (let r = 0; r < k; r++) b[r] = Sigma.data[i * n + A[r]];
  const x = Float64Array.from(b);
  choleskySolveInPlace(l, k, x);
  let s = 0;
  for (let r = 0; r < k; r++) s += b[r] * x[r];
  return s;
}

/**
 * Own-sharing increment Δ_i = I_i(A ∪ {i}) − I_i(A ∖ {i}) = r²/(τ² + r), r = Σ_ii − I_i(A ∖ {i})
 * (AMMO Thm 2 eq. (5), written for noise variance τ²; MODEL.md B.9 item 1).
 */
export function ownIncrement(sigmaII: number, tau2: number, leakWithout: number): number {
  const r = sigmaII - leakWithout;
  return (r * r) / (tau2 + r);
}

/** Bitmask ↔ sorted index list. */
export function maskToSet(mask: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (mask & (1 << i)) out.push(i);
  return out;
}
