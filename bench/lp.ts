/**
 * LP benchmark (out/bench/lp.json via bench/run.ts): the information-design LP P_q with N = 10, 20, 50
 * types (A = Ω, γ_u = 0.7, γ_π = 0.2, deterministic masses), highs vs javascript-lp-solver, without and
 * with exact record-price intervals (2N warm-started tangent LPs), each from a fresh HiGHS model; also the
 * re-solve of the same LP on the same model (`resolveMs`). javascript-lp-solver is run for N ≤ 10
 * only (it has no duals and stalls on larger LPs); skipped cells are reported as such.
 * Also: one full `solveIntermediation` per sims/glp-*.json and gp-*.json (mean of 3 after a warm-up), and P_q
 * re-solved along a tatonnement-like sequence of 200 nearby q, warm (one model, bounds only) vs cold (LP loaded
 * afresh each time). The 1-minute load average is recorded with every figure (2 shared cores).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { highsSolver, jsLpSolver, type LpSolver } from '../src/lp/index.js';
import { buildDesignLp, recordPriceIntervals, solveDesign } from '../src/model/intermediation/index.js';
import { solveIntermediation } from '../src/checker/intermediation/index.js';
import { validateScenario, type IntermediationScenario } from '../src/scenario/index.js';

/** The HiGHS solver's warm-start switch and counters (src/lp/highs.ts), when present. */
interface WarmSwitch {
  warmStart: boolean;
  stats: { warm: number; loads: number; models: number; retries: number };
}
const warmSwitch = (s: LpSolver): WarmSwitch | undefined => ('warmStart' in s ? (s as unknown as WarmSwitch) : undefined);

/** Mean time of `f` over `reps` runs after a warm-up, `before` (untimed) ahead of each run. */
function time<T>(f: () => T, reps: number, before: () => void = () => undefined): { ms: number; result: T } {
  before();
  let result = f();
  let ms = 0;
  for (let r = 0; r < reps; r++) {
    before();
    const t = performance.now();
    result = f();
    ms += performance.now() - t;
  }
  return { ms: ms / reps, result };
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
    // from a fresh model each time (the first solve at a new LP), not a re-solve of the LP just solved on the same
    // model — that one is reported apart (`resolveMs`; a review found the old "primal 14 ms" at N = 50 was it,
    // against ~200 ms from a fresh model)
    const fresh = () => highs.cold?.(() => undefined);
    const primal = (s: LpSolver) => time(() => s.solve(lp).objective, reps, s === highs ? fresh : undefined);
    const h = primal(highs);
    const again = time(() => highs.solve(lp).objective, reps);
    // the primal with duals from a fresh model, then the 2N tangent LPs warm-started from it
    const hd = time(() => {
      const sol = highs.solve(lp, { duals: true });
      return recordPriceIntervals(highs, game, q, sol.x);
    }, reps, fresh);
    const j = N <= 10 ? primal(js) : undefined;
    rows.push({
      types: N,
      variables: lp.cost.length,
      constraints: lp.rows.length,
      highs: { primalMs: h.ms, resolveMs: again.ms, withExactPriceIntervalsMs: hd.ms, value: h.result },
      'javascript-lp-solver': j ? { primalMs: j.ms, withDuals: 'not available', value: j.result } : { skipped: 'N > 10 (too slow: several seconds per solve at N = 20)' },
    });
  }
  // one full solveIntermediation per sims/glp-*.json and gp-*.json (the solver and the module stay loaded)
  const simsDir = join(process.cwd(), 'sims');
  const scenarios: object[] = [];
  for (const f of readdirSync(simsDir).filter((x) => /^(glp|gp)-.*\.json$/.test(x)).sort()) {
    const s = validateScenario(JSON.parse(readFileSync(join(simsDir, f), 'utf8'))) as IntermediationScenario;
    await solveIntermediation(s); // warm-up (JIT, pieces)
    const reps = 3;
    const t = performance.now();
    let r: Record<string, unknown> = {};
    for (let k = 0; k < reps; k++) r = await solveIntermediation(s);
    scenarios.push({ file: f, ms: (performance.now() - t) / reps, load1: loadavg()[0], equilibria: (r.equilibria as unknown[]).length, search: r.equilibriumSearch });
  }
  // tatonnement-like sequence: P_q re-solved at 200 nearby q (N = 20 and 50), warm (bounds only) vs cold (load afresh)
  const sequences: object[] = [];
  const sw = warmSwitch(highs);
  for (const N of [20, 50]) {
    const types = Array.from({ length: N }, (_, i) => i + 1);
    const game = { types, fees: types, gammaU: 0.7, gammaPi: 0.2 };
    const qs = Array.from({ length: 200 }, (_, k) => types.map((_, i) => 0.5 + ((i * 37) % 11) / 10 + 0.02 * Math.sin(k / 7 + i)));
    const run = (warm: boolean) => {
      if (sw) sw.warmStart = warm;
      const t = performance.now();
      let v = 0;
      for (const q of qs) v += solveDesign(highs, game, q).value;
      return { ms: (performance.now() - t) / qs.length, checksum: v };
    };
    run(true);
    const warm = run(true);
    const cold = run(false);
    if (sw) sw.warmStart = true;
    sequences.push({ types: N, solves: qs.length, warmMsPerSolve: warm.ms, coldMsPerSolve: cold.ms, speedup: cold.ms / warm.ms, sameValues: Math.abs(warm.checksum - cold.checksum) <= 1e-8 * Math.abs(cold.checksum), load1: loadavg()[0] });
  }
  const glp = scenarios.find((x) => (x as { file: string }).file === 'glp-unraveling.json') as { ms: number } | undefined;
  return {
    benchmark: 'lp',
    node: process.version,
    results: rows,
    solveIntermediation: scenarios,
    warmStart: sequences,
    solverCounters: sw?.stats,
    summary: { 'glp-unraveling solve (ms)': glp?.ms, ...Object.fromEntries(sequences.map((q) => [`P_q N=${(q as { types: number }).types} warm/cold (ms)`, `${(q as { warmMsPerSolve: number }).warmMsPerSolve.toFixed(2)}/${(q as { coldMsPerSolve: number }).coldMsPerSolve.toFixed(2)}`])) },
  };
}
