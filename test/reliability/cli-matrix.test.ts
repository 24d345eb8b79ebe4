/**
 * The bad-input contract of DESIGN.md §4 through the real CLI entry point, command by command: exit 2,
 * exactly one stderr line `error: <field path>: <what>`, stdout empty, and nothing created — neither the
 * --out folder nor any other file in the working folder. A few cases also run as a spawned
 * `node bin/datamarket.js` to see exit codes and stderr exactly as a user does (no stack trace).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, writeScenario } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/datamarket.js');

const leak = { name: 'two', model: 'leakage', covariance: [[1, 0.5], [0.5, 1]], privacyValues: [0.5, 2] };
const inter = { name: 'i', model: 'intermediation', types: [1, 2], mass: [0.5, 0.5], weights: { consumer: 1, merchant: 0 } };
const identity = (n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const sweepOf = (base: unknown, extra: Record<string, unknown> = {}) => ({ name: 's', command: 'solve', base, grid: { 'privacyValues.0': [0.5, 1] }, seed: 1, ...extra });

/** Scenario cases: content of the file, field the error line must name, a fragment of the message. */
const scenarioCases: { what: string; input: unknown; field: string; says: RegExp }[] = [
  { what: 'invalid JSON', input: '{\n  "name": "x",\n}', field: 'scenario', says: /invalid JSON at line 3, column 1/ },
  { what: 'empty file', input: '', field: 'scenario', says: /invalid JSON at line 1, column 1/ },
  { what: 'literal NaN', input: '{"name": "x", "noiseVariance": NaN}', field: 'scenario', says: /invalid JSON at line 1, column 32/ },
  // JSON.parse keeps the last of two equal keys without a word: the run would use one of two masses
  { what: 'a key twice', input: '{"name": "x", "model": "intermediation", "types": [1, 2],\n  "mass": [0.3, 0.7], "weights": {"consumer": 1, "merchant": 0},\n  "mass": [0.5, 0.5]}', field: 'mass', says: /appears twice in one object \(.*, line 3, column 3\)/ },
  // the duplicate-key check walks the text recursively, where JSON.parse does not (review: exit 1, stack overflow)
  { what: 'arrays nested 6000 deep', input: `{"name":"x","model":"leakage","covariance":${'['.repeat(6000)}${']'.repeat(6000)}}`, field: 'scenario', says: /nested too deeply/ },
  { what: 'a nested key twice', input: '{"name": "x", "model": "intermediation", "types": [1, 2], "mass": [0.3, 0.7], "weights": {"consumer": 1, "merchant": 0},\n "platforms": [{"name": "a", "weights": {"consumer": 1, "consumer": 2, "merchant": 0}}]}', field: 'platforms.0.weights.consumer', says: /appears twice .*line 2, column 57/ },
  { what: 'a byte-order mark is not an error (some editors write one): the next field is', input: `\uFEFF${JSON.stringify({ ...leak, colour: 'red' })}`, field: 'colour', says: /unknown field/ },
  { what: 'number overflowing to Infinity', input: '{"name":"x","model":"leakage","covariance":[[1e999]],"privacyValues":[1]}', field: 'covariance.0.0', says: /Infinity/ },
  { what: 'unknown model', input: { ...leak, model: 'auction' }, field: 'model', says: /unknown model "auction"/ },
  { what: 'unknown field', input: { ...leak, colour: 'red' }, field: 'colour', says: /unknown field/ },
  { what: 'wrong type', input: { ...leak, privacyValues: 'high' }, field: 'privacyValues', says: /expected array/ },
  { what: '"NaN" as a string', input: { ...leak, noiseVariance: 'NaN' }, field: 'noiseVariance', says: /expected number/ },
  { what: 'empty arrays', input: { ...leak, covariance: [], privacyValues: [] }, field: 'covariance', says: />=1/ },
  { what: 'mismatched lengths', input: { ...leak, privacyValues: [1] }, field: 'privacyValues', says: /expected 2/ },
  { what: 'ragged covariance', input: { ...leak, covariance: [[1, 0.5], [0.5]] }, field: 'covariance.1', says: /expected 2/ },
  { what: 'asymmetric covariance', input: { ...leak, covariance: [[1, 0.5], [0.4, 1]] }, field: 'covariance.1.0', says: /not symmetric/ },
  { what: 'non-PSD covariance (smallest eigenvalue named)', input: { ...leak, covariance: [[1, 2], [2, 1]] }, field: 'covariance', says: /smallest eigenvalue -1\.0/ },
  {
    what: 'ill-conditioned covariance where Σ⁻¹ is needed (de-correlation)',
    input: { ...leak, covariance: [[1, 1 - 1e-15], [1 - 1e-15, 1]], regulation: { decorrelation: true } },
    field: 'covariance',
    says: /condition number .* exceeds 1e\+12/,
  },
  { what: 'noise/variance ratio outside [1e-10, 1e10]', input: { ...leak, noiseVariance: 1e-12 }, field: 'noiseVariance', says: /outside \[1e-10, 1e10\]/ },
  {
    what: 'non-PSD community parameters',
    input: { name: 'c', model: 'leakage', communities: { sizes: [10, 10], variance: 1, within: 0.05, across: 0.16 }, privacyValues: [0.9, 2] },
    field: 'communities',
    says: /smallest eigenvalue -0\.15/,
  },
  { what: 'negative noise', input: { ...leak, noiseVariance: -1 }, field: 'noiseVariance', says: />0/ },
  { what: 'negative mass', input: { ...inter, mass: [-0.5, 0.5] }, field: 'mass.0', says: />=0/ },
  { what: 'negative weight', input: { ...inter, weights: { consumer: -1, merchant: 0 } }, field: 'weights.consumer', says: />=0/ },
  { what: 'types not strictly increasing', input: { ...inter, types: [2, 2] }, field: 'types.1', says: /strictly increasing/ },
  { what: 'unknown remedy', input: { ...inter, remedy: 'ban' }, field: 'remedy', says: /expected one of/ },
  { what: 'unknown dynamics', input: { ...leak, dynamics: { kind: 'gradient' } }, field: 'dynamics.kind', says: /expected one of/ },
  // a sweep that sets only dynamics.rounds on a base without dynamics was told "Invalid option" (review)
  { what: 'dynamics without kind', input: { ...leak, dynamics: { rounds: 10 } }, field: 'dynamics.kind', says: /missing: one of "best-response", "tatonnement", "learning" is required/ },
  { what: 'platform count 3', input: { ...leak, platforms: 3 }, field: 'platforms', says: /must be 1 or 2/ },
  { what: 'platform count 0', input: { ...leak, platforms: 0 }, field: 'platforms', says: /must be 1 or 2/ },
  { what: 'intermediation magnitude beyond the LP envelope', input: { ...inter, types: [1, 1e300] }, field: 'types.1', says: /exceeds the limit 1000000/ },
  { what: 'intermediation mass beyond the envelope', input: { ...inter, mass: [1e6, 1] }, field: 'mass.0', says: /exceeds the limit 10000/ },
  {
    what: 'intermediation LP larger than the column limit',
    input: { ...inter, types: Array.from({ length: 40 }, (_, i) => i + 1), mass: new Array(40).fill(1) },
    field: 'types',
    says: /1600 columns .* limit 1024; use a coarser type grid/,
  },
  { what: 'exact enumeration beyond 24 users', input: { name: 'b', model: 'leakage', covariance: identity(25), privacyValues: new Array(25).fill(1) }, field: 'covariance', says: /limit of 24 .*communities/ },
  { what: 'not an object', input: [1, 2], field: '(root)', says: /JSON object/ },
];

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** The contract, with the field and message checked; `cwd` must hold exactly `before` afterwards. */
function expectBadInput(r: Outcome, field: string, says: RegExp, cwd: string, before: string[], out?: string): void {
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  const lines = r.stderr.slice(0, -1).split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0].startsWith(`error: ${field}: `), lines[0]).toBe(true);
  expect(lines[0]).toMatch(says);
  expect(r.code).toBe(2);
  if (out !== undefined) expect(existsSync(out)).toBe(false);
  expect(readdirSync(cwd).sort()).toEqual(before);
}

