/**
 * Certifying that a bilinear face of V carries no equilibrium (exactSearch.ts), by spatial branch and bound.
 *
 * On a face F of a pattern (interior types I, bilinear types B ⊆ I; see exactSearch.ts), GLP (a)–(c) are linear in
 * (q_I, μ, X) except for the products w_ω = q(ω)·p(ω), ω ∈ B, with p(ω) = Σ_k μ_k g_k(ω). Over a box
 * q(ω) ∈ [qL, qU], p(ω) ∈ [pL, pU], McCormick's four inequalities
 *   w ≥ qL p + pL q − qL pL,  w ≥ qU p + pU q − qU pU,  w ≤ qU p + pL q − qU pL,  w ≤ qL p + pU q − qL pU
 * hold at every true point, so the face LP with w in place of each product is a relaxation: if it is infeasible
 * on a box, no equilibrium of this pattern and face lies in that box. Boxes over (q_I, μ) are split until each is
 * certified empty; the relaxation is exact in the limit (the product is within (qU − qL)(pU − pL)/4 of each
 * envelope, so the relaxation's width in w is at most twice that).
 * Any relaxed solution is also tried as a candidate with the fixed-q LP (`checkCandidate`): a face that carries an
 * equilibrium cannot be certified, and the search stops at once ('found'). The box of q_I comes from the caller
 * (exactSearch.ts `certifyBilinear`: each type's boundary band, per type, and on homogeneous slices the bound
 * that keeps every ray with a point beyond the band).
 */
import { LpError, LpInfeasibleError, type LinearProgram, type LpRow, type LpSolver } from '../../lp/index.js';
import { consumerSurplus, type PricingGame } from './payoffs.js';

export interface FaceRelaxation {
  game: PricingGame;
  qBar: number[];
  rbar: number;
  /** Interior types (column i of the face LP is q(I[i])). */
  I: number[];
  /** Bilinear interior types (their consumer rows are absent from `lp`). */
  B: number[];
  /** The face's pieces' gradients g_k, k ∈ F (column nI + j is μ_j). */
  gF: number[][];
  /** The face LP of exactSearch.ts (columns q_I, μ_F, X), bilinear rows left out. */
  lp: LinearProgram;
  /** Lower and upper bounds of q_I on the face (the band already applied). */
  qLo: number[];
  qHi: number[];
}

/** `nodes`: boxes solved (the audit's re-solves of boxes called infeasible not counted: `audited`). */
export type Certificate = { verdict: 'empty'; nodes: number; audited: number } | { verdict: 'found'; nodes: number; audited: number; q: number[] } | { verdict: 'unresolved'; nodes: number; audited: number };

/** Nodes (LPs) per face before giving up. */
export const MAX_CERTIFY_NODES = 2000;
/**
 * Certificates of at most this many boxes confirm each box's "infeasible" without presolve (SolveOptions
 * .confirmInfeasible) as it is met. The full certificate does so only after the search (`certifyFace`): confirming
 * each box as met kept boxes feasible only to 1e-10 alive, and a face's 2000 nodes ran out before the point it used
 * to find (certifyFace.test.ts, "a plane face that carries an equilibrium").
 */
export const CONFIRMED_NODES = 8;
/** Boxes whose every McCormick gap is below this (relative to max q̄ · max |g|) are not split further. */
export const CERTIFY_GAP = 1e-9;

export interface Box {
  qL: number[];
  qU: number[];
  mL: number[];
  mU: number[];
  /** Its "infeasible" is confirmed without presolve (the short certificates; the full one's audit). */
  confirm: boolean;
  /** Bounds on the prices p(ω), ω ∈ B (indexed as B), imposed as rows on μ (boundFace.ts); else the μ-box's range. */
  pL?: number[];
  pU?: number[];
}

/**
 * McCormick's four cuts for w = q·p over [qL, qU] × [pL, pU], each as a·p + b·q − w ≤ c ('le', an under-estimator
 * of w) or ≥ c ('ge', an over-estimator).
 */
