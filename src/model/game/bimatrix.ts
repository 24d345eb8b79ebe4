/**
 * Nash equilibrium of a finite two-player game in mixed strategies (bimatrix game (A, B): row player gets
 * A[i][j], column player B[i][j]). Used by the grid-restricted posted-price duopoly (PAL §VII Def 4 on a
 * finite price grid; docs/leakage-competition.md). No maintained npm package does this, so it is written
 * here: Lemke–Howson complementary pivoting (Lemke & Howson 1964; the tableau form of von Stengel,
 * "Computing equilibria for two-person games", 2002) with the lexicographic minimum-ratio rule, so that
 * degenerate games — common on price grids, where many payoffs tie — cannot make it cycle.
 *
 * The result is never trusted blindly: `bestResponseGap` measures how much either player could gain by a
 * pure deviation, and `solveBimatrix` only returns an equilibrium whose gap is within tolerance, trying
 * every starting label (each can end at a different equilibrium) before giving up.
 */

export interface MixedEquilibrium {
  /** Row player's probabilities (length m) and column player's (length n). */
  x: number[];
  y: number[];
  /** Expected payoffs x·A·y and x·B·y. */
  rowPayoff: number;
  colPayoff: number;
  /** Largest gain of a pure deviation by either player (≤ tolerance). */
  gap: number;
  /** Starting label (0..m+n−1) of the Lemke–Howson path that found it. */
  label: number;
}

/** Expected payoffs and the largest gain from a pure deviation, for given mixed strategies. */
export function bestResponseGap(A: number[][], B: number[][], x: readonly number[], y: readonly number[]): { rowPayoff: number; colPayoff: number; gap: number } {
  const m = A.length;
  const n = A[0].length;
  const rowVals = A.map((r) => r.reduce((s, a, j) => s + a * y[j], 0));
  const colVals = Array.from({ length: n }, (_, j) => B.reduce((s, r, i) => s + r[j] * x[i], 0));
  const rowPayoff = rowVals.reduce((s, u, i) => s + u * x[i], 0);
  const colPayoff = colVals.reduce((s, u, j) => s + u * y[j], 0);
  let gap = 0;
  for (let i = 0; i < m; i++) gap = Math.max(gap, rowVals[i] - rowPayoff);
  for (let j = 0; j < n; j++) gap = Math.max(gap, colVals[j] - colPayoff);
  return { rowPayoff, colPayoff, gap };
}

/** A tableau: rows over its own variables (global ids) plus the right-hand side; basis[r] = global id. */
interface Tableau {
  /** Global variable ids of the columns. */
  cols: number[];
  /** Column position of each global id (−1 if not in this tableau). */
  pos: Map<number, number>;
  rows: Float64Array[];
  rhs: Float64Array;
  basis: number[];
  /** Column positions of the slack variables (the initial basis), in row order: B⁻¹ for the lexicographic rule. */
  slackCols: number[];
}

const EPS = 1e-12;

function makeTableau(M: number[][], varIds: number[], slackIds: number[]): Tableau {
  // Constraint rows: Σ_c M[r][c]·var_c + slack_r = 1.
  const cols = [...varIds, ...slackIds];
  const pos = new Map<number, number>();
  cols.forEach((id, k) => pos.set(id, k));
  const rows = M.map((r, ri) => {
    const row = new Float64Array(cols.length);
    r.forEach((a, c) => (row[c] = a));
    row[varIds.length + ri] = 1;
    return row;
  });
  return { cols, pos, rows, rhs: new Float64Array(M.length).fill(1), basis: [...slackIds], slackCols: slackIds.map((_, k) => varIds.length + k) };
}

/** Lexicographic minimum ratio test for entering column e; −1 if unbounded. */
function leavingRow(t: Tableau, e: number): number {
  let best = -1;
  for (let r = 0; r < t.rows.length; r++) {
    const a = t.rows[r][e];
    if (!(a > EPS)) continue;
    if (best < 0) {
      best = r;
      continue;
    }
    const b = t.rows[best][e];
    // Compare (rhs, B⁻¹ row)/coef lexicographically.
    let cmp = t.rhs[r] / a - t.rhs[best] / b;
    const scale = Math.max(1, Math.abs(t.rhs[r] / a), Math.abs(t.rhs[best] / b));
    let k = 0;
    while (Math.abs(cmp) <= 1e-11 * scale && k < t.slackCols.length) {
      const c = t.slackCols[k++];
      cmp = t.rows[r][c] / a - t.rows[best][c] / b;
    }
    if (cmp < 0) best = r;
  }
  return best;
}

