/**
 * Users choosing a platform in the duopoly's join step (PAL §IV-B stage 1; docs/leakage-competition.md).
 * A user only needs her payoff under each option given everyone else's choice, with both platforms then
 * playing their Stackelberg stage exactly (PAL Def 1); the engine supplies that as `payoffIf`. The options are
 * platform 1 and platform 2, and with joining values also neither (0: only spillovers reach her). Rules:
 *  - best response (sequential, in index order): move iff strictly better, to the best option (ties: the order
 *    of `options`);
 *  - inertial simultaneous best response (tatonnement): every user who would gain moves with probability η;
 *  - learning (exponential weights / Hedge): each round every user draws her option from her weights, then adds
 *    each option's counterfactual payoff minus platform 2's to a running sum D_i(k); her weights are
 *    softmax(η D_i / s), s a payoff scale — with two options β_i = 1/(1 + e^{−η D_i(1) / s}). Time-averaged
 *    choices show whether joining settles on a pure or a mixed pattern.
 * A profile is two bitmasks: members of platform 1 and of platform 2 (a user in neither is outside).
 */
import type { Rng } from './rng.js';

/** 0: joins neither platform; 1 or 2: that platform. */
export type Choice = 0 | 1 | 2;

/** u_i if user i chose k, everyone else as in the profile (m1, m2). */
export type PayoffIf = (m1: number, m2: number, i: number, k: Choice) => number;

export const gains = (now: number, alt: number, tol: number): boolean => alt > now + tol * Math.max(1, Math.abs(now));

/** The profile (m1, m2) with user i moved to k. */
export const moved = (m1: number, m2: number, i: number, k: Choice): [number, number] => {
  const bit = 1 << i;
  return [k === 1 ? m1 | bit : m1 & ~bit, k === 2 ? m2 | bit : m2 & ~bit];
};

export const choiceOf = (m1: number, m2: number, i: number): Choice => ((m1 >> i) & 1 ? 1 : (m2 >> i) & 1 ? 2 : 0);

export class JoiningUsers {
  /** Members of platform 1 and of platform 2 (bit i set ⇔ user i there). */
  m1: number;
  m2: number;
  /** Learning: each user's probability of each option, [i · K + index in `options`]. */
  private readonly prob: Float64Array;
  private readonly regret: Float64Array;
  /** Rounds spent under each option, [i · K + index] (for time averages). */
  private readonly counts: Float64Array;
  rounds = 0;

  constructor(
    readonly n: number,
    initial: readonly [number, number],
    private readonly tol: number,
    /** [1, 2], or [1, 2, 0] when users may stay outside (joining values). */
    readonly options: readonly Choice[] = [1, 2],
  ) {
    [this.m1, this.m2] = initial;
    const K = options.length;
    this.prob = new Float64Array(n * K).fill(1 / K);
    this.regret = new Float64Array(n * K);
    this.counts = new Float64Array(n * K);
  }

  /** Probability that user i picks option k (learning; β_i for platform 1). */
  probability(i: number, k: Choice = 1): number {
    const at = this.options.indexOf(k);
    return at < 0 ? 0 : this.prob[i * this.options.length + at];
  }

  /** The option user i would move to, if any is strictly better than her current one (the best; ties: option order). */
  private better(payoffIf: PayoffIf, m1: number, m2: number, i: number): Choice | null {
    const now = choiceOf(m1, m2, i);
    const u = payoffIf(m1, m2, i, now);
    let best: Choice | null = null;
    let bestU = -Infinity;
    for (const k of this.options) {
      if (k === now) continue;
      const alt = payoffIf(m1, m2, i, k);
      if (gains(u, alt, this.tol) && alt > bestU) {
        best = k;
        bestU = alt;
      }
    }
    return best;
  }

  /** Sequential best responses in index order; returns how many users moved. */
  bestRespond(payoffIf: PayoffIf): number {
    let moves = 0;
    for (let i = 0; i < this.n; i++) {
      const k = this.better(payoffIf, this.m1, this.m2, i);
      if (k === null) continue;
      [this.m1, this.m2] = moved(this.m1, this.m2, i, k);
      moves++;
    }
    this.record();
    return moves;
  }

  /** Simultaneous best responses with inertia: each would-be mover moves with probability η. */
  inertialRespond(payoffIf: PayoffIf, eta: number, rng: Rng): number {
    const [s1, s2] = [this.m1, this.m2];
    let next: [number, number] = [s1, s2];
    let moves = 0;
    for (let i = 0; i < this.n; i++) {
      const k = this.better(payoffIf, s1, s2, i);
      if (k !== null && rng.next() < eta) {
        next = moved(next[0], next[1], i, k);
        moves++;
      }
    }
    [this.m1, this.m2] = next;
    this.record();
    return moves;
  }

  /** One Hedge round: draw choices from the weights, then update D and the weights from counterfactual payoffs. */
  learn(payoffIf: PayoffIf, eta: number, scale: number, rng: Rng): number {
    const K = this.options.length;
    const [b1, b2] = [this.m1, this.m2];
    let m1 = 0;
    let m2 = 0;
    for (let i = 0; i < this.n; i++) {
      // one draw per user, options in order (two options: platform 1 iff the draw is below β_i, as always)
      const r = rng.next();
      let acc = 0;
      let pick: Choice = this.options[K - 1];
      for (let k = 0; k < K - 1; k++) {
        acc += this.prob[i * K + k];
        if (r < acc) {
          pick = this.options[k];
          break;
        }
      }
      [m1, m2] = moved(m1, m2, i, pick);
    }
    const ref = this.options.indexOf(2);
    for (let i = 0; i < this.n; i++) {
      const base = payoffIf(m1, m2, i, 2);
      for (let k = 0; k < K; k++) if (k !== ref) this.regret[i * K + k] += payoffIf(m1, m2, i, this.options[k]) - base;
      if (K === 2) {
        const one = this.options.indexOf(1);
        const p = 1 / (1 + Math.exp((-eta * this.regret[i * K + one]) / scale));
        this.prob[i * K + one] = p;
        this.prob[i * K + ref] = 1 - p;
      } else {
        const w = Array.from({ length: K }, (_, k) => (eta * this.regret[i * K + k]) / scale);
        const top = Math.max(...w);
        const e = w.map((x) => Math.exp(x - top));
        const sum = e.reduce((a, b) => a + b, 0);
        e.forEach((x, k) => (this.prob[i * K + k] = x / sum));
      }
    }
    [this.m1, this.m2] = [m1, m2];
    this.record();
    let moves = 0;
    for (let i = 0; i < this.n; i++) if (choiceOf(b1, b2, i) !== choiceOf(m1, m2, i)) moves++;
    return moves;
  }

  /** Has every user's learning settled (some option's probability within tol of 1)? */
  settled(tol: number): boolean {
    const K = this.options.length;
    for (let i = 0; i < this.n; i++) if (!Array.from(this.prob.subarray(i * K, (i + 1) * K)).some((p) => p > 1 - tol)) return false;
    return true;
  }

  private record(): void {
    this.rounds++;
    const K = this.options.length;
    for (let i = 0; i < this.n; i++) this.counts[i * K + this.options.indexOf(choiceOf(this.m1, this.m2, i))]++;
  }

  /** Time-averaged share of rounds each user spent under option k. */
  frequencies(k: Choice): number[] {
    const K = this.options.length;
    const at = this.options.indexOf(k);
    return Array.from({ length: this.n }, (_, i) => (this.rounds && at >= 0 ? this.counts[i * K + at] / this.rounds : 0));
  }
}