export function mccormickCuts(qL: number, qU: number, pL: number, pU: number): Array<{ a: number; b: number; c: number; sense: 'le' | 'ge' }> {
  return [
    { a: qL, b: pL, c: qL * pL, sense: 'le' }, // w ≥ qL p + pL q − qL pL
    { a: qU, b: pU, c: qU * pU, sense: 'le' }, // w ≥ qU p + pU q − qU pU
    { a: qU, b: pL, c: qU * pL, sense: 'ge' }, // w ≤ qU p + pL q − qU pL
    { a: qL, b: pU, c: qL * pU, sense: 'ge' }, // w ≤ qL p + pU q − qL pU
  ];
}

/**
 * The face LP on a box with each product q(ω)·p(ω), ω ∈ B, replaced by a column w and McCormick's cuts (a
 * relaxation; exact where the box pins μ, so that p is fixed). Columns: q_I, μ_F, X, then w_B. Cost 0 (max).
 */
export function relaxedFaceLp(f: FaceRelaxation, box: Box, tol: number): LinearProgram {
  const { game, rbar, I, B, gF, lp } = f;
  const N = game.types.length;
  const nI = I.length;
  const nF = gF.length;
  const xOff = nI + nF;
  const wOff = lp.cost.length;
  const rows: LpRow[] = lp.rows.slice();
  const colLower = [...lp.colLower, ...B.map(() => -Infinity)];
  const colUpper = [...lp.colUpper, ...B.map(() => Infinity)];
  I.forEach((_, i) => {
    colLower[i] = box.qL[i];
    colUpper[i] = box.qU[i];
  });
  gF.forEach((_, j) => {
    colLower[nI + j] = box.mL[j];
    colUpper[nI + j] = box.mU[j];
  });
  B.forEach((w, b) => {
    const i = I.indexOf(w);
    const wc = wOff + b;
    const u = game.fees.map((a) => consumerSurplus(a, game.types[w]));
    const uIdx = game.fees.map((_, a) => xOff + a * N + w);
    // w + U_X(ω) − r̄ q(ω) = 0, relaxed by ±tol·q(ω) as the other interior rows
    rows.push({ indices: [wc, ...uIdx, i], values: [1, ...u, -rbar + tol], lower: 0, upper: Infinity });
    rows.push({ indices: [wc, ...uIdx, i], values: [1, ...u, -rbar - tol], lower: -Infinity, upper: 0 });
    // p(ω) = Σ_j μ_j g_j(ω): its range over the μ-box (intersected with the pieces' range: μ is in the simplex)
    const g = gF.map((gk) => gk[w]);
    const mIdx = gF.map((_, j) => nI + j);
    let pL = Math.max(Math.min(...g), g.reduce((acc, x, j) => acc + Math.min(x * box.mL[j], x * box.mU[j]), 0));
    let pU = Math.min(Math.max(...g), g.reduce((acc, x, j) => acc + Math.max(x * box.mL[j], x * box.mU[j]), 0));
    if (box.pL && box.pU) {
      // pL ≤ Σ_j μ_j g_j(ω) ≤ pU
      rows.push({ indices: mIdx, values: g, lower: box.pL[b], upper: box.pU[b] });
      [pL, pU] = [Math.max(pL, box.pL[b]), Math.min(pU, box.pU[b])];
    }
    const [qL, qU] = [box.qL[i], box.qU[i]];
    const corners = [qL * pL, qL * pU, qU * pL, qU * pU];
    colLower[wc] = Math.min(...corners);
    colUpper[wc] = Math.max(...corners);
    // a·p + b·q − w ≷ c, with p written through μ
    const env = (a: number, b: number, c: number, sense: 'le' | 'ge') =>
      rows.push({ indices: [...mIdx, i, wc], values: [...g.map((x) => a * x), b, -1], lower: sense === 'ge' ? c : -Infinity, upper: sense === 'le' ? c : Infinity });
    for (const cut of mccormickCuts(qL, qU, pL, pU)) env(cut.a, cut.b, cut.c, cut.sense);
  });
  return { sense: 'max', cost: new Array<number>(wOff + B.length).fill(0), colLower, colUpper, rows };
}

/**
 * Branch and bound over boxes of (q_I, μ): 'empty' when every box's relaxation is infeasible (no equilibrium
 * of this pattern on this face), 'found' when a relaxed solution passes `check`, 'unresolved' at the node limit
 * or when a box is too small to split and still relaxation-feasible.
 * An "empty" never rests on presolve alone: a full certificate (more than CONFIRMED_NODES) first runs on HiGHS's
 * default verdicts, then re-solves every box called infeasible without presolve (the audit, `audited`); a box
 * feasible there is searched on like any other, its sub-boxes confirmed as met, until 2·`maxNodes` boxes in all
 * (presolve has called boxes infeasible that hold equilibria: the short certificates' reason).
 */
