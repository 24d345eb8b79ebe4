/**
 * SIGINT stops a sweep cleanly: exit 130, a message saying how to resume, finished rows kept; the resumed
 * sweep ends byte-identical to an unbroken one. No temp files of atomic writes are left behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/datamarket.js');

/** Runs the CLI in a child process and sends SIGINT as soon as `ready()` holds (polled every 5 ms). */
function interruptWhen(args: string[], cwd: string, ready: () => boolean, signal: NodeJS.Signals = 'SIGINT'): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, LOG_LEVEL: 'warn' } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done) => {
    const poll = setInterval(() => {
      if (ready()) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 5);
    child.on('exit', (c) => {
      clearInterval(poll);
      done({ code: c, stderr });
    });
  });
}

describe('durability', () => {
  it('SIGINT: exit 130, resume hint, then --resume completes identically', async () => {
    const dir = tempDir('dm-sigint-');
    const n = 12;
    const cov = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0.3)));
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify({
      name: 'sigint',
      base: { name: 'b', model: 'leakage', covariance: cov, privacyValues: Array.from({ length: n }, (_, i) => 0.4 + 0.1 * i) },
      grid: { 'privacyValues.0': Array.from({ length: 40 }, (_, i) => 0.2 + 0.05 * i) },
    }));
    const env = { ...process.env, LOG_LEVEL: 'warn' };
    const results = join(dir, 'run', 'results.csv');
    const rows = (): number => (existsSync(results) ? readFileSync(results, 'utf8').split('\n').length - 2 : 0);
    const { code, stderr } = await interruptWhen(['sweep', 'sweep.json', '--out', 'run', '--workers', '1'], dir, () => rows() >= 2);
    if (code === 0) return; // finished before the signal landed: nothing to check on this machine
    expect(code).toBe(130);
    expect(stderr).toMatch(/^interrupted: \d+ of 40 tasks done and saved in run\nresume with: datamarket sweep sweep\.json --out run --resume\n$/);
    const kept = rows();
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(40);
    const manifest = JSON.parse(readFileSync(join(dir, 'run', 'manifest.json'), 'utf8')) as { status: string };
    expect(manifest.status).toBe('interrupted');
    const again = spawnSync(process.execPath, [BIN, 'sweep', 'sweep.json', '--out', 'run', '--resume', '--workers', '1'], { cwd: dir, env, encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`${40 - kept} run now, ${kept} already done`));
    // the uninterrupted reference needs no separate process
    const ref = await runCli(['sweep', 'sweep.json', '--out', 'ref', '--workers', '0'], dir);
    expect(ref.code, ref.stderr).toBe(0);
    for (const f of ['results.csv', 'summary.csv', 'results.json']) expect(readFileSync(join(dir, 'run', f), 'utf8')).toBe(readFileSync(join(dir, 'ref', f), 'utf8'));
    for (const d of ['run', 'ref']) expect(readdirSync(join(dir, d)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  // SIGTERM (kill, timeout, SLURM, Kubernetes) killed the run outright with its temporary files left (review)
  for (const [signal, exit] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} on simulate: exit ${exit}, one line, no temporary files, and no folder it made itself (review: 200 MB left)`, async () => {
      const dir = tempDir('dm-stop-sim-');
      // a long run: learning on two communities, a million rounds, a tolerance it never meets
      writeFileSync(join(dir, 's.json'), JSON.stringify({ name: 'long', model: 'leakage', communities: { sizes: [3, 3], variance: 1, within: 0.3, across: 0.1 }, privacyValues: [0.6, 1.4], dynamics: { kind: 'learning', rounds: 1000000, tolerance: 1e-300 } }));
      const run = join(dir, 'run');
      // interrupted once the run has flushed into its hidden temporary files
      const { code, stderr } = await interruptWhen(['simulate', 's.json', '--out', 'run'], dir, () => existsSync(run) && readdirSync(run).some((f) => f.endsWith('.tmp')), signal);
      expect(code).toBe(exit);
      expect(stderr).toBe("interrupted: nothing written (a run's files are written when it ends)\n");
      expect(existsSync(run)).toBe(false);
    }, 60_000);
  }

  it('SIGINT on the default batch: the running sweep saved as interrupted, nothing more started, exit 130 (review: no word, a manifest left "running")', async () => {
    const dir = tempDir('dm-sigint-default-');
    const first = join(dir, 'out', 'default', 'dynamics-convergence', 'manifest.json');
    // the signal lands within the first sweep (about 5 s of work in all)
    const { code, stderr } = await interruptWhen(['default', '--sims', join(ROOT, 'sims'), '--out', 'out', '--workers', '1'], dir, () => existsSync(first));
    expect(code).toBe(130);
    expect(stderr).toMatch(/^interrupted: the default batch in .* is incomplete \(\d+ folders done\); run it again$/m);
    const folders = readdirSync(join(dir, 'out', 'default'));
    expect(folders.some((d) => d.startsWith('simulate-'))).toBe(false);
    // no sweep left "running": the one stopped says interrupted (it said running, the process killed: review)
    const statuses = folders.map((d) => (JSON.parse(readFileSync(join(dir, 'out', 'default', d, 'manifest.json'), 'utf8')) as { status: string }).status);
    expect(statuses).toContain('interrupted');
    expect(statuses.every((st) => st === 'complete' || st === 'interrupted')).toBe(true);
  }, 60_000);

  it('SIGTERM on a sweep: exit 143, the resume hint, the manifest interrupted', async () => {
    const dir = tempDir('dm-sigterm-sweep-');
    const n = 12;
    const cov = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0.3)));
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ name: 'sigterm', base: { name: 'b', model: 'leakage', covariance: cov, privacyValues: Array.from({ length: n }, (_, i) => 0.4 + 0.1 * i) }, grid: { 'privacyValues.0': Array.from({ length: 40 }, (_, i) => 0.2 + 0.05 * i) } }));
    const results = join(dir, 'run', 'results.csv');
    const rows = (): number => (existsSync(results) ? readFileSync(results, 'utf8').split('\n').length - 2 : 0);
    const { code, stderr } = await interruptWhen(['sweep', 'sweep.json', '--out', 'run', '--workers', '1'], dir, () => rows() >= 2, 'SIGTERM');
    if (code === 0) return; // finished before the signal landed: nothing to check on this machine
    expect(code).toBe(143);
    expect(stderr).toMatch(/resume with: datamarket sweep sweep\.json --out run --resume/);
    expect((JSON.parse(readFileSync(join(dir, 'run', 'manifest.json'), 'utf8')) as { status: string }).status).toBe('interrupted');
  }, 60_000);

  it('SIGINT during the checker\'s solve, before the rounds: nothing written, earlier results kept, the folders it would make removed (review: exit 0, results overwritten)', async () => {
    const dir = tempDir('dm-sigint-solve-');
    // six types, fees off the grid: the checker's solve takes ~2.5 s here, its rounds a few milliseconds
    writeFileSync(join(dir, 's.json'), JSON.stringify({ name: 'slow', model: 'intermediation', types: [0.5, 1, 2, 3.5, 4, 4.5], fees: [0.43, 0.5, 1, 2, 3.5, 4, 4.5], mass: [0.93, 0.16, 0.32, 0.63, 0.79, 1.05e-6], weights: { consumer: 1.02, merchant: 1 }, reservationUtility: 0.5 }));
    // an existing folder with earlier results, and a new nested one
    for (const [out, earlier] of [['kept', true], ['new/a/b', false]] as const) {
      if (earlier) {
        mkdirSync(join(dir, out));
        writeFileSync(join(dir, out, 'trajectory.csv'), 'keep');
      }
      const t0 = Date.now();
      // the signal lands in the solve (or, on a slow start, before the handler: killed, code null); before the
      // fix the run went on and wrote its files, exit 0
      const { code, stderr } = await interruptWhen(['simulate', 's.json', '--out', out], dir, () => Date.now() - t0 > 700);
      expect(code).not.toBe(0);
      if (code !== null) {
        expect(code).toBe(130);
        expect(stderr).toMatch(/^interrupted: nothing written/);
      }
      if (earlier) expect(readdirSync(join(dir, out))).toEqual(['trajectory.csv']);
      else expect(existsSync(join(dir, 'new'))).toBe(false);
      if (earlier) expect(readFileSync(join(dir, out, 'trajectory.csv'), 'utf8')).toBe('keep');
    }
  }, 60_000);
});
