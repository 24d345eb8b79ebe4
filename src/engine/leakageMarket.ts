/**
 * The leakage market as rounds (MODEL.md B.2 timing; DESIGN.md §5). One round:
 *  1. join — consumers pick a platform (JoinRule; trivial with one platform);
 *  2. price offers — the platform sees the users' current actions and posts p;
 *  3. share decisions — users best-respond to p (ties toward sharing). Two modes:
 *       "step": one simultaneous best response to the previous profile (the adjustment is visible round
 *               by round; from all-share it decreases monotonically to the greatest user equilibrium,
 *               MODEL.md B.3);
 *       "settle": users iterate simultaneous best responses from all-share until nothing changes, i.e.
 *               play the greatest user equilibrium at p (used by the learning platform, which must see a
 *               settled response to learn from it);
 *  4. signal and fee — the platform collects the data of sharers, the leakage I(a) and payoffs follow from
 *     the model (outcomeFrom), the platform observes its payoff.
 * "What does not change within a round" — the leakage without self at the current profile — is computed
 * once per round (or once per sweep in "settle" mode), so each share decision is O(1).
 */
import { outcomeFrom } from '../model/leakage/outcome.js';
import type { ConsumerPopulation } from '../agents/consumer.js';
import type { LeakagePlatform } from '../agents/platform.js';
import type { LeakageWorld } from '../agents/leakageWorld.js';
import type { JoinRule } from './join.js';

export type ShareMode = 'step' | 'settle';

/** What happened in one round (the event log entry). */
export interface LeakageRoundLog {
  round: number;
  /** Consumers who changed platform in the join step. */
  joinMoves: number;
  /** Users whose share decision changed this round. */
  switched: number[];
  /** Targets added/removed by the platform this round. */
  targetChanges: number[];
  /** Largest change of a posted price from the previous round. */
  priceChange: number;
  sharers: number;
  targeted: number;
  payments: number;
  platformPayoff: number;
  socialSurplus: number;
  /** Σ_i u_i. */
  consumerPayoff: number;
  /** Best-response sweeps used in "settle" mode (1 in "step" mode). */
  sweeps: number;
}

export class LeakageMarket {
  readonly prices: Float64Array;
  private readonly prevPrices: Float64Array;
  private readonly leakWithout: Float64Array;
  private readonly resv: Float64Array;
  private readonly leak: Float64Array;
  private readonly next: Uint8Array;
  private readonly prevTarget: Uint8Array;
  private lastRest = false;

  constructor(
    readonly world: LeakageWorld,
    readonly consumers: ConsumerPopulation,
    readonly platform: LeakagePlatform,
    readonly join: JoinRule,
    readonly mode: ShareMode,
  ) {
    const n = world.n;
    this.prices = new Float64Array(n);
    this.prevPrices = new Float64Array(n);
    this.leakWithout = new Float64Array(n);
    this.resv = new Float64Array(n);
    this.leak = new Float64Array(n);
    this.next = new Uint8Array(n);
    this.prevTarget = new Uint8Array(n);
  }

  step(round: number): LeakageRoundLog {
    const { world, consumers, platform } = this;
    const n = world.n;
    const before = Uint8Array.from(consumers.shares);
    // 1. join
    const joinMoves = this.join.assign(round, consumers.joined);
    // 2. price offers
    this.prevPrices.set(this.prices);
    this.prevTarget.set(platform.target);
    world.leakageWithoutSelf(consumers.shares, this.leakWithout);
    world.reservations(consumers.shares, this.leakWithout, this.resv);
    platform.offer({ round, actions: consumers.shares, leakWithout: this.leakWithout, reservations: this.resv }, this.prices);
    // 3. share decisions
    let sweeps = 1;
    if (this.mode === 'step') {
      consumers.respondTo(this.prices, this.resv, this.next);
      consumers.shares.set(this.next);
    } else {
      consumers.shares.fill(1);
      for (sweeps = 1; sweeps <= n + 1; sweeps++) {
        world.leakageWithoutSelf(consumers.shares, this.leakWithout);
        world.reservations(consumers.shares, this.leakWithout, this.resv);
        const changed = consumers.respondTo(this.prices, this.resv, this.next);
        consumers.shares.set(this.next);
        if (changed === 0) break;
      }
    }
    // 4. signal and fee: data collected, leakage and payoffs from the model
    world.leakage(consumers.shares, this.leak);
    const paid = new Array<number>(n);
    const sharerList: number[] = [];
    for (let i = 0; i < n; i++) {
      paid[i] = consumers.shares[i] ? this.prices[i] : 0;
      if (consumers.shares[i]) sharerList.push(i);
    }
    const outcome = outcomeFrom(sharerList, Array.from(this.leak), paid, Array.from(world.v));
    consumers.settle(this.prices, this.leak);
    const platformPayoff = outcome.platformProfit - (world.taxOf ? world.taxOf(consumers.shares) : 0);
    platform.observe({ actions: consumers.shares, payoff: platformPayoff });

    const switched: number[] = [];
    for (let i = 0; i < n; i++) if (before[i] !== consumers.shares[i]) switched.push(i);
    const targetChanges: number[] = [];
    let targeted = 0;
    let priceChange = 0;
    for (let i = 0; i < n; i++) {
      if (platform.target[i] !== this.prevTarget[i]) targetChanges.push(i);
      targeted += platform.target[i];
      priceChange = Math.max(priceChange, Math.abs(this.prices[i] - this.prevPrices[i]));
    }
    this.lastRest = platform.atRest() && switched.length === 0 && joinMoves === 0;
    let consumerPayoff = 0;
    for (let i = 0; i < n; i++) consumerPayoff += consumers.payoff[i];
    return {
      round,
      joinMoves,
      switched,
      targetChanges,
      priceChange,
      sharers: sharerList.length,
      targeted,
      payments: outcome.totalLeakage - outcome.platformProfit,
      platformPayoff,
      socialSurplus: outcome.socialSurplus,
      consumerPayoff,
      sweeps,
    };
  }

  /** True when the last round changed nothing (platform at rest, no user switched). */
  atRest(): boolean {
    return this.lastRest;
  }

  /** Canonical text of the whole state, for cycle detection. */
  stateKey(): string {
    let k = this.platform.stateKey();
    k += '|';
    for (let i = 0; i < this.world.n; i++) k += this.consumers.shares[i];
    return k;
  }
}
