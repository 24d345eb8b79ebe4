/**
 * Constrained efficiency without the BBM closed form (GLP "efficiency"; MODEL.md A.3.3):
 *   Wo = max_{0 ≤ q ≤ q̄} W(q) − r̄ Σ q,   W(q) = max { Σ (v + u) X : X optimal in P_q }.
 * The constraint "X optimal in P_q" is Σ v X ≥ V(q) for a feasible obedient X, and V(q) = min_k ⟨g_k, q⟩
 * over the linear pieces g_k of V (`linearPieces`). So {(q, X) : X optimal at q} = ∪_k {X feasible at q,
 * obedient, Σ v X ≥ ⟨g_k, q⟩}: each set is a polyhedron (⟨g_k, q⟩ ≥ V(q) for every q, so Σ v X ≥ ⟨g_k, q⟩
 * forces Σ v X = V(q) = ⟨g_k, q⟩), and W(q) is linear in (q, X) on it. Hence
 *   Wo = max_k LP_k,   LP_k = max_{q, X} Σ (v + u) X − r̄ Σ q  s.t.  Σ_a X(a, ω) = q(ω), obedience,
 *                              Σ v X − ⟨g_k, q⟩ ≥ 0,  0 ≤ q ≤ q̄.
 * W is not concave in general (MODEL.md A.3.4), which is why it is a maximum of LPs and not one LP.
 * ψ(ω) (social benefit) is reported as the one-sided partial derivatives [W'(q; +e_ω), −W'(q; −e_ω)],
 * with W'(q; d) = max over the pieces k with LP_k(q) = W(q) of the directional derivative of the X-only
 * LP_k at q (tangent LP with direction e_ω on the resource row and g_k(ω) on the value row).
 */
import type { LinearProgram, LpRow, LpSolver } from '../../lp/index.js';
import { solveOrNull } from '../../lp/index.js';
import { buildDesignLp, obedienceRows, payoffVector } from './designLp.js';
import { consumerSurplus, platformPayoff, type PricingGame } from './payoffs.js';
import { linearPieces, type LinearPieces } from './pieces.js';
import { directionalDerivatives, type PriceInterval } from './supergradient.js';

/** The linear pieces of V for a pricing game (dual of the resource rows of P_q). */
export function designPieces(solver: LpSolver, game: PricingGame, maxTypes?: number): LinearPieces {
  const N = game.types.length;
  return linearPieces(N, (q) => {
    const sol = solver.solve(buildDesignLp(game, q), { duals: true, confirmInfeasible: true });
    return { value: sol.objective, gradient: Array.from((sol.rowDual ?? new Float64Array(N)).subarray(0, N)) };
  }, maxTypes);
}

export interface GeneralPlannerSolution {
  /** q^o. */
  records: number[];
  /** Wo. */
  welfare: number;
  /** X^o(a, ω), indexed [a][ω]. */
  X: number[][];
  /** Number of linear pieces of V (= LPs solved). */
  pieces: number;
}

/** LP_k over columns (X, q) for the piece g (module comment). */
function pieceLp(game: PricingGame, g: number[], qBar: number[], rbar: number, objective: 'welfare' | 'consumer'): LinearProgram {
  const N = game.types.length;
  const nX = game.fees.length * N;
  const v = payoffVector(game, (a, w) => platformPayoff(game, a, w));
  const u = payoffVector(game, (a, w) => consumerSurplus(a, w));
  const rows: LpRow[] = game.types.map((_, w) => {
    const indices = game.fees.map((__, a) => a * N + w);
    return { indices: [...indices, nX + w], values: [...indices.map(() => 1), -1], lower: 0, upper: 0 };
  });
  rows.push(...obedienceRows(game));
  rows.push({ indices: [...v.map((_, j) => j), ...g.map((_, w) => nX + w)], values: [...v, ...g.map((x) => -x)], lower: 0, upper: Infinity });
  const cost = [...(objective === 'welfare' ? v.map((c, j) => c + u[j]) : u), ...qBar.map(() => (objective === 'welfare' ? -rbar : 0))];
  return { sense: 'max', cost, colLower: new Array<number>(nX + N).fill(0), colUpper: [...new Array<number>(nX).fill(Infinity), ...qBar], rows };
}

