/**
 * Sweep throughput (issue 8): the benchmark's own sweep of 1,000 scenarios × 10 replicates (general Σ,
 * N users, exact 2^N enumeration per run) with 1 and with 2 worker threads; target ≥ 1.8× with 2 on a
 * 2-core machine. Records the load average before and after (the figure means little on a busy machine),
 * checks the two result files agree, and times the phases of one in-process run for the profile.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSweepToDir } from '../src/cli/sweep.js';

const N = Number(process.env.BENCH_SWEEP_USERS ?? 10);
const SCENARIOS = Number(process.env.BENCH_SWEEP_SCENARIOS ?? 1000);
const REPLICATES = Number(process.env.BENCH_SWEEP_REPLICATES ?? 10);

export async function benchSweep(): Promise<Record<string, unknown>> {
  const loadAtStart = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'dm-bench-sweep-'));
  const cov = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => (i === j ? 1 : 0.2 + 0.01 * ((i + j) % 5))));
  const file = join(dir, 'sweep.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'bench',
      base: { name: 'b', model: 'leakage', covariance: cov, privacyValues: Array.from({ length: N }, (_, i) => 0.3 + 0.08 * i) },
      grid: { 'privacyValues.0': Array.from({ length: SCENARIOS }, (_, i) => 0.1 + 0.001 * i) },
      replicates: REPLICATES,
    }),
  );
  const tasks = SCENARIOS * REPLICATES;
  const figures: Record<string, number> = {};
  const outputs: string[] = [];
  // Worker count 0 (main thread) first: the per-task cost without any thread machinery.
  for (const workers of [0, 1, 2]) {
    const out = join(dir, `w${workers}`);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await runSweepToDir(file, { out, workers, shard: null, resume: false, version: 'bench' });
    const s = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    // CPU seconds of all threads: equal for 1 and 2 workers means parallelism adds no work, whatever the load.
    figures[`cpuSeconds_${workers}`] = (c.user + c.system) / 1e6;
    figures[`tasksPerSecond_${workers}`] = tasks / s;
    figures[`seconds_${workers}`] = s;
    outputs.push(readFileSync(join(out, 'results.csv'), 'utf8'));
  }
  rmSync(dir, { recursive: true, force: true });
  const speedup = figures.tasksPerSecond_2 / figures.tasksPerSecond_1;
  const loadAtEnd = loadavg();
  const cores = availableParallelism();
  return {
    sweep: { users: N, scenarios: SCENARIOS, replicates: REPLICATES, tasks, perTask: `exact 2^${N} enumeration (depth-first Kalman updates)` },
    ...figures,
    speedup,
    target: 1.8,
    /** CPU time with 2 workers over CPU time with 1: the work parallelism adds (1 = none). */
    cpuOverhead2vs1: figures.cpuSeconds_2 / figures.cpuSeconds_1,
    cores,
    /** 1-, 5-, 15-minute load averages; a speedup measured with load above the core count is not the code's. */
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadAtEnd,
    busy: Math.max(loadAtStart[0], loadAtEnd[0]) > 0.5,
    identicalResults: outputs.every((o) => o === outputs[0]),
    summary: { 'tasks/s, main thread': figures.tasksPerSecond_0, 'tasks/s, 1 worker': figures.tasksPerSecond_1, 'tasks/s, 2 workers': figures.tasksPerSecond_2, speedup, 'cpu s 1 / 2 workers': `${figures.cpuSeconds_1.toFixed(1)}/${figures.cpuSeconds_2.toFixed(1)}`, 'load 1 min start/end': `${loadAtStart[0].toFixed(2)}/${loadAtEnd[0].toFixed(2)}` },
  };
}
