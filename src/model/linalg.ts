/**
 * Small dense kernels on row-major Float64Array matrices for the hot loops (subset enumeration).
 * Tested against ml-matrix in test/model/linalg.test.ts.
 */

/** Row-major square matrix view: entry (i, j) at data[i * n + j]. */
export interface Mat {
  n: number;
  data: Float64Array;
}

export function matFrom(rows: readonly (readonly number[])[]): Mat {
  const n = rows.length;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = rows[i][j];
  return { n, data };
}

export function matToRows(m: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.n; i++) out.push(Array.from(m.data.subarray(i * m.n, (i + 1) * m.n)));
  return out;
}

/** A·B for square matrices. */
export function matMul(a: Mat, b: Mat): Mat {
  const n = a.n;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a.data[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aik * b.data[k * n + j];
    }
  }
  return { n, data: out };
}

/**
 * In-place lower Cholesky factor L (row-major, k×k, stride k) of a symmetric positive-definite matrix.
 * Returns false if a pivot is not positive.
 */
export function choleskyInPlace(a: Float64Array, k: number): boolean {
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j];
    for (let p = 0; p < j; p++) d -= a[j * k + p] * a[j * k + p];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j];
      for (let p = 0; p < j; p++) s -= a[i * k + p] * a[j * k + p];
      a[i * k + j] = s / ljj;
    }
    for (let p = j + 1; p < k; p++) a[j * k + p] = 0;
  }
  return true;
}

/** Solves L Lᵀ x = b in place in b, given the lower factor L (stride k). */
export function choleskySolveInPlace(l: Float64Array, k: number, b: Float64Array): void {
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let p = 0; p < i; p++) s -= l[i * k + p] * b[p];
    b[i] = s / l[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i];
    for (let p = i + 1; p < k; p++) s -= l[p * k + i] * b[p];
    b[i] = s / l[i * k + i];
  }
}

/** Inverse of a symmetric positive-definite k×k matrix (stride k) via Cholesky; throws if not PD. */
export function inverseSpd(a: Float64Array, k: number): Float64Array {
  const l = Float64Array.from(a);
  if (!choleskyInPlace(l, k)) throw new Error('matrix is not positive definite');
  const inv = new Float64Array(k * k);
  const col = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    col.fill(0);
    col[j] = 1;
    choleskySolveInPlace(l, k, col);
    for (let i = 0; i < k; i++) inv[i * k + j] = col[i];
  }
  return inv;
}

/**
 * Inverse of a general small square matrix (stride k) by Gauss–Jordan with partial pivoting.
 * Used for the K×K community systems, which are not symmetric.
 */
export function inverseGeneral(a: Float64Array, k: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) inv[i * k + i] = 1;
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r * k + c]) > Math.abs(m[piv * k + c])) piv = r;
    const p = m[piv * k + c];
    if (p === 0) throw new Error('singular matrix');
    if (piv !== c) {
      for (let j = 0; j < k; j++) {
        [m[c * k + j], m[piv * k + j]] = [m[piv * k + j], m[c * k + j]];
        [inv[c * k + j], inv[piv * k + j]] = [inv[piv * k + j], inv[c * k + j]];
      }
    }
    for (let j = 0; j < k; j++) {
      m[c * k + j] /= p;
      inv[c * k + j] /= p;
    }
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = m[r * k + c];
      if (f === 0) continue;
      for (let j = 0; j < k; j++) {
        m[r * k + j] -= f * m[c * k + j];
        inv[r * k + j] -= f * inv[c * k + j];
      }
    }
  }
  return inv;
}
