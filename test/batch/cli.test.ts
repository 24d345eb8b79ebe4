import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/report/csv.js';
import { BIN, ROOT, cli, spawn, tempDir, writeJson } from './helpers.js';

/**
 * Two users, unit variances, correlation ρ, v₁ = v₂ = v (AMMO §3.4, MODEL.md B.4.3): both share when
 * v < 4/(2−ρ²)², nobody shares above. Grid points are kept away from the threshold.
 */
const twoUsers = {
  name: 'two-user-threshold',
  command: 'solve',
  base: { name: 'two-users', model: 'leakage', covariance: [[1, 0.5], [0.5, 1]], privacyValues: [1, 1] },
  grid: { 'covariance.0.1|covariance.1.0': [0.2, 0.5, 0.8], 'privacyValues.0|privacyValues.1': [0.5, 0.9, 1.2, 2, 3, 5] },
  replicates: 2,
  seed: 3,
};

const read = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');

describe('sweep CLI', () => {
  let dir: string;
  let sweepFile: string;
  let reference: string;
  beforeAll(() => {
    dir = tempDir('sweep');
    sweepFile = writeJson(join(dir, 'sweep.json'), twoUsers);
    reference = join(dir, 'ref');
    const r = cli(['sweep', sweepFile, '--out', reference, '--workers', '0']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('writes the contract columns and the two-user sharing threshold', () => {
    const t = parseCsv(read(reference, 'results.csv'));
    expect(t.columns).toEqual(['run', 'replicate', 'seed', 'covariance.0.1|covariance.1.0', 'privacyValues.0|privacyValues.1', 'platformProfit', 'socialSurplus', 'sharers', 'firstBestSurplus']);
    expect(t.rows).toHaveLength(3 * 6 * 2);
    for (const r of t.rows) {
      const rho = Number(r['covariance.0.1|covariance.1.0']);
      const v = Number(r['privacyValues.0|privacyValues.1']);
      expect(Number(r.sharers)).toBe(v < 4 / (2 - rho * rho) ** 2 ? 2 : 0);
      if (Number(r.sharers) === 0) expect(Number(r.socialSurplus)).toBe(0);
    }
    const keys = t.rows.map((r) => `${r.run}:${r.replicate}`);
    expect(new Set(keys).size).toBe(keys.length);
    const manifest = JSON.parse(read(reference, 'manifest.json')) as { status: string; counts: { tasks: number } };
    expect(manifest.status).toBe('complete');
    expect(manifest.counts.tasks).toBe(36);
    const json = JSON.parse(read(reference, 'results.json')) as Record<string, unknown>[];
    expect(json).toHaveLength(36);
    expect(json[0].seed).toBe(Number(t.rows[0].seed));
  });

  it('progress counts tasks (runs × replicates) and says so (review: it said "0/120 runs" for 3 runs × 40 replicates)', () => {
    const out = join(dir, 'progress');
    const r = cli(['sweep', sweepFile, '--out', out, '--workers', '0'], { env: { LOG_LEVEL: 'info' } });
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('"msg":"progress"')).map((l) => JSON.parse(l) as { unit: string; total: number; done: number });
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l).toMatchObject({ unit: 'tasks', total: 3 * 6 * 2 });
    expect(lines[lines.length - 1].done).toBe(36);
    // and the validation before the first row says so (nothing was shown for ~20 s at 10⁶ tasks: review)
    const first = JSON.parse(r.stderr.split('\n')[0]) as { msg: string; tasks: number };
    expect(first).toMatchObject({ msg: 'validating the runs', tasks: 36 });
  });

  it('sweep.json (what ran) runs again to the same tables (review: it held runs: [], which the schema refuses)', () => {
    const again = join(dir, 'again');
    const written = JSON.parse(read(reference, 'sweep.json')) as Record<string, unknown>;
    expect(written.runs).toBeUndefined();
    const r = cli(['sweep', join(reference, 'sweep.json'), '--out', again, '--workers', '0']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(read(again, 'results.csv')).toBe(read(reference, 'results.csv'));
  });

  it('gives byte-identical tables across worker counts and shard splits (merge = unsharded)', () => {
    const two = join(dir, 'w2');
    expect(cli(['sweep', sweepFile, '--out', two, '--workers', '2']).code).toBe(0);
    const shards = [1, 2, 3].map((i) => join(dir, `shard${i}`));
    shards.forEach((s, i) => expect(cli(['sweep', sweepFile, '--out', s, '--workers', '1', '--shard', `${i + 1}/3`]).code).toBe(0));
    const merged = join(dir, 'merged');
    const m = cli(['merge', ...shards, '--out', merged]);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    for (const f of ['results.csv', 'summary.csv', 'results.json']) {
      expect(read(two, f)).toBe(read(reference, f));
      expect(read(merged, f)).toBe(read(reference, f));
    }
    // Each shard holds a third, and merging without a shard is refused.
    for (const s of shards) expect(parseCsv(read(s, 'results.csv')).rows).toHaveLength(12);
    const partial = cli(['merge', shards[0], shards[2], '--out', join(dir, 'bad')]);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toBe('error: dirs: missing shard 2/3\n');
  });

  it('reads the shard from Slurm array variables', () => {
    const out = join(dir, 'slurm');
    const r = cli(['sweep', sweepFile, '--out', out, '--workers', '0'], { env: { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '1' } });
    expect(r.code).toBe(0);
    const m = JSON.parse(read(out, 'manifest.json')) as { shard: unknown };
    expect(m.shard).toEqual({ index: 2, count: 3 });
    expect(read(out, 'results.csv')).toBe(read(join(dir, 'shard2'), 'results.csv'));
  });

  it('refuses bad input with one line and writes nothing', () => {
    const bad = writeJson(join(dir, 'bad.json'), { ...twoUsers, grid: { 'covariance.0.1|covariance.1.0': [0.2], 'privacyValue.0': [1] } });
    const out = join(dir, 'never');
    const r = cli(['sweep', bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: grid.privacyValue.0: no such field in the scenario\n');
    expect(existsSync(out)).toBe(false);
    const neg = writeJson(join(dir, 'neg.json'), { ...twoUsers, grid: { 'privacyValues.0|privacyValues.1': [1, -1] } });
    const s = cli(['sweep', neg, '--out', out]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/^error: privacyValues\.0: .*\(in run 1: privacyValues\.0\|privacyValues\.1=-1\)\n$/);
    expect(existsSync(out)).toBe(false);
    const again = cli(['sweep', sweepFile, '--out', reference]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^error: --out: .* already holds a sweep; add --resume/);
  });
});

describe('resume of a damaged results.csv (review: both ended as internal errors, exit 1)', () => {
  const setup = () => {
    const dir = tempDir('torn');
    const sweepFile = writeJson(join(dir, 'sweep.json'), { ...twoUsers, grid: { name: ['line\nbreak', 'plain'], 'privacyValues.0|privacyValues.1': [0.5, 5] } });
    const ref = join(dir, 'ref');
    expect(cli(['sweep', sweepFile, '--out', ref, '--workers', '0']).code).toBe(0);
    return { dir, sweepFile, ref };
  };
  it('a row torn inside a quoted field that holds a line break is cut back and run again: the same bytes as an unbroken run', () => {
    const { dir, sweepFile, ref } = setup();
    const out = join(dir, 'out');
    expect(cli(['sweep', sweepFile, '--out', out, '--workers', '0']).code).toBe(0);
    const full = read(ref, 'results.csv');
    // a crash just after the line break inside the last row's name: the file ends in an open quote
    const torn = full.lastIndexOf('line\n') + 'line\n'.length;
    expect(torn).toBeGreaterThan(full.indexOf('\n'));
    writeFileSync(join(out, 'results.csv'), full.slice(0, torn));
    const r = cli(['sweep', sweepFile, '--out', out, '--workers', '0', '--resume']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(read(out, 'results.csv')).toBe(full);
  });
  it('a complete row of the wrong width is bad input naming the file: exit 2, one line', () => {
    const { dir, sweepFile, ref } = setup();
    const out = join(dir, 'out');
    expect(cli(['sweep', sweepFile, '--out', out, '--workers', '0']).code).toBe(0);
    writeFileSync(join(out, 'results.csv'), read(ref, 'results.csv') + '0,0,999,xx\n');
    const r = cli(['sweep', sweepFile, '--out', out, '--workers', '0', '--resume']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --resume: .*results\.csv is damaged \(.*\); remove the bad lines, or run into a new folder\n$/);
  });
});

describe('resume after a kill', () => {
  it('completes a SIGKILLed sweep without redoing runs or duplicating rows', async () => {
    const dir = tempDir('resume');
    const n = 12;
    const cov = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0.3)));
    const sweepFile = writeJson(join(dir, 'sweep.json'), {
      name: 'resume',
      base: { name: 'b', model: 'leakage', covariance: cov, privacyValues: Array.from({ length: n }, (_, i) => 0.4 + 0.1 * i) },
      grid: { 'privacyValues.0': Array.from({ length: 30 }, (_, i) => 0.2 + 0.05 * i) },
      replicates: 2,
    });
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [BIN, 'sweep', sweepFile, '--out', out, '--workers', '1'], { cwd: ROOT, stdio: 'ignore' });
    const results = join(out, 'results.csv');
    const lines = (): number => (existsSync(results) ? readFileSync(results, 'utf8').split('\n').length - 2 : 0);
    let exited = false;
    child.once('exit', () => (exited = true));
    await new Promise<void>((res, rej) => {
      const t0 = Date.now();
      const poll = setInterval(() => {
        if (lines() >= 5) {
          clearInterval(poll);
          child.kill('SIGKILL');
          res();
        } else if (exited || Date.now() - t0 > 30_000) {
          clearInterval(poll);
          child.kill('SIGKILL');
          rej(new Error('sweep wrote no rows'));
        }
      }, 20);
    });
    if (!exited) await new Promise((res) => child.once('exit', res));
    const before = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { status: string };
    expect(before.status).toBe('running'); // killed mid-sweep, not after it finished
    const doneBefore = lines();
    expect(doneBefore).toBeLessThan(60);
    const r = cli(['sweep', sweepFile, '--out', out, '--workers', '2', '--resume']);
    expect(r.code).toBe(0);
    const after = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { status: string; counts: { resumed: number; done: number } };
    expect(after.status).toBe('complete');
    expect(after.counts.resumed).toBeGreaterThanOrEqual(doneBefore);
    expect(after.counts.done).toBe(60);
    expect(r.stdout).toContain(`${60 - after.counts.resumed} run now, ${after.counts.resumed} already done`);
    // Same bytes as an unbroken run.
    const ref = join(dir, 'ref');
    expect(cli(['sweep', sweepFile, '--out', ref, '--workers', '2']).code).toBe(0);
    expect(readFileSync(results, 'utf8')).toBe(readFileSync(join(ref, 'results.csv'), 'utf8'));
    expect(readFileSync(join(out, 'summary.csv'), 'utf8')).toBe(readFileSync(join(ref, 'summary.csv'), 'utf8'));
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('sweep file errors say what is wrong (review: "base: Invalid input", a folder as "no such file")', () => {
  it('a missing or malformed base, and a scenario given as a sweep, name base and what it should be; a folder is a folder', () => {
    const dir = tempDir('base');
    const cases = [
      writeJson(join(dir, 'no-base.json'), { name: 'x', grid: {} }),
      writeJson(join(dir, 'array-base.json'), { name: 'x', base: [1], grid: {} }),
      join(ROOT, 'sims/ammo-two-users.json'),
    ];
    for (const f of cases) {
      const r = cli(['sweep', f, '--out', join(dir, 'out')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('error: base: expected the base scenario: an object, or a path to its file relative to the sweep file (is this a sweep file?)\n');
      expect(existsSync(join(dir, 'out'))).toBe(false);
    }
    const r = cli(['sweep', dir, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: sweep: ${dir}: is a directory\n`);
  });
});

describe('results.json keeps string overrides as strings (review: "007", "true", "1e3" came out as 7, true, 1000)', () => {
  it('a column of names stays text, a numeric column numbers; the same bytes after a shard merge', () => {
    const dir = tempDir('text');
    const names = ['1', 'true', '007', '1e3', 'plain'];
    const sweepFile = writeJson(join(dir, 'sweep.json'), { ...twoUsers, grid: { name: names, 'privacyValues.0|privacyValues.1': [0.5, 5] }, replicates: 1 });
    const out = join(dir, 'out');
    expect(cli(['sweep', sweepFile, '--out', out, '--workers', '0']).code).toBe(0);
    const rows = JSON.parse(read(out, 'results.json')) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.name)).toEqual(names.flatMap((n) => [n, n]));
    expect(rows.map((r) => r['privacyValues.0|privacyValues.1'])).toEqual(names.flatMap(() => [0.5, 5]));
    expect(JSON.parse(read(out, 'manifest.json')).textColumns).toEqual(['name']);
    const shards = [1, 2].map((i) => join(dir, `s${i}`));
    shards.forEach((s, i) => expect(cli(['sweep', sweepFile, '--out', s, '--workers', '0', '--shard', `${i + 1}/2`]).code).toBe(0));
    const merged = join(dir, 'merged');
    expect(cli(['merge', ...shards, '--out', merged]).code).toBe(0);
    expect(read(merged, 'results.json')).toBe(read(out, 'results.json'));
  });
});
