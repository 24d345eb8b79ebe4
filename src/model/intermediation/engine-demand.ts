/**
 * A platform's demand for records at posted record prices (GP eq. (4), E1 economy; MODEL.md A.6.2), for the
 * agents' record-price tatonnement across platforms (src/engine/multiPlatformSim.ts):
 *   max_{q_i ≥ 0} U_i(q_i) − Σ_ω p(ω) q_i(ω)   with q_i ≤ cap,
 * written as one LP in X_i(a, ω) (one merchant per platform): maximise Σ (v_i(a, ω) − p(ω)) X_i(a, ω) subject
 * to Σ_a X_i(a, ω) ≤ cap(ω) and obedience. The demand is a face of that LP; the solver's vertex is returned.
 * `value` is U_i at the demanded records, Σ v_i X_i.
 */
import type { LpSolver } from '../../lp/index.js';
import { obedienceRows, payoffVector } from './designLp.js';
import { platformPayoff, type PricingGame } from './payoffs.js';

export function platformDemand(solver: LpSolver, game: PricingGame, prices: readonly number[], cap: readonly number[]): { records: number[]; value: number } {
  const N = game.types.length;
  const n = game.fees.length * N;
  const rows = game.types.map((_, w) => {
    const indices = game.fees.map((__, a) => a * N + w);
    return { indices, values: indices.map(() => 1), lower: -Infinity, upper: cap[w] };
  });
  rows.push(...obedienceRows(game));
  const sol = solver.solve({
    sense: 'max',
    cost: payoffVector(game, (a, w) => platformPayoff(game, a, w) - prices[game.types.indexOf(w)]),
    colLower: new Array<number>(n).fill(0),
    colUpper: new Array<number>(n).fill(Infinity),
    rows,
  });
  const records = new Array<number>(N).fill(0);
  let value = 0;
  for (let a = 0; a < game.fees.length; a++) {
    for (let w = 0; w < N; w++) {
      const x = Math.max(0, sol.x[a * N + w]);
      records[w] += x;
      value += x * platformPayoff(game, game.fees[a], game.types[w]);
    }
  }
  return { records, value };
}
