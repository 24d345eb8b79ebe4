/**
 * Fuzzing the scenario contract: malformed scenarios must end in an InputError (one line naming a field),
 * never in another exception; through the real CLI they exit 2 with one stderr line and write nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/errors.js';
import { parseJsonText } from '../../src/scenario/json.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { listFiles, runCli, tempDir, writeScenario } from '../helpers/cli.js';

const bases: Record<string, unknown>[] = [
  { name: 'g', model: 'leakage', covariance: [[1, 0.3, 0.1], [0.3, 1, 0.2], [0.1, 0.2, 1]], privacyValues: [0.5, 1.5, 3] },
  { name: 'c', model: 'leakage', communities: { sizes: [3, 2], variance: 1, within: 0.2, across: 0.1 }, privacyValues: [0.9, 2] },
  { name: 'i', model: 'intermediation', types: [1, 2, 3], mass: [0.3, 0.3, 0.4], weights: { consumer: 1, merchant: 0 }, reservationUtility: 0.1 },
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A value of the wrong kind for any numeric or structured field. */
const wrongValue = fc.oneof(
  fc.constant('NaN'),
  fc.constant('Infinity'),
  fc.string({ maxLength: 4 }),
  fc.constant(null),
  fc.constant(true),
  fc.constant({}),
  fc.constant([]),
  fc.constant(-1),
  fc.constant(-1e308),
  fc.constant(0),
  fc.constant([[1, 2], [3]]),
);

/** Paths (as key lists) of every leaf and inner node of a JSON value. */
function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function setAt(obj: Json, path: (string | number)[], value: Json | undefined): Json {
  const copy = structuredClone(obj) as { [k: string]: Json };
  let cur: Json = copy;
  for (const key of path.slice(0, -1)) cur = (cur as { [k: string]: Json })[key as string];
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(last as number, 1);
    else delete (cur as { [k: string]: Json })[last as string];
  } else (cur as { [k: string]: Json })[last as string] = value;
  return copy;
}

/** A mutation that always makes a base invalid. */
const invalidMutation = fc.oneof(
  fc.record({ kind: fc.constant('unknown-field' as const), key: fc.string({ minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('wrong-top-value' as const), key: fc.constantFrom('name', 'model', 'privacyValues', 'covariance', 'communities', 'types', 'mass', 'weights', 'noiseVariance'), value: wrongValue }),
  fc.record({ kind: fc.constant('delete-required' as const), key: fc.constantFrom('name', 'model') }),
);

function applyInvalid(base: Record<string, unknown>, m: { kind: string; key: string; value?: unknown }): unknown {
  const s = structuredClone(base);
  if (m.kind === 'unknown-field') {
    const key = `x_${m.key}`;
    s[key] = 1;
  } else if (m.kind === 'delete-required') delete s[m.key];
  else s[m.key] = m.value;
  return s;
}

function expectInputErrorOrValid(input: unknown): void {
  try {
    validateScenario(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const err = e as InputError;
    expect(err.line()).toMatch(/^error: [^\n]+: [^\n]+$/);
  }
}

describe('scenario fuzzing', () => {
  it('invalid mutations of valid scenarios always give an InputError naming a field', () => {
    for (const b of bases) expect(() => validateScenario(b)).not.toThrow();
    fc.assert(
      fc.property(fc.constantFrom(...bases), invalidMutation, (base, m) => {
        const input = applyInvalid(base, m);
        // Some "wrong values" are valid for some fields (e.g. a string name); only assert non-crash there.
        let threw: unknown;
        try {
          validateScenario(input);
        } catch (e) {
          threw = e;
        }
        if (m.kind !== 'wrong-top-value') expect(threw).toBeInstanceOf(InputError);
        if (threw !== undefined) {
          expect(threw).toBeInstanceOf(InputError);
          expect((threw as InputError).line()).toMatch(/^error: [^\n]+: [^\n]+$/);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('random replacement or deletion anywhere never crashes validation', () => {
    fc.assert(
      fc.property(fc.constantFrom(...bases), fc.nat(), fc.option(wrongValue, { nil: undefined }), (base, pick, value) => {
        const ps = paths(base as Json);
        const path = ps[pick % ps.length];
        expectInputErrorOrValid(setAt(base as Json, path, value as Json | undefined));
      }),
      { numRuns: 3000 },
    );
  });

  it('arbitrary JSON values never crash validation', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => expectInputErrorOrValid(v)), { numRuns: 1000 });
  });

  it('arbitrary text is either valid JSON or an InputError with line and column', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          parseJsonText(text, 'scenario', 'f.json');
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as InputError).detail).toMatch(/invalid JSON at line \d+, column \d+/);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('through the CLI: exit 2, one stderr line, nothing written (sample)', async () => {
    const samples = fc.sample(fc.tuple(fc.constantFrom(...bases), invalidMutation), { numRuns: 25, seed: 7 });
    for (const [base, m] of samples) {
      if (m.kind === 'wrong-top-value') continue;
      const dir = tempDir();
      const file = writeScenario(dir, 's.json', applyInvalid(base, m));
      const r = await runCli(['solve', file, '--json']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(listFiles(dir)).toEqual(['s.json']);
    }
  });
});

describe('solving valid scenarios with extreme magnitudes', () => {
  it('returns finite numbers or an InputError, never another exception', async () => {
    const { solveScenario } = await import('../../src/cli/solve.js');
    const mag = fc.constantFrom(1e-300, 1e-12, 1, 1e12, 1e150, 1e300);
    await fc.assert(
      fc.asyncProperty(mag, mag, mag, fc.double({ min: -0.99, max: 0.99, noNaN: true }), async (variance, noise, value, rho) => {
        const input = {
          name: 'x',
          model: 'leakage',
          covariance: [
            [variance, rho * variance],
            [rho * variance, variance],
          ],
          privacyValues: [value, 0.5],
          noiseVariance: noise,
        };
        try {
          const r = await solveScenario(validateScenario(input));
          expect(JSON.stringify(r)).not.toMatch(/null|NaN|Infinity/);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
