import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeScenario } from '../helpers/cli.js';
import { validateScenario } from '../../src/scenario/index.js';
import { simulateScenario, MemorySink, CYCLE_WINDOW } from '../../src/engine/index.js';
import { CycleDetector } from '../../src/engine/stopping.js';
import { leak } from '../agents/oracle.js';
import { renderTrajectory } from '../../src/cli/simulate.js';
import { highsSolver } from '../../src/lp/index.js';

const S = [
  [1, 0.5],
  [0.5, 1],
];
const ex1 = { name: 'ex1', model: 'leakage', covariance: S, privacyValues: [1, 1] };
const noPure = {
  name: 'nopure',
  model: 'leakage',
  platforms: 2,
  covariance: [
    [1.41, -1.3, 1.22],
    [-1.3, 1.92, -0.9],
    [1.22, -0.9, 1.42],
  ],
  privacyValues: [1.71, 0.86, 0.13],
};

const lines = (file: string): string[] => readFileSync(file, 'utf8').trim().split('\n');

describe('events.jsonl (per-round event log) and streaming', () => {
  it('one JSON object per round, consistent with the trajectory and with payoffs computed independently', async () => {
    const dir = tempDir('ev-');
    const out = join(dir, 'o');
    const r = await runCli(['simulate', writeScenario(dir, 's.json', ex1), '--dynamics', 'tatonnement', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const events = lines(join(out, 'events.jsonl')).map((l) => JSON.parse(l));
    expect(events.map((e) => e.round)).toEqual(Array.from({ length: summary.rounds }, (_, k) => k + 1));
    const csv = lines(join(out, 'trajectory.csv'));
    const head = csv[0].split(',');
    events.forEach((e, k) => {
      const row = csv[k + 1].split(',');
      expect(e.prices[0]).toBe(Number(row[head.indexOf('price_0')]));
      expect(e.shares[1]).toBe(Number(row[head.indexOf('share_1')]));
    });
    // last round: u_i = a_i p_i − v_i I_i(A), with I_i from the test's own Gaussian oracle
    const last = events.at(-1);
    const A = [0, 1].filter((i) => last.shares[i] === 1);
    for (const i of [0, 1]) expect(last.userPayoffs[i]).toBeCloseTo((last.shares[i] ? last.prices[i] : 0) - leak(S, 1, A, i), 12);
    expect(readdirSync(out).sort()).toEqual(['events.jsonl', 'summary.json', 'trajectory.csv']);
  });

  it('same seed ⇒ byte-identical trajectory.csv, events.jsonl and summary.json; streamed = in-memory trajectory', async () => {
    const dir = tempDir('ev-');
    const f = writeScenario(dir, 's.json', noPure);
    const outs = ['a', 'b'].map((k) => join(dir, k));
    for (const o of outs) expect((await runCli(['simulate', f, '--dynamics', 'learning', '--rounds', '1500', '--seed', '9', '--out', o])).code).toBe(0);
    for (const name of ['trajectory.csv', 'events.jsonl', 'summary.json']) {
      expect(readFileSync(join(outs[1], name), 'utf8')).toBe(readFileSync(join(outs[0], name), 'utf8'));
    }
    // > 64 KiB: crosses the streaming buffer several times
    expect(readFileSync(join(outs[0], 'events.jsonl')).length).toBeGreaterThan(1 << 16);
    const mem = await simulateScenario(validateScenario(noPure), { dynamics: 'learning', rounds: 1500, seed: 9 });
    expect(readFileSync(join(outs[0], 'trajectory.csv'), 'utf8')).toBe(renderTrajectory(mem.trajectory));
    const sink = new MemorySink(true);
    await simulateScenario(validateScenario(noPure), { dynamics: 'learning', rounds: 1500, seed: 9 }, sink);
    expect(readFileSync(join(outs[0], 'events.jsonl'), 'utf8')).toBe(sink.eventsJsonl());
  });

  it('intermediation events name what every side did', async () => {
    const sink = new MemorySink(true);
    const s = validateScenario({ name: 'u', model: 'intermediation', types: [1, 2], mass: [0.3, 0.7], weights: { consumer: 0.6, merchant: 0 }, reservationUtility: 0.7, remedy: 'union' });
    const { summary } = await simulateScenario(s, { lp: await highsSolver(), dynamics: 'best-response' }, sink);
    const events = sink.eventsJsonl().trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toHaveLength(summary.rounds);
    for (const k of ['prices', 'zeta', 'gains', 'records', 'fees', 'surplus', 'welfare', 'unionPayments']) expect(events[0]).toHaveProperty(k);
    // the union's budget: payments to all members = proceeds from the platform (Σ p_U q̄ = Σ p q)
    const e = events.at(-1);
    expect(e.unionPayments[0] * 0.3 + e.unionPayments[1] * 0.7).toBeCloseTo(e.payments, 12);
  });

  it('a failing run leaves no file behind', async () => {
    const dir = tempDir('ev-');
    const out = join(dir, 'o');
    const bad = { ...ex1, name: 'big', covariance: Array.from({ length: 13 }, (_, i) => Array.from({ length: 13 }, (__, j) => (i === j ? 1 : 0))), privacyValues: new Array(13).fill(1) };
    const r = await runCli(['simulate', writeScenario(dir, 's.json', bad), '--dynamics', 'learning', '--out', out]);
    expect(r.code).toBe(2);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});

describe('cycle detection with bounded memory', () => {
  const detect = (period: number, rounds: number): { at: number; period: number } | null => {
    const d = new CycleDetector();
    for (let t = 1; t <= rounds; t++) {
      const p = d.check(t, `state-${t % period}`);
      if (p !== null) return { at: t, period: p };
    }
    return null;
  };

  it('short cycles are caught at the first repeat; long ones with their exact period', () => {
    expect(detect(2, 100)).toEqual({ at: 3, period: 2 });
    expect(detect(CYCLE_WINDOW, 10 * CYCLE_WINDOW)).toEqual({ at: CYCLE_WINDOW + 1, period: CYCLE_WINDOW });
    const long = detect(3 * CYCLE_WINDOW + 7, 40 * CYCLE_WINDOW);
    expect(long?.period).toBe(3 * CYCLE_WINDOW + 7);
  });

  it('remembers at most CYCLE_WINDOW digests however long the run', () => {
    const d = new CycleDetector();
    for (let t = 1; t <= 20_000; t++) expect(d.check(t, `distinct-${t}`)).toBeNull();
    expect((d as unknown as { seen: Map<string, number> }).seen.size).toBeLessThanOrEqual(CYCLE_WINDOW);
  });
});
