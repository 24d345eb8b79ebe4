/**
 * Exact regulated equilibrium (AMMO §6; MODEL.md B.7): uniform or Pigovian taxes on data transactions and
 * de-correlation, alone or together, next to the unregulated monopoly. docs/leakage-competition.md.
 *   objective(A) = base(A) − rate·|A|,   A ranging over all sets, or over subsets of a^W (Pigovian),
 *   base(A) = Φ(A) (AMMO Thm 1) without de-correlation, Σ_{i∈A}(1 − v_i) I_i(A) with it (Thm 6.1).
 * General Σ: per-set table; communities: sharer counts with block leakage.
 */
import type { LeakageScenario } from '../../scenario/validate.js';
import { InputError } from '../../scenario/errors.js';
import { communityEigenvalues } from '../../scenario/validate.js';
import type { Communities } from '../../scenario/schema.js';
import { maskToSet } from '../../model/leakage/gaussian.js';
import { platformObjective, submasks, tablePrice, type SetTable } from '../../model/leakage/setTable.js';
import { countValues } from '../../model/leakage/community.js';
import { decorrelatedCountObjective, decorrelatedObjective, decorrelatedPrice } from '../../model/leakage/regulation.js';
import { outcomeFrom } from '../../model/leakage/outcome.js';
import { expandCounts, type MonopolySolution } from './monopoly.js';
import { allMasks, argmaxSets, checkTableLimits, scenarioTable } from './tableMonopoly.js';
import { maxWithTies, preferCounts } from './select.js';

export interface RegulationReport {
  tax: { kind: 'pigovian' } | { kind: 'uniform'; rate: number } | null;
  decorrelation: boolean;
  method: string;
  equilibrium: {
    sharers: number[];
    sharersByCommunity?: number[];
    /** Per user: price paid by the platform to the user (before tax). */
    prices: number[];
    /** Per user: leakage the platform obtains (Ĩ under de-correlation: 0 for non-sellers). */
    leakage: number[];
    userPayoffs: number[];
    /** Leakage value minus prices minus taxes. */
    platformProfit: number;
    taxRevenue: number;
    /** Σ_i (1 − v_i) × (leakage above); taxes are transfers. */
    socialSurplus: number;
    ties: { count: number };
  };
  /** Pigovian: users taxed prohibitively (first-best non-sharers). */
  prohibitivelyTaxed?: number[];
  unregulatedSocialSurplus: number;
  firstBestSocialSurplus: number;
  /** AMMO Thm 6.2 with de-correlation alone: regulated surplus ≥ max(unregulated surplus, 0). */
  theorem6?: { holds: boolean; lhs: number; rhs: number };
}

function pieces(s: LeakageScenario): { rate: number; pigovian: boolean; decor: boolean; tax: RegulationReport['tax'] } {
  const r = s.regulation ?? {};
  const rate = r.tax?.kind === 'uniform' ? (r.tax.rate ?? 0) : 0;
  const tax: RegulationReport['tax'] = r.tax ? (r.tax.kind === 'uniform' ? { kind: 'uniform', rate } : { kind: 'pigovian' }) : null;
  return { rate, pigovian: r.tax?.kind === 'pigovian', decor: Boolean(r.decorrelation), tax };
}

function checkDecorrelationInvertible(c: Communities): void {
  if (!(Math.min(...communityEigenvalues(c)) > 0)) {
    throw new InputError('communities', 'de-correlation needs an invertible (positive definite) block covariance');
  }
}

/** Up-front refusals of `solveRegulation` (also asked by the preflight): the per-set table's size, de-correlation's invertibility. */
export function checkRegulationLimits(s: LeakageScenario): void {
  if (!s.regulation) return;
  if (s.structure.kind === 'general') checkTableLimits(s.structure.Sigma.length);
  else if (s.regulation.decorrelation) checkDecorrelationInvertible(s.structure);
}

export function solveRegulation(s: LeakageScenario, unregulated: MonopolySolution, table?: SetTable): RegulationReport {
  const p = pieces(s);
  const rep =
    s.structure.kind === 'general'
      ? regulateGeneral(table ?? scenarioTable(s.structure.Sigma, s.noiseVariance, s.informationMeasure), s.privacyValues, unregulated, p)
      : regulateCommunities(s.structure, s.noiseVariance, s.privacyValues, unregulated, p);
  const lhs = rep.equilibrium.socialSurplus;
  const rhs = Math.max(unregulated.equilibrium.socialSurplus, 0);
  if (p.decor && !p.tax) rep.theorem6 = { holds: lhs >= rhs - 1e-9 * Math.max(1, Math.abs(rhs)), lhs, rhs };
  return rep;
}

type Pieces = ReturnType<typeof pieces>;

