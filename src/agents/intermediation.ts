/**
 * Agents of the intermediation market (GLP "a stylized model"; MODEL.md A.1–A.3). A continuum of consumers
 * per type ω is represented by one agent per type holding the fraction ζ(ω) that sells its record; the
 * platform buys records at prices p(ω) and designs the signal to the merchant (the segmentation x(a|ω));
 * the merchant sets a fee for each signal. Every payoff and the design problem P_q come from
 * src/model/intermediation (solveDesign, consumerBestDesign, perRecordSurplus, offPathSurplus,
 * participation, merchantBestResponse).
 */
import type { LpSolver } from '../lp/index.js';
import {
  consumerBestDesign,
  consumerSurplus,
  merchantBestResponse,
  merchantProfit,
  offPathMechanism,
  participation,
  platformPayoff,
  solveDesign,
  type PricingGame,
} from '../model/intermediation/index.js';
import type { Rng } from './rng.js';

/**
 * Consumers of one type ω (mass q̄(ω)). Decision rule: compare the private gain of selling,
 * G(ω) = p(ω) + U(ω) − τ(ω) (U from the mechanism they last saw, τ a data tax, 0 without remedy), with r̄.
 *  - best response: ζ = 1 if G > r̄, 0 if G < r̄, unchanged if indifferent (model `participation`);
 *  - adjustment (tatonnement, learning): ζ ← clip(ζ + η (G − r̄), 0, 1): sellers trickle in or out in
 *    proportion to the excess gain.
 * Tie rule under the data tax (`tieTarget`, GLP "data taxes": the construction picks ζ*(ω) = q°(ω)/q̄(ω) for
 * the consumers the tax makes indifferent): an indifferent consumer (|G − r̄| ≤ TIE_TOL·max(1, r̄)) moves to
 * (best response) or toward (adjustment, by η of the gap) the participation the tax was built for; once
 * within tolerance the records are exactly q°(ω), so the kink of V at q° is not overshot by round-off.
 */
export const TIE_TOL = 1e-9;

export class TypeConsumers {
  zeta = 1;
  private exact: number | null = null;
  constructor(
    readonly omega: number,
    readonly mass: number,
    readonly tax: number,
    /** q°(ω) the tax is built for (data tax only); null: indifferent consumers keep their ζ. */
    readonly tieTarget: number | null = null,
  ) {}
  gain(price: number, surplus: number): number {
    return price + surplus - this.tax;
  }
  decide(price: number, surplus: number, rbar: number, step: number | null, tolerance = 0): void {
    this.decideGain(this.gain(price, surplus), rbar, step, tolerance);
  }
  /** The same rule on a gain computed by the caller (union members, Lindahl sellers). */
  decideGain(G: number, rbar: number, step: number | null, tolerance = 0): void {
    if (this.tieTarget !== null && Math.abs(G - rbar) <= TIE_TOL * Math.max(1, Math.abs(rbar)) && this.mass > 0) {
      const target = this.tieTarget / this.mass;
      const next = step === null ? target : this.zeta + step * (target - this.zeta);
      if (Math.abs(next - target) <= Math.max(tolerance, 1e-15)) {
        this.zeta = target;
        this.exact = this.tieTarget;
      } else {
        this.zeta = next;
        this.exact = null;
      }
      return;
    }
    const before = this.zeta;
    if (step === null) this.zeta = participation([G], rbar, this.zeta)[0];
    else this.zeta = Math.min(1, Math.max(0, this.zeta + step * (G - rbar)));
    if (this.zeta !== before) this.exact = null;
  }
  records(): number {
    return this.exact ?? this.zeta * this.mass;
  }
}

/**
 * The platform: posts record prices and designs the signal. Price rule: p ← p + η (MV − p), MV the platform's
 * marginal value of records at the current database (the LP-dual supergradient of V at q, model
 * `solveDesign`); η = 1 posts MV (best response: zero profit, MODEL.md A.2.4). Design: the platform-optimal
 * mechanism at q that is best for consumers (model `consumerBestDesign`, the checker's selection).
 */
