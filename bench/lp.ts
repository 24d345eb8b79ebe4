/**
 * LP benchmark (out/bench/lp.json via bench/run.ts): the information-design LP P_q with N = 10, 20, 50
 * types (A = Ω, γ_u = 0.7, γ_π = 0.2, deterministic masses), highs vs javascript-lp-solver, without and
 * with exact record-price intervals (2N warm-started tangent LPs). javascript-lp-solver is run for N ≤ 10
 * only (it has no duals and stalls on larger LPs); skipped cells are reported as such.
 */
import { highsSolver, jsLpSolver, type LpSolver } from '../src/lp/index.js';
import { buildDesignLp, recordPriceIntervals } from '../src/model/intermediation/index.js';

function time<T>(f: () => T, reps: number): { ms: number; result: T } {
  let result = f();
  const t = performance.now();
  for (let r = 0; r < reps; r++) result = f();
  return { ms: (performance.now() - t) / reps, result };
}

export async function benchLp(): Promise<object> {
  const highs = await highsSolver();
  const js = jsLpSolver();
  const rows: object[] = [];
  for (const N of [10, 20, 50]) {
    const types = Array.from({ length: N }, (_, i) => i + 1);
    const q = types.map((_, i) => 0.5 + ((i * 37) % 11) / 10);
    const game = { types, fees: types, gammaU: 0.7, gammaPi: 0.2 };
    const lp = buildDesignLp(game, q);
    const reps = N <= 20 ? 3 : 1;
    const primal = (s: LpSolver) => time(() => s.solve(lp).objective, reps);
    const h = primal(highs);
    const hd = time(() => {
      const sol = highs.solve(lp, { duals: true });
      return recordPriceIntervals(highs, game, q, sol.x);
    }, reps);
    const j = N <= 10 ? primal(js) : undefined;
    rows.push({
      types: N,
      variables: lp.cost.length,
      constraints: lp.rows.length,
      highs: { primalMs: h.ms, withExactPriceIntervalsMs: hd.ms, value: h.result },
      'javascript-lp-solver': j ? { primalMs: j.ms, withDuals: 'not available', value: j.result } : { skipped: 'N > 10 (too slow: several seconds per solve at N = 20)' },
    });
  }
  return { benchmark: 'lp', node: process.version, results: rows };
}
