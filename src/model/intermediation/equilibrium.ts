/**
 * GLP competitive equilibrium (p*, ζ*, q*, x*) (GLP "a stylized model" (a)-(d); MODEL.md A.3.1, A.3.6):
 *   (a) p* ∈ ∂V(q*)  (the platform's demand at p* contains q*: zero profit, p* ≥ 0)
 *   (b) x* solves P_{q*}
 *   (c) q*(ω) > 0 ⇒ G(ω) ≥ r̄,  q*(ω) < q̄(ω) ⇒ G(ω) ≤ r̄,  G(ω) = p*(ω) + U(ω, x*)
 *   (d) q* = ζ*·q̄
 * At a fixed q, (a)-(c) are linear in (X, p, λ) once (c) is multiplied by q(ω) > 0, so existence is ONE LP
 * over every platform-optimal mechanism and every supporting price (`supportLp`). Unsold types use the
 * off-path convention of `offPathSurplus`.
 */
import { LpInfeasibleError, type LinearProgram, type LpRow, type LpSolver } from '../../lp/index.js';
import { buildDesignLp, obedienceRows, payoffVector } from './designLp.js';
import { consumerSurplus, platformPayoff, type PricingGame } from './payoffs.js';
import { offPathSurplus } from './participation.js';

/** A type's role in a candidate: sells nothing, sells everything, or is indifferent with 0 < q < q̄. */
export type Role = 'zero' | 'full' | 'interior';

export interface Equilibrium {
  roles: Role[];
  /** q*. */
  records: number[];
  /** p*, one supporting price vector. */
  prices: number[];
  /** X*(a, ω), indexed [a][ω]. */
  X: number[][];
  /** U(ω, x*) (off-path value where q*(ω) = 0). */
  surplus: number[];
  /** G*(ω) = p*(ω) + U(ω, x*). */
  gain: number[];
  /** V(q*). */
  value: number;
  /** W = V(q*) + Σ q*(U − r̄). */
  welfare: number;
  /** Set when the equilibrium lies in a continuum of equilibria along the interior type's records. */
  continuum?: { type: number; from: number; to: number };
}

export const EQ_TOL = 1e-9;
/** Tolerance of the scan's sign tests (small, so that bisection converges onto the crossing). */
export const SIDE_TOL = 1e-13;

interface SupportResult {
  value: number;
  X: number[][];
  prices: number[];
}

/**
 * The joint LP in (X, p, λ): X platform-optimal at q, (p, λ) optimal in the dual D_q, and the consumer
 * conditions for every type whose role is not `free`. Objective: `objective` over the columns (default:
 * maximise Σ u X, the consumer-best support).
 */
export function supportLp(
  game: PricingGame,
  q: number[],
  V: number,
  rbar: number,
  roles: Role[],
  offPath: number[],
  free = -1,
  tolerance = EQ_TOL,
): { lp: LinearProgram; gainCols: (w: number) => { indices: number[]; values: number[] } } {
  const N = game.types.length;
  const M = game.fees.length;
  const nX = M * N;
  const design = buildDesignLp(game, q);
  const obed = obedienceRows(game);
  const pCol = (w: number) => nX + w;
  const lCol = (o: number) => nX + N + o;
  const nCols = nX + N + obed.length;
  const scale = Math.max(1, Math.abs(V), ...q);
  const tol = tolerance * scale;
  const v = payoffVector(game, (a, w) => platformPayoff(game, a, w));
  const rows: LpRow[] = [...design.rows];
  rows.push({ indices: v.map((_, j) => j), values: v, lower: V - tol, upper: Infinity });
  // dual feasibility: p(ω) − Σ_O λ_O O_{O,j} ≥ v_j for every column j = (a, ω)
  const dual: LpRow[] = v.map((c, j) => ({ indices: [pCol(j % N)], values: [1], lower: c, upper: Infinity }));
  obed.forEach((r, o) => r.indices.forEach((j, t) => {
    dual[j].indices.push(lCol(o));
    dual[j].values.push(-r.values[t]);
  }));
  rows.push(...dual);
  rows.push({ indices: q.map((_, w) => pCol(w)), values: q, lower: -Infinity, upper: V + tol });
  // q(ω)·G(ω) = q(ω) p(ω) + Σ_a u(a, ω) X(a, ω)
  const gainCols = (w: number) => ({
    indices: [pCol(w), ...game.fees.map((_, a) => a * N + w)],
    values: [q[w], ...game.fees.map((a) => consumerSurplus(a, game.types[w]))],
  });
  roles.forEach((role, w) => {
    if (w === free) return;
    if (q[w] > 0) {
      const g = gainCols(w);
      if (role !== 'zero') rows.push({ ...g, lower: rbar * q[w] - tol, upper: Infinity });
      if (role !== 'full') rows.push({ ...g, lower: -Infinity, upper: rbar * q[w] + tol });
    } else {
      rows.push({ indices: [pCol(w)], values: [1], lower: -Infinity, upper: rbar - offPath[w] + tol });
    }
  });
  const cost = new Array<number>(nCols).fill(0);
  game.fees.forEach((a, ai) => game.types.forEach((w, wi) => (cost[ai * N + wi] = consumerSurplus(a, w))));
  return {
    lp: { sense: 'max', cost, colLower: new Array<number>(nCols).fill(0), colUpper: new Array<number>(nCols).fill(Infinity), rows },
    gainCols,
  };
}

