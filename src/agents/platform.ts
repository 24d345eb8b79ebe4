/**
 * Leakage platforms (AMMO §2.3; MODEL.md B.2). A platform posts a price p_i to every user (paid only if she
 * shares), collects the data of those who share and values the leakage about everyone, Σ_j I_j(a), minus
 * payments. There are no merchants in the leakage model, so the "signal and fee" step of a round is the
 * platform's data collection and payoff.
 *
 * Two kinds:
 *  - `PricingPlatform` knows the model (best-response and tatonnement dynamics). Each round it (1) improves
 *    its target set by one local-search move (targetSearch.ts) and (2) moves each target's price toward her
 *    indifference value r_i = v_i Δ_i(a₋ᵢ) computed from the users' current actions:
 *        p_i ← p_i + η (r_i − p_i),   snapped to r_i once |p_i − r_i| ≤ tol·max(1, r_i),   p_i ≥ 0;
 *    non-targets are offered 0. η = 1 is the best response (the least sustaining price of the observed
 *    profile); 0 < η < 2 contracts toward r_i at rate |1 − η|; η = 2 oscillates; η > 2 diverges (clamped at 0).
 *  - `LearningPlatform` (learningPlatform.ts) does not know Σ or v and learns from accept/reject responses.
 */
import type { LeakageWorld } from './leakageWorld.js';
import { makeTargetSearch, type TargetSearch } from './targetSearch.js';

/** What a platform sees at the start of a round (the previous round's outcome). */
export interface PlatformView {
  round: number;
  /** Users' current actions. */
  actions: Uint8Array;
  /** I_i(A∖{i}) at the current actions (only model-aware platforms use it). */
  leakWithout: Float64Array;
  /** Every user's reservation price at the current actions (only model-aware platforms use it). */
  reservations: Float64Array;
}

/** What a platform observes after the share decisions of a round. */
export interface PlatformFeedback {
  actions: Uint8Array;
  /** Its realised payoff Σ_j I_j(a) − Σ_{j sharing} p_j. */
  payoff: number;
}

export interface LeakagePlatform {
  readonly target: Uint8Array;
  /** Writes this round's price offers into `prices`. */
  offer(view: PlatformView, prices: Float64Array): void;
  observe(feedback: PlatformFeedback): void;
  /** True when the platform's own plan has stopped changing (target and price rule at rest). */
  atRest(): boolean;
  /** Compact description of its internal state, for cycle detection (deterministic platforms only). */
  stateKey(): string;
  /** Short text for events and the summary's method. */
  describe(): string;
}

/** Relative price change treated as round-off, not as a move of the price rule. */
export const ROUND_OFF = 8 * Number.EPSILON;

export class PricingPlatform implements LeakagePlatform {
  readonly target: Uint8Array;
  private readonly search: TargetSearch;
  private readonly prices: Float64Array;
  private moved = true;

  /**
   * @param step η of the price rule (1 = best response).
   * @param tolerance snapping tolerance of the price rule.
   * @param markup per-user amount added to the indifference value (the information rent of the mechanism
   *   under unknown values, AMMO §5.2; zero otherwise).
   */
  constructor(
    private readonly world: LeakageWorld,
    private readonly step: number,
    private readonly tolerance: number,
    private readonly markup: Float64Array = new Float64Array(world.n),
  ) {
    this.target = new Uint8Array(world.n).fill(1);
    this.search = makeTargetSearch(world);
    // Start from the highest reservation price any user can have (nobody else's data: I_i(A∖{i}) = 0),
    // so that tatonnement approaches indifference from above and everyone shares at first.
    this.prices = Float64Array.from({ length: world.n }, (_, i) => world.openingPrice(i) + this.markup[i]);
  }

  offer(view: PlatformView, out: Float64Array): void {
    const targetMoved = this.search.improve(this.target);
    let priceMoved = false;
    for (let i = 0; i < this.world.n; i++) {
      let p: number;
      if (!this.target[i]) p = 0;
      else {
        const r = view.reservations[i] + this.markup[i];
        p = this.prices[i] + this.step * (r - this.prices[i]);
        if (Math.abs(p - r) <= this.tolerance * Math.max(1, r)) p = r;
        if (p < 0) p = 0;
      }
      // Changes at the level of round-off (r recomputed from a different but equal profile) are not moves.
      if (Math.abs(p - this.prices[i]) > ROUND_OFF * Math.max(1, Math.abs(p))) priceMoved = true;
      this.prices[i] = p;
    }
    out.set(this.prices);
    this.moved = targetMoved || priceMoved;
  }

  observe(): void {
    // A model-aware platform re-derives everything from the users' actions; nothing to learn.
  }

  atRest(): boolean {
    return !this.moved;
  }

  stateKey(): string {
    let k = '';
    for (let i = 0; i < this.world.n; i++) k += `${this.target[i]}:${this.prices[i].toPrecision(12)};`;
    return k;
  }

  describe(): string {
    return this.step === 1
      ? 'platform: local search on Φ (one move per round) and least sustaining prices of the observed profile'
      : `platform: local search on Φ (one move per round) and tatonnement prices p ← p + ${this.step}·(r − p) toward each target's indifference value r`;
  }
}
