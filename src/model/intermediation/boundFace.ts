/**
 * Optimising over the equilibria of a bilinear face (exactSearch.ts) by spatial branch and bound over the prices of
 * its bilinear types — the exact extents and welfare range of a face that the lift of segmentFace.ts does not solve
 * (a plane, or a segment whose price differences are not rank one).
 *
 * On the face, p(ω) = Σ_k μ_k g_k(ω) (μ in the simplex) and the conditions are linear in (q_I, μ, X) except for the
 * products q(ω)·p(ω), ω ∈ B. With the prices p_B fixed every product is linear in q, so the conditions are one LP
 * in (q_I, μ, X) (`relaxedFaceLp` on a box that pins p_B: its McCormick cuts are then the product itself). Hence
 *   max c·(q, X) over the face's equilibria = max over p_B of that LP's value,
 * found by branch and bound on boxes of p_B (rows on μ): on a box, the McCormick relaxation bounds the value from
 * above; at the relaxation's own records, and at its prices pinned, the fixed-q check (`verify`) says whether a point
 * is an equilibrium and gives its true value. Boxes whose bound is within `tol` of the best true value are dropped,
 * the others halved along the price whose McCormick gap bound (records' range × price range) is largest. The q-box
 * is never split: the gap (qU − qL)(pU − pL)/4 vanishes with the price range alone. Boxes of p_B, not of μ: where
 * the pieces' gradients are affinely dependent on B many weights give one price vector, and on a face of three
 * pieces boxes of μ along that line all kept the same bound (400 nodes, unfinished); where the equilibria pin the
 * prices to a point (the five-type plane example), only the pinned LP at nearly that point is feasible, which the
 * halving reaches in ~30 levels per price. The relaxation takes unsold types' off-path surplus at its lower bound
 * (`FaceRelaxation.lp`), so it stays valid; the check uses the true surplus. Every infeasible box is confirmed
 * without presolve, so a search that ends with every box infeasible and no point is a certificate ('empty').
 */
import { LpError, LpInfeasibleError, type LinearProgram, type LpSolver } from '../../lp/index.js';
import { relaxedFaceLp, type Box, type FaceRelaxation } from './certifyFace.js';
import type { Equilibrium } from './equilibrium.js';

/** A linear objective c·x + offset over the relaxed face LP's columns, and the same quantity read off an equilibrium. */
export interface FaceObjective {
  cost: number[];
  offset: number;
  of: (e: Equilibrium) => number;
}

/**
 * `value` (of the best equilibrium found, `point`) ≤ the maximum over the face's equilibria ≤ `bound`; the search
 * finished when bound − value ≤ tol (else it stopped at the node limit or at a box it could not split).
 */
export interface FaceMax {
  value: number;
  /** The prices p(ω), ω ∈ B, at which `point` was found. */
  prices: number[];
  bound: number;
  point: Equilibrium;
  finished: boolean;
  nodes: number;
}

/** Relaxations (LPs) per objective before giving up. */
export const MAX_BOUND_NODES = 400;

interface Node {
  pL: number[];
  pU: number[];
  bound: number;
  /** The relaxation's solution: prices of B and records. */
  p: number[];
  q: number[];
}

/**
 * max of `objective` over the equilibria of the face in the box f.qLo ≤ q_I ≤ f.qHi; 'empty' when every box's
 * relaxation is infeasible (a certificate, as certifyFace.ts's); null when no point passed the check within the node
 * limit, or the solver failed on a relaxation: then nothing is claimed. `seeds` are points (records q_I and the
 * prices p_B they were found at) tried first: the best points of earlier objectives; `infeasible` collects the
 * boxes proven infeasible, for later objectives on the same face.
 */
