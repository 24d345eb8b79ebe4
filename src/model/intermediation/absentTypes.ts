/**
 * Types with mass 0 (MODEL.md A.8 convention 10, docs/intermediation.md): they have no consumers, so GLP's
 * participation condition (c), which is about consumers who exist, says nothing about them. With q(ω) = 0 the
 * platform's X(·, ω) = 0, which leaves V, the obedience constraints and the projection of ∂V on the other types as in
 * the market without ω; so the equilibria are those of that smaller market, with q(ω) = 0 and p(ω) anywhere in ∂V's
 * projection on ω — reported at its least, V'(q; +e_ω), with the off-path surplus of convention 8.
 */
import type { LpSolver } from '../../lp/index.js';
import type { Equilibrium } from './equilibrium.js';
import { offPathSurplus } from './participation.js';
import type { PricingGame } from './payoffs.js';
import { recordPriceIntervals } from './value.js';

/** The market without its zero-mass types, and the indices (in the whole market) of the types it keeps. */
export function withoutAbsentTypes(game: PricingGame, qBar: number[]): { game: PricingGame; qBar: number[]; present: number[] } {
  const present = qBar.map((_, w) => w).filter((w) => qBar[w] > 0);
  return { game: { ...game, types: present.map((w) => game.types[w]) }, qBar: present.map((w) => qBar[w]), present };
}

/** An equilibrium of the market without its zero-mass types, written for the whole market (`equilibriumSearch`). */
export function withAbsentTypes(solver: LpSolver, game: PricingGame, e: Equilibrium, present: number[], scale: number): Equilibrium {
  const N = game.types.length;
  const full = (xs: number[], fill: number) => {
    const out = new Array<number>(N).fill(fill);
    present.forEach((w, i) => (out[w] = xs[i]));
    return out;
  };
  const records = full(e.records, 0);
  const lowest = recordPriceIntervals(solver, game, records);
  const prices = full(e.prices, NaN).map((p, w) => (Number.isNaN(p) ? lowest[w].lower : p));
  const surplus = full(e.surplus, NaN).map((u, w) => (Number.isNaN(u) ? offPathSurplus(solver, game, records, w, scale) : u));
  const roles = full(e.roles.map(() => 0), 1).map((absent, w) => (absent ? ('zero' as const) : e.roles[present.indexOf(w)]));
  const out: Equilibrium = {
    ...e,
    roles,
    records,
    prices,
    surplus,
    gain: prices.map((p, w) => p + surplus[w]),
    X: e.X.map((row) => full(row, 0)),
  };
  if (e.continuum) out.continuum = { ...e.continuum, type: present[e.continuum.type] };
  if (e.region) {
    const seg = e.region.segment;
    out.region = { ...e.region, types: e.region.types.map((i) => present[i]), pieces: [], ...(seg ? { segment: { ...seg, from: full(seg.from, 0), to: full(seg.to, 0) } } : {}) };
  }
  return out;
}

