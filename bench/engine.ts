/**
 * Engine benchmark (out/bench/engine.json): consumer share decisions per second in the leakage hot loop
 * (the decision with I_i(A∖{i}) precomputed for the round), a whole round on the 10 000-user community
 * market, rounds to converge per dynamic on the scenarios in sims/, and peak RSS of `datamarket simulate
 * --out` at 10³ vs 10⁵ rounds (issue 8: nothing may grow with the number of rounds except the files).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsumerPopulation } from '../src/agents/consumer.js';
import { Rng } from '../src/agents/rng.js';
import { loadScenario } from '../src/scenario/index.js';
import { simulateScenario } from '../src/engine/index.js';
import { highsSolver } from '../src/lp/index.js';
import type { DynamicsKind } from '../src/engine/options.js';
import { median } from './stats.js';

function decisionsPerSecond(n: number, repeats: number): number {
  const rng = new Rng(1);
  const v = Float64Array.from({ length: n }, () => rng.uniform(0, 3));
  const sigma = Float64Array.from({ length: n }, () => rng.uniform(0.5, 2));
  const pop = new ConsumerPopulation(v, sigma, 1);
  const prices = Float64Array.from({ length: n }, () => rng.uniform(0, 1));
  const leakWithout = Float64Array.from({ length: n }, (_, i) => rng.uniform(0, sigma[i]));
  const next = new Uint8Array(n);
  let sink = 0;
  pop.respond(prices, leakWithout, next); // warm-up
  const t0 = performance.now();
  for (let r = 0; r < repeats; r++) sink += pop.respond(prices, leakWithout, next);
  const s = (performance.now() - t0) / 1000;
  if (sink < 0) console.log(sink);
  return (n * repeats) / s;
}

/**
 * Peak RSS (maxRSS, bytes) of one `simulate --out` run in a fresh Node process, through the compiled CLI.
 * The scenario is PAL's three-user market without a pure joining equilibrium under tatonnement: it never
 * converges and is not checked for cycles, so it runs exactly `rounds` rounds. Peak RSS includes V8's
 * garbage headroom (it grows with the allocation rate, not with what is kept); `heapAfterGcBytes`, the heap
 * still in use after a full GC at the end of the run, is what the run retains.
 */
function simulateRss(rounds: number): { rounds: number; maxRssBytes: number; heapAfterGcBytes: number; eventsBytes: number; trajectoryBytes: number; seconds: number } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
  const scenario = join(dir, 's.json');
  writeFileSync(
    scenario,
    JSON.stringify({
      name: 'rss',
      model: 'leakage',
      platforms: 2,
      covariance: [
        [1.41, -1.3, 1.22],
        [-1.3, 1.92, -0.9],
        [1.22, -0.9, 1.42],
      ],
      privacyValues: [1.71, 0.86, 0.13],
    }),
  );
  const mainUrl = new URL('../src/cli/main.js', import.meta.url).href;
  const out = join(dir, 'out');
  const argv = ['simulate', scenario, '--dynamics', 'tatonnement', '--rounds', String(rounds), '--out', out, '--log-level', 'silent'];
  const code = `const m = await import(${JSON.stringify(mainUrl)}); const t0 = performance.now(); const c = await m.main(${JSON.stringify(argv)}, { stdout() {} }); const s = (performance.now() - t0) / 1000; globalThis.gc(); process.stdout.write(JSON.stringify({ c, rss: process.resourceUsage().maxRSS * 1024, heap: process.memoryUsage().heapUsed, s }));`;
  const res = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], { encoding: 'utf8' })) as { c: number; rss: number; heap: number; s: number };
  if (res.c !== 0) throw new Error(`simulate exited with ${res.c}`);
  const r = { rounds, maxRssBytes: res.rss, heapAfterGcBytes: res.heap, eventsBytes: statSync(join(out, 'events.jsonl')).size, trajectoryBytes: statSync(join(out, 'trajectory.csv')).size, seconds: res.s };
  rmSync(dir, { recursive: true, force: true });
  return r;
}

export async function benchEngine(): Promise<Record<string, unknown>> {
  const rss = [simulateRss(1_000), simulateRss(100_000)];
  const decisions = decisionsPerSecond(100_000, 200);
  const kinds: DynamicsKind[] = ['best-response', 'tatonnement', 'learning'];
  const dir = 'sims';
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('sweep-')).sort();
  const runs: Record<string, unknown>[] = [];
  for (const f of files) {
    let s;
    try {
      s = loadScenario(join(dir, f));
    } catch {
      continue;
    }
    for (const kind of kinds) {
      const t0 = performance.now();
      try {
        const { summary } = await simulateScenario(s, { dynamics: kind, lp: s.model === 'intermediation' ? await highsSolver() : undefined });
        runs.push({
          scenario: s.name,
          dynamics: kind,
          converged: summary.converged,
          stopReason: summary.stopReason,
          rounds: summary.rounds,
          matchesChecker: summary.matchesChecker,
          priceDistance: summary.distance.prices,
          ms: performance.now() - t0,
        });
      } catch (e) {
        runs.push({ scenario: s.name, dynamics: kind, skipped: (e as Error).message });
      }
    }
  }
  return {
    decisionsPerSecond: decisions,
    decisionTarget: 1e6,
    peakRss: rss,
    runs,
    summary: {
      'leakage share decisions / s': Math.round(decisions),
      'simulate --out, 1e3 vs 1e5 rounds: peak RSS / heap after GC (MB)': `${mb(rss[0].maxRssBytes)} vs ${mb(rss[1].maxRssBytes)} / ${mb(rss[0].heapAfterGcBytes)} vs ${mb(rss[1].heapAfterGcBytes)} (events.jsonl ${mb(rss[1].eventsBytes)} MB)`,
      ...Object.fromEntries(
        kinds.map((k) => {
          const rs = runs.filter((r) => r.dynamics === k && typeof r.rounds === 'number') as { rounds: number; converged: boolean }[];
          return [`${k}: converged / runs, median rounds`, `${rs.filter((r) => r.converged).length}/${rs.length}, ${median(rs.map((r) => r.rounds))}`];
        }),
      ),
    },
  };
}

const mb = (b: number): string => (b / 2 ** 20).toFixed(1);

