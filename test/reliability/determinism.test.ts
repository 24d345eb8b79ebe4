/**
 * Same inputs and seed ⇒ byte-identical outputs. test/batch/cli.test.ts covers `solve` sweeps across
 * worker counts and a 3-way shard split; this file covers solve --json, simulate for every dynamic (leakage
 * and intermediation, files and stdout), and a `simulate` sweep with 0 vs 2 workers and 2 shards merged.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/datamarket.js');
const read = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');

const leak = { name: 'det', model: 'leakage', covariance: [[1, 0.4, 0.1], [0.4, 1, 0.3], [0.1, 0.3, 1]], privacyValues: [0.4, 0.9, 1.6] };
const inter = { name: 'deti', model: 'intermediation', types: [1, 2], mass: [0.5, 0.5], weights: { consumer: 0.6, merchant: 1 }, reservationUtility: 0.1 };

describe('determinism', () => {
  it('solve --json is byte-identical across runs', async () => {
    const dir = tempDir('dm-det-');
    for (const [name, s] of [['l.json', leak], ['i.json', inter]] as const) {
      writeFileSync(join(dir, name), JSON.stringify(s));
      const a = await runCli(['solve', name, '--json'], dir);
      const b = await runCli(['solve', name, '--json'], dir);
      expect(a.code).toBe(0);
      expect(a.stdout.length).toBeGreaterThan(50);
      expect(b.stdout).toBe(a.stdout);
    }
  });

  it('simulate: every dynamic gives identical summary.json, trajectory.csv and stdout for one seed; another seed differs for learning', async () => {
    const dir = tempDir('dm-det-');
    writeFileSync(join(dir, 'l.json'), JSON.stringify(leak));
    writeFileSync(join(dir, 'i.json'), JSON.stringify(inter));
    for (const file of ['l.json', 'i.json']) {
      for (const kind of ['best-response', 'tatonnement', 'learning']) {
        const outs = ['a', 'b'].map((x) => `${file}-${kind}-${x}`);
        const runs = [];
        for (const o of outs) runs.push(await runCli(['simulate', file, '--dynamics', kind, '--seed', '7', '--rounds', '400', '--out', o, '--json'], dir));
        for (const r of runs) expect(r.code, r.stderr).toBe(0);
        expect(runs[1].stdout).toBe(runs[0].stdout);
        for (const f of ['summary.json', 'trajectory.csv']) expect(read(join(dir, outs[1]), f)).toBe(read(join(dir, outs[0]), f));
      }
    }
    // The seed matters where there is randomness (learning probes): a different seed gives a different path.
    const other = await runCli(['simulate', 'l.json', '--dynamics', 'learning', '--seed', '8', '--rounds', '400', '--out', 'other'], dir);
    expect(other.code).toBe(0);
    expect(read(join(dir, 'other'), 'trajectory.csv')).not.toBe(read(join(dir, 'l.json-learning-a'), 'trajectory.csv'));
  });

  it('a simulate sweep: 0 vs 2 workers and 2 shards merged give byte-identical tables', async () => {
    const dir = tempDir('dm-det-sweep-');
    const sweep = {
      name: 'det-sim',
      command: 'simulate',
      base: { ...leak, dynamics: { kind: 'learning', rounds: 300 } },
      grid: { 'privacyValues.0': [0.3, 0.8] },
      replicates: 3,
      seed: 5,
    };
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(sweep));
    // Only the 2-worker run is a spawned process (worker threads load the compiled worker); the reference,
    // the shards and the merge run in this process, so the comparison also spans two processes.
    const w2 = spawnSync(process.execPath, [BIN, 'sweep', 'sweep.json', '--out', 'w2', '--workers', '2'], { cwd: dir, env: { ...process.env, LOG_LEVEL: 'warn' }, encoding: 'utf8' });
    expect(w2.status, w2.stderr).toBe(0);
    for (const [out, extra] of [['w0', []], ['s1', ['--shard', '1/2']], ['s2', ['--shard', '2/2']]] as const) {
      const r = await runCli(['sweep', 'sweep.json', '--out', out, '--workers', '0', ...extra], dir);
      expect(r.code, r.stderr).toBe(0);
    }
    const m = await runCli(['merge', 's1', 's2', '--out', 'merged'], dir);
    expect(m.code, m.stderr).toBe(0);
    const rows = read(join(dir, 'w0'), 'results.csv').trim().split('\n');
    expect(rows).toHaveLength(1 + 2 * 3);
    // Replicates of one run carry different seeds, and learning makes them differ somewhere.
    expect(new Set(rows.slice(1).map((r) => r.split(',')[2])).size).toBe(6);
    for (const f of ['results.csv', 'results.json', 'summary.csv']) {
      expect(read(join(dir, 'w2'), f)).toBe(read(join(dir, 'w0'), f));
      expect(read(join(dir, 'merged'), f)).toBe(read(join(dir, 'w0'), f));
    }
  });
});
