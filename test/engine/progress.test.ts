/**
 * Progress of a simulate run (DESIGN.md §2: a progress bar on long runs): the engine tells its sink how far the
 * checker's equilibrium search and the rounds have come (`RoundSink.progress`); the CLI draws a bar from it (review:
 * a six-type learning run was silent for 37 s, where `solve` showed a bar for the same market's search).
 */
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/scenario/index.js';
import { MemorySink, simulateScenario, type ProgressStage } from '../../src/engine/index.js';
import { highsSolver } from '../../src/lp/index.js';

/** Keeps every progress report, and takes ~1 ms per round so that the round loop reports (every 100 ms). */
class SlowSink extends MemorySink {
  readonly reports: Array<{ stage: ProgressStage; done: number; total: number }> = [];
  progress(stage: ProgressStage, done: number, total: number): void {
    this.reports.push({ stage, done, total });
  }
  override row(cells: Parameters<MemorySink['row']>[0]): void {
    const until = performance.now() + 1;
    while (performance.now() < until);
    super.row(cells);
  }
}

describe('simulate reports its progress to the sink', () => {
  it('the checker\'s search (3^N patterns), then the rounds out of the round limit, in order', async () => {
    const lp = await highsSolver();
    const s = validateScenario({ name: 'p', model: 'intermediation', types: [1, 2, 3], mass: [0.3, 0.3, 0.4], weights: { consumer: 1, merchant: 0.2 }, reservationUtility: 0.5 });
    const sink = new SlowSink();
    const { summary } = await simulateScenario(s, { lp, dynamics: 'learning', rounds: 400, seed: 3 }, sink);
    const search = sink.reports.filter((r) => r.stage === 'equilibrium search');
    const rounds = sink.reports.filter((r) => r.stage === 'rounds');
    expect(search.length).toBeGreaterThan(0);
    search.forEach((r) => expect(r.total).toBe(27));
    // every search report comes before the first round's
    const stages = sink.reports.map((r) => r.stage);
    expect(stages.indexOf('rounds')).toBeGreaterThan(stages.lastIndexOf('equilibrium search'));
    expect(rounds.length).toBeGreaterThan(0);
    rounds.forEach((r, k) => {
      expect(r.total).toBe(400);
      expect(r.done).toBeLessThanOrEqual(summary.rounds);
      if (k > 0) expect(r.done).toBeGreaterThan(rounds[k - 1].done);
    });
  });

  it('leakage runs report their rounds too', async () => {
    const s = validateScenario({ name: 'l', model: 'leakage', covariance: [[1, 0.5], [0.5, 1]], privacyValues: [1, 1], dynamics: { kind: 'tatonnement', step: 0.001 } });
    const sink = new SlowSink();
    await simulateScenario(s, { dynamics: 'tatonnement', rounds: 300 }, sink);
    expect(sink.reports.length).toBeGreaterThan(0);
    sink.reports.forEach((r) => expect(r).toMatchObject({ stage: 'rounds', total: 300 }));
  });
});
