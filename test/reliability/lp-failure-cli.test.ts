/**
 * An LP that fails (infeasible, unbounded, solver limit) on a validated scenario is an internal error: the
 * design LPs of a valid market are feasible and bounded by construction (docs/numerics.md), so the input
 * is not to blame. Through the CLI it must be exit 1, exactly one stderr line `error: internal: highs: …`,
 * no stack trace (also not in the default-level log), stdout empty and no output file.
 * The failing solver is injected with vi.mock of src/lp/highs.js (no test hook in production code).
 */
import { readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LpError } from '../../src/lp/errors.js';
import { main } from '../../src/cli/main.js';
import { tempDir, writeScenario } from '../helpers/cli.js';

const failure = vi.hoisted(() => ({ make: null as null | (() => Error) }));

vi.mock('../../src/lp/highs.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/lp/highs.js')>();
  return {
    ...real,
    highsSolver: async () => {
      const inner = await real.highsSolver();
      const fail = (): never => {
        throw failure.make ? failure.make() : new Error('no failure configured');
      };
      return { name: inner.name, providesDuals: inner.providesDuals, solve: fail, solveEach: fail };
    },
  };
});

const { LpInfeasibleError, LpUnboundedError, LpLimitError } = await import('../../src/lp/errors.js');

afterEach(() => {
  failure.make = null;
});

/** main() with the production logger's level and a captured log stream (what a user's stderr would carry). */
async function run(argv: string[], cwd: string, level = 'warn'): Promise<{ code: number; stdout: string; stderr: string; log: string }> {
  let stdout = '';
  let stderr = '';
  let log = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      log += chunk.toString();
      done();
    },
  });
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    log: pino({ level, base: undefined }, stream),
    isTty: false,
    cwd,
  });
  return { code, stdout, stderr, log };
}

const market = { name: 'glp', model: 'intermediation', types: [1, 2], mass: [0.5, 0.5], weights: { consumer: 1, merchant: 0 } };
const cases: { what: string; make: () => LpError; says: RegExp }[] = [
  { what: 'infeasible', make: () => new LpInfeasibleError('highs', 'infeasible'), says: /^error: internal: highs: the LP is infeasible \(status: infeasible\)$/ },
  { what: 'unbounded', make: () => new LpUnboundedError('highs', 'unbounded'), says: /^error: internal: highs: the LP is unbounded \(status: unbounded\)$/ },
  { what: 'iteration limit', make: () => new LpLimitError('highs', 'iteration limit'), says: /^error: internal: highs: a solver limit was reached before optimality \(status: iteration limit\)$/ },
];

describe('LP failure through the CLI → exit 1, one line, no stack, nothing written', () => {
  for (const c of cases) {
    it(`solve: ${c.what}`, async () => {
      failure.make = c.make;
      const dir = tempDir('dm-lpfail-');
      writeScenario(dir, 's.json', market);
      const r = await run(['solve', 's.json', '--json'], dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(c.says);
      expect(r.stderr + r.log).not.toMatch(/\bat .*\.(ts|js):\d+/);
      expect(r.log).toBe('');
      expect(readdirSync(dir)).toEqual(['s.json']);
    });
  }

  it('simulate: no output folder, one line', async () => {
    failure.make = cases[0].make;
    const dir = tempDir('dm-lpfail-');
    writeScenario(dir, 's.json', market);
    const r = await run(['simulate', 's.json', '--out', 'o', '--rounds', '5'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd()).toMatch(cases[0].says);
    expect(r.log).toBe('');
    expect(readdirSync(dir)).toEqual(['s.json']);
  });

  it('--log-level debug keeps the stack for diagnosis (in the log, not in the error line)', async () => {
    failure.make = cases[0].make;
    const dir = tempDir('dm-lpfail-');
    writeScenario(dir, 's.json', market);
    const r = await run(['solve', 's.json'], dir, 'debug');
    expect(r.stderr.trimEnd()).toMatch(cases[0].says);
    expect(r.log).toMatch(/"msg":"internal error"/);
    expect(r.log).toMatch(/LpInfeasibleError: highs: the LP is infeasible/);
  });

  it('the mock is what fails (without a configured failure the solver throws its own marker)', async () => {
    const dir = tempDir('dm-lpfail-');
    writeScenario(dir, 's.json', market);
    const r = await run(['solve', 's.json'], dir);
    expect(r.stderr.trimEnd()).toBe('error: internal: no failure configured');
  });
});