export function certifyFace(solver: LpSolver, f: FaceRelaxation, check: (q: number[]) => boolean, maxNodes = MAX_CERTIFY_NODES, tol = 1e-9): Certificate {
  const { I, B, gF } = f;
  const nI = I.length;
  const gScale = Math.max(1, ...gF.flat().map(Math.abs));
  const qScale = Math.max(1, ...f.qBar);
  const confirmAsMet = maxNodes <= CONFIRMED_NODES;
  const stack: Box[] = [{ qL: f.qLo.slice(), qU: f.qHi.slice(), mL: gF.map(() => 0), mU: gF.map(() => 1), confirm: confirmAsMet }];
  // boxes called infeasible with presolve, to be confirmed without it once the stack is empty
  const unconfirmed: Box[] = [];
  let nodes = 0;
  let audited = 0;
  while (stack.length || unconfirmed.length) {
    let box: Box;
    if (stack.length) {
      box = stack.pop() as Box;
      // the audit's own searches may take the total to 2·maxNodes
      if (++nodes > (audited ? 2 : 1) * maxNodes) return { verdict: 'unresolved', nodes, audited };
    } else {
      box = { ...(unconfirmed.pop() as Box), confirm: true };
      audited++;
    }
    let x: Float64Array;
    try {
      // an infeasible box is certified empty only if the simplex without presolve says so too (presolve called boxes of
      // faces holding equilibria infeasible — types 0.5, 4, q̄ = (1, 8e-6): missed, exact: true; certifyFace.test.ts's
      // five-type market lost its welfare-best segment)
      x = solver.solve(relaxedFaceLp(f, box, tol), { confirmInfeasible: box.confirm }).x;
    } catch (e) {
      if (e instanceof LpInfeasibleError) {
        if (!box.confirm) unconfirmed.push(box);
        continue;
      }
      // any other solver failure leaves the box (and so the face) without a certificate
      if (e instanceof LpError) return { verdict: 'unresolved', nodes, audited };
      throw e;
    }
    const q = Array.from(x.subarray(0, nI));
    if (check(q)) return { verdict: 'found', nodes, audited, q };
    // split where the envelope is loosest: the widths whose product bounds a McCormick gap — a bilinear type's
    // q-range times its price range, or a μ-coordinate's range times the price it moves times that q-range
    let best = { gap: 0, dim: -1 };
    for (const w of B) {
      const i = I.indexOf(w);
      const g = gF.map((gk) => gk[w]);
      const qRange = box.qU[i] - box.qL[i];
      const pRange = Math.min(Math.max(...g) - Math.min(...g), g.reduce((acc, x, j) => acc + Math.abs(x) * (box.mU[j] - box.mL[j]), 0));
      if (qRange * pRange > best.gap) best = { gap: qRange * pRange, dim: i };
      g.forEach((x, j) => {
        const gap = qRange * Math.abs(x) * (box.mU[j] - box.mL[j]);
        if (gap > best.gap) best = { gap, dim: nI + j };
      });
    }
    if (best.dim < 0 || best.gap <= CERTIFY_GAP * qScale * gScale) return { verdict: 'unresolved', nodes, audited };
    const [lo, hi] = best.dim < nI ? [box.qL, box.qU] : [box.mL, box.mU];
    const k = best.dim < nI ? best.dim : best.dim - nI;
    const mid = (lo[k] + hi[k]) / 2;
    const left: Box = { qL: box.qL.slice(), qU: box.qU.slice(), mL: box.mL.slice(), mU: box.mU.slice(), confirm: box.confirm };
    const right: Box = { qL: box.qL.slice(), qU: box.qU.slice(), mL: box.mL.slice(), mU: box.mU.slice(), confirm: box.confirm };
    (best.dim < nI ? left.qU : left.mU)[k] = mid;
    (best.dim < nI ? right.qL : right.mL)[k] = mid;
    stack.push(left, right);
  }
  return { verdict: 'empty', nodes, audited };
}
