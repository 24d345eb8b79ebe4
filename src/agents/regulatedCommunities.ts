/**
 * A regulated community market (AMMO §6; model regulation.ts; docs/leakage-competition.md "Regulation"):
 * the plain community world with
 *  - a uniform tax `rate` per transaction paid by the platform;
 *  - Pigovian taxes: zero on the first-best counts a^W, prohibitive beyond them. "Prohibitive" is a tax
 *    larger than anything a sale can bring (PROHIBITIVE_FACTOR × (1 + Σ_i (1 + v_i) Σ_ii)), so the platform's
 *    local search leaves those users at once and never buys them;
 *  - de-correlation (Ĩ_i = a_i I_i): non-sellers leak nothing, a seller of block g costs v_g I^sh_g (the
 *    sharer leakage with her in the set), and the platform's objective is Σ_g m_g (1 − v_g) I^sh_g.
 * Every leakage number is the model's block leakage (`blockLeakage`, `countValues`) at sharer counts.
 */
import type { Communities } from '../scenario/schema.js';
import { blockLeakage, blockScratch, countValues, type BlockScratch } from '../model/leakage/community.js';
import { decorrelatedCountObjective, decorrelatedPrice } from '../model/leakage/regulation.js';
import type { LeakageWorld } from './leakageWorld.js';

export const PROHIBITIVE_FACTOR = 1e6;

export interface CommunityRegulation {
  rate: number;
  /** Pigovian bound per block (first-best counts), or null. */
  bound: readonly number[] | null;
  decorrelation: boolean;
}

export class RegulatedCommunityWorld implements LeakageWorld {
  readonly kind = 'communities' as const;
  readonly n: number;
  readonly tau2: number;
  readonly v: Float64Array;
  readonly sigmaII: Float64Array;
  readonly block: Int32Array;
  readonly sizes: number[];
  private readonly scratch: BlockScratch;
  private readonly counts: number[];
  private readonly prohibitive: number;

  constructor(
    private readonly inner: LeakageWorld,
    private readonly c: Communities,
    private readonly vBlock: readonly number[],
    private readonly reg: CommunityRegulation,
  ) {
    this.n = inner.n;
    this.tau2 = inner.tau2;
    this.v = inner.v;
    this.sigmaII = inner.sigmaII;
    this.block = inner.block;
    this.sizes = inner.sizes;
    this.scratch = blockScratch(c);
    this.counts = new Array<number>(c.sizes.length).fill(0);
    let scale = 1;
    for (let i = 0; i < this.n; i++) scale += (1 + Math.abs(this.v[i])) * this.sigmaII[i];
    this.prohibitive = PROHIBITIVE_FACTOR * scale;
  }

  private countActions(actions: Uint8Array): number[] {
    this.counts.fill(0);
    for (let i = 0; i < this.n; i++) if (actions[i]) this.counts[this.block[i]]++;
    return this.counts;
  }

  leakageWithoutSelf(actions: Uint8Array, out: Float64Array): void {
    if (this.reg.decorrelation) out.fill(0);
    else this.inner.leakageWithoutSelf(actions, out);
  }

  leakage(actions: Uint8Array, out: Float64Array): void {
    this.inner.leakage(actions, out);
    if (this.reg.decorrelation) for (let i = 0; i < this.n; i++) if (!actions[i]) out[i] = 0;
  }

  platformValueOf(target: Uint8Array): number {
    return this.platformValueOfCounts([...this.countActions(target)]);
  }

  platformValueOfCounts(m: readonly number[]): number {
    let base: number;
    if (this.reg.decorrelation) {
      base = decorrelatedCountObjective(this.vBlock, m, blockLeakage(this.c, this.tau2, m, this.scratch).sharer);
    } else {
      base = countValues(this.c, this.tau2, this.vBlock, m, this.scratch).phi;
    }
    return base - this.taxOfCounts(m);
  }

  private taxOfCounts(m: readonly number[]): number {
    let tax = 0;
    m.forEach((mg, g) => {
      tax += this.reg.rate * mg;
      if (this.reg.bound && mg > this.reg.bound[g]) tax += this.prohibitive * (mg - this.reg.bound[g]);
    });
    return tax;
  }

  taxOf(actions: Uint8Array): number {
    return this.taxOfCounts(this.countActions(actions));
  }

  reservation(i: number, leakWithout: number): number {
    return this.inner.reservation(i, leakWithout);
  }

  reservations(actions: Uint8Array, leakWithout: Float64Array, out: Float64Array): void {
    if (!this.reg.decorrelation) {
      this.inner.reservations(actions, leakWithout, out);
      return;
    }
    // v_g I^sh_g at the counts with user i sharing: the current counts for sharers, one more for non-sharers
    const m = [...this.countActions(actions)];
    const K = m.length;
    const asSharer = new Float64Array(K);
    const asJoiner = new Float64Array(K);
    const now = blockLeakage(this.c, this.tau2, m, this.scratch);
    for (let g = 0; g < K; g++) asSharer[g] = now.sharer[g];
    for (let g = 0; g < K; g++) {
      if (m[g] === this.sizes[g]) continue;
      m[g]++;
      asJoiner[g] = blockLeakage(this.c, this.tau2, m, this.scratch).sharer[g];
      m[g]--;
    }
    for (let i = 0; i < this.n; i++) {
      const g = this.block[i];
      out[i] = decorrelatedPrice(this.vBlock[g], actions[i] ? asSharer[g] : asJoiner[g]);
    }
  }

  openingPrice(i: number): number {
    if (!this.reg.decorrelation) return this.inner.openingPrice(i);
    // under de-correlation a seller's cost grows with the others' data (complements): the highest is when
    // everyone shares
    const g = this.block[i];
    return decorrelatedPrice(this.vBlock[g], blockLeakage(this.c, this.tau2, this.sizes, this.scratch).sharer[g]);
  }
}
