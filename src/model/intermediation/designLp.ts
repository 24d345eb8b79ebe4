/**
 * The platform's information-design LP P_q in joint form (GLP L174-178; MODEL.md A.2.2).
 *
 * X(a, ω) = x(a|ω)·q(ω) is the mass of ω-records recommended fee a. Column j = a·N + ω (N = |Ω|).
 *   max  Σ_{a,ω} v(a,ω) X(a,ω)
 *   (R_ω)     Σ_a X(a,ω) = q(ω)                              (x(·|ω) ∈ Δ(A); MODEL.md A.8 item 5)
 *   (O_a,a')  Σ_ω (π(a,ω) − π(a',ω)) X(a,ω) ≥ 0    for a ≠ a'  (obedience: the merchant told "a" obeys)
 * Rows 0..N−1 are the resource rows, the obedience rows follow.
 */
import type { LinearProgram, LpRow } from '../../lp/index.js';
import { merchantProfit, platformPayoff, type PricingGame } from './payoffs.js';

export function column(game: PricingGame, a: number, w: number): number {
  return a * game.types.length + w;
}

/**
 * The constraints of the dual D_q: p(ω) − Σ_o λ_o A_o(j) ≥ v_j for every column j (type ω = j mod N), λ ≥ 0 — with
 * Σ p q ≤ V(q) they make p a supergradient of V at q. `obedience` are the rows A X ≥ 0 with columns from 0;
 * p(ω) sits at column pCol(ω) and λ_o at lCol(o) of the LP being built.
 */
export function dualFeasibilityRows(v: readonly number[], obedience: readonly LpRow[], N: number, pCol: (w: number) => number, lCol: (o: number) => number): LpRow[] {
  const rows: LpRow[] = v.map((c, j) => ({ indices: [pCol(j % N)], values: [1], lower: c, upper: Infinity }));
  obedience.forEach((r, o) =>
    r.indices.forEach((j, t) => {
      rows[j].indices.push(lCol(o));
      rows[j].values.push(-r.values[t]);
    }),
  );
  return rows;
}

/** Obedience rows Σ_ω (π(a,ω) − π(a',ω)) X(a,ω) ≥ 0 for one platform whose columns start at `offset`. */
export function obedienceRows(game: PricingGame, offset = 0): LpRow[] {
  const { types, fees } = game;
  const N = types.length;
  const rows: LpRow[] = [];
  for (let a = 0; a < fees.length; a++) {
    for (let a2 = 0; a2 < fees.length; a2++) {
      if (a2 === a) continue;
      const indices: number[] = [];
      const values: number[] = [];
      for (let w = 0; w < N; w++) {
        const d = merchantProfit(fees[a], types[w]) - merchantProfit(fees[a2], types[w]);
        if (d !== 0) {
          indices.push(offset + a * N + w);
          values.push(d);
        }
      }
      // A row with only non-negative coefficients is implied by X ≥ 0; skip it.
      if (values.some((d) => d < 0)) rows.push({ indices, values, lower: 0, upper: Infinity });
    }
  }
  return rows;
}

/** Objective coefficients c_j = payoff(a, ω) for column j = a·N + ω. */
export function payoffVector(game: PricingGame, payoff: (a: number, omega: number) => number): number[] {
  const { types, fees } = game;
  const c = new Array<number>(fees.length * types.length);
  for (let a = 0; a < fees.length; a++) for (let w = 0; w < types.length; w++) c[a * types.length + w] = payoff(fees[a], types[w]);
  return c;
}

/**
 * The face-cache family of GP's selection at q (lexicographic.ts `FaceCache`): its stages include a type's own only
 * when the type has records, so the families are the supports of q.
 */
export function selectionFamily(q: ArrayLike<number>): string {
  // a loop, not Array.from(…).join(''): called per selection (a second of the E2 benchmark's 33 s that way)
  let s = '';
  for (let w = 0; w < q.length; w++) s += q[w] > 0 ? '1' : '0';
  return s;
}

/** P_q with equality resource rows (rows 0..N−1). */
export function buildDesignLp(game: PricingGame, q: ArrayLike<number>): LinearProgram {
  const N = game.types.length;
  const n = game.fees.length * N;
  const rows: LpRow[] = [];
  for (let w = 0; w < N; w++) {
    const indices = game.fees.map((_, a) => a * N + w);
    rows.push({ indices, values: indices.map(() => 1), lower: q[w], upper: q[w] });
  }
  rows.push(...obedienceRows(game));
  return {
    sense: 'max',
    cost: payoffVector(game, (a, w) => platformPayoff(game, a, w)),
    colLower: new Array<number>(n).fill(0),
    colUpper: new Array<number>(n).fill(Infinity),
    rows,
  };
}