export class RecordPlatform {
  prices: number[];
  /**
   * `unit`: the power of two σ its LPs divide the database by (massUnit.ts: their tolerances are absolute at masses of
   * order 1, as in the checker); MV and x(·|ω) are homogeneous of degree 0 in q, X of degree 1.
   */
  constructor(
    private readonly solver: LpSolver,
    private readonly game: PricingGame,
    private readonly unit = 1,
  ) {
    this.prices = game.types.map(() => 0);
  }
  /** The last database valued and its MV (see `marginalValue`). */
  private valued: { q: number[]; mv: number[] } | null = null;
  /**
   * MV at q. Where V has a kink (always at q(ω) = 0: every p(ω) above the least supergradient supports q) the LP's
   * dual is one vertex of ∂V(q), and which one depends on the solver's history; so the platform keeps its valuation
   * while its database is unchanged (a run at rest at no trade "cycled" between dual vertices for untraded types).
   * Lowering untraded types' prices to the least supporting ones was tried and not kept (docs/dynamics.md).
   */
  marginalValue(q: number[]): number[] {
    const last = this.valued;
    if (last && last.q.length === q.length && last.q.every((x, w) => x === q[w])) return [...last.mv];
    const mv = solveDesign(this.solver, this.game, q.map((x) => x / this.unit)).duals;
    this.valued = { q: [...q], mv };
    return [...mv];
  }
  updatePrices(q: number[], step: number, tolerance: number): number {
    const mv = this.marginalValue(q);
    let change = 0;
    this.prices = this.prices.map((p, w) => {
      let np = p + step * (mv[w] - p);
      if (Math.abs(np - mv[w]) <= tolerance * Math.max(1, Math.abs(mv[w]))) np = mv[w];
      change = Math.max(change, Math.abs(np - p));
      return np;
    });
    return change;
  }
  /** X(a, ω) at database q; a type with q(ω) = 0 gets the off-path mechanism x(·|ω) (model convention). */
  design(q: number[], scale: number): { X: number[][]; conditional: number[][] } {
    const X = consumerBestDesign(this.solver, this.game, q.map((x) => x / this.unit)).X.map((row) => row.map((x) => x * this.unit));
    const conditional = this.game.types.map((_, w) =>
      q[w] > 0 ? X.map((row) => row[w] / q[w]) : offPathMechanism(this.solver, this.game, q, w, scale).conditional,
    );
    return { X, conditional };
  }
  payoff(a: number, omega: number): number {
    return platformPayoff(this.game, a, omega);
  }
}

/**
 * The merchant: sees, for each signal ("charge fee a"), the segment of records that received it, and sets a
 * fee. Best response: the fee maximising the segment's profit, obeying the recommendation when it is
 * optimal (model `merchantBestResponse`). Learning: it does not compute profits from the segment; it keeps
 * an estimate of revenue per record for each (signal, fee), updated from its sales (recency-weighted,
 * weight ½), charges the best estimate (ties toward the recommendation) and explores a random fee with
 * probability ε_t = step/√t (seeded).
 */
export class Merchant {
  private readonly est: number[][];
  constructor(
    private readonly game: PricingGame,
    private readonly rng: Rng | null,
    private readonly step: number,
  ) {
    this.est = game.fees.map(() => game.fees.map(() => Infinity)); // optimistic: every fee tried once
  }
  /** Fee index per signal a (segments[a][ω] = X(a, ω)); −1 for an empty segment. */
  setFees(segments: number[][], round: number): number[] {
    return segments.map((seg, a) => {
      const mass = seg.reduce((s, x) => s + x, 0);
      if (!(mass > 0)) return -1;
      if (this.rng === null) return this.game.fees.indexOf(merchantBestResponse(this.game, seg, this.game.fees[a]).fee);
      if (this.rng.next() < this.step / Math.sqrt(round)) return this.rng.int(this.game.fees.length);
      // the recommended fee keeps ties, as merchantBestResponse's (review: estimates 2 and 2.0000000000000004 apart
      // by rounding made the learner leave an obedient design's fee)
      let best = a;
      this.est[a].forEach((e, k) => {
        const cur = this.est[a][best];
        if (e > cur + (Number.isFinite(cur) ? 1e-12 * Math.max(1, Math.abs(cur)) : 0)) best = k;
      });
      return best;
    });
  }
  /** Learns from this round's sales: revenue per record of signal a at the fee charged. */
  observe(segments: number[][], fees: number[]): void {
    if (this.rng === null) return;
    segments.forEach((seg, a) => {
      const k = fees[a];
      if (k < 0) return;
      const mass = seg.reduce((s, x) => s + x, 0);
      const revenue = seg.reduce((s, x, w) => s + x * merchantProfit(this.game.fees[k], this.game.types[w]), 0) / mass;
      const e = this.est[a][k];
      this.est[a][k] = Number.isFinite(e) ? e + 0.5 * (revenue - e) : revenue;
    });
  }
}

/** U(ω) realised under fees: Σ_a x(a|ω) u(fee_a, ω) (model consumerSurplus). */
export function realisedSurplus(game: PricingGame, conditional: number[][], fees: number[]): number[] {
  return game.types.map((w, wi) =>
    conditional[wi].reduce((s, x, a) => s + (x > 0 ? x * consumerSurplus(game.fees[fees[a] >= 0 ? fees[a] : a], w) : 0), 0),
  );
}
