/**
 * One LP that can rule out a whole participation pattern of the exact equilibrium search (exactSearch.ts) before
 * its faces are enumerated. Notation as there: roles zero / full / interior (set I), band box
 * [band(ω), q̄(ω) − band(ω)] of the interior records, G the pieces of V, r̄ the reservation utility.
 *
 * GLP's conditions at q, with p a supergradient written through LP duality instead of through the faces: X is
 * feasible and obedient for q, (p, λ) is dual-feasible (p(ω) ≥ v(a,ω) + Σ_o λ_o A_o(a,ω), λ ≥ 0) and
 * Σ vX ≥ ⟨p, q⟩ — by weak duality both are then optimal, so p ∈ ∂V(q) exactly. The consumer conditions are those
 * of the face LPs. Only ⟨p, q⟩ and the interior rows contain the products w(ω) = q(ω)·p(ω), ω ∈ I; they are
 * replaced by McCormick's envelope over q(ω) ∈ band box and p(ω) ∈ [min_k g_k(ω), max_k g_k(ω)] (a supergradient
 * at q with q(ω) > 0 is a convex combination of active pieces in coordinate ω). Unsold types use the lower bound
 * of their off-path surplus. Every equilibrium the search would report for the pattern at a point of the band box
 * satisfies this relaxation — its tolerances are those of the face LPs and of the fixed-q check, and the price
 * ranges are widened by 1e-7 relative for the check's ε-supergradients — so its infeasibility proves the pattern
 * has none there; feasibility proves nothing. (The grid of a non-exact bilinear face may also report points inside
 * the band; those are outside the gate's box.)
 */
import { LpError, solveOrNull, type LpRow, type LpSolver } from '../../lp/index.js';
import { dualFeasibilityRows, obedienceRows, payoffVector } from './designLp.js';
import { mccormickCuts } from './certifyFace.js';
import { consumerSurplus, platformPayoff, type PricingGame } from './payoffs.js';
import type { Role } from './equilibrium.js';

/** Relative tolerance of the relaxation (the face LPs' retry and the fixed-q check relax by 1e-9). */
const GATE_TOL = 1e-9;
/** Relative widening of the price ranges [min_k g_k(ω), max_k g_k(ω)] (tolerance-level ε-supergradients). */
const PRICE_SLACK = 1e-7;

/**
 * False when the pattern provably has no equilibrium in its band box; true otherwise (including a solver failure,
 * which leaves the pattern to the exact search). `offLower(ω)` is a lower bound of unsold types' off-path surplus.
 */
