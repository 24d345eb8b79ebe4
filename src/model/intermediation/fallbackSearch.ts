/**
 * Verified but NON-exhaustive GLP equilibrium search for markets beyond the exact search's limits
 * (exactSearch.ts: MAX_SEARCH_TYPES types, MAX_SEARCH_PIECES pieces, MAX_SEARCH_FACES face LPs).
 * Every equilibrium it reports passes the fixed-q definition test `checkCandidate` (one LP over all
 * platform-optimal X and all supporting prices); what it does not do is prove that no other equilibrium exists.
 *
 * Candidates, in this order (the first ones are the cheapest and the most likely):
 * 1. structural corners: no trade, full trade, and the patterns visited by a best-response iteration on
 *    participation (from q̄ and from 0: at the corner q, a type sells iff G(ω) = p(ω) + U(ω) ≥ r̄ with p the
 *    LP-dual record price and U the consumer-best surplus; off-path U for unsold types), until a pattern repeats;
 * 2. every all-or-nothing pattern while N ≤ MAX_CORNER_TYPES (2^N candidates, as the search before the exact one);
 * 3. threshold corners: with types sorted by ω, the types below a cut sell everything and the rest nothing, or
 *    the types above the cut sell;
 * 4. threshold lines: the same, with the type at the cut indifferent (interior); then lines with one indifferent
 *    type while every other type sells everything (or nothing); then, up to MAX_LINE_TYPES types, every line with
 *    one indifferent type and the others all or nothing (so with item 2 every equilibrium with at most one
 *    indifferent type is found, `allLines`). On the segment
 *    q(t) = base + t·e_w, V is concave piecewise linear in t; its breakpoints are found exactly by the 1-D
 *    cutting-plane envelope (every LP dual g is dual-feasible, so ⟨g, q(t)⟩ ≥ V(q(t)); the envelope is exact
 *    when V equals it at every breakpoint). Inside a cell of slope s, every supergradient p at q(t) has p(w) = s
 *    (the one-sided derivatives along e_w coincide), so GLP (a)–(c) are LINEAR in (t, X, p, λ) there:
 *    "X optimal" is Σ vX ≥ V_k + s(t − t_k), "p ∈ ∂V" is dual feasibility plus Σ_{ω≠w} p(ω)q(ω) ≤ V_k − s·t_k
 *    (the p(w)·t terms cancel), and the indifference of w is t(s − r̄) + Σ_a u(a,w)X(a,w) = 0. One LP per cell
 *    decides existence, two more give the exact extent of t, and the breakpoints themselves are tested with
 *    `checkCandidate`. So a line is searched exactly (up to the off-path convention, evaluated at a point of the
 *    cell and re-checked at every reported point like exactSearch.ts).
 * The work is bounded by MAX_FALLBACK_WORK (LP columns solved, counted by a wrapper around the solver); the
 * candidates left when it runs out are counted in `skipped`.
 */
import { LpError, LpInfeasibleError, provenInfeasible, solveOrNull, type LinearProgram, type LpRow, type LpSolver, type LpVariant, type SolveOptions } from '../../lp/index.js';
import { buildDesignLp, obedienceRows, payoffVector } from './designLp.js';
import { consumerSurplus, platformPayoff, type PricingGame } from './payoffs.js';
import { offPathBounds, offPathLowerBound, offPathSurplus } from './participation.js';
import { byReportingRule, checkCandidate, EQ_TOL, type Equilibrium, type Role } from './equilibrium.js';
import { consumerBestDesign } from './value.js';
import { faceHoldsAt, optimalFaceOf, tightFaceRows, zeroFaceColumns, type OptimalFace } from './optimalFace.js';
import { envelopeBreakpoints } from './pieces.js';

/** All 2^N all-or-nothing patterns are tested up to this many types (as before the exact search). */
export const MAX_CORNER_TYPES = 10;
/** Every line with one indifferent type (N·2^(N−1) of them, each searched exactly) is searched up to this many types. */
export const MAX_LINE_TYPES = 7;
/** Work budget of the fallback: Σ over LPs solved of their number of columns. */
export const MAX_FALLBACK_WORK = 4_000_000;

