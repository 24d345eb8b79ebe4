/**
 * Independent brute-force oracle for the leakage game, written only from the definitions (MODEL.md B.1–B.2)
 * with ml-matrix LU solves — no code from src/model is used, so agreement is evidence, not tautology.
 *   I_i(A) = Σ[i,A] (Σ[A,A] + τ² Id)⁻¹ Σ[A,i]
 *   p_i    = v_i (I_i(A) − I_i(A∖{i}))            (two separate solves)
 *   Φ(A)   = Σ_i I_i(A) − Σ_{i∈A} p_i,   SS(A) = Σ_i (1 − v_i) I_i(A)
 */
import { EigenvalueDecomposition, Matrix, solve } from 'ml-matrix';
import fc from 'fast-check';

export function leak(Sigma: number[][], tau2: number, A: readonly number[], i: number): number {
  if (A.length === 0) return 0;
  const M = new Matrix(A.map((r) => A.map((c) => Sigma[r][c] + (r === c ? tau2 : 0))));
  const b = Matrix.columnVector(A.map((r) => Sigma[r][i]));
  const x = solve(M, b);
  let s = 0;
  A.forEach((r, k) => (s += Sigma[i][r] * x.get(k, 0)));
  return s;
}

export function setOf(mask: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (mask & (1 << i)) out.push(i);
  return out;
}

export interface OracleValues {
  leakage: number[];
  prices: number[];
  phi: number;
  ss: number;
}

export function oracleValues(Sigma: number[][], tau2: number, v: readonly number[], A: readonly number[]): OracleValues {
  const n = Sigma.length;
  const leakage = Sigma.map((_, i) => leak(Sigma, tau2, A, i));
  const prices = new Array<number>(n).fill(0);
  for (const i of A) prices[i] = v[i] * (leakage[i] - leak(Sigma, tau2, A.filter((j) => j !== i), i));
  let phi = 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    phi += leakage[i] - prices[i];
    ss += (1 - v[i]) * leakage[i];
  }
  return { leakage, prices, phi, ss };
}

/** Φ and SS of all 2ⁿ masks by brute force. */
export function oracleAll(Sigma: number[][], tau2: number, v: readonly number[]): { phi: number[]; ss: number[] } {
  const n = Sigma.length;
  const phi: number[] = [];
  const ss: number[] = [];
  for (let m = 0; m < 2 ** n; m++) {
    const o = oracleValues(Sigma, tau2, v, setOf(m, n));
    phi.push(o.phi);
    ss.push(o.ss);
  }
  return { phi, ss };
}

export function minEigenvalue(S: number[][]): number {
  return Math.min(...new EigenvalueDecomposition(new Matrix(S), { assumeSymmetric: true }).realEigenvalues);
}

/** Σ = B Bᵀ + diag(d): PSD, rank possibly < n when d = 0 (random rank r ≤ n). */
export function psdFrom(n: number, r: number, entries: readonly number[], diag: readonly number[]): number[][] {
  const S: number[][] = [];
  for (let i = 0; i < n; i++) {
    S.push([]);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += entries[i * r + k] * entries[j * r + k];
      S[i].push(s + (i === j ? diag[i] : 0));
    }
  }
  return S;
}

/**
 * Uniform-ish real in [lo, hi] on a grid of 10⁴ steps. fc.double concentrates on tiny magnitudes and edge
 * values, which would make most matrices nearly zero; integers spread evenly and still hit the edges.
 */
export function real(lo: number, hi: number): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 10_000 }).map((k) => lo + ((hi - lo) * k) / 10_000);
}
const unit = real(-1, 1);

export interface Instance {
  n: number;
  Sigma: number[][];
  v: number[];
  tau2: number;
}

/** Random leakage instance: PSD Σ (possibly singular apart from a small positive diagonal), v ∈ [0, vMax], τ². */
export function instanceArb(minN: number, maxN: number, vMax = 3, fixedTau2?: number): fc.Arbitrary<Instance> {
  return fc.integer({ min: minN, max: maxN }).chain((n) =>
    fc
      .record({
        r: fc.integer({ min: 1, max: n }),
        entries: fc.array(unit, { minLength: n * n, maxLength: n * n }),
        diag: fc.array(real(0.01, 1), { minLength: n, maxLength: n }),
        v: fc.array(real(0, vMax), { minLength: n, maxLength: n }),
        tau2: fixedTau2 === undefined ? real(0.2, 3) : fc.constant(fixedTau2),
      })
      .map(({ r, entries, diag, v, tau2 }) => ({ n, Sigma: psdFrom(n, r, entries, diag), v, tau2 })),
  );
}

/** |a − b| ≤ tol · max(1, |a|, |b|). */
export function close(a: number, b: number, tol = 1e-9): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}
