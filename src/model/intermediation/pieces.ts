/**
 * The linear pieces of an LP value function V(q) = max { c·x : rows(q) } in its right-hand side q ∈ R_+^N
 * (MODEL.md A.2.4): V is concave, positively homogeneous and piecewise linear, V(q) = min_k ⟨g_k, q⟩ over
 * the finitely many dual vertices g_k (projected on the q-rows). `linearPieces` finds a finite set G of
 * dual-feasible vectors with V(q) = min_{g ∈ G} ⟨g, q⟩ for every q ≥ 0, by a cutting-plane loop with an
 * exactness certificate:
 *
 *   V̂(q) = min_{g ∈ G} ⟨g, q⟩ ≥ V(q) always (every g is dual-feasible: weak duality).
 *   By homogeneity it suffices to compare on the simplex Δ = {q ≥ 0, Σq = 1}. V̂ is linear on each cell
 *   C_g = {q ∈ Δ : ⟨g, q⟩ ≤ ⟨h, q⟩ ∀h ∈ G}; if V = V̂ at every vertex of every cell, then on each cell V is
 *   concave and equal to the linear V̂ at the vertices, hence V ≥ V̂ there (concavity), so V = V̂ on Δ.
 *   Otherwise some vertex q has V(q) < V̂(q); the LP dual g at q is dual-feasible with ⟨g, q⟩ = V(q) < V̂(q),
 *   so it is new. LP duals returned by the simplex method are basic, hence finitely many: the loop ends.
 *
 * "V(q) < V̂(q)" is tested with a relative tolerance `PIECE_TOL` (the LP solver's own accuracy is ~1e-10),
 * so the result is exact up to that tolerance. Cell vertices are enumerated by brute force over (N−1)-subsets
 * of each cell's constraints, which limits the number of types (`MAX_PIECE_TYPES`).
 */

/**
 * Default largest number of types for which the pieces (and every exhaustive search built on them) are
 * enumerated; a caller may raise it up to `MAX_PIECE_TYPES_HARD` (the exact equilibrium search does, on request).
 */
export const MAX_PIECE_TYPES = 5;
/** Hard cap: cell vertices are enumerated over (N−1)-subsets of each cell's constraints. */
export const MAX_PIECE_TYPES_HARD = 8;
/** Relative tolerance of the certificate V(q) = V̂(q) at the cell vertices. */
export const PIECE_TOL = 1e-9;

export interface ValueOracle {
  /** V(q) and one dual-feasible vector g (⟨g, q⟩ = V(q), ⟨g, q'⟩ ≥ V(q') for all q' ≥ 0). */
  (q: number[]): { value: number; gradient: number[] };
}

