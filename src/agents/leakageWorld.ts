/**
 * What leakage agents may ask of the model for one scenario: leakage, "leakage without me", the platform's
 * payoff of a sharing set and least sustaining prices — all delegated to src/model/leakage (never a second
 * copy of the mathematics). Two structures:
 *  - general Σ: per-set Cholesky solves (gaussian.ts, outcome.ts, response.ts);
 *  - communities: users of a block are exchangeable, so every quantity comes from per-block sharer counts
 *    (community.ts, O(K³) per evaluation whatever the number of users).
 */
import type { Communities } from '../scenario/schema.js';
import type { LeakageScenario } from '../scenario/validate.js';
import { matFrom, type Mat } from '../model/linalg.js';
import { leakageAll } from '../model/leakage/gaussian.js';
import { evaluateSharingSet } from '../model/leakage/outcome.js';
import { blockLeakage, blockScratch, countValues, type BlockScratch } from '../model/leakage/community.js';
import { leakageWithoutSelf, reservationPrice } from '../model/leakage/response.js';

/** Indices of users whose flag is set. */
export function setOf(flags: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) out.push(i);
  return out;
}

export interface LeakageWorld {
  readonly kind: 'general' | 'communities';
  readonly n: number;
  readonly tau2: number;
  /** v_i per user. */
  readonly v: Float64Array;
  /** Σ_ii per user. */
  readonly sigmaII: Float64Array;
  /** Block of each user (all 0 for a general Σ). */
  readonly block: Int32Array;
  /** Block sizes (one block of n users for a general Σ). */
  readonly sizes: number[];
  /** I_i(A∖{i}) for every user, A = {i : actions_i = 1}. */
  leakageWithoutSelf(actions: Uint8Array, out: Float64Array): void;
  /** I_i(A) for every user. */
  leakage(actions: Uint8Array, out: Float64Array): void;
  /** Φ(A) = Σ_i I_i(A) − Σ_{i∈A} v_i Δ_i: the platform's payoff at least sustaining prices (AMMO Thm 1). */
  platformValueOf(target: Uint8Array): number;
  /** Φ for per-block sharer counts (communities only). */
  platformValueOfCounts(m: readonly number[]): number;
  /** v_i Δ_i with the given leakage-without-self. */
  reservation(i: number, leakWithout: number): number;
  /**
   * Every user's reservation price at the profile `actions` (the least price at which she shares given the
   * others' actions), from `leakWithout` = leakageWithoutSelf(actions).
   */
  reservations(actions: Uint8Array, leakWithout: Float64Array, out: Float64Array): void;
  /** The highest reservation price user i can have (nobody else shares): the platform's opening price. */
  openingPrice(i: number): number;
  /** Tax the platform pays for a sharing profile (regulated worlds only). */
  taxOf?(actions: Uint8Array): number;
}

/**
 * What the plain (unregulated) worlds share: a user's reservation price depends on the others only through
 * her leakage without herself, and the opening price is the reservation price when nobody else shares.
 */
abstract class PlainWorld {
  abstract readonly n: number;
  abstract readonly v: Float64Array;
  abstract readonly sigmaII: Float64Array;
  abstract readonly tau2: number;
  reservation(i: number, leakWithout: number): number {
    return reservationPrice(this.v[i], this.sigmaII[i], this.tau2, leakWithout);
  }
  reservations(_actions: Uint8Array, leakWithout: Float64Array, out: Float64Array): void {
    for (let i = 0; i < this.n; i++) out[i] = this.reservation(i, leakWithout[i]);
  }
  openingPrice(i: number): number {
    return this.reservation(i, 0);
  }
}

export function makeLeakageWorld(s: LeakageScenario): LeakageWorld {
  return s.structure.kind === 'general'
    ? new GeneralWorld(matFrom(s.structure.Sigma), s.noiseVariance, s.privacyValues)
    : new CommunityWorld(s.structure, s.noiseVariance, s.privacyValues);
}

class GeneralWorld extends PlainWorld implements LeakageWorld {
  readonly kind = 'general' as const;
  readonly n: number;
  readonly v: Float64Array;
  readonly sigmaII: Float64Array;
  readonly block: Int32Array;
  readonly sizes: number[];
  constructor(
    private readonly Sigma: Mat,
    readonly tau2: number,
    v: readonly number[],
  ) {
    super();
    this.n = Sigma.n;
    this.v = Float64Array.from(v);
    this.sigmaII = Float64Array.from({ length: this.n }, (_, i) => Sigma.data[i * this.n + i]);
    this.block = new Int32Array(this.n);
    this.sizes = [this.n];
  }
  leakageWithoutSelf(actions: Uint8Array, out: Float64Array): void {
    out.set(leakageWithoutSelf(this.Sigma, this.tau2, setOf(actions)));
  }
  leakage(actions: Uint8Array, out: Float64Array): void {
    out.set(leakageAll(this.Sigma, this.tau2, setOf(actions)));
  }
  platformValueOf(target: Uint8Array): number {
    return evaluateSharingSet(this.Sigma, this.tau2, Array.from(this.v), setOf(target)).platformProfit;
  }
  platformValueOfCounts(): number {
    throw new Error('platformValueOfCounts needs a community scenario');
  }
}

class CommunityWorld extends PlainWorld implements LeakageWorld {
  readonly kind = 'communities' as const;
  readonly n: number;
  readonly v: Float64Array;
  readonly sigmaII: Float64Array;
  readonly block: Int32Array;
  readonly sizes: number[];
  private readonly vBlock: number[];
  private readonly scratch: BlockScratch;
  private readonly counts: number[];
  constructor(
    private readonly c: Communities,
    readonly tau2: number,
    vBlock: readonly number[],
  ) {
    super();
    this.sizes = [...c.sizes];
    this.n = c.sizes.reduce((a, b) => a + b, 0);
    this.vBlock = [...vBlock];
    this.block = new Int32Array(this.n);
    this.v = new Float64Array(this.n);
    let i = 0;
    c.sizes.forEach((ng, g) => {
      for (let k = 0; k < ng; k++, i++) {
        this.block[i] = g;
        this.v[i] = vBlock[g];
      }
    });
    this.sigmaII = new Float64Array(this.n).fill(c.variance);
    this.scratch = blockScratch(c);
    this.counts = new Array<number>(c.sizes.length).fill(0);
  }
  private countActions(actions: Uint8Array): number[] {
    this.counts.fill(0);
    for (let i = 0; i < this.n; i++) if (actions[i]) this.counts[this.block[i]]++;
    return this.counts;
  }
  leakageWithoutSelf(actions: Uint8Array, out: Float64Array): void {
    const leak = blockLeakage(this.c, this.tau2, this.countActions(actions), this.scratch);
    for (let i = 0; i < this.n; i++) out[i] = actions[i] ? leak.leaveOneOut[this.block[i]] : leak.nonSharer[this.block[i]];
  }
  leakage(actions: Uint8Array, out: Float64Array): void {
    const leak = blockLeakage(this.c, this.tau2, this.countActions(actions), this.scratch);
    for (let i = 0; i < this.n; i++) out[i] = actions[i] ? leak.sharer[this.block[i]] : leak.nonSharer[this.block[i]];
  }
  platformValueOf(target: Uint8Array): number {
    return this.platformValueOfCounts([...this.countActions(target)]);
  }
  platformValueOfCounts(m: readonly number[]): number {
    return countValues(this.c, this.tau2, this.vBlock, m, this.scratch).phi;
  }
}
