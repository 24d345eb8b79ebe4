/**
 * Agents of the GLP remedies that replace the competitive records market (MODEL.md A.5):
 *  - `DataUnion` (A.5.1): members hand their records to the union, which sells some of them to the platform
 *    and pays every member out of the proceeds, maximising members' welfare
 *        V(q) + Σ_ω q(ω)(U(ω, x) − r̄)  (+ r̄ Σ members),   q ≤ members;
 *    its best response to the current membership is the model's planner LP (`plannerOptimum`, BBM closed form;
 *    without it `plannerByPieces`, as the checker)
 *    with q̄ replaced by the member masses; payments per member are the checker's scheme (`dataUnion`: an equal
 *    share of the members' net gain, budget = proceeds).
 *  - `LindahlPlatform` (A.5.3 = GP E3 with one platform, g = u, r_ω = r̄): records are priced per use, with use
 *    prices p(a, ω) = p(ω) − u(a, ω), so a seller receives p(ω) whatever the use and the platform maximises
 *    Σ (v + u) X. The record price it posts moves toward the market-clearing price of the records on offer:
 *    the record-row dual of the model's E3 programme (`solveE3`) with q̄ replaced by the offered records,
 *    where an offered record the platform does not use is returned to its owner (worth r̄).
 * All mathematics is the model's; these classes hold state and apply it.
 */
import type { LpSolver } from '../lp/index.js';
import { bbmApplies, dataUnion, designPieces, plannerByPieces, plannerOptimum, solveE3, type PricingGame } from '../model/intermediation/index.js';

export class DataUnion {
  /** Records the union currently sells, per type. */
  records: number[];
  /** V's linear pieces, for the planner without the closed form (computed on first use). */
  private pieces?: ReturnType<typeof designPieces>;
  constructor(
    private readonly solver: LpSolver,
    private readonly game: PricingGame,
    private readonly rbar: number,
    start: number[],
  ) {
    this.records = [...start];
  }
  /** q_BR: the members-welfare-maximising sale given member masses (model planner LP on members). */
  bestResponse(members: number[]): number[] {
    // the BBM closed form needs the type grid inside the fee grid; otherwise the planner over V's linear pieces, as
    // the checker (review: with fees off the grid the union sold records that only cost r̄)
    if (bbmApplies(this.game)) return plannerOptimum(this.solver, this.game, members, this.rbar).records;
    this.pieces ??= designPieces(this.solver, this.game, this.game.types.length);
    return plannerByPieces(this.solver, this.game, members, this.rbar, this.pieces).records;
  }
  /** q ← q + η (q_BR − q), snapped to q_BR within tolerance; returns the largest change. */
  update(members: number[], step: number, tolerance: number): number {
    const target = this.bestResponse(members);
    let change = 0;
    this.records = this.records.map((q, w) => {
      let next = Math.min(members[w], q + step * (target[w] - q));
      if (Math.abs(next - target[w]) <= tolerance * Math.max(1, members[w])) next = target[w];
      change = Math.max(change, Math.abs(next - q));
      return next;
    });
    return change;
  }
  /**
   * Payment per member (model `dataUnion`): p_U(ω) = −(q/m)(U − r̄) + (R + Σ q(U − r̄))/Σm, where R = Σ p q are
   * the proceeds actually received from the platform at its posted record prices (= V(q) once the platform
   * prices at its marginal value, by Euler).
   */
  payments(members: number[], surplus: number[], proceeds: number, X: number[][]): number[] {
    const net = this.records.reduce((s, q, w) => s + (q > 0 ? q * (surplus[w] - this.rbar) : 0), 0);
    const u = surplus.map((x, w) => (this.records[w] > 0 ? x : this.rbar));
    return dataUnion({ records: this.records, X, surplus: u, value: proceeds }, members, this.rbar, proceeds + net).payments;
  }
}

/** The platform of the complete-markets economy: Lindahl record prices and the first-best use. */
export class LindahlPlatform {
  prices: number[];
  constructor(
    private readonly solver: LpSolver,
    private readonly game: PricingGame,
    private readonly rbar: number,
  ) {
    this.prices = game.types.map(() => 0);
  }
  /** E3 on the offered records: used allocation X (indexed [a][ω]) and the clearing prices p**. */
  clear(offered: number[]): { X: number[][]; prices: number[]; used: number[] } {
    const e3 = solveE3(this.solver, {
      types: this.game.types,
      qBar: offered,
      keepValue: offered.map(() => this.rbar),
      platforms: [{ game: this.game, buyerWeights: this.game.types.map(() => 1) }],
    });
    return { X: e3.platforms[0].X, prices: e3.prices, used: e3.platforms[0].records };
  }
  /** p ← p + η (p** − p), snapped within tolerance; returns the largest change. */
  updatePrices(offered: number[], step: number, tolerance: number): number {
    const target = this.clear(offered).prices;
    let change = 0;
    this.prices = this.prices.map((p, w) => {
      let np = p + step * (target[w] - p);
      if (Math.abs(np - target[w]) <= tolerance * Math.max(1, Math.abs(target[w]))) np = target[w];
      change = Math.max(change, Math.abs(np - p));
      return np;
    });
    return change;
  }
}