export function maximiseOnFace(
  solver: LpSolver,
  f: FaceRelaxation,
  objective: FaceObjective,
  verify: (qI: number[]) => Equilibrium | null,
  opts: { tol: number; maxNodes?: number; seeds?: ReadonlyArray<{ prices: number[]; q: number[] }>; infeasible?: Set<string> },
): FaceMax | 'empty' | null {
  const nI = f.I.length;
  const nF = f.gF.length;
  const maxNodes = opts.maxNodes ?? MAX_BOUND_NODES;
  const gB = f.B.map((w) => f.gF.map((g) => g[w]));
  const best: { value: number; point: Equilibrium | null; prices: number[] } = { value: -Infinity, point: null, prices: [] };
  const withCost = (lp: LinearProgram): LinearProgram => ({ ...lp, sense: 'max', cost: objective.cost.concat(new Array<number>(lp.cost.length - objective.cost.length).fill(0)) });
  const at = (pL: number[], pU: number[], confirm: boolean): Float64Array | null => {
    try {
      // an infeasible box is dropped only if the simplex without presolve says so too (certifyFace.ts)
      const box: Box = { qL: f.qLo, qU: f.qHi, mL: new Array<number>(nF).fill(0), mU: new Array<number>(nF).fill(1), confirm, pL, pU };
      return solver.solve(withCost(relaxedFaceLp(f, box, 1e-9)), { confirmInfeasible: confirm }).x;
    } catch (e) {
      if (e instanceof LpInfeasibleError) return null;
      throw e;
    }
  };
  const pricesAt = (x: Float64Array) => gB.map((g) => g.reduce((acc, v, j) => acc + v * x[nI + j], 0));
  // an objective of the records alone is known before the check: points that cannot improve are not checked
  const ofRecords = objective.cost.every((c, j) => j < nI || c === 0);
  const consider = (q: number[], p: number[]) => {
    if (ofRecords && objective.cost.reduce((acc, c, j) => acc + (j < nI ? c * q[j] : 0), objective.offset) <= best.value) return;
    const e = verify(q);
    if (e && objective.of(e) > best.value) Object.assign(best, { value: objective.of(e), point: e, prices: p });
  };
  // the relaxation's records, then the LP with the prices pinned at the relaxation's (a point of the face's
  // conditions, exact up to the LP's tolerance), each through the fixed-q check
  const evaluate = (p: number[], q?: number[]) => {
    if (q) consider(q, p);
    const x = at(p, p, false);
    if (x) consider(Array.from(x.subarray(0, nI)), p);
  };
  const dot = (x: Float64Array) => objective.cost.reduce((acc, c, j) => acc + c * x[j], objective.offset);
  const done = (bound: number) => bound <= best.value + opts.tol;
  const open: Node[] = [];
  let nodes = 0;
  let dropped = -Infinity;
  const push = (pL: number[], pU: number[]) => {
    // a box is infeasible whatever the objective, and every objective halves the same boxes (midpoints of the
    // widest gap): the earlier objectives' infeasible boxes are not solved again
    const key = `${pL.join()}|${pU.join()}`;
    if (opts.infeasible?.has(key)) return;
    nodes++;
    const x = at(pL, pU, true);
    if (!x) opts.infeasible?.add(key);
    if (x) open.push({ pL, pU, bound: dot(x), p: pricesAt(x), q: Array.from(x.subarray(0, nI)) });
  };
  // the McCormick gap of a type is at most its records' range times its price range: split the price of the largest
  const qRange = f.B.map((w) => f.qHi[f.I.indexOf(w)] - f.qLo[f.I.indexOf(w)]);
  try {
    // the best points of earlier objectives are equilibria (a pinned LP's optimum for this objective can lie at the
    // edge of its tolerance and fail the check, where the set is a point: then no other point was found)
    for (const seed of opts.seeds ?? []) evaluate(seed.prices, seed.q);
    push(gB.map((g) => Math.min(...g)), gB.map((g) => Math.max(...g)));
    while (open.length) {
      open.sort((a, b) => b.bound - a.bound);
      const node = open[0];
      if (done(node.bound) || nodes >= maxNodes) break;
      open.shift();
      evaluate(node.p, node.q);
      if (done(node.bound)) {
        dropped = Math.max(dropped, node.bound);
        continue;
      }
      const gaps = node.pU.map((u, b) => (u - node.pL[b]) * qRange[b]);
      const b = gaps.indexOf(Math.max(...gaps));
      const mid = (node.pL[b] + node.pU[b]) / 2;
      if (!(mid > node.pL[b] && mid < node.pU[b])) {
        open.unshift(node);
        break;
      }
      push(node.pL, node.pU.map((u, k) => (k === b ? mid : u)));
      push(node.pL.map((l, k) => (k === b ? mid : l)), node.pU);
    }
  } catch (e) {
    // a relaxation the solver could not decide leaves the face without a bound
    if (e instanceof LpError) return null;
    throw e;
  }
  // every box infeasible (confirmed without presolve): the face carries no equilibrium in the box
  if (!best.point) return open.length ? null : 'empty';
  const bound = Math.max(best.value, dropped, ...open.map((n) => n.bound));
  return { value: best.value, prices: best.prices, bound, point: best.point, finished: done(bound), nodes };
}
