/**
 * A user's share decision in the monopoly leakage game (AMMO eq. (1), Thm 2; MODEL.md B.1–B.3), as pure
 * functions for the agents. Given the others' actions a₋ᵢ, user i compares
 *   u_i(1, a₋ᵢ, p) − u_i(0, a₋ᵢ, p) = p_i − v_i Δ_i(a₋ᵢ),   Δ_i = ownIncrement(Σ_ii, τ², I_i(A∖{i})),
 * so her reservation price (the least price at which she shares) is v_i Δ_i(a₋ᵢ); at that price she is
 * indifferent and, by the papers' convention at least sustaining prices, shares.
 * The only input that depends on the others is I_i(A∖{i}) ("leakage without me"); it is computed once
 * per round for every user so that each decision costs O(1).
 */
import { inverseSpd, type Mat } from '../linalg.js';
import { leakageAll, ownIncrement } from './gaussian.js';

/**
 * Relative tolerance of the tie rule: a user shares when p_i ≥ v_i Δ_i · (1 − SHARE_TIE_TOL) − SHARE_TIE_TOL.
 * Prices computed by two different (exact) routes may differ in the last bits; an indifferent user must
 * still be seen as indifferent.
 */
export const SHARE_TIE_TOL = 1e-12;

/** v_i Δ_i: the least price at which user i shares, given I_i(A∖{i}) (MODEL.md B.2, least sustaining price). */
export function reservationPrice(v: number, sigmaII: number, tau2: number, leakWithout: number): number {
  return v * ownIncrement(sigmaII, tau2, leakWithout);
}

/** Best response of user i to price p and reservation price r, ties toward sharing (MODEL.md B.3, B.9 item 3). */
export function sharesAt(price: number, reservation: number): boolean {
  return price >= reservation * (1 - SHARE_TIE_TOL) - SHARE_TIE_TOL;
}

/** User i's payoff u_i = a_i p_i − v_i I_i(a) (AMMO eq. (1)), from her own leakage I_i(a). */
export function userPayoff(shares: boolean, price: number, v: number, leak: number): number {
  return (shares ? price : 0) - v * leak;
}

/**
 * I_i(A∖{i}) for every user i: leakage about i from the other sharers' data. For i ∉ A it is I_i(A); for
 * i ∈ A it follows from M = (Σ[A,A] + τ² Id)⁻¹ as Σ_ii + τ² − 1/M_mm (MODEL.md B.11), one factorisation
 * for all users.
 */
export function leakageWithoutSelf(Sigma: Mat, tau2: number, A: readonly number[]): Float64Array {
  const n = Sigma.n;
  const out = leakageAll(Sigma, tau2, A);
  const k = A.length;
  if (k === 0) return out;
  const a = new Float64Array(k * k);
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) a[r * k + c] = Sigma.data[A[r] * n + A[c]] + (r === c ? tau2 : 0);
  const M = inverseSpd(a, k);
  for (let m = 0; m < k; m++) {
    const i = A[m];
    out[i] = Sigma.data[i * n + i] + tau2 - 1 / M[m * k + m];
  }
  return out;
}
