/**
 * Fuzzing the sweep validator, simulate and the argument parser. Contract: malformed input ends in an
 * InputError (one line naming a field) — through the CLI exit 2 with nothing written — and no input ever
 * gives exit 1 or an exception escaping `main`.
 */
import fc from 'fast-check';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSweep } from '../../src/batch/expand.js';
import { parseShard } from '../../src/batch/shard.js';
import { InputError } from '../../src/scenario/errors.js';
import { runCli, tempDir, writeScenario } from '../helpers/cli.js';

const base = { name: 'b', model: 'leakage', covariance: [[1, 0.3], [0.3, 1]], privacyValues: [0.5, 2] };
const good = { name: 's', command: 'solve', base, grid: { 'privacyValues.0': [0.5, 1] }, replicates: 1, seed: 1 };

const junk = fc.oneof(
  fc.constant(null),
  fc.constant('NaN'),
  fc.constant(-1),
  fc.constant(0),
  fc.constant(1.5),
  fc.constant(1e308),
  fc.constant([]),
  fc.constant({}),
  fc.string({ maxLength: 5 }),
  fc.boolean(),
  fc.jsonValue({ maxDepth: 2 }),
);
/** Paths that exist, that do not, that run into scalars or past arrays, or are malformed. */
const path = fc.oneof(
  fc.constantFrom('privacyValues.0', 'privacyValues.1', 'noiseVariance', 'covariance.0.1|covariance.1.0', 'name', 'seed', 'spillover', 'platforms'),
  fc.constantFrom('privacyValues.9', 'covariance.0.0.0', 'name.x', 'model', '', '.', 'a..b', 'privacyValues.-1', '|', 'communities.across', 'regulation.tax.kind'),
  fc.string({ maxLength: 8 }),
);

/** A sweep mutation: replace or delete a top-level field, or put junk into the grid or runs. */
const sweepMutation = fc.oneof(
  fc.record({ kind: fc.constant('top' as const), key: fc.constantFrom('name', 'command', 'base', 'grid', 'runs', 'replicates', 'seed', 'report', 'extra'), value: fc.option(junk, { nil: undefined }) }),
  fc.record({ kind: fc.constant('grid' as const), key: path, values: fc.oneof(fc.array(junk, { maxLength: 3 }), junk) }),
  fc.record({ kind: fc.constant('runs' as const), runs: fc.array(fc.dictionary(path, junk, { maxKeys: 2 }), { maxLength: 3 }) }),
);

type SweepMutation = typeof sweepMutation extends fc.Arbitrary<infer T> ? T : never;

function applySweep(m: SweepMutation): Record<string, unknown> {
  const s: Record<string, unknown> = structuredClone(good);
  if (m.kind === 'top') {
    if (m.value === undefined) delete s[m.key];
    else s[m.key] = m.value;
  } else if (m.kind === 'grid') s.grid = { ...(s.grid as object), [m.key]: m.values };
  else s.runs = m.runs;
  return s;
}

function expectInputErrorOrValid(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).line()).toMatch(/^error: [^\n]+: [^\n]+$/);
    return false;
  }
}

describe('sweep fuzzing', () => {
  it('malformed sweep files: InputError or a valid plan, never another exception', () => {
    const dir = tempDir('dm-fuzz-sweep-');
    const file = join(dir, 'sweep.json');
    let refused = 0;
    fc.assert(
      fc.property(sweepMutation, (m) => {
        writeFileSync(file, JSON.stringify(applySweep(m)));
        if (!expectInputErrorOrValid(() => loadSweep(file))) refused++;
      }),
      { numRuns: 1500, seed: 11 },
    );
    // The generator must mostly produce bad input, or the test checks little.
    expect(refused).toBeGreaterThan(750);
  });

  it('shard strings: a valid 1 ≤ I ≤ N or an InputError', () => {
    const text = fc.oneof(
      fc.tuple(fc.integer({ min: -3, max: 12 }), fc.integer({ min: -3, max: 12 })).map(([i, n]) => `${i}/${n}`),
      fc.string({ maxLength: 6 }),
      fc.constantFrom('3/2', '0/4', '1/0', '1 / 2', '2/2/2', '1.5/2', '99999999999999999999/1'),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          const s = parseShard(t);
          expect(Number.isSafeInteger(s.index) && Number.isSafeInteger(s.count) && s.index >= 1 && s.index <= s.count).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 1000, seed: 12 },
    );
    for (const t of ['3/2', '0/4']) expect(() => parseShard(t)).toThrow(InputError);
  });

  it('through the CLI (sample): exit 0 or 2, never 1; on 2 one line and no --out folder', async () => {
    const dir = tempDir('dm-fuzz-sweep-cli-');
    const samples = fc.sample(sweepMutation, { numRuns: 30, seed: 13 });
    let k = 0;
    let bad = 0;
    for (const m of samples) {
      const f = writeScenario(dir, `s${k}.json`, applySweep(m));
      const out = join(dir, `out${k++}`);
      const r = await runCli(['sweep', f, '--out', out, '--workers', '0'], dir);
      expect([0, 2], r.stderr).toContain(r.code);
      if (r.code === 2) {
        bad++;
        expect(r.stdout).toBe('');
        expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
        expect(existsSync(out)).toBe(false);
      }
    }
    expect(bad).toBeGreaterThan(10);
  });
});

