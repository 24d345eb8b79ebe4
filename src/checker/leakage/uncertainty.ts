/**
 * Exact single-platform equilibria under uncertainty (AMMO §5.2–§5.3; MODEL.md B.6; docs/leakage-competition.md).
 *
 * Unknown Σ ~ μ over a finite list: leakage, Φ and surplus are linear in the per-set leakage, so the
 * platform maximises Φ on the μ-mixture of the per-Σ tables, and prices are v_i E_μ[I_i(1,a_{-i}) − I_i(0,a_{-i})]
 * (our extension of Thm 1–2 to expected leakage, flagged in MODEL.md B.6.3).
 *
 * Unknown privacy values v ~ F: allocation = AMMO Thm 1 argmax with virtual values; payments from the
 * slides' integral (uniform F), computed exactly by walking the upper envelope of the 2ⁿ lines
 * φ ↦ c_A − φ q_i(A) in user i's virtual value; or from the discrete analogue (empirical F, ironed when
 * irregular).
 */
import { InputError } from '../../scenario/errors.js';
import type { LeakageScenario } from '../../scenario/validate.js';
import { mixTables, platformObjective, tableIncrement, type SetTable } from '../../model/leakage/setTable.js';
import { outcomeFrom } from '../../model/leakage/outcome.js';
import { maskToSet } from '../../model/leakage/gaussian.js';
import { discretePayment, ironedVirtualValuesDiscrete, virtualValueUniform, virtualValuesDiscrete } from '../../model/leakage/uncertainty.js';
import { solveMonopoly, type MonopolySolution } from './monopoly.js';
import { allMasks, argmaxSets, checkTableLimits, outcomeOfMask, scenarioTable, solveTable } from './tableMonopoly.js';

export type UncertaintyReport =
  | {
      kind: 'covariances';
      weights: number[];
      /** The equilibrium sharer set evaluated under each Σ of the support. */
      perCovariance: { weight: number; socialSurplus: number; totalLeakage: number; platformProfit: number }[];
    }
  | {
      kind: 'privacyValues';
      distribution: NonNullable<LeakageScenario['valueDistribution']>;
      /** Φ(v_i) per user. */
      virtualValues: number[];
      /** Users with Φ(v_i) ≤ 1 ("low virtual value", AMMO-slides). */
      lowVirtualValue: number[];
      /** Present when the empirical F is irregular: Φ before ironing at the users' values and the ironed intervals of the support. */
      ironing?: { rawVirtualValues: number[]; intervals: { values: number[]; ironedVirtualValue: number }[] };
      /** Per user: the information rent p_i − v_i q_i(v_i). */
      informationRents: number[];
      /** The complete-information monopoly for the same realised values. */
      completeInformation: { sharers: number[]; prices: number[]; platformProfit: number; socialSurplus: number };
    };

const needsGeneral = (): InputError => new InputError('uncertainty.privacyValues', 'needs a general covariance');

/** Up-front refusals of `solveUncertainty` (also asked by the preflight): per-set table sizes, unknown values on a general Σ. */
export function checkUncertaintyLimits(s: LeakageScenario): void {
  if (s.covarianceMixture) {
    s.covarianceMixture.forEach((e, k) => checkTableLimits(e.Sigma.length, `uncertainty.covariances.${k}.covariance`));
    return;
  }
  if (!s.valueDistribution) return;
  if (s.structure.kind !== 'general') throw needsGeneral();
  checkTableLimits(s.structure.Sigma.length);
}

export function solveUncertainty(s: LeakageScenario): MonopolySolution & { uncertainty: UncertaintyReport } {
  if (s.covarianceMixture) return solveCovarianceMixture(s);
  return solveUnknownValues(s);
}

function solveCovarianceMixture(s: LeakageScenario): MonopolySolution & { uncertainty: UncertaintyReport } {
  const mix = s.covarianceMixture ?? [];
  const tables = mix.map((e, k) => scenarioTable(e.Sigma, s.noiseVariance, s.informationMeasure, `uncertainty.covariances.${k}.covariance`));
  const weights = mix.map((e) => e.weight);
  const t = mixTables(tables, weights);
  const sol = solveTable(t, s.privacyValues, `exact: all 2^${t.n} sharing sets on expected leakage over ${mix.length} covariances (Σ ~ μ)`);
  const A = sol.equilibrium.sharers.reduce((m, i) => m | (1 << i), 0);
  return {
    ...sol,
    uncertainty: {
      kind: 'covariances',
      weights,
      perCovariance: tables.map((tk, k) => {
        // Realised payoffs: the prices are fixed ex ante (expected increments), leakage is Σ_k's.
        const o = outcomeOfMask(tk, s.privacyValues, A, sol.equilibrium.prices);
        return { weight: weights[k], socialSurplus: o.socialSurplus, totalLeakage: o.totalLeakage, platformProfit: o.platformProfit };
      }),
    },
  };
}


