/**
 * Payoffs of the monopoly leakage game for a given sharer set A (AMMO eqs. (1)–(2), Thm 2; MODEL.md B.1–B.2).
 *   price      p_i = v_i (I_i(A) − I_i(A∖{i}))  for i ∈ A (least sustaining price), 0 otherwise
 *   user       u_i = p_i − v_i I_i(A)            (= −v_i I_i(A∖{i}) for sharers at p^A)
 *   platform   Φ(A) = Σ_i I_i(A) − Σ_{i∈A} p_i
 *   surplus    SS(A) = Σ_i (1 − v_i) I_i(A)
 */
import type { Mat } from '../linalg.js';
import { leakageAll, leakageOf } from './gaussian.js';

export interface SharingOutcome {
  sharers: number[];
  /** I_i(A) per user. */
  leakage: number[];
  /** Least sustaining prices p^A per user (0 for non-sharers). */
  prices: number[];
  userPayoffs: number[];
  platformProfit: number;
  socialSurplus: number;
  totalLeakage: number;
}

/** Leave-one-out leakage I_i(A∖{i}) for i ∈ A, in the order of A. */
export function leaveOneOutLeakage(Sigma: Mat, tau2: number, A: readonly number[]): number[] {
  return A.map((i) => leakageOf(Sigma, tau2, A.filter((j) => j !== i), i));
}

/** Evaluates the outcome of sharer set A at its least sustaining prices. */
export function evaluateSharingSet(Sigma: Mat, tau2: number, v: readonly number[], A: readonly number[]): SharingOutcome {
  const n = Sigma.n;
  const leak = Array.from(leakageAll(Sigma, tau2, A));
  const loo = leaveOneOutLeakage(Sigma, tau2, A);
  const prices = new Array<number>(n).fill(0);
  A.forEach((i, r) => {
    prices[i] = v[i] * (leak[i] - loo[r]);
  });
  return outcomeFrom([...A].sort((a, b) => a - b), leak, prices, v);
}

/** Assembles payoffs from leakage and prices (shared by the general and community paths). */
export function outcomeFrom(sharers: number[], leakage: number[], prices: number[], v: readonly number[]): SharingOutcome {
  let totalLeakage = 0;
  let paid = 0;
  let socialSurplus = 0;
  const userPayoffs = leakage.map((I, i) => {
    totalLeakage += I;
    paid += prices[i];
    socialSurplus += (1 - v[i]) * I;
    return prices[i] - v[i] * I;
  });
  return { sharers, leakage, prices, userPayoffs, platformProfit: totalLeakage - paid, socialSurplus, totalLeakage };
}
