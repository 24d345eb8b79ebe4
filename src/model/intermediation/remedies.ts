/**
 * GLP remedies (MODEL.md A.5), each evaluated at the constrained-efficient allocation (q^o, x^o):
 *   union    — members paid p_U(ω) per member; budget Σ p_U q̄ = V(q^o); participation
 *              p_U(ω) + (q^o/q̄)(U − r̄) ≥ 0. Chosen scheme: equal share of Wo per member,
 *              p_U(ω) = −(q^o(ω)/q̄(ω))(U(ω) − r̄) + Wo/Σq̄.
 *   tax      — τ*(ω) = p*(ω) + U(ω, x^o) − r̄ with p* the LP-dual supergradient of V at q^o; revenue Σ τ* q^o = Wo.
 *   complete — markets p(a, ω) for each use (GLP "more-complete markets" = GP E3 with one platform,
 *              g = u, r_ω = r̄): unconstrained efficiency, p(a, ω) = p**(ω) − u(a, ω).
 */
import type { LpSolver } from '../../lp/index.js';
import { solveE3 } from './multiPlatform.js';
import { offPathSurplus } from './participation.js';
import type { PricingGame } from './payoffs.js';
import { consumerBestDesign, perRecordSurplus, solveDesign } from './value.js';
import type { PlannerSolution } from './welfare.js';

export interface ConstrainedOutcome {
  records: number[];
  X: number[][];
  /** U(ω, x^o), off-path where q^o(ω) = 0. */
  surplus: number[];
  /** V(q^o). */
  value: number;
}

/** x^o (consumer-best platform-optimal mechanism) and U at the planner's q^o. */
export function constrainedOutcome(solver: LpSolver, game: PricingGame, planner: PlannerSolution, scale: number): ConstrainedOutcome {
  const q = planner.records;
  const d = consumerBestDesign(solver, game, q);
  const U = perRecordSurplus(game, d.X, q).map((u, w) => (q[w] > 0 ? u : offPathSurplus(solver, game, q, w, scale)));
  return { records: q, X: d.X, surplus: U, value: d.value };
}

export function dataUnion(o: ConstrainedOutcome, qBar: number[], rbar: number, Wo: number) {
  const members = qBar.reduce((a, b) => a + b, 0);
  const payments = qBar.map((m, w) => (m > 0 ? -(o.records[w] / m) * (o.surplus[w] - rbar) : 0) + Wo / members);
  const consumerWelfare = Wo + rbar * members;
  return { records: o.records, payments, budget: o.value, welfare: Wo, consumerWelfare };
}

export function dataTax(solver: LpSolver, game: PricingGame, o: ConstrainedOutcome, rbar: number) {
  const prices = solveDesign(solver, game, o.records).duals;
  const taxes = prices.map((p, w) => p + o.surplus[w] - rbar);
  const revenue = taxes.reduce((s, t, w) => s + t * o.records[w], 0);
  return { records: o.records, prices, taxes, revenue, welfare: revenue };
}

export function completeMarkets(solver: LpSolver, game: PricingGame, qBar: number[], rbar: number) {
  const e3 = solveE3(solver, {
    types: game.types,
    qBar,
    keepValue: qBar.map(() => rbar),
    platforms: [{ game, buyerWeights: game.types.map(() => 1) }],
  });
  const p = e3.platforms[0];
  const records = p.records;
  const segmentation = game.types.map((_, w) => (records[w] > 0 ? p.X.map((row) => row[w] / records[w]) : null));
  // welfare on the W scale (V + Σ q(U − r̄)) = FB − r̄ Σ q̄
  const welfare = e3.value - rbar * qBar.reduce((a, b) => a + b, 0);
  return {
    records,
    segmentation,
    recordPrices: e3.prices,
    usePrices: game.fees.map((_, a) => game.types.map((__, w) => e3.prices[w] + e3.usePrices[0][a][w])),
    welfare,
    firstBest: e3.value,
  };
}
