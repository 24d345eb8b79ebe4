/**
 * `report` on a folder whose files have the wrong shape (issue 9 gap 3): exit 2, one line naming the file
 * and the first wrong field, and nothing written (no report.html, no plots/). Folders are made by the real
 * CLI once, then copied and damaged one way each; the undamaged copies still report (exit 0).
 */
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, writeScenario } from '../helpers/cli.js';

let root: string;

beforeAll(async () => {
  root = tempDir('dm-report-shapes-');
  writeScenario(root, 's.json', { name: 'two', model: 'leakage', covariance: [[1, 0.5], [0.5, 1]], privacyValues: [0.5, 2] });
  expect((await runCli(['simulate', 's.json', '--out', 'sim', '--rounds', '20'], root)).code).toBe(0);
  writeScenario(root, 'sw.json', { name: 'sw', command: 'solve', base: 's.json', grid: { 'privacyValues.0': [0.5, 1] }, seed: 1 });
  expect((await runCli(['sweep', 'sw.json', '--out', 'sweep', '--workers', '0'], root)).code).toBe(0);
}, 60_000);

/** A copy of `from` damaged by `damage`; returns the copy's name. */
function variant(from: 'sim' | 'sweep', name: string, damage: (dir: string) => void): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, from), dir, { recursive: true });
  damage(dir);
  return name;
}

const editJson = (file: string, f: (x: Record<string, unknown>) => unknown): void => writeFileSync(file, JSON.stringify(f(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)));

const cases: { what: string; make: () => string; says: RegExp }[] = [
  { what: 'summary.json is {}', make: () => variant('sim', 'empty-summary', (d) => writeFileSync(join(d, 'summary.json'), '{}')), says: /summary\.json: not a simulate summary: scenario: / },
  {
    what: 'summary.json lacks distance',
    make: () => variant('sim', 'no-distance', (d) => editJson(join(d, 'summary.json'), ({ distance: _, ...rest }) => rest)),
    says: /summary\.json: not a simulate summary: distance: /,
  },
  { what: 'summary.json rounds is a string', make: () => variant('sim', 'rounds-string', (d) => editJson(join(d, 'summary.json'), (x) => ({ ...x, rounds: '20' }))), says: /summary\.json: not a simulate summary: rounds: / },
  { what: 'summary.json is an array', make: () => variant('sim', 'array-summary', (d) => writeFileSync(join(d, 'summary.json'), '[]')), says: /summary\.json: not a simulate summary: \(root\): / },
  {
    what: 'trajectory.csv without a round column',
    make: () => variant('sim', 'no-round', (d) => writeFileSync(join(d, 'trajectory.csv'), 'step,x\n0,1\n')),
    says: /trajectory\.csv: round: missing column$/,
  },
  {
    what: 'manifest.json lacks counts.tasks',
    make: () => variant('sweep', 'no-tasks', (d) => editJson(join(d, 'manifest.json'), (m) => ({ ...m, counts: { ...(m.counts as object), tasks: undefined } }))),
    says: /manifest\.json: not a datamarket sweep manifest: counts\.tasks: /,
  },
  {
    what: 'results.csv header differs from the manifest',
    make: () => variant('sweep', 'bad-header', (d) => writeFileSync(join(d, 'results.csv'), 'run,replicate\n0,0\n')),
    says: /results\.csv: the columns differ from manifest\.json's/,
  },
  {
    what: 'results.csv run cell not an integer',
    make: () =>
      variant('sweep', 'bad-run', (d) => {
        const [head, first, ...rest] = readFileSync(join(d, 'results.csv'), 'utf8').split('\n');
        writeFileSync(join(d, 'results.csv'), [head, first.replace(/^[^,]*/, 'x'), ...rest].join('\n'));
      }),
    says: /results\.csv: row 1: run: expected an integer, got "x"$/,
  },
  { what: 'summary.csv missing', make: () => variant('sweep', 'no-summary', (d) => rmSync(join(d, 'summary.csv'))), says: /summary\.csv: no such file$/ },
];

describe('report refuses malformed folder files: exit 2, one line, nothing written', () => {
  for (const c of cases) {
    it(c.what, async () => {
      const name = c.make();
      const before = readdirSync(join(root, name)).sort();
      const r = await runCli(['report', name], root);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: dir: /);
      expect(lines[0]).toMatch(c.says);
      expect(readdirSync(join(root, name)).sort()).toEqual(before);
    });
  }

  it('the undamaged folders report (exit 0, report.html written)', async () => {
    for (const from of ['sim', 'sweep'] as const) {
      const name = variant(from, `ok-${from}`, () => undefined);
      const r = await runCli(['report', name], root);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(existsSync(join(root, name, 'report.html'))).toBe(true);
    }
  });
});
