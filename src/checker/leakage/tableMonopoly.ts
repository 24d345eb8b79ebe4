/**
 * Single-platform argmax over a per-set leakage table (setTable.ts), for the variants whose leakage is not
 * the plain Gaussian I_i of one known Σ: mutual information (AMMO §5.1), expected leakage over Σ ~ μ
 * (AMMO §5.3), and regulated objectives (AMMO §6). Same selection rule as the monopoly (select.ts); the
 * monopoly enumeration path (enumerate.ts) stays the fast path for the plain case, and tests check the two agree there.
 */
import { InputError } from '../../scenario/errors.js';
import type { LeakageScenario } from '../../scenario/validate.js';
import { matFrom } from '../../model/linalg.js';
import { buildSetTable, platformObjective, setSurplus, tablePrice, toMutualInformation, type SetTable } from '../../model/leakage/setTable.js';
import { maskToSet } from '../../model/leakage/gaussian.js';
import { outcomeFrom, type SharingOutcome } from '../../model/leakage/outcome.js';
import { maxWithTies, preferSets, MAX_TIES_KEPT } from './select.js';
import type { EquilibriumReport, FirstBestReport, MonopolySolution } from './monopoly.js';

/** Argmax of `value` over the given masks with the monopoly tie rule (larger set, then smaller indices). */
export function argmaxSets(n: number, masks: readonly number[], value: (mask: number) => number): { best: number; count: number; sets: number[][] } {
  const t = maxWithTies(masks.length, (k) => value(masks[k]));
  const tied = t.indices.map((k) => masks[k]).sort((a, b) => preferSets(maskToSet(a, n), maskToSet(b, n)));
  return { best: tied[0], count: t.count, sets: tied.slice(0, MAX_TIES_KEPT).map((m) => maskToSet(m, n)) };
}

export const allMasks = (n: number): number[] => Array.from({ length: 2 ** n }, (_, m) => m);

/** Outcome of sharer set A at least sustaining prices p_i = v_i (I_i(A) − I_i(A∖{i})), from the table. */
export function outcomeOfMask(t: SetTable, v: readonly number[], A: number, prices?: number[]): SharingOutcome {
  const n = t.n;
  const leak = Array.from(t.leak.subarray(A * n, (A + 1) * n));
  const p = prices ?? leak.map((_, i) => tablePrice(t, v[i], A, i));
  return outcomeFrom(maskToSet(A, n), leak, p, v);
}

/** AMMO Thm 1 argmax Φ and first best argmax SS on a table. */
export function solveTable(t: SetTable, v: readonly number[], method: string): MonopolySolution {
  const n = t.n;
  const full = 2 ** n - 1;
  const masks = allMasks(n);
  const eq = argmaxSets(n, masks, (A) => platformObjective(t, v, full, A, 0));
  const fb = argmaxSets(n, masks, (A) => setSurplus(t, v, A));
  const eqOut = outcomeOfMask(t, v, eq.best);
  const fbOut = outcomeOfMask(t, v, fb.best);
  const equilibrium: EquilibriumReport = { ...eqOut, ties: { count: eq.count, sets: eq.sets } };
  const firstBest: FirstBestReport = { sharers: fbOut.sharers, socialSurplus: fbOut.socialSurplus, ties: { count: fb.count, sets: fb.sets } };
  const tol = 1e-9 * Math.max(1, Math.abs(fbOut.socialSurplus));
  return {
    model: 'leakage',
    method,
    users: n,
    equilibrium,
    firstBest,
    verdict: {
      negativeSurplus: eqOut.socialSurplus < -tol,
      efficient: eqOut.socialSurplus >= fbOut.socialSurplus - tol,
      surplusGap: fbOut.socialSurplus - eqOut.socialSurplus,
    },
  };
}

/** Largest n for the per-set table (2ⁿ·n·2 doubles) used by mutual information, uncertainty and regulation. */
export const MAX_TABLE_USERS = 16;

/** Up-front limit of the per-set table on n users (also asked by the preflight). */
export function checkTableLimits(n: number, field = 'covariance'): void {
  if (n > MAX_TABLE_USERS) {
    throw new InputError(
      field,
      `${n} users exceed the limit of ${MAX_TABLE_USERS} for the per-set leakage table (needed by mutual information, uncertainty and regulation on a general covariance); use communities where supported`,
    );
  }
}

/** The per-set table for a general Σ under the scenario's information measure. */
export function scenarioTable(Sigma: number[][], tau2: number, measure: LeakageScenario['informationMeasure'], field = 'covariance'): SetTable {
  checkTableLimits(Sigma.length, field);
  const S = matFrom(Sigma);
  const t = buildSetTable(S, tau2);
  return measure === 'mutual-information' ? toMutualInformation(t, S) : t;
}