export interface FallbackInfo {
  method: 'candidates';
  /** Corner patterns tested (all 2^N when N ≤ MAX_CORNER_TYPES). */
  corners: number;
  /** Whether every all-or-nothing pattern was tested. */
  allCorners: boolean;
  /** Whether every line with one indifferent type (others all or nothing) was searched: with `allCorners`, every
   * equilibrium with at most one indifferent type is then found. */
  allLines: boolean;
  /** Lines with one indifferent type searched (exactly along the line). */
  lines: number;
  /** Cells of V along those lines (one LP each). */
  lineCells: number;
  /** Candidates not tested because the work budget ran out. */
  skipped: number;
  /** LP work used (columns solved). */
  work: number;
  /** Reported points whose re-check failed (off-path surplus not constant on a cell). */
  offPathMismatches: number;
}

class BudgetExceeded extends Error {}

/** Counts the columns of every LP solved and stops (BudgetExceeded) beyond `budget`. */
function metered(inner: LpSolver, budget: number): { solver: LpSolver; used: () => number } {
  let used = 0;
  const charge = (lp: LinearProgram, k: number) => {
    used += lp.cost.length * k;
    if (used > budget) throw new BudgetExceeded();
  };
  const solver: LpSolver = {
    name: inner.name,
    providesDuals: inner.providesDuals,
    solve(lp: LinearProgram, options?: SolveOptions) {
      charge(lp, 1);
      return inner.solve(lp, options);
    },
    solveEach(lp: LinearProgram, variants: LpVariant[], options?: SolveOptions) {
      charge(lp, variants.length);
      return inner.solveEach(lp, variants, options);
    },
    ...(inner.cold ? { cold: inner.cold } : {}),
  };
  return { solver, used: () => used };
}

function trySolve(solver: LpSolver, lp: LinearProgram): Float64Array | null {
  return solveOrNull(solver, lp)?.x ?? null;
}

/** V(q) and one LP-dual supergradient (resource rows). */
function valueAndDual(solver: LpSolver, game: PricingGame, q: number[]): { V: number; g: number[] } {
  const N = game.types.length;
  const sol = solver.solve(buildDesignLp(game, q), { duals: true, confirmInfeasible: true });
  return { V: sol.objective, g: Array.from((sol.rowDual ?? new Float64Array(N)).subarray(0, N)) };
}

/**
 * Breakpoints of t ↦ V(base + t e_w) on [0, T] (exact 1-D envelope, module comment): cells [t_k, t_{k+1}] with
 * V(t) = V_k + s_k (t − t_k).
 */
function lineCells(solver: LpSolver, game: PricingGame, base: number[], w: number, T: number): Array<{ t0: number; t1: number; V0: number; s: number; g: number[] }> {
  const at = (t: number) => base.map((x, k) => (k === w ? t : x));
  // a line ℓ(t) = c + s t from a dual g: c = Σ_{k≠w} g_k base_k
  const lines: Array<{ c: number; s: number; g: number[] }> = [];
  const add = (g: number[]) => {
    const c = g.reduce((acc, x, k) => acc + (k === w ? 0 : x * base[k]), 0);
    const s = g[w];
    if (lines.some((l) => Math.abs(l.c - c) <= 1e-12 * Math.max(1, Math.abs(c)) && Math.abs(l.s - s) <= 1e-12 * Math.max(1, Math.abs(s)))) return false;
    lines.push({ c, s, g });
    return true;
  };
  const env = (t: number) => Math.min(...lines.map((l) => l.c + l.s * t));
  add(valueAndDual(solver, game, at(T / 2)).g);
  add(valueAndDual(solver, game, at(0)).g);
  add(valueAndDual(solver, game, at(T)).g);
  for (let round = 0; round < 200; round++) {
    const bps = envelopeBreakpoints(lines, T);
    let added = false;
    for (const t of bps) {
      const { V, g } = valueAndDual(solver, game, at(t));
      const e = env(t);
      if (V < e - 1e-9 * Math.max(1, Math.abs(e))) added = add(g) || added;
    }
    if (!added) {
      const ts = [0, ...bps.filter((t) => t > 0 && t < T), T];
      const cells = [];
      for (let k = 0; k + 1 < ts.length; k++) {
        const mid = (ts[k] + ts[k + 1]) / 2;
        const l = lines.reduce((a, b) => (b.c + b.s * mid < a.c + a.s * mid ? b : a));
        cells.push({ t0: ts[k], t1: ts[k + 1], V0: l.c + l.s * ts[k], s: l.s, g: l.g });
      }
      return cells;
    }
  }
  throw new Error('lineCells: no convergence');
}