describe('solve and simulate: every bad scenario → exit 2, one line, nothing written', () => {
  for (const c of scenarioCases) {
    it(c.what, async () => {
      const dir = tempDir('dm-matrix-');
      writeScenario(dir, 's.json', c.input);
      const before = readdirSync(dir).sort();
      expectBadInput(await runCli(['solve', 's.json', '--json'], dir), c.field, c.says, dir, before);
      const out = join(dir, 'sim-out');
      expectBadInput(await runCli(['simulate', 's.json', '--out', out, '--rounds', '20'], dir), c.field, c.says, dir, before, out);
      // Without --out, simulate's default folder (out/simulate/<name>) must not appear either.
      expectBadInput(await runCli(['simulate', 's.json'], dir), c.field, c.says, dir, before);
    });
  }

  it('missing file', async () => {
    const dir = tempDir('dm-matrix-');
    for (const cmd of ['solve', 'simulate']) expectBadInput(await runCli([cmd, 'nope.json'], dir), 'scenario', /nope\.json: no such file/, dir, []);
  });

  it('a scenario the engine refuses at run time (learning with 13 users) writes nothing', async () => {
    const dir = tempDir('dm-matrix-');
    writeScenario(dir, 's.json', { name: 'l', model: 'leakage', covariance: identity(13), privacyValues: new Array(13).fill(1), dynamics: { kind: 'learning' } });
    expectBadInput(await runCli(['simulate', 's.json', '--out', 'o'], dir), 'dynamics.kind', /limited to 12 users/, dir, ['s.json'], join(dir, 'o'));
  });

  it('bad simulate flags', async () => {
    const dir = tempDir('dm-matrix-');
    writeScenario(dir, 's.json', leak);
    for (const [flags, field, says] of [
      [['--rounds', '0'], '--rounds', /≥ 1/],
      [['--rounds', '1e9'], '--rounds', /integer/],
      [['--seed', '1.5'], '--seed', /integer/],
      [['--dynamics', 'annealing'], '--dynamics', /unknown dynamics/],
      [['--out', 's.json'], '--out', /not a folder/],
      // under a regular file: the whole run went before the write failed, exit 1 "internal: ENOTDIR" (review)
      [['--out', 's.json/x'], '--out', /s\.json is not a folder/],
      // resolve(cwd, "") is the working folder: the run wrote summary.json there, exit 0 (review)
      [['--out', ''], '--out', /is empty/],
    ] as const) {
      expectBadInput(await runCli(['simulate', 's.json', ...flags], dir), field, says, dir, ['s.json']);
    }
  });
});

