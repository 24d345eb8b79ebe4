/**
 * Types with mass 0 (MODEL.md A.8 convention 10, docs/intermediation.md): they have no consumers, so GLP's
 * participation condition (c), which is about consumers who exist, says nothing about them. With q(ω) = 0 the
 * platform's X(·, ω) = 0, which leaves V, the obedience constraints and the projection of ∂V on the other types as in
 * the market without ω; so the equilibria are those of that smaller market, with q(ω) = 0, and the off-path surplus
 * of convention 8. The smaller market's prices p_S are a supergradient there; in the whole market p(ω) enters only
 * the dual rows of ω's own columns, so p_S extends to a supergradient of V at q, and p(ω) is reported at the least
 * such extension (`leastCompletion`; with two or more absent types, the one of least sum: each is then least given
 * the others, but lowering one can need raising another, so there is no least vector). Not at V'(q; +e_ω), the
 * least p(ω) over all of ∂V(q): that value can need other prices for the present types (review: types 2, 4, masses
 * 1, 0, γ = (1, 0): V(q) = 2·min(q₀, q₁), p_S = 0, so p(4) must be at least 2, while V'(0; +e₁) = 0 — the vector
 * (0, 0) supported nothing).
 */
import { LpInfeasibleError, type LpSolver } from '../../lp/index.js';
import { dualFeasibilityRows, obedienceRows, payoffVector } from './designLp.js';
import type { Equilibrium } from './equilibrium.js';
import { offPathSurplus } from './participation.js';
import { platformPayoff, type PricingGame } from './payoffs.js';

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
  const prices = leastCompletion(solver, game, full(e.prices, NaN));
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

/**
 * Prices for the types marked NaN that make `prices` dual-feasible for the whole market's design LP (with
 * ⟨p, q⟩ = V(q) from the present types, a supergradient of V at q, whose absent types have q(ω) = 0): minimise
 * Σ p(ω) over them, with multipliers λ ≥ 0 of the obedience rows and the given prices fixed (held to 1e-9 relative
 * if that is infeasible: they are an LP's vertex, feasible to the solver's tolerance). They are returned unchanged.
 */
export function leastCompletion(solver: LpSolver, game: PricingGame, prices: number[]): number[] {
  const N = game.types.length;
  const absent = prices.map((p, w) => (Number.isNaN(p) ? w : -1)).filter((w) => w >= 0);
  if (!absent.length) return prices;
  const obed = obedienceRows(game);
  const v = payoffVector(game, (a, w) => platformPayoff(game, a, w));
  const solve = (rel: number) => {
    const tol = (p: number) => rel * Math.max(1, Math.abs(p));
    return solver.solve({
      sense: 'min',
      cost: [...prices.map((p) => (Number.isNaN(p) ? 1 : 0)), ...obed.map(() => 0)],
      colLower: [...prices.map((p) => (Number.isNaN(p) ? -Infinity : p - tol(p))), ...obed.map(() => 0)],
      colUpper: [...prices.map((p) => (Number.isNaN(p) ? Infinity : p + tol(p))), ...obed.map(() => Infinity)],
      rows: dualFeasibilityRows(v, obed, N, (w) => w, (o) => N + o),
    });
  };
  let sol;
  try {
    sol = solve(0);
  } catch (e) {
    // the given prices are an LP vertex, feasible to the solver's tolerance only
    if (!(e instanceof LpInfeasibleError)) throw e;
    sol = solve(1e-9);
  }
  return prices.map((p, w) => (Number.isNaN(p) ? sol.x[w] : p));
}
