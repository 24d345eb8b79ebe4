/**
 * Welfare and constrained efficiency (GLP "efficiency", "Social Cost and Benefit"; MODEL.md A.3.3, A.7).
 *   W(q) = max_x { V(q) + Σ_ω q(ω) U(ω, x) : x solves P_q }           (consumer-best selection)
 *   Wo   = max_{0 ≤ q ≤ q̄} W(q) − r̄ Σ_ω q(ω)
 *   ψ(ω) = supergradient of W at q (social benefit of an ω-record; its social cost is r̄).
 * Closed forms (BBM surplus triangle, valid when Ω ⊂ A and ω > 0; derived in docs/intermediation.md):
 *   γ_π > γ_u:  W(q) = γ_π·TS(q);   γ_u ≥ γ_π:  W(q) = (1+γ_u)·TS(q) − (1+γ_u−γ_π)·πM(q)
 * so Wo is one LP in (q, s) with s ≥ a·Σ_{ω ≥ a} q(ω) for every fee a.
 */
import type { LinearProgram, LpSolver } from '../../lp/index.js';
import { consumerBestDesign } from './value.js';
import { platformPayoff, type PricingGame } from './payoffs.js';
import type { PriceInterval } from './supergradient.js';

/** W(q) with the consumer-best platform-optimal mechanism, via the lexicographic LP. */
export function welfareW(solver: LpSolver, game: PricingGame, q: ArrayLike<number>): { W: number; V: number; X: number[][] } {
  const d = consumerBestDesign(solver, game, q);
  return { W: d.value + d.consumerSurplus, V: d.value, X: d.X };
}

/**
 * Platform value and welfare of a market as it is played (MODEL.md A.3.3, evaluated at realised fees):
 *   V = Σ_a Σ_ω X(a, ω) · v(A[f(a)], ω),      W = V + Σ_ω q(ω) (U(ω) − r̄),
 * X(a, ω) the mass of ω-records sent signal a, f(a) the index of the fee the merchant charges at signal a
 * (−1 for a signal no record receives: then no term counts), U(ω) the surplus ω-sellers realise, r̄ the
 * reservation utility. Unlike `welfareW` (the consumer-best design at the recommended fees), the fees are
 * the ones actually set, so a learning merchant's mistakes show in V and W.
 */
export function realisedWelfare(
  game: PricingGame,
  X: readonly (readonly number[])[],
  feeIndex: readonly number[],
  q: ArrayLike<number>,
  U: ArrayLike<number>,
  rbar: number,
): { value: number; welfare: number } {
  let value = 0;
  X.forEach((row, a) => {
    const fee = game.fees[feeIndex[a] >= 0 ? feeIndex[a] : a];
    row.forEach((x, w) => (value += x > 0 ? x * platformPayoff(game, fee, game.types[w]) : 0));
  });
  let consumers = 0;
  for (let w = 0; w < q.length; w++) consumers += q[w] * (U[w] - rbar);
  return { value, welfare: value + consumers };
}

/** Is the BBM closed form valid for this game (Ω ⊂ A, all types positive)? */
export function bbmApplies(game: PricingGame): boolean {
  return game.types[0] > 0 && game.types.every((w) => game.fees.includes(w));
}

/** Uniform monopoly profit πM(q) = max_a a·Σ_{ω ≥ a} q(ω) and its argmax set. */
export function uniformMonopoly(game: PricingGame, q: ArrayLike<number>): { profit: number; argmax: number[] } {
  const prof = game.fees.map((a) => a * game.types.reduce((s, w, k) => s + (w >= a ? q[k] : 0), 0));
  const best = Math.max(...prof);
  const tol = 1e-12 * Math.max(1, Math.abs(best));
  return { profit: best, argmax: game.fees.filter((_, k) => prof[k] >= best - tol) };
}

/** ψ intervals [W'(q; +e_ω), −W'(q; −e_ω)] in closed form (requires `bbmApplies`). */
export function socialBenefit(game: PricingGame, q: ArrayLike<number>): PriceInterval[] {
  if (game.gammaPi > game.gammaU) return game.types.map((w) => ({ lower: game.gammaPi * w, upper: q[game.types.indexOf(w)] > 0 ? game.gammaPi * w : Infinity }));
  const c = 1 + game.gammaU - game.gammaPi;
  const { argmax } = uniformMonopoly(game, q);
  return game.types.map((w, k) => {
    const cuts = argmax.map((a) => (w >= a ? a : 0));
    return { lower: (1 + game.gammaU) * w - c * Math.max(...cuts), upper: q[k] > 0 ? (1 + game.gammaU) * w - c * Math.min(...cuts) : Infinity };
  });
}

export interface PlannerSolution {
  /** q^o. */
  records: number[];
  /** Wo = W(q^o) − r̄ Σ q^o. */
  welfare: number;
}

/**
 * Constrained efficiency Wo as one LP (BBM closed form; requires `bbmApplies`). Types with zero net
 * social benefit are left at whatever vertex the LP returns.
 */
export function plannerOptimum(solver: LpSolver, game: PricingGame, qBar: number[], rbar: number): PlannerSolution {
  const N = game.types.length;
  const fullDisclosure = game.gammaPi > game.gammaU;
  const c = 1 + game.gammaU - game.gammaPi;
  const lp: LinearProgram = {
    sense: 'max',
    cost: [...game.types.map((w) => (fullDisclosure ? game.gammaPi * w : (1 + game.gammaU) * w) - rbar), fullDisclosure ? 0 : -c],
    colLower: new Array<number>(N + 1).fill(0),
    colUpper: [...qBar, Infinity],
    rows: fullDisclosure
      ? []
      : game.fees.map((a) => {
          const idx: number[] = [N];
          const val: number[] = [1];
          game.types.forEach((w, k) => {
            if (w >= a && a !== 0) {
              idx.push(k);
              val.push(-a);
            }
          });
          return { indices: idx, values: val, lower: 0, upper: Infinity };
        }),
  };
  if (lp.rows.length === 0) {
    // separable: q(ω) = q̄(ω) iff its coefficient is positive
    const records = qBar.map((m, k) => (lp.cost[k] > 0 ? m : 0));
    return { records, welfare: records.reduce((s, x, k) => s + lp.cost[k] * x, 0) };
  }
  const sol = solver.solve(lp);
  const records = Array.from(sol.x.subarray(0, N)).map((x, k) => Math.min(qBar[k], Math.max(0, x)));
  return { records, welfare: sol.objective };
}
