/**
 * Limits decided before any work, through the CLI (issue 9 gap 1): a sweep whose run 2 (the third of five)
 * exceeds a checker or engine limit exits 2 with the refusal's unchanged message naming the run, and
 * creates no output folder — before runs 0 and 1 (which are fine) write anything.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeScenario } from '../helpers/cli.js';

const communities = (extra: object = {}) => ({
  name: 'c',
  model: 'leakage',
  communities: { sizes: [1, 1, 1], variance: 1, within: 0.3, across: 0.1 },
  privacyValues: [0.5, 0.8, 2],
  ...extra,
});

function expectRefused(r: { code: number; stdout: string; stderr: string }, field: string, says: RegExp, dir: string, files: string[]): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0].startsWith(`error: ${field}: `)).toBe(true);
  expect(lines[0]).toMatch(says);
  expect(readdirSync(dir).sort()).toEqual(files);
}

describe('preflight through the CLI', () => {
  it('sweep solve: run 2 of 0–4 beyond the community duopoly limit → exit 2 naming the run, no output folder', async () => {
    const dir = tempDir('dm-preflight-');
    writeScenario(dir, 'sw.json', {
      name: 'duo',
      command: 'solve',
      base: communities({ platforms: 2 }),
      grid: { 'communities.sizes': [[1, 1, 1], [2, 1, 1], [22, 22, 22], [1, 2, 1], [1, 1, 2]] },
      seed: 1,
    });
    const r = await runCli(['sweep', 'sw.json', '--out', 'OUT', '--workers', '0'], dir);
    expectRefused(
      r,
      'communities.sizes',
      /: the exact duopoly needs more than 20000000 sharer-count vectors over all joining count profiles; use fewer or smaller communities \(in run 2: communities\.sizes=\[22,22,22\]\)$/,
      dir,
      ['sw.json'],
    );
    expect(existsSync(join(dir, 'OUT'))).toBe(false);
  });

  it('sweep simulate: run 2 beyond learning’s 12 users → exit 2 naming the run, no output folder', async () => {
    const dir = tempDir('dm-preflight-');
    writeScenario(dir, 'sw.json', {
      name: 'learn',
      command: 'simulate',
      base: communities({ dynamics: { kind: 'learning', rounds: 30 } }),
      grid: { 'communities.sizes': [[1, 1, 1], [2, 1, 1], [5, 5, 5], [1, 2, 1], [1, 1, 2]] },
      seed: 1,
    });
    const r = await runCli(['sweep', 'sw.json', '--out', 'OUT', '--workers', '0'], dir);
    expectRefused(r, 'dynamics.kind', /: learning is limited to 12 users \(it probes one user per round\); this scenario has 15 \(in run 2: communities\.sizes=\[5,5,5\]\)$/, dir, ['sw.json']);
  });

  it('the in-limit sweep runs (the refusal above is the limit, not the sweep)', async () => {
    const dir = tempDir('dm-preflight-');
    writeScenario(dir, 'sw.json', { name: 'duo', command: 'solve', base: communities({ platforms: 2 }), grid: { 'communities.sizes': [[1, 1, 1], [2, 1, 1], [1, 2, 1]] }, seed: 1 });
    const r = await runCli(['sweep', 'sw.json', '--out', 'OUT', '--workers', '0'], dir);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'OUT', 'results.csv'))).toBe(true);
  });

  it('solve and simulate refuse before work with the same line', async () => {
    const dir = tempDir('dm-preflight-');
    writeScenario(dir, 's.json', communities({ platforms: 2, communities: { sizes: [22, 22, 22], variance: 1, within: 0.3, across: 0.1 } }));
    expectRefused(await runCli(['solve', 's.json'], dir), 'communities.sizes', /^error: communities\.sizes: the exact duopoly needs more than 20000000 .*communities$/, dir, ['s.json']);
    writeScenario(dir, 'l.json', communities({ communities: { sizes: [5, 5, 5], variance: 1, within: 0.3, across: 0.1 }, dynamics: { kind: 'learning' } }));
    expectRefused(await runCli(['simulate', 'l.json', '--out', 'o'], dir), 'dynamics.kind', /this scenario has 15$/, dir, ['l.json', 's.json']);
  });

  it('one platform on communities: more than 10⁶ users in all is refused before work (review: 10⁸ ran out of memory, exit 134; 10¹² did not end; a sweep left a running manifest)', async () => {
    const dir = tempDir('dm-preflight-');
    writeScenario(dir, 'big.json', communities({ communities: { sizes: [1e8, 10, 10], variance: 1, within: 0.05, across: 0.01 } }));
    expectRefused(await runCli(['solve', 'big.json'], dir), 'communities.sizes', /: 100000020 users in all exceed the limit of 1000000/, dir, ['big.json']);
    writeScenario(dir, 'sw.json', { name: 'big', command: 'solve', base: communities(), grid: { 'communities.sizes.0': [10, 1e12] }, seed: 1 });
    expectRefused(await runCli(['sweep', 'sw.json', '--out', 'OUT', '--workers', '0'], dir), 'communities.sizes', /users in all exceed the limit of 1000000 .*\(in run 1: communities\.sizes\.0=1000000000000\)$/, dir, ['big.json', 'sw.json']);
  });
});