function pivot(t: Tableau, r: number, e: number): void {
  const pr = t.rows[r];
  const piv = pr[e];
  for (let c = 0; c < pr.length; c++) pr[c] /= piv;
  t.rhs[r] /= piv;
  for (let q = 0; q < t.rows.length; q++) {
    if (q === r) continue;
    const f = t.rows[q][e];
    if (f === 0) continue;
    const row = t.rows[q];
    for (let c = 0; c < row.length; c++) row[c] -= f * pr[c];
    row[e] = 0;
    t.rhs[q] -= f * t.rhs[r];
  }
}

/**
 * One Lemke–Howson path from the artificial equilibrium, dropping label k (0..m+n−1: labels < m are the
 * row player's strategies, the rest the column player's). Returns normalised strategies, or null when the
 * path breaks down numerically.
 */
export function lemkeHowson(A: number[][], B: number[][], k: number, maxPivots = 100_000): { x: number[]; y: number[] } | null {
  const m = A.length;
  const n = A[0].length;
  // Positive payoffs are needed for the polytopes to be bounded; shifting does not change equilibria.
  const shift = (M: number[][]): number[][] => {
    let lo = Infinity;
    for (const r of M) for (const a of r) lo = Math.min(lo, a);
    return M.map((r) => r.map((a) => a - lo + 1));
  };
  const As = shift(A);
  const Bs = shift(B);
  // Global ids: x_i = i, y_j = m + j, r_i = m + n + i, s_j = 2m + n + j; label(id) = id mod (m + n).
  const L = m + n;
  const xId = (i: number): number => i;
  const yId = (j: number): number => m + j;
  const rId = (i: number): number => L + i;
  const sId = (j: number): number => L + m + j;
  // T_Q: A y + r = 1 (m rows); T_P: Bᵀ x + s = 1 (n rows).
  const TQ = makeTableau(As, [...Array(n).keys()].map(yId), [...Array(m).keys()].map(rId));
  const BT = Array.from({ length: n }, (_, j) => As.map((_, i) => Bs[i][j]));
  const TP = makeTableau(BT, [...Array(m).keys()].map(xId), [...Array(n).keys()].map(sId));
  const inP = (id: number): boolean => TP.pos.has(id);
  const complement = (id: number): number => (id < L ? id + L : id - L);
  let enter = k < m ? xId(k) : yId(k - m);
  for (let step = 0; step < maxPivots; step++) {
    const t = inP(enter) ? TP : TQ;
    const e = t.pos.get(enter) as number;
    const r = leavingRow(t, e);
    if (r < 0) return null;
    const leaving = t.basis[r];
    pivot(t, r, e);
    t.basis[r] = enter;
    if (leaving % L === k) {
      const x = new Array<number>(m).fill(0);
      const y = new Array<number>(n).fill(0);
      TP.basis.forEach((id, row) => {
        if (id < m) x[id] = Math.max(0, TP.rhs[row]);
      });
      TQ.basis.forEach((id, row) => {
        if (id >= m && id < L) y[id - m] = Math.max(0, TQ.rhs[row]);
      });
      const sx = x.reduce((a, b) => a + b, 0);
      const sy = y.reduce((a, b) => a + b, 0);
      if (!(sx > 0) || !(sy > 0)) return null;
      return { x: x.map((a) => a / sx), y: y.map((a) => a / sy) };
    }
    enter = complement(leaving);
  }
  return null;
}

/**
 * A verified mixed Nash equilibrium: Lemke–Howson from every starting label in turn, keeping the first
 * result whose pure-deviation gap is ≤ tol·max(1, payoff range). Throws if none verifies (which would be a
 * numerical failure, since every path ends at an equilibrium in exact arithmetic).
 */
export function solveBimatrix(A: number[][], B: number[][], tol = 1e-9): MixedEquilibrium {
  const m = A.length;
  const n = A[0]?.length ?? 0;
  if (m === 0 || n === 0 || A.some((r) => r.length !== n) || B.length !== m || B.some((r) => r.length !== n)) {
    throw new Error('solveBimatrix: A and B must be non-empty m×n matrices');
  }
  let range = 1;
  for (const M of [A, B]) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of M) for (const a of r) {
      lo = Math.min(lo, a);
      hi = Math.max(hi, a);
    }
    range = Math.max(range, hi - lo);
  }
  for (let k = 0; k < m + n; k++) {
    const s = lemkeHowson(A, B, k);
    if (!s) continue;
    const g = bestResponseGap(A, B, s.x, s.y);
    if (g.gap <= tol * range) return { ...s, ...g, label: k };
  }
  throw new Error('solveBimatrix: no Lemke–Howson path produced a verified equilibrium');
}