function unpackSupport(game: PricingGame, x: ArrayLike<number>): { X: number[][]; prices: number[] } {
  const N = game.types.length;
  return {
    X: game.fees.map((_, a) => game.types.map((__, w) => Math.max(0, x[a * N + w]))),
    prices: game.types.map((_, w) => x[game.fees.length * N + w]),
  };
}

/** Everything needed to test a candidate q: V(q) and the off-path surpluses of unsold types. */
function context(solver: LpSolver, game: PricingGame, q: number[], scale: number): { V: number; offPath: number[] } {
  const V = solver.solve(buildDesignLp(game, q)).objective;
  const offPath = q.map((x, w) => (x > 0 ? NaN : offPathSurplus(solver, game, q, w, scale)));
  return { V, offPath };
}

/**
 * Is q an equilibrium with these roles? Returns the consumer-best support or null. Tries the exact LP
 * (tolerance 0) first and the EQ_TOL-relaxed one second, so that reported prices carry no tolerance
 * slack whenever the exact system is feasible in floating point.
 */
export function checkCandidate(solver: LpSolver, game: PricingGame, q: number[], rbar: number, roles: Role[], scale: number): Equilibrium | null {
  const { V, offPath } = context(solver, game, q, scale);
  for (const tol of [0, SIDE_TOL, EQ_TOL]) {
    const { lp } = supportLp(game, q, V, rbar, roles, offPath, -1, tol);
    try {
      const r = solver.solve(lp);
      return describe(game, q, rbar, roles, { value: V, ...unpackSupport(game, r.x) }, offPath);
    } catch (e) {
      if (!(e instanceof LpInfeasibleError)) throw e;
    }
  }
  return null;
}

function describe(game: PricingGame, q: number[], rbar: number, roles: Role[], s: SupportResult, offPath: number[]): Equilibrium {
  const surplus = game.types.map((w, k) => {
    if (!(q[k] > 0)) return offPath[k];
    let t = 0;
    game.fees.forEach((a, ai) => (t += s.X[ai][k] * consumerSurplus(a, w)));
    return t / q[k];
  });
  const gain = surplus.map((u, k) => s.prices[k] + u);
  const welfare = s.value + q.reduce((acc, x, k) => acc + (x > 0 ? x * (surplus[k] - rbar) : 0), 0);
  return { roles, records: q, prices: s.prices, X: s.X, surplus, gain, value: s.value, welfare };
}

type Side = 'above' | 'below' | 'eq';

/** Where is 0 relative to [min, max] of q(ω)(G(ω) − r̄) for the interior type ω at records t? */
function side(solver: LpSolver, game: PricingGame, q: number[], rbar: number, roles: Role[], w: number, scale: number): Side | 'none' {
  const { V, offPath } = context(solver, game, q, scale);
  const { lp, gainCols } = supportLp(game, q, V, rbar, roles, offPath, w, SIDE_TOL);
  const g = gainCols(w);
  const cost = new Array<number>(lp.cost.length).fill(0);
  g.indices.forEach((j, t) => (cost[j] = g.values[t]));
  const res = solver.solveEach(lp, [{ sense: 'min', cost }, { sense: 'max', cost }]);
  if (res[0] instanceof Error || res[1] instanceof Error) return 'none';
  // exact signs (no tolerance) so that bisection converges to the crossing itself
  const lo = res[0] - rbar * q[w];
  const hi = res[1] - rbar * q[w];
  if (lo > 0) return 'above';
  if (hi < 0) return 'below';
  return 'eq';
}

export interface SearchOptions {
  /** Enumerate corner candidates (every type sells all or nothing) up to this many types. */
  maxCornerTypes: number;
  /** Scan candidates with one indifferent (interior) type up to this many types. */
  maxInteriorTypes: number;
  /** Grid points per interior scan (then bisection to machine precision). */
  gridPoints: number;
}

export const DEFAULT_SEARCH: SearchOptions = { maxCornerTypes: 10, maxInteriorTypes: 4, gridPoints: 32 };

export interface EquilibriumSearch {
  equilibria: Equilibrium[];
  /** What was searched (candidates with two or more interior types are never searched). */
  searched: { corners: boolean; oneInterior: boolean };
}

