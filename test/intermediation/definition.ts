/**
 * GLP's equilibrium definition checked directly, for A = Ω and one merchant, independent of the code under test
 * (used by fallback.test.ts and the simulate tests): the BBM closed form of V and its one-sided derivatives;
 * (a) p ∈ ∂V(q*) ⇔ ⟨p, q*⟩ = V(q*) and max_{X ≥ 0 obedient, ΣX ≤ 1} Σ_{a,ω} (v(a,ω) − p(ω)) X(a,ω) = 0 (V(q') ≤
 * ⟨p, q'⟩ for every q' ≥ 0, by homogeneity; solved with javascript-lp-solver), (b) X* = x*·q* feasible, obedient,
 * Σ vX* = V(q*), (c) G = p + U against r̄ with U from the reported segmentation (types of mass 0 have no consumers
 * and no condition). `closedForm`: V = γ_u·TS − (γ_u − γ_π)·πM for γ_u ≥ γ_π (full disclosure, V = γ_π·TS, above),
 * with the one-sided derivatives from the argmax of the uniform monopoly profit (derived in value.test.ts).
 */
import { expect } from 'vitest';
import { jsLpSolver, type LinearProgram, type LpRow } from '../../src/lp/index.js';

export function closedForm(types: number[], q: number[], gu: number, gp: number) {
  const TS = types.reduce((s, w, i) => s + w * q[i], 0);
  const prof = types.map((a) => a * types.reduce((s, w, i) => s + (w >= a ? q[i] : 0), 0));
  const piM = Math.max(...prof);
  if (gp >= gu) return { V: gp * TS, lower: types.map((w) => gp * w), upper: types.map((w, i) => (q[i] > 0 ? gp * w : Infinity)) };
  const c = gu - gp;
  const arg = types.filter((_, k) => prof[k] >= piM - 1e-12 * Math.max(1, piM));
  return {
    V: gu * TS - c * piM,
    lower: types.map((w) => gu * w - c * Math.max(...arg.map((a) => (w >= a ? a : 0)))),
    upper: types.map((w, i) => (q[i] > 0 ? gu * w - c * Math.min(...arg.map((a) => (w >= a ? a : 0))) : Infinity)),
  };
}

export const u = (a: number, w: number) => Math.max(w - a, 0);
export const pi = (a: number, w: number) => (w >= a ? a : 0);

/** Obedience rows over columns j = a·N + ω, written from the definition. */
function obedience(types: number[]): LpRow[] {
  const N = types.length;
  const rows: LpRow[] = [];
  types.forEach((a, ai) => types.forEach((b, bi) => {
    if (ai === bi) return;
    const indices = types.map((_, w) => ai * N + w);
    rows.push({ indices, values: types.map((w) => pi(a, w) - pi(b, w)), lower: 0, upper: Infinity });
  }));
  return rows;
}

/** max Σ (v − p(ω)) X over obedient X ≥ 0 with Σ X ≤ 1 (0 iff p is dual-feasible). */
export function dualGap(types: number[], v: (a: number, w: number) => number, p: number[]): number {
  const N = types.length;
  const cost = types.flatMap((a) => types.map((w, k) => v(a, w) - p[k]));
  const lp: LinearProgram = {
    sense: 'max',
    cost,
    colLower: cost.map(() => 0),
    colUpper: cost.map(() => Infinity),
    rows: [...obedience(types), { indices: cost.map((_, j) => j), values: cost.map(() => 1), lower: -Infinity, upper: 1 }],
  };
  void N;
  return jsLpSolver().solve(lp).objective;
}

export function designLpHere(types: number[], v: (a: number, w: number) => number, q: number[]): LinearProgram {
  const N = types.length;
  const cost = types.flatMap((a) => types.map((w) => v(a, w)));
  const rows: LpRow[] = types.map((_, w) => ({ indices: types.map((__, a) => a * N + w), values: types.map(() => 1), lower: q[w], upper: q[w] }));
  return { sense: 'max', cost, colLower: cost.map(() => 0), colUpper: cost.map(() => Infinity), rows: [...rows, ...obedience(types)] };
}

export interface EqJson {
  records: number[];
  prices: number[];
  segmentation: (number[] | null)[];
  welfare: number;
}

export function checkDefinition(types: number[], qBar: number[], gu: number, gp: number, rbar: number, e: EqJson): void {
  const v = (a: number, w: number) => gu * u(a, w) + gp * pi(a, w);
  const q = e.records;
  const tol = 1e-7;
  const V = closedForm(types, q, gu, gp).V;
  // (a) zero profit and dual feasibility
  expect(Math.abs(e.prices.reduce((s, p, w) => s + p * q[w], 0) - V)).toBeLessThanOrEqual(tol);
  expect(dualGap(types, v, e.prices)).toBeLessThanOrEqual(tol);
  // (b) X* = x*·q* is feasible, obedient and optimal
  const N = types.length;
  types.forEach((a, ai) => types.forEach((b, bi) => {
    if (ai === bi) return;
    const s = types.reduce((acc, w, k) => acc + (pi(a, w) - pi(b, w)) * (q[k] > 0 ? (e.segmentation[k]?.[ai] ?? NaN) * q[k] : 0), 0);
    expect(s).toBeGreaterThanOrEqual(-tol);
  }));
  let value = 0;
  for (let k = 0; k < N; k++) {
    if (q[k] > 0) expect(Math.abs((e.segmentation[k] ?? []).reduce((s, x) => s + x, 0) - 1)).toBeLessThanOrEqual(tol);
    if (q[k] > 0) types.forEach((a, ai) => (value += v(a, types[k]) * (e.segmentation[k]?.[ai] ?? NaN) * q[k]));
  }
  expect(Math.abs(value - V)).toBeLessThanOrEqual(tol);
  // (c) participation
  for (let k = 0; k < N; k++) {
    if (qBar[k] === 0) continue;
    const row = e.segmentation[k];
    if (!row) throw new Error(`checkDefinition: type ${k} has consumers but no segmentation row (its off-path mechanism is needed)`);
    const U = types.reduce((s, a, ai) => s + row[ai] * u(a, types[k]), 0);
    const G = e.prices[k] + U;
    if (q[k] > 0) expect(G).toBeGreaterThanOrEqual(rbar - tol);
    if (q[k] < qBar[k]) expect(G).toBeLessThanOrEqual(rbar + tol);
  }
}