function solveUnknownValues(s: LeakageScenario): MonopolySolution & { uncertainty: UncertaintyReport } {
  const F = s.valueDistribution;
  if (!F || s.structure.kind !== 'general') throw needsGeneral();
  const v = s.privacyValues;
  const t = scenarioTable(s.structure.Sigma, s.noiseVariance, s.informationMeasure);
  const n = t.n;
  const full = 2 ** n - 1;
  const masks = allMasks(n);
  const { phiOf, ironing } = virtualMap(F);
  const phi = v.map(phiOf);
  const alloc = (ph: readonly number[]): number => argmaxSets(n, masks, (A) => platformObjective(t, ph, full, A, 0)).best;
  const eqPick = argmaxSets(n, masks, (A) => platformObjective(t, phi, full, A, 0));
  const A = eqPick.best;
  const prices = v.map((vi, i) => {
    const q0 = tableIncrement(t, A, i);
    if (q0 === 0 && !(A & (1 << i))) return 0;
    if (F.kind === 'uniform') {
      return uniformIntegral(t, phi, i, phiOf(vi), phiOf(F.high)) / 2 + vi * q0;
    }
    const q = F.values.map((sk) => tableIncrement(t, alloc(phi.map((x, j) => (j === i ? phiOf(sk) : x))), i));
    return discretePayment(F.values, q, F.values.indexOf(vi));
  });
  const leak = Array.from(t.leak.subarray(A * n, (A + 1) * n));
  const eqOut = outcomeFrom(maskToSet(A, n), leak, prices, v);
  const complete = s.informationMeasure === 'mse' ? solveMonopoly(s) : solveTable(t, v, '');
  const tol = 1e-9 * Math.max(1, Math.abs(complete.firstBest.socialSurplus));
  return {
    model: 'leakage',
    method: `exact: allocation = argmax over all 2^${n} sets with virtual values Φ(v) (AMMO §5.2); payments by the ${F.kind === 'uniform' ? 'envelope integral, exact piecewise' : 'discrete IC sum'}${ironing ? '; irregular F ironed (Myerson)' : ''}`,
    users: n,
    equilibrium: { ...eqOut, ties: { count: eqPick.count, sets: eqPick.sets } },
    firstBest: complete.firstBest,
    verdict: {
      negativeSurplus: eqOut.socialSurplus < -tol,
      efficient: eqOut.socialSurplus >= complete.firstBest.socialSurplus - tol,
      surplusGap: complete.firstBest.socialSurplus - eqOut.socialSurplus,
    },
    uncertainty: {
      kind: 'privacyValues',
      distribution: F,
      virtualValues: phi,
      lowVirtualValue: phi.flatMap((x, i) => (x <= 1 ? [i] : [])),
      ...(ironing ? { ironing: { rawVirtualValues: v.map(ironing.raw), intervals: ironing.intervals } } : {}),
      informationRents: prices.map((p, i) => p - v[i] * tableIncrement(t, A, i)),
      completeInformation: {
        sharers: complete.equilibrium.sharers,
        prices: complete.equilibrium.prices,
        platformProfit: complete.equilibrium.platformProfit,
        socialSurplus: complete.equilibrium.socialSurplus,
      },
    },
  };
}

/**
 * v ↦ Φ(v) used by the allocation; for an empirical F only support points are valid. An irregular empirical
 * F (Φ decreasing somewhere) is ironed (ironedVirtualValuesDiscrete); `ironing` then describes it.
 */
function virtualMap(F: NonNullable<LeakageScenario['valueDistribution']>): {
  phiOf: (v: number) => number;
  ironing?: { raw: (v: number) => number; intervals: { values: number[]; ironedVirtualValue: number }[] };
} {
  if (F.kind === 'uniform') return { phiOf: (v) => virtualValueUniform(v, F.low) };
  const raw = virtualValuesDiscrete(F.values, F.weights);
  const regular = raw.every((x, k) => k === 0 || x >= raw[k - 1]);
  if (regular) return { phiOf: (v) => raw[F.values.indexOf(v)] };
  const ironed = ironedVirtualValuesDiscrete(F.values, F.weights);
  return {
    phiOf: (v) => ironed.phi[F.values.indexOf(v)],
    ironing: {
      raw: (v) => raw[F.values.indexOf(v)],
      intervals: ironed.intervals.map(([a, b]) => ({ values: F.values.slice(a, b + 1), ironedVirtualValue: ironed.phi[a] })),
    },
  };
}

/**
 * ∫ q_i(a^E(φ)) dφ over φ_i ∈ [from, to], others' virtual values fixed. Each set A is a line
 * c_A − φ q_A in φ; walking the upper envelope from `from`, the argmax can only move to sets with smaller
 * q (larger slope), at the nearest crossing. Between crossings q is constant, so the integral is exact.
 */
export function uniformIntegral(t: SetTable, phi: readonly number[], i: number, from: number, to: number): number {
  const n = t.n;
  const full = 2 ** n - 1;
  const size = 2 ** n;
  const p0 = phi.map((x, j) => (j === i ? 0 : x));
  const c = new Float64Array(size);
  const q = new Float64Array(size);
  let scale = 1;
  for (let A = 0; A < size; A++) {
    c[A] = platformObjective(t, p0, full, A, 0);
    q[A] = tableIncrement(t, A, i);
    scale = Math.max(scale, Math.abs(c[A]));
  }
  const tol = 1e-12 * scale;
  // Argmax at φ, choosing among (near-)ties the smallest q: the set that prevails just after φ.
  const argmaxAfter = (f: number): number => {
    let best = -Infinity;
    for (let A = 0; A < size; A++) best = Math.max(best, c[A] - f * q[A]);
    let pick = -1;
    for (let A = 0; A < size; A++) if (c[A] - f * q[A] >= best - tol && (pick < 0 || q[A] < q[pick])) pick = A;
    return pick;
  };
  let f = from;
  let total = 0;
  let A = argmaxAfter(f);
  while (f < to) {
    let next = to;
    for (let B = 0; B < size; B++) {
      if (q[B] < q[A]) {
        const x = (c[A] - c[B]) / (q[A] - q[B]);
        if (x > f && x < next) next = x;
      }
    }
    total += (next - f) * q[A];
    f = next;
    if (f < to) A = argmaxAfter(f);
  }
  return total;
}