function cornerPatterns(qBar: number[]): Role[][] {
  const free = qBar.map((m, k) => (m > 0 ? k : -1)).filter((k) => k >= 0);
  const out: Role[][] = [];
  for (let mask = 0; mask < 1 << free.length; mask++) {
    const roles: Role[] = qBar.map(() => 'zero');
    free.forEach((k, b) => (roles[k] = mask & (1 << b) ? 'full' : 'zero'));
    out.push(roles);
  }
  return out;
}

/**
 * All equilibria with every type at a corner, and all with exactly one indifferent type (scan of its
 * records on a grid, bisection at every change of side). Sorted by the reporting rule: highest welfare
 * first, then more records traded.
 */
export function findEquilibria(solver: LpSolver, game: PricingGame, qBar: number[], rbar: number, opts: SearchOptions = DEFAULT_SEARCH): EquilibriumSearch {
  const N = game.types.length;
  const scale = Math.max(...qBar);
  const equilibria: Equilibrium[] = [];
  const corners = N <= opts.maxCornerTypes;
  const oneInterior = N <= opts.maxInteriorTypes;
  if (corners) {
    for (const roles of cornerPatterns(qBar)) {
      const q = roles.map((r, k) => (r === 'full' ? qBar[k] : 0));
      const e = checkCandidate(solver, game, q, rbar, roles, scale);
      if (e) pushUnique(equilibria, e);
    }
  }
  if (oneInterior) {
    for (let w = 0; w < N; w++) {
      if (!(qBar[w] > 0)) continue;
      for (const base of cornerPatterns(qBar.map((m, k) => (k === w ? 0 : m)))) {
        const roles = base.map((r, k) => (k === w ? 'interior' : r)) as Role[];
        const at = (t: number) => roles.map((r, k) => (k === w ? t : r === 'full' ? qBar[k] : 0));
        const sideAt = (t: number) => side(solver, game, at(t), rbar, roles, w, scale);
        const K = opts.gridPoints;
        const ts = Array.from({ length: K - 1 }, (_, k) => (qBar[w] * (k + 1)) / K);
        const sides = ts.map(sideAt);
        const bracket = (a: number, b: number, sa: Side | 'none'): [number, number] => {
          for (let it = 0; it < 60; it++) {
            const m = (a + b) / 2;
            if (m === a || m === b) break;
            if (sideAt(m) === sa) a = m;
            else b = m;
          }
          return [a, b];
        };
        const tryAt = (ts2: number[]): Equilibrium | null => {
          for (const t of ts2) {
            // try short decimals first (exact kinks like q2 = q1 = 0.3), then the bracket point itself
            const snaps = [...new Set([Number(t.toPrecision(9)), Number(t.toPrecision(12)), t])];
            for (const u of snaps) {
              if (!(u > 0 && u < qBar[w])) continue;
              const e = checkCandidate(solver, game, at(u), rbar, roles, scale);
              if (e) return e;
            }
          }
          return null;
        };
        // every change of side between grid neighbours: bisect to adjacent doubles, test both ends
        const edges: Array<{ k: number; t: number; e: Equilibrium | null }> = [];
        for (let k = 0; k + 1 < ts.length; k++) {
          if (sides[k] === sides[k + 1]) continue;
          const [a, b] = bracket(ts[k], ts[k + 1], sides[k]);
          const e = tryAt(sides[k] === 'eq' ? [a, b] : [b, a]);
          edges.push({ k, t: sides[k] === 'eq' ? a : b, e });
          if (e) pushUnique(equilibria, e);
        }
        // runs of 'eq' grid points are continua of equilibria: annotate their end points
        for (let k = 0; k < ts.length; k++) {
          if (sides[k] !== 'eq') continue;
          let k1 = k;
          while (k1 + 1 < ts.length && sides[k1 + 1] === 'eq') k1++;
          if (k1 > k) {
            const left = edges.find((x) => x.k === k - 1);
            const right = edges.find((x) => x.k === k1);
            const from = left?.t ?? ts[k];
            const to = right?.t ?? ts[k1];
            for (const t of [from, to]) {
              const e = tryAt([t]);
              if (e) {
                e.continuum = { type: w, from, to };
                pushUnique(equilibria, e);
              }
            }
          } else if (!edges.some((x) => x.k === k - 1 || x.k === k)) {
            const e = tryAt([ts[k]]);
            if (e) pushUnique(equilibria, e);
          }
          k = k1;
        }
      }
    }
  }
  equilibria.sort((x, y) => y.welfare - x.welfare || sum(y.records) - sum(x.records));
  return { equilibria, searched: { corners, oneInterior } };
}

function pushUnique(list: Equilibrium[], e: Equilibrium): void {
  const same = list.findIndex((o) => o.roles.join() === e.roles.join() && o.records.every((x, k) => Math.abs(x - e.records[k]) <= 1e-9 * Math.max(1, Math.abs(x))));
  if (same < 0) list.push(e);
  else if (e.continuum && !list[same].continuum) list[same] = e;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