export function patternMayHaveEquilibrium(solver: LpSolver, game: PricingGame, qBar: number[], rbar: number, roles: Role[], G: number[][], band: number[], offLower: number[]): boolean {
  const N = game.types.length;
  const M = game.fees.length;
  const I = roles.map((r, w) => (r === 'interior' ? w : -1)).filter((w) => w >= 0);
  const nI = I.length;
  // columns: q_I, p (N), w_I, X (M·N), λ (obedience rows)
  const pOff = nI;
  const wOff = pOff + N;
  const xOff = wOff + nI;
  const obed = obedienceRows(game, xOff);
  const lOff = xOff + M * N;
  const nCols = lOff + obed.length;
  // as loose as the fixed-q check (`supportLp`): ΣvX ≥ V − tol and ⟨p, q⟩ ≤ V + tol with tol = 1e-9·max(1, |V|, q),
  // so ⟨p, q⟩ − ΣvX ≤ 2·tol; |V| ≤ max_k Σ|g_k| q̄
  const Vb = Math.max(...G.map((g) => g.reduce((acc, x, w) => acc + Math.abs(x) * qBar[w], 0)));
  const scale = Math.max(1, ...qBar, Vb);
  const t = 2 * GATE_TOL * scale;
  // prices of an ε-supergradient may leave [min g, max g] by a tolerance-level amount
  const widen = (x: number, y: number) => PRICE_SLACK * Math.max(1, Math.abs(x), Math.abs(y));
  const rows: LpRow[] = [];
  // resource rows Σ_a X(a,ω) = q(ω)
  for (let w = 0; w < N; w++) {
    const indices = game.fees.map((_, a) => xOff + a * N + w);
    const values = indices.map(() => 1);
    const i = I.indexOf(w);
    if (i >= 0) {
      indices.push(i);
      values.push(-1);
    }
    const fixed = roles[w] === 'full' ? qBar[w] : 0;
    rows.push({ indices, values, lower: i >= 0 ? 0 : fixed, upper: i >= 0 ? 0 : fixed });
  }
  rows.push(...obed);
  // dual feasibility: p(ω) − Σ_o λ_o A_o(a,ω) ≥ v(a,ω) for every column (a, ω)
  const v = payoffVector(game, (a, w) => platformPayoff(game, a, w));
  rows.push(...dualFeasibilityRows(v, obedienceRows(game), N, (w) => pOff + w, (o) => lOff + o));
  // Σ vX ≥ ⟨p, q⟩ = Σ_full q̄ p + Σ_I w
  {
    const indices = v.map((_, j) => xOff + j);
    const values = [...v];
    roles.forEach((r, w) => {
      if (r === 'full') {
        indices.push(pOff + w);
        values.push(-qBar[w]);
      }
    });
    I.forEach((_, i) => {
      indices.push(wOff + i);
      values.push(-1);
    });
    rows.push({ indices, values, lower: -t, upper: Infinity });
  }
  const colLower = new Array<number>(nCols).fill(0);
  const colUpper = new Array<number>(nCols).fill(Infinity);
  for (let w = 0; w < N; w++) colLower[pOff + w] = -Infinity;
  const uCols = (w: number) => ({ indices: game.fees.map((_, a) => xOff + a * N + w), values: game.fees.map((a) => consumerSurplus(a, game.types[w])) });
  roles.forEach((role, w) => {
    const u = uCols(w);
    const pMin = Math.min(...G.map((g) => g[w]));
    const pMax = Math.max(...G.map((g) => g[w]));
    if (role === 'interior') {
      const i = I.indexOf(w);
      const [qL, qU] = [band[w], qBar[w] - band[w]];
      const [pL, pU] = [pMin - widen(pMin, pMax), pMax + widen(pMin, pMax)];
      colLower[i] = qL;
      colUpper[i] = qU;
      colLower[pOff + w] = pL;
      colUpper[pOff + w] = pU;
      colLower[wOff + i] = Math.min(qL * pL, qL * pU, qU * pL, qU * pU);
      colUpper[wOff + i] = Math.max(qL * pL, qL * pU, qU * pL, qU * pU);
      for (const cut of mccormickCuts(qL, qU, pL, pU)) {
        // a·p + b·q − w ≤ c ('le') or ≥ c ('ge')
        rows.push({ indices: [pOff + w, i, wOff + i], values: [cut.a, cut.b, -1], lower: cut.sense === 'ge' ? cut.c : -Infinity, upper: cut.sense === 'le' ? cut.c : Infinity });
      }
      // w + U_X(ω) − r̄ q(ω) = 0, relaxed by ±tol·q(ω) as in the face LPs
      rows.push({ indices: [wOff + i, ...u.indices, i], values: [1, ...u.values, -rbar + GATE_TOL], lower: 0, upper: Infinity });
      rows.push({ indices: [wOff + i, ...u.indices, i], values: [1, ...u.values, -rbar - GATE_TOL], lower: -Infinity, upper: 0 });
    } else if (role === 'full') {
      colLower[pOff + w] = pMin - widen(pMin, pMax);
      colUpper[pOff + w] = pMax + widen(pMin, pMax);
      rows.push({ indices: [pOff + w, ...u.indices], values: [qBar[w], ...u.values], lower: rbar * qBar[w] - t, upper: Infinity });
    } else {
      colUpper[pOff + w] = rbar - offLower[w] + t;
    }
  });
  try {
    // infeasible rules the pattern out: confirmed without presolve (SolveOptions.confirmInfeasible)
    return solveOrNull(solver, { sense: 'max', cost: new Array<number>(nCols).fill(0), colLower, colUpper, rows }, { confirmInfeasible: true }) !== null;
  } catch (e) {
    // a solver failure proves nothing: the pattern goes to the face enumeration
    if (e instanceof LpError) return true;
    throw e;
  }
}
