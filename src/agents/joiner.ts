/**
 * Users choosing a platform in the duopoly's join step (PAL §IV-B stage 1; docs/leakage-competition.md).
 * A user only needs her payoff on either platform given everyone else's choice, with both platforms then
 * playing their Stackelberg stage exactly (PAL Def 1); the engine supplies that as `payoffIf`. Rules:
 *  - best response (sequential, in index order): switch iff strictly better;
 *  - inertial simultaneous best response (tatonnement): every user who would gain switches with probability η;
 *  - learning (exponential weights / Hedge): each round every user draws her platform from β_i, then adds the
 *    counterfactual payoff difference u_i(1) − u_i(2) to a running sum D_i; β_i = 1/(1 + e^{−η D_i / s}),
 *    s a payoff scale. Time-averaged choices show whether joining settles on a pure or a mixed pattern.
 */
import type { Rng } from './rng.js';

/** u_i if user i were on platform k (1 or 2), everyone else as in `mask` (bit j set ⇔ j on platform 1). */
export type PayoffIf = (mask: number, i: number, k: 1 | 2) => number;

export const gains = (now: number, alt: number, tol: number): boolean => alt > now + tol * Math.max(1, Math.abs(now));

export const withPlatform = (mask: number, i: number, k: 1 | 2): number => (k === 1 ? mask | (1 << i) : mask & ~(1 << i));
export const platformOf = (mask: number, i: number): 1 | 2 => ((mask >> i) & 1 ? 1 : 2);

export class JoiningUsers {
  /** Current platform choice, bit i set ⇔ user i on platform 1. */
  mask: number;
  /** Learning: β_i = probability of platform 1, and D_i. */
  readonly beta: Float64Array;
  private readonly regret: Float64Array;
  /** Rounds spent on platform 1 (for time averages). */
  readonly onePlatformRounds: Float64Array;
  rounds = 0;

  constructor(
    readonly n: number,
    initialMask: number,
    private readonly tol: number,
  ) {
    this.mask = initialMask;
    this.beta = new Float64Array(n).fill(0.5);
    this.regret = new Float64Array(n);
    this.onePlatformRounds = new Float64Array(n);
  }

  /** Sequential best responses in index order; returns how many users moved. */
  bestRespond(payoffIf: PayoffIf): number {
    let moves = 0;
    for (let i = 0; i < this.n; i++) {
      const k = platformOf(this.mask, i);
      const other: 1 | 2 = k === 1 ? 2 : 1;
      if (gains(payoffIf(this.mask, i, k), payoffIf(this.mask, i, other), this.tol)) {
        this.mask = withPlatform(this.mask, i, other);
        moves++;
      }
    }
    this.record();
    return moves;
  }

  /** Simultaneous best responses with inertia: each would-be mover moves with probability η. */
  inertialRespond(payoffIf: PayoffIf, eta: number, rng: Rng): number {
    const start = this.mask;
    let next = start;
    let moves = 0;
    for (let i = 0; i < this.n; i++) {
      const k = platformOf(start, i);
      const other: 1 | 2 = k === 1 ? 2 : 1;
      if (gains(payoffIf(start, i, k), payoffIf(start, i, other), this.tol) && rng.next() < eta) {
        next = withPlatform(next, i, other);
        moves++;
      }
    }
    this.mask = next;
    this.record();
    return moves;
  }

  /** One Hedge round: draw choices from β, then update D and β from counterfactual payoffs. */
  learn(payoffIf: PayoffIf, eta: number, scale: number, rng: Rng): number {
    const before = this.mask;
    let mask = 0;
    for (let i = 0; i < this.n; i++) if (rng.next() < this.beta[i]) mask |= 1 << i;
    for (let i = 0; i < this.n; i++) {
      this.regret[i] += payoffIf(mask, i, 1) - payoffIf(mask, i, 2);
      this.beta[i] = 1 / (1 + Math.exp((-eta * this.regret[i]) / scale));
    }
    this.mask = mask;
    this.record();
    let moves = 0;
    for (let x = before ^ mask; x; x &= x - 1) moves++;
    return moves;
  }

  private record(): void {
    this.rounds++;
    for (let i = 0; i < this.n; i++) if ((this.mask >> i) & 1) this.onePlatformRounds[i]++;
  }

  /** Time-averaged share of rounds each user spent on platform 1. */
  frequencies(): number[] {
    return Array.from(this.onePlatformRounds, (x) => (this.rounds ? x / this.rounds : 0));
  }
}