describe('simulate fuzzing (sample through the CLI)', () => {
  it('malformed scenarios: exit 2, one line, no output folder', async () => {
    const bases: Record<string, unknown>[] = [
      base,
      { name: 'i', model: 'intermediation', types: [1, 2, 3], mass: [0.3, 0.3, 0.4], weights: { consumer: 1, merchant: 0 } },
    ];
    const mutation = fc.tuple(fc.constantFrom(...bases), fc.constantFrom('name', 'model', 'privacyValues', 'covariance', 'types', 'mass', 'weights', 'noiseVariance', 'dynamics', 'platforms', 'remedy', 'x_extra'), junk);
    const dir = tempDir('dm-fuzz-sim-');
    let k = 0;
    let refused = 0;
    for (const [b, key, value] of fc.sample(mutation, { numRuns: 40, seed: 14 })) {
      const s = { ...b, [key]: value };
      const f = writeScenario(dir, `s${k}.json`, s);
      const out = join(dir, `out${k++}`);
      const r = await runCli(['simulate', f, '--out', out, '--rounds', '30'], dir);
      expect([0, 2], r.stderr).toContain(r.code);
      if (r.code === 2) {
        refused++;
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^error: [^\n]+: [^\n]+\n$/);
        expect(existsSync(out)).toBe(false);
      }
    }
    expect(refused).toBeGreaterThan(25);
  });
});

describe('argv fuzzing through main()', () => {
  it('random flags, numbers and missing arguments never give exit 1 or an escaping exception', async () => {
    const dir = tempDir('dm-fuzz-argv-');
    writeScenario(dir, 's.json', base);
    writeScenario(dir, 'sw.json', good);
    const token = fc.oneof(
      fc.constantFrom('solve', 'simulate', 'sweep', 'merge', 'report', 'default', 'frob'),
      fc.constantFrom('s.json', 'sw.json', 'nope.json', '.', 'o1', 'o2'),
      fc.constantFrom('--json', '--out', '--rounds', '--seed', '--dynamics', '--workers', '--shard', '--shard-count', '--resume', '--sims', '--batch', '--trajectory', '--log-level', '--frob', '-x', '--'),
      fc.constantFrom('0', '1', '-1', '2/3', '3/2', '0/4', '1e9', 'NaN', 'best-response', 'learning', 'tatonnement', 'silent', ''),
      fc.string({ maxLength: 4 }),
    );
    const argv = fc.array(token, { maxLength: 6 }).filter((a) => !a.includes('--help') && !a.includes('-h'));
    const samples = fc.sample(argv, { numRuns: 300, seed: 15 });
    for (const a of samples) {
      let r: Awaited<ReturnType<typeof runCli>> | undefined;
      try {
        r = await runCli(a, dir);
      } catch (e) {
        throw new Error(`main threw on ${JSON.stringify(a)}: ${String(e)}`);
      }
      expect([0, 2], `${JSON.stringify(a)} → ${r.stderr}`).toContain(r.code);
      if (r.code === 2) expect(r.stderr, JSON.stringify(a)).toMatch(/^error: [^\n]+: [^\n]+\n$/);
    }
    // No temp file of an atomic write is left behind, and only the --out folders of successful runs appeared.
    expect(readdirSync(dir).filter((f) => !['s.json', 'sw.json', 'o1', 'o2', 'out'].includes(f))).toEqual([]);
  });
});

describe('the error line stays one line', () => {
  it('a field name with a line break is shown with \\n (review: "a\\nb": 1 printed two lines)', () => {
    expect(new InputError('a\nb', 'unknown field').line()).toBe('error: a\\nb: unknown field');
    expect(new InputError('x', 'one\r\ntwo').line()).toBe('error: x: one\\ntwo');
  });
});