describe('sweep, merge, report, default: bad input → exit 2, one line, nothing written', () => {
  let dir: string;
  const good = (): string => join(dir, 'good.json');
  beforeAll(async () => {
    dir = tempDir('dm-matrix-sweep-');
    writeFileSync(good(), JSON.stringify(sweepOf(leak)));
    writeFileSync(join(dir, 'other.json'), JSON.stringify(sweepOf(leak, { seed: 2 })));
    for (const [f, out, extra] of [['good.json', 'A', []], ['other.json', 'B', []], ['good.json', 'S1', ['--shard', '1/2']]] as const) {
      const r = await runCli(['sweep', f, '--out', out, '--workers', '0', ...extra], dir);
      expect(r.code).toBe(0);
    }
    mkdirSync(join(dir, 'corrupt'));
    writeFileSync(join(dir, 'corrupt', 'manifest.json'), '{"kind": "sweep",');
    writeFileSync(join(dir, 'corrupt', 'results.csv'), 'run\n');
    mkdirSync(join(dir, 'foreign'));
    writeFileSync(join(dir, 'foreign', 'manifest.json'), '[1, 2]');
    writeFileSync(join(dir, 'foreign', 'results.csv'), 'a\n1\n');
    mkdirSync(join(dir, 'badsim'));
    writeFileSync(join(dir, 'badsim', 'summary.json'), '{"scenario":');
    writeFileSync(join(dir, 'badsim', 'trajectory.csv'), 'round\n1\n');
    mkdirSync(join(dir, 'badcsv'));
    // a well-formed summary (report checks its shape first), so the CSV is what is wrong
    writeFileSync(join(dir, 'badcsv', 'summary.json'), JSON.stringify({ scenario: 'x', seed: 1, dynamics: { kind: 'best-response' }, converged: true, rounds: 1, final: {}, checker: {}, distance: { prices: 0, sharers: 0 } }));
    writeFileSync(join(dir, 'badcsv', 'trajectory.csv'), 'round,a\n1,"2\n');
    mkdirSync(join(dir, 'empty'));
  });

  const file = (name: string, content: unknown): string => {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
    return name;
  };

  const cases: { what: string; argv: () => string[]; field: string; says: RegExp; env?: Record<string, string> }[] = [
    { what: 'sweep: missing file', argv: () => ['sweep', 'nope.json', '--out', 'OUT'], field: 'sweep', says: /no such file/ },
    { what: 'sweep: invalid JSON', argv: () => ['sweep', file('bad1.json', '{"name": '), '--out', 'OUT'], field: 'sweep', says: /invalid JSON at line 1, column 10/ },
    { what: 'sweep: a grid key twice', argv: () => ['sweep', file('bad1b.json', '{"name": "s", "command": "solve", "base": {}, "grid": {"privacyValues.0": [0.5], "privacyValues.0": [1]}}'), '--out', 'OUT'], field: 'grid.privacyValues.0', says: /appears twice/ },
    // zod's records drop a key __proto__ without a word: the override vanished and the sweep ran the base (review)
    { what: 'sweep: a runs key __proto__', argv: () => ['sweep', file('bad1c.json', `{"name": "s", "command": "solve", "base": ${JSON.stringify(leak)}, "runs": [{"__proto__": {"foo": 1}}]}`), '--out', 'OUT'], field: 'runs.0.__proto__', says: /no such field/ },
    // the later key won and the earlier key's column reported a value never used (review)
    { what: 'sweep: a path set by a tie and by a run', argv: () => ['sweep', file('bad1d.json', sweepOf(leak, { grid: { 'covariance.0.1|covariance.1.0': [0, 0.3] }, runs: [{ 'covariance.0.1': 0.9 }] })), '--out', 'OUT'], field: 'runs.0.covariance.0.1', says: /which covariance\.0\.1\|covariance\.1\.0 sets too/ },
    { what: 'sweep: grid path not in the scenario', argv: () => ['sweep', file('bad2.json', sweepOf(leak, { grid: { 'colour.red': [0.1] } })), '--out', 'OUT'], field: 'grid.colour.red', says: /no such field in the scenario/ },
    { what: 'sweep: grid index past the array', argv: () => ['sweep', file('bad3.json', sweepOf(leak, { grid: { 'privacyValues.7': [1] } })), '--out', 'OUT'], field: 'grid.privacyValues.7', says: /no such field/ },
    { what: 'sweep: runs path not in the scenario', argv: () => ['sweep', file('bad4.json', sweepOf(leak, { runs: [{ tau: 1 }] })), '--out', 'OUT'], field: 'runs.0.tau', says: /no such field/ },
    { what: 'sweep: empty grid list', argv: () => ['sweep', file('bad5.json', sweepOf(leak, { grid: { 'privacyValues.0': [] } })), '--out', 'OUT'], field: 'grid.privacyValues.0', says: />=1/ },
    { what: 'sweep: replicates 0', argv: () => ['sweep', file('bad6.json', sweepOf(leak, { replicates: 0 })), '--out', 'OUT'], field: 'replicates', says: />0/ },
    { what: 'sweep: unknown command', argv: () => ['sweep', file('bad7.json', sweepOf(leak, { command: 'plot' })), '--out', 'OUT'], field: 'command', says: /expected one of/ },
    { what: 'sweep: bad expanded run', argv: () => ['sweep', file('bad8.json', sweepOf(leak, { grid: { noiseVariance: [1, -1] } })), '--out', 'OUT'], field: 'noiseVariance', says: /in run 1/ },
    { what: 'sweep: bad base', argv: () => ['sweep', file('bad9.json', sweepOf({ ...leak, covariance: [[1, 2], [2, 1]] })), '--out', 'OUT'], field: 'base.covariance', says: /smallest eigenvalue/ },
    { what: 'sweep: base file missing', argv: () => ['sweep', file('bad10.json', sweepOf('nope-base.json')), '--out', 'OUT'], field: 'base', says: /no such file/ },
    {
      what: 'sweep: a run refused by the checker (25 users) leaves no folder',
      argv: () => ['sweep', file('bad11.json', { name: 'b', base: { name: 'b', model: 'leakage', covariance: identity(25), privacyValues: new Array(25).fill(1) } }), '--out', 'OUT', '--workers', '0'],
      field: 'covariance',
      says: /limit of 24/,
    },
    { what: 'sweep: shard 3/2', argv: () => ['sweep', good(), '--out', 'OUT', '--shard', '3/2'], field: '--shard', says: /must be in 1\.\.2, got 3/ },
    { what: 'sweep: shard 0/4', argv: () => ['sweep', good(), '--out', 'OUT', '--shard', '0/4'], field: '--shard', says: /must be in 1\.\.4, got 0/ },
    { what: 'sweep: shard text', argv: () => ['sweep', good(), '--out', 'OUT', '--shard', 'half'], field: '--shard', says: /expected I\/N/ },
    { what: 'sweep: Slurm index beyond the count', argv: () => ['sweep', good(), '--out', 'OUT'], field: 'SLURM_ARRAY_TASK_ID', says: /1\.\.2, got SLURM_ARRAY_TASK_ID 5 − SLURM_ARRAY_TASK_MIN 0 \+ 1 = 6/, env: { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '2' } },
    { what: 'sweep: --workers text', argv: () => ['sweep', good(), '--out', 'OUT', '--workers', 'many'], field: '--workers', says: /non-negative integer/ },
    { what: 'sweep: --workers beyond the limit', argv: () => ['sweep', good(), '--out', 'OUT', '--workers', '100000'], field: '--workers', says: /limit of 256/ },
    { what: 'sweep: missing --out', argv: () => ['sweep', good()], field: 'arguments', says: /--out/ },
    { what: 'sweep: --out is a file', argv: () => ['sweep', good(), '--out', 'good.json'], field: '--out', says: /not a folder/ },
    { what: 'sweep: --out already holds a sweep', argv: () => ['sweep', good(), '--out', 'A'], field: '--out', says: /already holds a sweep; add --resume/ },
    { what: 'sweep: --resume of a different sweep file', argv: () => ['sweep', 'other.json', '--out', 'A', '--resume'], field: '--resume', says: /different sweep file .*its base file's, so any edit of either counts/ },
    { what: 'sweep: --resume on a corrupt manifest', argv: () => ['sweep', good(), '--out', 'corrupt', '--resume'], field: '--out', says: /invalid JSON/ },
    { what: 'merge: folders of different sweeps (refused with the reason)', argv: () => ['merge', 'A', 'B', '--out', 'OUT'], field: 'dirs.1', says: /from a different sweep file than/ },
    { what: 'merge: missing shard', argv: () => ['merge', 'S1', '--out', 'OUT'], field: 'dirs', says: /missing shard 2\/2/ },
    { what: 'merge: the same folder twice', argv: () => ['merge', 'A', 'A', '--out', 'OUT'], field: 'dirs.1', says: /given twice/ },
    { what: 'merge: missing folder', argv: () => ['merge', 'nope', '--out', 'OUT'], field: 'dirs.0', says: /no manifest\.json/ },
    { what: 'merge: corrupt manifest', argv: () => ['merge', 'corrupt', '--out', 'OUT'], field: 'dirs.0', says: /invalid JSON/ },
    { what: 'merge: foreign manifest', argv: () => ['merge', 'foreign', '--out', 'OUT'], field: 'dirs.0', says: /not a datamarket sweep manifest/ },
    { what: 'merge: --out is a file', argv: () => ['merge', 'A', '--out', 'good.json'], field: '--out', says: /not a folder/ },
    { what: 'merge: no folders', argv: () => ['merge', '--out', 'OUT'], field: 'arguments', says: /dirs/ },
    // merge had no such guard: it replaced the folder's results, one of its own shards among them (review)
    { what: 'merge: --out holds a sweep (one of the shards)', argv: () => ['merge', 'A', '--out', 'A'], field: '--out', says: /already holds a sweep/ },
    // a path under a regular file failed only when results were written: exit 1, "internal: ENOTDIR" (review)
    { what: 'merge: --out under a file', argv: () => ['merge', 'A', '--out', 'good.json/x'], field: '--out', says: /good\.json is not a folder/ },
    { what: 'sweep: --out under a file', argv: () => ['sweep', 'good.json', '--out', 'good.json/x/y'], field: '--out', says: /good\.json is not a folder/ },
    // an empty --out wrote results.csv and manifest.json into the working folder, exit 0 (review)
    { what: 'sweep: empty --out', argv: () => ['sweep', good(), '--out', ''], field: '--out', says: /is empty/ },
    { what: 'sweep: blank --out', argv: () => ['sweep', good(), '--out', '  '], field: '--out', says: /is empty/ },
    { what: 'merge: empty --out', argv: () => ['merge', 'A', '--out', ''], field: '--out', says: /is empty/ },
    { what: 'default: empty --out', argv: () => ['default', '--sims', '.', '--out', ''], field: '--out', says: /is empty/ },
    { what: 'report: missing folder', argv: () => ['report', 'nope'], field: 'dir', says: /neither a sweep folder/ },
    { what: 'report: a file', argv: () => ['report', 'good.json'], field: 'dir', says: /neither a sweep folder/ },
    { what: 'report: empty folder', argv: () => ['report', 'empty'], field: 'dir', says: /neither a sweep folder/ },
    { what: 'report: corrupt manifest', argv: () => ['report', 'corrupt'], field: 'dir', says: /invalid JSON/ },
    { what: 'report: corrupt summary.json', argv: () => ['report', 'badsim'], field: 'dir', says: /invalid JSON/ },
    { what: 'report: malformed trajectory.csv', argv: () => ['report', 'badcsv'], field: 'dir', says: /malformed CSV/ },
    { what: 'report: unfinished sweep', argv: () => ['report', 'foreign'], field: 'dir', says: /not a datamarket sweep manifest/ },
    // with several sweep files the error did not say which one was bad (review)
    { what: 'default: a bad sweep among the sims', argv: () => { mkdirSync(join(dir, 'badsims'), { recursive: true }); file('badsims/sweep-a.json', sweepOf(leak)); file('badsims/sweep-b.json', sweepOf(leak, { grid: { 'privacyValues.0': [-1] } })); for (const f of ['dynamics-six-users.json', 'glp-unraveling.json']) file(`badsims/${f}`, readFileSync(join(ROOT, 'sims', f), 'utf8')); return ['default', '--sims', 'badsims', '--out', 'OUT']; }, field: 'privacyValues.0', says: /\(in run 0: .*\) \(in .*badsims\/sweep-b\.json\)$/ },
    { what: 'default: missing --sims folder', argv: () => ['default', '--sims', 'nope', '--out', 'OUT'], field: '--sims', says: /no such folder/ },
    // the batch folder is deleted before the run: `--batch .` deleted --out itself (review)
    { what: 'default: --batch that is not one folder name', argv: () => ['default', '--sims', '.', '--batch', '..', '--out', 'OUT'], field: '--batch', says: /expected a folder name/ },
    { what: 'default: --batch .', argv: () => ['default', '--sims', '.', '--batch', '.', '--out', 'OUT'], field: '--batch', says: /not '\.' or '\.\.'/ },
    // a trajectory file that is no valid scenario: named by its option (it named only the scenario's field: review)
    { what: 'default: invalid trajectory scenario', argv: () => ['default', '--sims', '.', '--trajectory', file('badtraj.json', { name: 'x', model: 'leakage' }), '--out', 'OUT'], field: '--trajectory', says: /badtraj\.json: /, },
    { what: 'default: bad --workers', argv: () => ['default', '--workers', '-1', '--out', 'OUT'], field: '--workers', says: /non-negative integer/ },
    { what: 'default: missing trajectory scenario', argv: () => ['default', '--sims', '.', '--trajectory', 'nope.json', '--out', 'OUT'], field: '--trajectory', says: /no such file/ },
    { what: 'no command', argv: () => [], field: 'command', says: /missing/ },
    { what: 'unknown command', argv: () => ['frobnicate'], field: 'arguments', says: /unknown command/ },
    { what: 'unknown option', argv: () => ['solve', 'x.json', '--frobnicate'], field: 'arguments', says: /unknown option/ },
    { what: 'missing argument', argv: () => ['solve'], field: 'arguments', says: /missing required argument/ },
    { what: 'too many arguments', argv: () => ['solve', 'a.json', 'b.json'], field: 'arguments', says: /too many arguments/ },
    { what: 'unknown log level', argv: () => ['--log-level', 'loud', 'solve', 'x.json'], field: '--log-level', says: /unknown level "loud"/ },
  ];

  for (const c of cases) {
    it(c.what, async () => {
      const out = join(dir, 'OUT');
      const argv = c.argv().map((a) => (a === 'OUT' ? out : a));
      const before = readdirSync(dir).sort();
      let stdout = '';
      let stderr = '';
      const { main } = await import('../../src/cli/main.js');
      const { pino } = await import('pino');
      const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), log: c.what.includes('log level') ? undefined : pino({ level: 'silent' }), isTty: false, cwd: dir, env: c.env ?? {} });
      expectBadInput({ code, stdout, stderr }, c.field, c.says, dir, before, out);
    });
  }
});