/**
 * The LP of one cell (module comment) in columns X (M·N), p (N), λ (obedience rows), t. `offPath` gives
 * U_off for the zero types. Objective: welfare V_k + s(t − t_k) + Σ uX − r̄(Σ base + t), constants dropped.
 */
function cellLp(game: PricingGame, base: number[], w: number, roles: Role[], cell: { t0: number; t1: number; V0: number; s: number }, T: number, rbar: number, offPath: number[], tolerance: number, face: OptimalFace | null = null): LinearProgram {
  const N = game.types.length;
  const nX = game.fees.length * N;
  const obed = obedienceRows(game);
  const pCol = (k: number) => nX + k;
  const lCol = (o: number) => nX + N + o;
  const tCol = nX + N + obed.length;
  const nCols = tCol + 1;
  const scale = Math.max(1, Math.abs(cell.V0), ...base, T);
  const tol = tolerance * scale;
  const v = payoffVector(game, (a, ww) => platformPayoff(game, a, ww));
  const uCols = (k: number) => ({ indices: game.fees.map((_, a) => a * N + k), values: game.fees.map((a) => consumerSurplus(a, game.types[k])) });
  const rows: LpRow[] = [];
  for (let k = 0; k < N; k++) {
    const indices = game.fees.map((_, a) => a * N + k);
    const values = indices.map(() => 1);
    if (k === w) rows.push({ indices: [...indices, tCol], values: [...values, -1], lower: 0, upper: 0 });
    else rows.push({ indices, values, lower: base[k], upper: base[k] });
  }
  // on the optimal face of the cell's dual (optimalFace.ts): rows with a positive multiplier tight, and below the
  // columns with a positive reduced cost at 0 — not only the row with its slack, which let a type with few records
  // buy another treatment
  rows.push(...tightFaceRows(obed, face, tol));
  const Vc = cell.V0 - cell.s * cell.t0;
  rows.push({ indices: [...v.map((_, j) => j), tCol], values: [...v, -cell.s], lower: Vc - tol, upper: Infinity });
  const dual: LpRow[] = v.map((c, j) => ({ indices: [pCol(j % N)], values: [1], lower: c, upper: Infinity }));
  obed.forEach((r, o) => r.indices.forEach((j, i) => {
    dual[j].indices.push(lCol(o));
    dual[j].values.push(-r.values[i]);
  }));
  rows.push(...dual);
  const others = base.map((_, k) => k).filter((k) => k !== w);
  rows.push({ indices: others.map(pCol), values: others.map((k) => base[k]), lower: -Infinity, upper: Vc + tol });
  roles.forEach((role, k) => {
    if (k === w) {
      // t(G(w) − r̄) = 0 with the tolerance on G itself (times t), as in supportLp
      const u = uCols(w);
      rows.push({ indices: [...u.indices, tCol], values: [...u.values, cell.s - rbar + tolerance], lower: 0, upper: Infinity });
      rows.push({ indices: [...u.indices, tCol], values: [...u.values, cell.s - rbar - tolerance], lower: -Infinity, upper: 0 });
    } else if (role === 'full') {
      const u = uCols(k);
      rows.push({ indices: [pCol(k), ...u.indices], values: [base[k], ...u.values], lower: (rbar - tolerance) * base[k], upper: Infinity });
    } else {
      rows.push({ indices: [pCol(k)], values: [1], lower: -Infinity, upper: rbar - offPath[k] + tol });
    }
  });
  const colLower = new Array<number>(nCols).fill(0);
  const colUpper = new Array<number>(nCols).fill(Infinity);
  zeroFaceColumns(colUpper, face, 0);
  colLower[pCol(w)] = cell.s;
  colUpper[pCol(w)] = cell.s;
  colLower[tCol] = cell.t0;
  colUpper[tCol] = cell.t1;
  const cost = new Array<number>(nCols).fill(0);
  game.fees.forEach((a, ai) => game.types.forEach((ww, k) => (cost[ai * N + k] = consumerSurplus(a, ww))));
  cost[tCol] = cell.s - rbar;
  return { sense: 'max', cost, colLower, colUpper, rows };
}

