/**
 * One platform's information-design problem P_i (GP (1)-(2); MODEL.md A.6.1) in a form shared by the
 * one-merchant pricing game (designLp.ts) and several merchants (multiMerchant.ts): columns j = s·N + ω for an
 * action s (a fee a, or a profile a_i ∈ ∏_k A^k) and a type ω; u_i per column (platform payoff), g_i per column
 * (buyer payoff, β_i(ω)·surplus), and the obedience rows (column offset 0). E1, E2 and E3 across platforms are
 * written once over this description.
 */
import type { LinearProgram, LpRow, LpSolver } from '../../lp/index.js';
import { obedienceRows, payoffVector, selectionFamily } from './designLp.js';
import { lexicographicSolve, type FaceCache } from './lexicographic.js';
import { buildMultiMerchantLp, buyerSurplus, type MultiMerchantGame } from './multiMerchant.js';
import { consumerSurplus, platformPayoff, type PricingGame } from './payoffs.js';
import { linearPieces, type LinearPieces } from './pieces.js';

export interface PlatformDesign {
  /** Number of types N. */
  types: number;
  /** Action labels: the fee (one merchant) or the fee profile (several merchants). */
  actions: Array<number | number[]>;
  /** u_i per column s·N + ω. */
  u: number[];
  /** g_i per column s·N + ω. */
  g: number[];
  /** Obedience rows over columns starting at 0. */
  obedience: LpRow[];
}

export function pricingDesign(game: PricingGame, buyerWeights: number[]): PlatformDesign {
  return {
    types: game.types.length,
    actions: game.fees.slice(),
    u: payoffVector(game, (a, w) => platformPayoff(game, a, w)),
    g: payoffVector(game, (a, w) => buyerWeights[game.types.indexOf(w)] * consumerSurplus(a, w)),
    obedience: obedienceRows(game),
  };
}

export function multiMerchantDesign(game: MultiMerchantGame, buyerWeights: number[]): PlatformDesign {
  const N = game.types.length;
  const { lp, profiles } = buildMultiMerchantLp(game, new Array<number>(N).fill(0));
  return {
    types: N,
    actions: profiles,
    u: lp.cost,
    g: profiles.flatMap((p) => game.types.map((w, wi) => buyerWeights[wi] * buyerSurplus(game, p, w))),
    obedience: lp.rows.slice(N),
  };
}

/** P_i at q with equality resource rows 0..N−1 (x_i(·|ω) ∈ Δ(A_i); MODEL.md A.8 item 5). */
export function designLpAt(d: PlatformDesign, q: ArrayLike<number>): LinearProgram {
  const { resource, colLower, colUpper } = parts(d);
  // a literal of the obedience rows' shape (a spread made these rows another hidden class, and every loop over the
  // rows polymorphic: the five-type two-platform slices 10 → 17 s)
  const rows: LpRow[] = resource.map((r, w) => ({ indices: r.indices, values: r.values, lower: q[w], upper: q[w] }));
  rows.push(...d.obedience);
  return { sense: 'max', cost: d.u, colLower, colUpper, rows };
}

/**
 * What P_i's LPs share at every q, built once per design (the E2 searches build millions of them): the resource
 * rows' coefficients, the column bounds (LPs are not modified by the solvers), and each type's buyer cost vector.
 */
interface DesignParts {
  resource: Array<{ indices: number[]; values: number[] }>;
  colLower: number[];
  colUpper: number[];
  perType: number[][];
}

const partsOf = new WeakMap<PlatformDesign, DesignParts>();

function parts(d: PlatformDesign): DesignParts {
  let p = partsOf.get(d);
  if (!p) {
    const N = d.types;
    const n = d.actions.length * N;
    const resource = Array.from({ length: N }, (_, w) => {
      const indices = d.actions.map((__, s) => s * N + w);
      return { indices, values: indices.map(() => 1) };
    });
    p = { resource, colLower: new Array<number>(n).fill(0), colUpper: new Array<number>(n).fill(Infinity), perType: resource.map((_, w) => d.g.map((c, j) => (j % N === w ? c : 0))) };
    partsOf.set(d, p);
  }
  return p;
}

export interface SelectedPayoffs {
  /** U_i(q). */
  value: number;
  /** H_iω(q) = Σ_s g_i(s, ω) X*_q(s, ω) = q(ω)·G_iω(q). */
  buyer: number[];
  /** X*_q(s, ω), indexed [s][ω]. */
  X: number[][];
}

/**
 * The selection x*_q (GP "fix once and for all", L68), the same lexicographic rule as e2.ts: platform-optimal,
 * then buyer-best in aggregate, then each type's own payoff in type order (each stage on the optimal face of the
 * previous ones, lexicographic.ts).
 */
export function selectedPayoffs(solver: LpSolver, d: PlatformDesign, q: number[], faces?: FaceCache): SelectedPayoffs {
  const N = d.types;
  const lp = designLpAt(d, q);
  const costs = [d.u, d.g];
  const { perType } = parts(d);
  for (let w = 0; w < N; w++) if (q[w] > 0) costs.push(perType[w]);
  const sols = lexicographicSolve(solver, lp, costs, faces && { cache: faces, family: selectionFamily(q) });
  const value = sols[0].objective;
  const last = sols[sols.length - 1];
  const X = d.actions.map((_, s) => q.map((__, w) => Math.max(0, last.x[s * N + w])));
  const buyer = q.map((_, w) => X.reduce((acc, row, s) => acc + d.g[s * N + w] * row[w], 0));
  return { value, buyer, X };
}

/** The linear pieces of U_i (pieces.ts) from the LP duals of P_i. */
export function platformPieces(solver: LpSolver, d: PlatformDesign): LinearPieces {
  const N = d.types;
  return linearPieces(N, (q) => {
    const sol = solver.solve(designLpAt(d, q), { duals: true, confirmInfeasible: true });
    return { value: sol.objective, gradient: Array.from((sol.rowDual ?? new Float64Array(N)).subarray(0, N)) };
  });
}