export interface LinearPieces {
  /** The vectors g_k (V = min_k ⟨g_k, ·⟩ on R_+^N). */
  gradients: number[][];
  /** Vertices of the cells of the final envelope on the simplex (each checked: V = V̂ there). */
  vertices: number[][];
  /** Cutting-plane rounds until the certificate held. */
  rounds: number;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * Solves the square system M x = b by Gaussian elimination with partial pivoting; null if singular (a pivot at most
 * `singular` times its column's largest entry; 0: only an exact 0 — the caller checks the residuals itself).
 */
export function solveSquare(M: number[][], b: number[], singular = 1e-12): number[] | null {
  const n = b.length;
  const A = M.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    const scale = Math.max(1e-300, ...A.map((row) => Math.abs(row[c])));
    if (Math.abs(A[piv][c]) <= singular * scale) return null;
    [A[c], A[piv]] = [A[piv], A[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      if (f !== 0) for (let k = c; k <= n; k++) A[r][k] -= f * A[c][k];
    }
  }
  return A.map((row, i) => row[n] / row[i]);
}

function* subsets(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) {
    yield acc.slice();
    return;
  }
  for (let i = start; i <= n - (k - acc.length); i++) {
    acc.push(i);
    yield* subsets(n, k, i + 1, acc);
    acc.pop();
  }
}

/**
 * Vertices of the polytope {q : E q = e, A q ≥ b} in R^N (E has the equality rows) by brute force over
 * active sets. `tol` is the feasibility tolerance.
 */
export function polytopeVertices(N: number, eq: Array<{ a: number[]; b: number }>, ineq: Array<{ a: number[]; b: number }>, tol = 1e-10): number[][] {
  const need = N - eq.length;
  const out: number[][] = [];
  if (need < 0) return out;
  for (const act of subsets(ineq.length, need)) {
    const rows = [...eq, ...act.map((i) => ineq[i])];
    const x = solveSquare(rows.map((r) => r.a), rows.map((r) => r.b));
    if (!x) continue;
    if (!ineq.every((r) => dot(r.a, x) >= r.b - tol * Math.max(1, Math.abs(r.b), ...r.a.map(Math.abs)))) continue;
    if (!out.some((y) => y.every((v, i) => Math.abs(v - x[i]) <= 1e-9))) out.push(x);
  }
  return out;
}

/** Vertices of the cells of min_g ⟨g, ·⟩ on the simplex Δ^{N−1}. */
export function envelopeVertices(gradients: number[][]): number[][] {
  const N = gradients[0].length;
  const out: number[][] = [];
  const eq = [{ a: new Array<number>(N).fill(1), b: 1 }];
  gradients.forEach((g, i) => {
    const ineq = [
      ...Array.from({ length: N }, (_, w) => ({ a: Array.from({ length: N }, (__, k) => (k === w ? 1 : 0)), b: 0 })),
      ...gradients.filter((_, j) => j !== i).map((h) => ({ a: h.map((hv, k) => hv - g[k]), b: 0 })),
    ];
    // a vertex solved in floating point can sit a rounding error (≤ the tolerance of polytopeVertices) below 0: an
    // infeasible record vector for the design LP, so it is clamped
    for (const raw of polytopeVertices(N, eq, ineq)) {
      const v = raw.map((x) => Math.max(0, x));
      if (!out.some((y) => y.every((x, k) => Math.abs(x - v[k]) <= 1e-9))) out.push(v);
    }
  });
  return out;
}

/** The linear pieces of V (see the module comment). Throws a RangeError beyond `maxTypes` (≤ MAX_PIECE_TYPES_HARD). */
export function linearPieces(N: number, oracle: ValueOracle, maxTypes = MAX_PIECE_TYPES): LinearPieces {
  const limit = Math.min(maxTypes, MAX_PIECE_TYPES_HARD);
  if (N > limit) throw new RangeError(`linearPieces: at most ${limit} types`);
  const gradients: number[][] = [];
  const add = (g: number[]): boolean => {
    const scale = Math.max(1, ...g.map(Math.abs));
    if (gradients.some((h) => h.every((x, k) => Math.abs(x - g[k]) <= 1e-10 * scale))) return false;
    gradients.push(g);
    return true;
  };
  // seeds: the barycentre and the simplex vertices
  add(oracle(new Array<number>(N).fill(1 / N)).gradient);
  for (let w = 0; w < N; w++) add(oracle(Array.from({ length: N }, (_, k) => (k === w ? 1 : 0))).gradient);
  for (let round = 1; ; round++) {
    const vertices = envelopeVertices(gradients);
    let added = false;
    for (const q of vertices) {
      const { value, gradient } = oracle(q);
      const hat = Math.min(...gradients.map((g) => dot(g, q)));
      if (value < hat - PIECE_TOL * Math.max(1, Math.abs(hat))) added = add(gradient) || added;
    }
    if (!added) return { gradients, vertices, rounds: round };
    if (round > 200) throw new Error('linearPieces: no convergence after 200 rounds');
  }
}

/** Points in (0, T) where the lower envelope of the lines t ↦ c + s·t changes line, plus 0 and T, sorted. */
export function envelopeBreakpoints(lines: Array<{ c: number; s: number }>, T: number): number[] {
  const out = new Set<number>([0, T]);
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      if (lines[i].s === lines[j].s) continue;
      const t = (lines[j].c - lines[i].c) / (lines[i].s - lines[j].s);
      if (!(t > 0 && t < T)) continue;
      const v = lines[i].c + lines[i].s * t;
      const lowest = Math.min(...lines.map((l) => l.c + l.s * t));
      if (v <= lowest + 1e-12 * Math.max(1, Math.abs(v))) out.add(t);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Kinks in (0, T) of t ↦ V(q with q(w) = t) = min_k ⟨g_k, q⟩ (V's linear pieces g_k): a one-interior line's points
 * where ∂V is more than a point, so that the interior type's price can meet its buyer's condition there although her
 * payoff does not kink (an E2 candidate; review 2026-11-27: missed when only the payoff's kinks were tried).
 */
export function valueKinksAlong(gradients: number[][], q: number[], w: number, T: number): number[] {
  const lines = gradients.map((g) => ({ c: g.reduce((acc, x, k) => acc + (k === w ? 0 : x * q[k]), 0), s: g[w] }));
  return envelopeBreakpoints(lines, T).filter((t) => t > 0 && t < T);
}