/** Equilibria on the line base + t e_w, 0 < t < q̄(w) (module comment, item 4). */
function searchLine(solver: LpSolver, game: PricingGame, qBar: number[], rbar: number, roles: Role[], w: number, scale: number, info: FallbackInfo, out: Equilibrium[]): void {
  const T = qBar[w];
  const base = roles.map((r, k) => (r === 'full' ? qBar[k] : 0));
  const at = (t: number) => base.map((x, k) => (k === w ? t : x));
  // interior means away from the corners by more than LP noise (as exactSearch's η = 1e-9·max q̄): a cell LP
  // may return t ≈ 1e-15 for the closure point t = 0, which belongs to the corner pattern
  const eta = 1e-9 * scale;
  const inside = (t: number) => t > eta && t < T - eta;
  const verify = (t: number) => (inside(t) ? checkCandidate(solver, game, at(t), rbar, roles, scale) : null);
  const cells = lineCells(solver, game, base, w, T);
  info.lines++;
  for (const cell of cells) {
    if (cell.t0 > 0) {
      const e = verify(cell.t0);
      if (e) push(out, e);
    }
    info.lineCells++;
    const mid = (cell.t0 + cell.t1) / 2;
    const qm = at(mid);
    const f0 = optimalFaceOf(solver, game, cell.g);
    const face = f0 && faceHoldsAt(solver, game, qm, f0) ? f0 : null;
    // the cell LP with unsold types' surplus at its lower bound contains both below (participation.ts): infeasible,
    // confirmed without presolve, rules the cell out before the surpluses are computed
    if (roles.includes('zero') && provenInfeasible(solver, cellLp(game, base, w, roles, cell, T, rbar, offPathLowerBound(game, roles), EQ_TOL, face))) continue;
    const offPath = qm.map((x, k) => (roles[k] === 'zero' ? offPathSurplus(solver, game, qm, k, scale) : NaN));
    let lp = cellLp(game, base, w, roles, cell, T, rbar, offPath, 0, face);
    let x = trySolve(solver, lp);
    if (!x) {
      lp = cellLp(game, base, w, roles, cell, T, rbar, offPath, EQ_TOL, face);
      x = trySolve(solver, lp);
    }
    if (!x) continue;
    const tCol = lp.cost.length - 1;
    const c = new Array<number>(lp.cost.length).fill(0);
    c[tCol] = 1;
    const ends = solver.solveEach(lp, [{ sense: 'min', cost: c }, { sense: 'max', cost: c }]);
    const lo = typeof ends[0] === 'number' ? ends[0] : x[tCol];
    const hi = typeof ends[1] === 'number' ? ends[1] : x[tCol];
    if (ends.some((r) => r instanceof LpError && !(r instanceof LpInfeasibleError))) throw ends.find((r) => r instanceof LpError);
    const candidates = [x[tCol], (lo + hi) / 2].filter(inside);
    let rep: Equilibrium | null = null;
    for (const t of candidates) if (!rep) rep = verify(t);
    if (!rep) {
      if (candidates.length) info.offPathMismatches++;
      continue;
    }
    if (hi - lo > 1e-12 * Math.max(1, scale)) {
      for (const t of [lo, hi]) if (inside(t) && !verify(t)) info.offPathMismatches++;
      rep.continuum = { type: w, from: lo, to: hi };
      // the least welfare over the cell's equilibria (records and segmentations): W = V + Σ u X − r̄ Σ q is linear
      // on the cell (V = V0 + s·(t − t0)); absent if that LP fails
      const cost = new Array<number>(lp.cost.length).fill(0);
      payoffVector(game, consumerSurplus).forEach((u, j) => (cost[j] = u));
      cost[tCol] = cell.s - rbar;
      const least = trySolve(solver, { ...lp, cost, sense: 'min' });
      const constant = cell.V0 - cell.s * cell.t0 - rbar * base.reduce((acc, x, k) => acc + (k === w ? 0 : x), 0);
      const welfareMin = least ? Math.min(rep.welfare, constant + cost.reduce((acc, c, j) => acc + c * least[j], 0)) : undefined;
      rep.region = { types: [w], lower: [lo], upper: [hi], pieces: [], ...(welfareMin !== undefined ? { welfareMin } : {}) };
    }
    push(out, rep);
  }
}

