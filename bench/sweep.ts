/**
 * Sweep throughput: the same sweep (general Σ, 16 users, exact 2^16 enumeration per run) with 1 and with
 * 2 worker threads; target ≥ 1.8× with 2 on a 2-core machine. Also checks the two result files agree.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSweepToDir } from '../src/cli/sweep.js';

const N = 16;
const RUNS = 48;

export async function benchSweep(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'dm-bench-sweep-'));
  const cov = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => (i === j ? 1 : 0.2 + 0.01 * ((i + j) % 5))));
  const file = join(dir, 'sweep.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'bench',
      base: { name: 'b', model: 'leakage', covariance: cov, privacyValues: Array.from({ length: N }, (_, i) => 0.3 + 0.08 * i) },
      grid: { 'privacyValues.0': Array.from({ length: RUNS }, (_, i) => 0.1 + 0.05 * i) },
    }),
  );
  const figures: Record<string, number> = {};
  const outputs: string[] = [];
  for (const workers of [1, 2]) {
    const out = join(dir, `w${workers}`);
    const t0 = performance.now();
    await runSweepToDir(file, { out, workers, shard: null, resume: false, version: 'bench' });
    const s = (performance.now() - t0) / 1000;
    figures[`runsPerSecond_${workers}`] = RUNS / s;
    figures[`seconds_${workers}`] = s;
    outputs.push(readFileSync(join(out, 'results.csv'), 'utf8'));
  }
  rmSync(dir, { recursive: true, force: true });
  const speedup = figures.runsPerSecond_2 / figures.runsPerSecond_1;
  return {
    sweep: { users: N, runs: RUNS, perRun: 'exact 2^16 Gray-code enumeration' },
    ...figures,
    speedup,
    target: 1.8,
    /** The speedup is only meaningful on an otherwise idle machine. */
    loadAverageAtEnd: loadavg()[0],
    identicalResults: outputs[0] === outputs[1],
    summary: { 'runs/s, 1 worker': figures.runsPerSecond_1, 'runs/s, 2 workers': figures.runsPerSecond_2, speedup },
  };
}
