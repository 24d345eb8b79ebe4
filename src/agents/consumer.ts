/**
 * Consumers of the leakage market (AMMO §2; MODEL.md B.1–B.3). State: privacy value v_i, the variance of
 * her type Σ_ii (her "data record" is S_i = X_i + Z_i), the platform she joined, and whether she shares.
 *
 * Decision rule (documented in docs/dynamics.md): given the posted price p_i and the leakage the others'
 * data already cause about her, I_i(A∖{i}), she shares iff p_i ≥ v_i Δ_i (her reservation price,
 * src/model/leakage/response.ts), ties toward sharing. The payoff comparison is the model's; the agent only
 * holds state and applies it.
 *
 * The population is stored as typed arrays (one "agent" per index) so a round of n decisions touches
 * contiguous memory: the hot loop does one ownIncrement per user and nothing else.
 */
import { reservationPrice, sharesAt, userPayoff } from '../model/leakage/response.js';

export class ConsumerPopulation {
  readonly n: number;
  /** v_i. */
  readonly v: Float64Array;
  /** Σ_ii. */
  readonly sigmaII: Float64Array;
  readonly tau2: number;
  /** a_i ∈ {0, 1}. */
  readonly shares: Uint8Array;
  /** Platform each user joined (0-based); with one platform everyone joins platform 0. */
  readonly joined: Int32Array;
  /** Last payoff u_i. */
  readonly payoff: Float64Array;

  constructor(v: Float64Array, sigmaII: Float64Array, tau2: number) {
    this.n = v.length;
    this.v = v;
    this.sigmaII = sigmaII;
    this.tau2 = tau2;
    this.shares = new Uint8Array(this.n).fill(1);
    this.joined = new Int32Array(this.n);
    this.payoff = new Float64Array(this.n);
  }

  /** User i's best response to price p given I_i(A∖{i}). */
  decide(i: number, price: number, leakWithout: number): boolean {
    return sharesAt(price, reservationPrice(this.v[i], this.sigmaII[i], this.tau2, leakWithout));
  }

  /**
   * Simultaneous best responses of every user to `prices`, with the others' actions fixed at the current
   * profile (summarised in `leakWithout`). Writes the new profile into `next`; returns how many changed.
   */
  respond(prices: Float64Array, leakWithout: Float64Array, next: Uint8Array): number {
    let changed = 0;
    for (let i = 0; i < this.n; i++) {
      const a = this.decide(i, prices[i], leakWithout[i]) ? 1 : 0;
      next[i] = a;
      if (a !== this.shares[i]) changed++;
    }
    return changed;
  }

  /**
   * The same simultaneous best responses from reservation prices computed by the world (any leakage
   * measure or regulation): share iff p_i ≥ r_i, ties toward sharing (model `sharesAt`).
   */
  respondTo(prices: Float64Array, reservations: Float64Array, next: Uint8Array): number {
    let changed = 0;
    for (let i = 0; i < this.n; i++) {
      const a = sharesAt(prices[i], reservations[i]) ? 1 : 0;
      next[i] = a;
      if (a !== this.shares[i]) changed++;
    }
    return changed;
  }

  /** Records payoffs u_i = a_i p_i − v_i I_i(a) from each user's leakage. */
  settle(prices: Float64Array, leak: Float64Array): void {
    for (let i = 0; i < this.n; i++) this.payoff[i] = userPayoff(this.shares[i] === 1, prices[i], this.v[i], leak[i]);
  }
}