function push(list: Equilibrium[], e: Equilibrium): void {
  const same = list.findIndex((o) => o.roles.join() === e.roles.join() && o.records.every((x, k) => Math.abs(x - e.records[k]) <= 1e-9 * Math.max(1, Math.abs(x))));
  if (same < 0) list.push(e);
  else if (e.region && !list[same].region) list[same] = e;
}

/** Participation pattern suggested by prices at the corner q: G(ω) = p(ω) + U(ω) ≥ r̄ ⇒ full (exported for tests). */
export function cornerResponse(solver: LpSolver, game: PricingGame, q: number[], qBar: number[], rbar: number, scale: number): Role[] {
  // the dual from scratch: where V kinks at q a warm-started solve returns the vertex its history leads to, so the
  // iteration's corners depended on which LPs the search had solved before (review: skipping off-path LPs changed
  // the corners visited on 22 of 88 markets of 9–16 types, same equilibria)
  const { g } = solver.cold ? solver.cold(() => valueAndDual(solver, game, q)) : valueAndDual(solver, game, q);
  const best = consumerBestDesign(solver, game, q);
  return qBar.map((m, k) => {
    if (!(m > 0)) return 'zero';
    let U: number;
    if (q[k] > 0) {
      U = 0;
      game.fees.forEach((a, ai) => (U += best.X[ai][k] * consumerSurplus(a, game.types[k])));
      U /= q[k];
    } else {
      // the surplus itself only where its bounds do not decide (participation.ts)
      const { lower, upper } = offPathBounds(game, k);
      if (g[k] + lower >= rbar) return 'full';
      if (g[k] + upper < rbar) return 'zero';
      U = offPathSurplus(solver, game, q, k, scale);
    }
    return g[k] + U >= rbar ? 'full' : 'zero';
  });
}

/**
 * Equilibria found by the candidate search above (sorted like exactSearch: highest welfare first, then more
 * records traded), with what was searched. `onProgress(done, total)`: candidates searched, after each (a market of
 * 128 types took two minutes without a line: review).
 */