/** Wo by the maximum of one LP per linear piece of V (valid for any fee grid and any γ ≥ 0). */
export function plannerByPieces(solver: LpSolver, game: PricingGame, qBar: number[], rbar: number, pieces = designPieces(solver, game)): GeneralPlannerSolution {
  const N = game.types.length;
  const nX = game.fees.length * N;
  let best: { welfare: number; x: Float64Array } | null = null;
  for (const g of pieces.gradients) {
    const sol = solver.solve(pieceLp(game, g, qBar, rbar, 'welfare'));
    // the first piece attaining the maximum is kept (pieces come in a fixed order, so the report is deterministic);
    // among tied optima q° is that piece LP's vertex, records traded are not compared (review)
    if (!best || sol.objective > best.welfare + 1e-12 * Math.max(1, Math.abs(best.welfare))) best = { welfare: sol.objective, x: sol.x };
  }
  if (!best) throw new Error('plannerByPieces: no pieces');
  const x = best.x;
  const records = qBar.map((m, w) => Math.min(m, Math.max(0, x[nX + w])));
  const X = game.fees.map((_, a) => game.types.map((__, w) => Math.max(0, x[a * N + w])));
  return { records, welfare: best.welfare, X, pieces: pieces.gradients.length };
}

/** W(q) = max over pieces of the X-only LP_k at q (−Infinity pieces skipped); with the attaining pieces. */
function welfareAt(solver: LpSolver, game: PricingGame, q: number[], gradients: number[][]) {
  const N = game.types.length;
  const u = payoffVector(game, (a, w) => consumerSurplus(a, w));
  const base = buildDesignLp(game, q);
  const lps = gradients.map((g) => {
    const lp: LinearProgram = {
      ...base,
      cost: base.cost.map((c, j) => c + u[j]),
      rows: [...base.rows, { indices: base.cost.map((_, j) => j), values: base.cost, lower: g.reduce((s, x, w) => s + x * q[w], 0), upper: Infinity }],
    };
    const sol = solveOrNull(solver, lp);
    return sol && { lp, g, value: sol.objective, x: sol.x };
  });
  const ok = lps.filter((r): r is NonNullable<typeof r> => r !== null);
  const W = Math.max(...ok.map((r) => r.value));
  const tol = 1e-9 * Math.max(1, Math.abs(W));
  return { W, active: ok.filter((r) => r.value >= W - tol), valueRow: base.rows.length, N };
}

/** W(q) (GLP's consumer-best selection) computed through the pieces of V. */
export function welfareByPieces(solver: LpSolver, game: PricingGame, q: number[], pieces = designPieces(solver, game)): number {
  return welfareAt(solver, game, q, pieces.gradients).W;
}

/** ψ at q: [W'(q; +e_ω), −W'(q; −e_ω)] per type (upper = +∞ where q(ω) = 0). */
export function socialBenefitByPieces(solver: LpSolver, game: PricingGame, q: number[], pieces = designPieces(solver, game)): PriceInterval[] {
  const { active, valueRow, N } = welfareAt(solver, game, q, pieces.gradients);
  const plus = new Array<number>(N).fill(-Infinity);
  const minus = new Array<number>(N).fill(-Infinity);
  for (const r of active) {
    const dirs: Array<Map<number, number>> = [];
    for (let w = 0; w < N; w++) {
      dirs.push(new Map([[w, 1], [valueRow, r.g[w]]]));
      dirs.push(new Map([[w, -1], [valueRow, -r.g[w]]]));
    }
    const d = directionalDerivatives(solver, r.lp, r.x, dirs);
    for (let w = 0; w < N; w++) {
      plus[w] = Math.max(plus[w], d[2 * w]);
      minus[w] = Math.max(minus[w], d[2 * w + 1]);
    }
  }
  return plus.map((p, w) => ({ lower: p, upper: q[w] > 0 ? -minus[w] : Infinity }));
}