describe('as a user sees it: spawned bin/datamarket.js', () => {

  const runAsync = (args: string[], cwd: string, env: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    });

  it('exit codes and single stderr lines, no stack trace', async () => {
    const dir = tempDir('dm-matrix-bin-');
    writeScenario(dir, 's.json', { ...leak, covariance: [[1, 2], [2, 1]] });
    writeScenario(dir, 'i.json', { ...inter, types: [1, 1e300] });
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [['solve', 's.json', '--json'], /^error: covariance: not positive semi-definite: smallest eigenvalue -1\.0+\n$/],
      [['simulate', 'i.json', '--out', 'o'], /^error: types\.1: magnitude 1e\+300 exceeds the limit 1000000 .*\n$/],
      [['sweep', 'nope.json', '--out', 'o'], /^error: sweep: .*nope\.json: no such file\n$/],
      [['merge', 'nope', '--out', 'o'], /^error: dirs\.0: .*no manifest\.json.*\n$/],
      [['report', 'nope'], /^error: dir: .*neither a sweep folder.*\n$/],
      [[], /^error: command: missing .*\n$/],
      [['solve', 's.json'], /^error: --log-level: unknown level "nope".*\n$/, { LOG_LEVEL: 'nope' }],
    ];
    // the processes run concurrently (each is mostly Node start-up); assertions in case order
    const results = await Promise.all(cases.map(([args, , env]) => runAsync(args, dir, env)));
    for (const [k, [, err]] of cases.entries()) {
      const r = results[k];
      expect(r.stderr).toMatch(err);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(2);
    }
    expect(readdirSync(dir).sort()).toEqual(['i.json', 's.json']);
  });
});