export function fallbackEquilibria(inner: LpSolver, game: PricingGame, qBar: number[], rbar: number, budget = MAX_FALLBACK_WORK, onProgress?: (done: number, total: number) => void): { equilibria: Equilibrium[]; info: FallbackInfo } {
  const N = game.types.length;
  const scale = Math.max(...qBar);
  const { solver, used } = metered(inner, budget);
  const info: FallbackInfo = { method: 'candidates', corners: 0, allCorners: false, allLines: false, lines: 0, lineCells: 0, skipped: 0, work: 0, offPathMismatches: 0 };
  const out: Equilibrium[] = [];
  const sold = qBar.map((m, k) => (m > 0 ? k : -1)).filter((k) => k >= 0);
  const corner = (full: (k: number) => boolean): Role[] => qBar.map((m, k) => (m > 0 && full(k) ? 'full' : 'zero'));
  const order = sold.slice().sort((a, b) => game.types[a] - game.types[b] || a - b);

  // candidate list: corners as Role[] (no interior), lines as Role[] with one interior type
  const tasks: Array<() => void> = [];
  const lineTasks = new Set<() => void>();
  const seen = new Set<string>();
  const testCorner = (roles: Role[]) => {
    const key = roles.join();
    if (seen.has(key)) return;
    seen.add(key);
    tasks.push(() => {
      info.corners++;
      const q = roles.map((r, k) => (r === 'full' ? qBar[k] : 0));
      const e = checkCandidate(solver, game, q, rbar, roles, scale);
      if (e) push(out, e);
    });
  };
  const testLine = (roles: Role[], w: number) => {
    const key = roles.join();
    if (seen.has(key)) return;
    seen.add(key);
    const task = () => searchLine(solver, game, qBar, rbar, roles, w, scale, info, out);
    lineTasks.add(task);
    tasks.push(task);
  };

  testCorner(corner(() => false));
  testCorner(corner(() => true));
  // best-response iterations (their patterns are generated lazily: each step costs LPs)
  for (const start of [corner(() => true), corner(() => false)]) {
    tasks.push(() => {
      let roles = start;
      const visited = new Set<string>([roles.join()]);
      for (let it = 0; it <= N; it++) {
        const q = roles.map((r, k) => (r === 'full' ? qBar[k] : 0));
        roles = cornerResponse(solver, game, q, qBar, rbar, scale);
        if (visited.has(roles.join())) break;
        visited.add(roles.join());
        const key = roles.join();
        if (!seen.has(key)) {
          seen.add(key);
          info.corners++;
          const qq = roles.map((r, k) => (r === 'full' ? qBar[k] : 0));
          const e = checkCandidate(solver, game, qq, rbar, roles, scale);
          if (e) push(out, e);
        }
      }
    });
  }
  const allCorners = sold.length <= MAX_CORNER_TYPES;
  if (allCorners) for (let mask = 0; mask < 1 << sold.length; mask++) testCorner(corner((k) => (mask & (1 << sold.indexOf(k))) !== 0));
  for (let c = 1; c < order.length; c++) {
    const below = new Set(order.slice(0, c));
    testCorner(corner((k) => below.has(k)));
    testCorner(corner((k) => !below.has(k)));
  }
  for (let c = 0; c < order.length; c++) {
    const w = order[c];
    const below = new Set(order.slice(0, c));
    const above = new Set(order.slice(c + 1));
    testLine(corner((k) => below.has(k)).map((r, k) => (k === w ? 'interior' : r)), w);
    testLine(corner((k) => above.has(k)).map((r, k) => (k === w ? 'interior' : r)), w);
  }
  // one indifferent type among everyone else selling (or no one else selling)
  for (const w of order) {
    testLine(corner((k) => k !== w).map((r, k) => (k === w ? 'interior' : r)), w);
    testLine(corner(() => false).map((r, k) => (k === w ? 'interior' : r)), w);
  }
  // then every other line with one indifferent type (the others all or nothing)
  const allLines = sold.length <= MAX_LINE_TYPES;
  if (allLines) {
    for (const w of order) {
      const others = sold.filter((k) => k !== w);
      for (let mask = 0; mask < 1 << others.length; mask++) testLine(corner((k) => (mask & (1 << others.indexOf(k))) !== 0).map((r, k) => (k === w ? 'interior' : r)), w);
    }
  }

  let done = 0;
  try {
    for (const task of tasks) {
      task();
      done++;
      onProgress?.(done, tasks.length);
    }
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    info.skipped = tasks.length - done;
  }
  // the flags speak for their own kind of task: lines left over do not make the corners incomplete
  const cornersLeft = tasks.slice(done).some((t) => !lineTasks.has(t));
  info.allCorners = allCorners && !cornersLeft;
  info.allLines = allLines && info.skipped === 0;
  info.work = used();
  out.sort(byReportingRule);
  return { equilibria: out, info };
}
