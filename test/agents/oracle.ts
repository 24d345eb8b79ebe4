/**
 * Independent oracle for the tests: Gaussian leakage with ml-matrix (a second implementation, not the
 * model's Cholesky kernels), brute-force Stackelberg equilibrium over all 2ⁿ sets (AMMO Thm 1–2).
 */
import { Matrix, inverse } from 'ml-matrix';

export function leak(S: number[][], tau2: number, A: number[], i: number): number {
  if (A.length === 0) return 0;
  const M = new Matrix(A.map((r) => A.map((c) => S[r][c] + (r === c ? tau2 : 0))));
  const b = A.map((c) => S[i][c]);
  const x = inverse(M).mmul(Matrix.columnVector(b));
  return b.reduce((s, bj, k) => s + bj * x.get(k, 0), 0);
}

export function setsOf(n: number): number[][] {
  const out: number[][] = [];
  for (let m = 0; m < 1 << n; m++) out.push([...Array(n).keys()].filter((i) => m & (1 << i)));
  return out;
}

/** Least sustaining prices of A: v_i (I_i(A) − I_i(A∖{i})) for i ∈ A. */
export function leastPrices(S: number[][], tau2: number, v: number[], A: number[]): number[] {
  return v.map((vi, i) => (A.includes(i) ? vi * (leak(S, tau2, A, i) - leak(S, tau2, A.filter((j) => j !== i), i)) : 0));
}

export function phi(S: number[][], tau2: number, v: number[], A: number[]): number {
  const total = v.reduce((s, _, i) => s + leak(S, tau2, A, i), 0);
  return total - leastPrices(S, tau2, v, A).reduce((a, b) => a + b, 0);
}

/** argmax Φ, ties (1e-9 relative) toward the larger set, then lexicographically smaller. */
export function bruteForce(S: number[][], tau2: number, v: number[]): { sharers: number[]; prices: number[]; phi: number } {
  let best: number[] = [];
  let bestVal = 0;
  for (const A of setsOf(v.length)) {
    const val = phi(S, tau2, v, A);
    const tol = 1e-9 * Math.max(1, Math.abs(bestVal));
    if (val > bestVal + tol || (val >= bestVal - tol && A.length > best.length)) {
      best = A;
      bestVal = val;
    }
  }
  return { sharers: best, prices: leastPrices(S, tau2, v, best), phi: bestVal };
}
