/**
 * V(q), the optimal segmentation x*(a|ω) and record prices (MODEL.md A.2). `q` is any record vector
 * 0 ≤ q ≤ q̄ (V is defined on all of R_+^Ω).
 */
import type { LpSolver } from '../../lp/index.js';
import { buildDesignLp } from './designLp.js';
import { lexicographicSolve, type FaceCache } from './lexicographic.js';
import { consumerSurplus, type PricingGame } from './payoffs.js';
import { supergradientIntervals, type PriceInterval } from './supergradient.js';

export interface DesignSolution {
  /** V(q). */
  value: number;
  /** The optimal LP column vector (j = a·N + ω). */
  x: Float64Array;
  /** X(a, ω) = x(a|ω)·q(ω), indexed [a][ω]. */
  X: number[][];
  /** Row duals of the resource rows: one supergradient of V at q (the LP's vertex). */
  duals: number[];
}

function unpack(game: PricingGame, x: ArrayLike<number>): number[][] {
  const N = game.types.length;
  return game.fees.map((_, a) => game.types.map((__, w) => Math.max(0, x[a * N + w])));
}

/** Solves P_q once (highs: with duals). */
export function solveDesign(solver: LpSolver, game: PricingGame, q: ArrayLike<number>): DesignSolution {
  const lp = buildDesignLp(game, q);
  const sol = solver.solve(lp, { duals: solver.providesDuals, confirmInfeasible: true });
  const duals = sol.rowDual ? Array.from(sol.rowDual.subarray(0, game.types.length)) : [];
  return { value: sol.objective, x: sol.x, X: unpack(game, sol.x), duals };
}

/** V(q). */
export function platformValue(solver: LpSolver, game: PricingGame, q: ArrayLike<number>): number {
  return solver.solve(buildDesignLp(game, q), { confirmInfeasible: true }).objective;
}

/**
 * Exact [lower, upper] record-price interval per type at q (supergradients of V; `upper` is Infinity
 * where q(ω) = 0). `x` is an optimal column vector of P_q (solved here when omitted).
 */
export function recordPriceIntervals(solver: LpSolver, game: PricingGame, q: ArrayLike<number>, x?: ArrayLike<number>): PriceInterval[] {
  const lp = buildDesignLp(game, q);
  const xs = x ?? solver.solve(lp, { confirmInfeasible: true }).x;
  return supergradientIntervals(solver, lp, xs, game.types.map((_, w) => w));
}

/**
 * Consumer-best platform-optimal mechanism (MODEL.md A.8 item 7): maximise Σ v X, then maximise
 * Σ_ω weight(ω)·Σ_a u(a, ω) X(a, ω) over the platform-optimal face. `weight` defaults to 1 (aggregate
 * consumer surplus, GLP's W(q) selection).
 */
export function consumerBestDesign(
  solver: LpSolver,
  game: PricingGame,
  q: ArrayLike<number>,
  weight?: ArrayLike<number>,
  faces?: { cache: FaceCache; family: string },
): { value: number; X: number[][]; consumerSurplus: number } {
  const lp = buildDesignLp(game, q);
  const N = game.types.length;
  const cs = game.fees.flatMap((a) => game.types.map((w, wi) => consumerSurplus(a, w) * (weight ? weight[wi] : 1)));
  // the second stage on the platform-optimal face itself (lexicographic.ts), so the consumer surplus it finds costs
  // the platform nothing (a slack row Σ v X ≥ V − 1e-9·max(1, |V|) let it cost up to that: the tax remedy's welfare
  // exceeded Wo by up to 5e-7 relative)
  const [first, second] = lexicographicSolve(solver, lp, [lp.cost, cs], faces);
  const V = first.objective;
  const X = unpack(game, second.x);
  let total = 0;
  for (let a = 0; a < game.fees.length; a++) for (let w = 0; w < N; w++) total += consumerSurplus(game.fees[a], game.types[w]) * X[a][w];
  return { value: V, X, consumerSurplus: total };
}

/** U(ω, x) = Σ_a x(a|ω) u(a, ω) per type from a joint X (NaN where q(ω) = 0). */
export function perRecordSurplus(game: PricingGame, X: number[][], q: ArrayLike<number>): number[] {
  return game.types.map((w, wi) => {
    if (!(q[wi] > 0)) return NaN;
    let s = 0;
    game.fees.forEach((a, ai) => (s += X[ai][wi] * consumerSurplus(a, w)));
    return s / q[wi];
  });
}

/** x(a|ω) = X(a, ω)/q(ω), indexed [ω][a] (the DESIGN.md §4 `segmentation` layout); null where q(ω) = 0. */
export function conditionalSegmentation(X: number[][], q: ArrayLike<number>): Array<number[] | null> {
  const N = X[0]?.length ?? 0;
  return Array.from({ length: N }, (_, w) => (q[w] > 0 ? X.map((row) => row[w] / q[w]) : null));
}
