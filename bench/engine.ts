/**
 * Engine benchmark (out/bench/engine.json): consumer share decisions per second in the leakage hot loop
 * (the decision with I_i(A∖{i}) precomputed for the round), a whole round on the 10 000-user community
 * market, and rounds to converge per dynamic on the scenarios in sims/.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConsumerPopulation } from '../src/agents/consumer.js';
import { Rng } from '../src/agents/rng.js';
import { loadScenario } from '../src/scenario/index.js';
import { simulateScenario } from '../src/engine/index.js';
import type { DynamicsKind } from '../src/engine/options.js';

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

export async function benchEngine(): Promise<Record<string, unknown>> {
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
        const { summary } = await simulateScenario(s, { dynamics: kind });
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
    runs,
    summary: {
      'leakage share decisions / s': Math.round(decisions),
      ...Object.fromEntries(
        kinds.map((k) => {
          const rs = runs.filter((r) => r.dynamics === k && typeof r.rounds === 'number') as { rounds: number; converged: boolean }[];
          return [`${k}: converged / runs, median rounds`, `${rs.filter((r) => r.converged).length}/${rs.length}, ${median(rs.map((r) => r.rounds))}`];
        }),
      ),
    },
  };
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
