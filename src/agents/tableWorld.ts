/**
 * A leakage world read from a per-set leakage table (model setTable.ts), for the variants of the monopoly
 * market that are not the plain Gaussian I_i of one known Σ (docs/leakage-competition.md):
 *  - mutual-information leakage (the table mapped by `toMutualInformation`, AMMO §5.1);
 *  - unknown Σ ~ μ (the μ-mixture of tables, `mixTables`, AMMO §5.3): users and platform act on expected leakage;
 *  - regulation (AMMO §6, model regulation.ts): a per-transaction tax `rate` paid by the platform, a
 *    prohibitive (Pigovian) tax on users outside `allowed` (PROHIBITIVE_FACTOR × the largest possible value), and de-correlation (Ĩ_i = a_i I_i: a non-seller
 *    leaks nothing, a seller's least price is v_i I_i(A));
 *  - unknown values (AMMO §5.2): the platform ranks sets by the mechanism's virtual values `objectiveValues`.
 * Every number comes from the table and the model's objectives (`platformObjective`, `decorrelatedObjective`,
 * `decorrelatedPrice`); this class only indexes them by bitmask. General Σ only (n ≤ the table limit).
 */
import { platformObjective, tableIncrement, type SetTable } from '../model/leakage/setTable.js';
import { decorrelatedObjective, decorrelatedPrice } from '../model/leakage/regulation.js';
import type { LeakageWorld } from './leakageWorld.js';
import { PROHIBITIVE_FACTOR } from './regulatedCommunities.js';

export interface TableWorldOptions {
  /** Values the platform's objective uses (virtual values under unknown values); default: v. */
  objectiveValues?: readonly number[];
  /** Uniform tax per transaction paid by the platform. */
  rate?: number;
  /** Bitmask of users the platform may buy from (Pigovian: the first best a^W); default: everyone. */
  allowed?: number;
  decorrelation?: boolean;
}

const maskOf = (actions: Uint8Array): number => {
  let A = 0;
  for (let i = 0; i < actions.length; i++) if (actions[i]) A |= 1 << i;
  return A;
};

const popcount = (x: number): number => {
  let c = 0;
  for (let y = x; y; y &= y - 1) c++;
  return c;
};

export class TableWorld implements LeakageWorld {
  readonly kind = 'general' as const;
  readonly n: number;
  readonly tau2: number;
  readonly v: Float64Array;
  readonly sigmaII: Float64Array;
  readonly block: Int32Array;
  readonly sizes: number[];
  private readonly full: number;
  private readonly vList: number[];
  private readonly objValues: number[];
  private readonly rate: number;
  private readonly allowed: number;
  private readonly decor: boolean;
  private readonly prohibitive: number;

  constructor(
    private readonly t: SetTable,
    v: readonly number[],
    sigmaII: readonly number[],
    tau2: number,
    opts: TableWorldOptions = {},
  ) {
    this.n = t.n;
    this.tau2 = tau2;
    this.v = Float64Array.from(v);
    this.vList = [...v];
    this.sigmaII = Float64Array.from(sigmaII);
    this.block = new Int32Array(this.n);
    this.sizes = [this.n];
    this.full = 2 ** this.n - 1;
    this.objValues = [...(opts.objectiveValues ?? v)];
    this.rate = opts.rate ?? 0;
    this.allowed = opts.allowed ?? this.full;
    this.decor = opts.decorrelation ?? false;
    let scale = 1;
    for (let i = 0; i < this.n; i++) scale += (1 + Math.abs(v[i])) * t.leak[this.full * this.n + i];
    this.prohibitive = PROHIBITIVE_FACTOR * scale;
  }

  leakageWithoutSelf(actions: Uint8Array, out: Float64Array): void {
    const base = maskOf(actions) * this.n;
    for (let i = 0; i < this.n; i++) out[i] = this.decor ? 0 : this.t.loo[base + i];
  }

  leakage(actions: Uint8Array, out: Float64Array): void {
    const base = maskOf(actions) * this.n;
    for (let i = 0; i < this.n; i++) out[i] = this.decor && !actions[i] ? 0 : this.t.leak[base + i];
  }

  platformValueOf(target: Uint8Array): number {
    const A = maskOf(target);
    let base: number;
    if (this.decor) {
      const sellers: number[] = [];
      const leak: number[] = [];
      for (let i = 0; i < this.n; i++) {
        if (target[i]) {
          sellers.push(i);
          leak.push(this.t.leak[A * this.n + i]);
        }
      }
      base = decorrelatedObjective(this.vList, sellers, leak);
    } else {
      base = platformObjective(this.t, this.objValues, this.full, A, 0);
    }
    return base - this.taxOfMask(A);
  }

  /** Uniform tax per transaction, plus the prohibitive tax on users outside `allowed` (Pigovian). */
  private taxOfMask(A: number): number {
    return this.rate * popcount(A) + this.prohibitive * popcount(A & ~this.allowed);
  }

  platformValueOfCounts(): number {
    throw new Error('platformValueOfCounts needs a community scenario');
  }

  /** Own increment of i joining the others' set `others` (i ∉ others): I_i(others ∪ {i}) − I_i(others). */
  private increment(others: number, i: number): number {
    const B = others | (1 << i);
    return this.decor ? this.t.leak[B * this.n + i] : tableIncrement(this.t, B, i);
  }

  reservation(i: number, _leakWithout: number): number {
    // only meaningful at the empty profile here; reservations() is the general entry point
    return this.decor ? decorrelatedPrice(this.v[i], this.increment(0, i)) : this.v[i] * this.increment(0, i);
  }

  reservations(actions: Uint8Array, _leakWithout: Float64Array, out: Float64Array): void {
    const A = maskOf(actions);
    for (let i = 0; i < this.n; i++) {
      const others = A & ~(1 << i);
      const inc = this.increment(others, i);
      out[i] = this.decor ? decorrelatedPrice(this.v[i], inc) : this.v[i] * inc;
    }
  }

  openingPrice(i: number): number {
    // the highest reservation: alone (own increments shrink as others share), or, under de-correlation,
    // when everyone shares (a seller's own leakage grows with the others' data)
    return this.decor ? decorrelatedPrice(this.v[i], this.t.leak[this.full * this.n + i]) : this.reservation(i, 0);
  }

  /** Tax the platform pays for the sharing profile (uniform rate per transaction). */
  taxOf(actions: Uint8Array): number {
    return this.taxOfMask(maskOf(actions));
  }
}