function regulateGeneral(t: SetTable, v: number[], un: MonopolySolution, p: Pieces): RegulationReport {
  const n = t.n;
  const full = 2 ** n - 1;
  const W = un.firstBest.sharers.reduce((m, i) => m | (1 << i), 0);
  const masks = p.pigovian ? submasks(W) : allMasks(n);
  const row = (A: number): Float64Array => t.leak.subarray(A * n, (A + 1) * n);
  const base = (A: number): number => {
    if (!p.decor) return platformObjective(t, v, full, A, 0);
    const sellers = maskToSet(A, n);
    const L = row(A);
    return decorrelatedObjective(v, sellers, sellers.map((i) => L[i]));
  };
  const pick = argmaxSets(n, masks, (A) => base(A) - p.rate * popcount(A));
  const A = pick.best;
  const L = row(A);
  const leakage = Array.from(L, (I, i) => (p.decor && !(A & (1 << i)) ? 0 : I));
  const prices = leakage.map((I, i) =>
    A & (1 << i) ? (p.decor ? decorrelatedPrice(v[i], I) : tablePrice(t, v[i], A, i)) : 0,
  );
  return assemble(maskToSet(A, n), leakage, prices, v, p, pick.count, un, p.pigovian ? maskToSet(full & ~W, n) : undefined);
}

function regulateCommunities(c: Communities, tau2: number, vBlock: number[], un: MonopolySolution, p: Pieces): RegulationReport {
  if (p.decor) checkDecorrelationInvertible(c);
  const sizes = c.sizes;
  const K = sizes.length;
  const W = un.firstBest.sharersByCommunity ?? sizes;
  const bound = p.pigovian ? W : sizes;
  const cands: number[][] = [];
  const x = new Array<number>(K).fill(0);
  for (;;) {
    cands.push(x.slice());
    let g = K - 1;
    while (g >= 0 && x[g] === bound[g]) x[g--] = 0;
    if (g < 0) break;
    x[g]++;
  }
  const value = (m: number[]): number => {
    const r = countValues(c, tau2, vBlock, m);
    const b = p.decor ? decorrelatedCountObjective(vBlock, m, r.leak.sharer) : r.phi;
    return b - p.rate * m.reduce((a, y) => a + y, 0);
  };
  const ties = maxWithTies(cands.length, (k) => value(cands[k]));
  const m = ties.indices.map((k) => cands[k]).sort(preferCounts)[0];
  const r = countValues(c, tau2, vBlock, m);
  const leakage: number[] = [];
  const prices: number[] = [];
  const v: number[] = [];
  sizes.forEach((ng, g) => {
    for (let k = 0; k < ng; k++) {
      const sells = k < m[g];
      const I = sells ? r.leak.sharer[g] : p.decor ? 0 : r.leak.nonSharer[g];
      leakage.push(I);
      prices.push(sells ? (p.decor ? decorrelatedPrice(vBlock[g], I) : r.prices[g]) : 0);
      v.push(vBlock[g]);
    }
  });
  const rep = assemble(expandCounts(sizes, m), leakage, prices, v, p, ties.count, un, undefined);
  rep.equilibrium.sharersByCommunity = m;
  if (p.pigovian) {
    const inW = new Set(expandCounts(sizes, W));
    rep.prohibitivelyTaxed = expandCounts(sizes, sizes).filter((i) => !inW.has(i));
  }
  return rep;
}

function assemble(
  sharers: number[],
  leakage: number[],
  prices: number[],
  v: readonly number[],
  p: Pieces,
  tieCount: number,
  un: MonopolySolution,
  taxed: number[] | undefined,
): RegulationReport {
  const o = outcomeFrom(sharers, leakage, prices, v);
  const taxRevenue = p.rate * sharers.length;
  const parts = [p.tax ? (p.tax.kind === 'uniform' ? `uniform tax ${p.tax.rate} per transaction (paid by the platform)` : 'Pigovian taxes (0 on first-best sharers, prohibitive otherwise)') : '', p.decor ? 'de-correlation (Lemma 5: Ĩ_i = a_i I_i)' : ''].filter(Boolean);
  const rep: RegulationReport = {
    tax: p.tax,
    decorrelation: p.decor,
    method: `exact argmax under ${parts.join(' + ')}`,
    equilibrium: {
      sharers: o.sharers,
      prices: o.prices,
      leakage: o.leakage,
      userPayoffs: o.userPayoffs,
      platformProfit: o.platformProfit - taxRevenue,
      taxRevenue,
      socialSurplus: o.socialSurplus,
      ties: { count: tieCount },
    },
    unregulatedSocialSurplus: un.equilibrium.socialSurplus,
    firstBestSocialSurplus: un.firstBest.socialSurplus,
  };
  if (taxed) rep.prohibitivelyTaxed = taxed;
  return rep;
}

function popcount(x: number): number {
  let c = 0;
  for (let y = x; y; y &= y - 1) c++;
  return c;
}
