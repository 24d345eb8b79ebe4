/**
 * Sweep expansion: base scenario × (explicit runs × grid points) × replicates, every expanded scenario
 * validated before anything is written. Run ids are 0-based indices in expansion order: explicit runs
 * vary slowest, then grid keys in file order (the last key fastest), so a run id is stable for a given
 * sweep file (and the manifest's hash tells whether the file changed).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../scenario/errors.js';
import { parseJsonText, readJsonFile, unreadable } from '../scenario/json.js';
import { scenarioSchema } from '../scenario/schema.js';
import { validateScenario, zodToInputError, type Scenario } from '../scenario/validate.js';
import { clone, probePath, setPathShared } from './paths.js';
import { sweepFileSchema, type SweepFile } from './schema.js';
import { deriveSeed } from './seed.js';
import type { SweepCommand, Value } from './types.js';
import { resultColumns } from './runOne.js';

/**
 * Refuse expansions the process cannot hold (the plan, the rows and the final tables are in memory): a review's
 * 3·10⁶-task sweep of a two-user solve ran out of V8's default heap at 2.7·10⁶ rows (the limit was 5·10⁶); 10⁶
 * tasks peaked at 2.5 GB.
 */
export const MAX_TASKS = 1_000_000;

/** A sweep file with `base` inlined and defaults applied; written as sweep.json beside the results. */
export interface ResolvedSweep {
  name: string;
  command: SweepCommand;
  base: Record<string, unknown>;
  grid: Record<string, unknown[]>;
  runs: Record<string, unknown>[];
  replicates: number;
  seed: number;
  report?: SweepFile['report'];
}

export interface RunSpec {
  run: number;
  /** Column name (the grid/runs key) → value, as written in the file. */
  overrides: Record<string, unknown>;
  scenario: Scenario;
}

export interface Task {
  /** Position in (run, replicate) order; decides the shard. */
  index: number;
  run: number;
  replicate: number;
  seed: number;
}

export interface SweepPlan {
  sweep: ResolvedSweep;
  /** sha256 of the sweep file's bytes (plus the base file's bytes when `base` is a path). */
  sweepHash: string;
  runs: RunSpec[];
  overrideColumns: string[];
  tasks: Task[];
}

/** Reads, validates and expands a sweep file. Throws InputError naming the first bad field. */
export function loadSweep(file: string): SweepPlan {
  const { sweep, hash } = readSweep(file);
  return expandSweep(sweep, hash);
}

/**
 * Reads a sweep file and checks its own fields (not yet the expanded scenarios: `expandSweep`), so a
 * caller can prepare for the run (start worker threads) while the expansion is validated.
 */
export function readSweep(file: string): { sweep: ResolvedSweep; hash: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    // a folder is not "no such file" (review: `sweep /tmp`)
    throw new InputError('sweep', `${file}: ${unreadable(e)}`);
  }
  const hash = createHash('sha256').update(text);
  const raw = parseJsonText(text, 'sweep', file);
  const parsed = sweepFileSchema.safeParse(raw);
  if (!parsed.success) throw zodToInputError(parsed.error);
  const f = parsed.data;
  let base: Record<string, unknown>;
  if (typeof f.base === 'string') {
    const baseFile = resolve(dirname(file), f.base);
    hash.update('\0base\0').update(safeRead(baseFile));
    const b = readJsonFile(baseFile, 'base');
    if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new InputError('base', `${f.base}: a scenario must be a JSON object`);
    base = b as Record<string, unknown>;
  } else {
    base = f.base;
  }
  const sweep: ResolvedSweep = {
    name: f.name,
    command: f.command ?? 'solve',
    base,
    grid: f.grid ?? {},
    runs: f.runs ?? [],
    replicates: f.replicates ?? 1,
    seed: f.seed ?? 0,
  };
  if (f.report) sweep.report = f.report;
  return { sweep, hash: hash.digest('hex') };
}

/** Number of tasks the sweep expands to (runs × replicates), without expanding it. */
export function countTasks(sweep: ResolvedSweep): number {
  const gridPoints = Object.values(sweep.grid).reduce((n, values) => n * values.length, 1);
  return Math.max(1, sweep.runs.length) * gridPoints * sweep.replicates;
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Expands a resolved sweep (see module comment for the order). */
export function expandSweep(sweep: ResolvedSweep, sweepHash = ''): SweepPlan {
  try {
    validateScenario(sweep.base);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`base.${e.path}`, e.detail);
    throw e;
  }
  const gridKeys = Object.keys(sweep.grid);
  for (const k of gridKeys) {
    checkKey(k, `grid.${k}`);
    sweep.grid[k].forEach((v, i) => checkFinite(v, `grid.${k}.${i}`));
  }
  sweep.runs.forEach((r, i) => Object.entries(r).forEach(([k, v]) => checkFinite(v, `runs.${i}.${k}`)));
  const gridEntries = gridKeys.map((k) => ({ key: k, field: `grid.${k}` }));
  checkDisjoint(gridEntries);
  sweep.runs.forEach((r, i) => {
    for (const k of Object.keys(r)) checkKey(k, `runs.${i}.${k}`);
    // a run's keys among themselves and against the grid's (each run is applied on its own)
    checkDisjoint([...gridEntries, ...Object.keys(r).map((k) => ({ key: k, field: `runs.${i}.${k}` }))]);
  });
  const gridPoints = gridKeys.reduce((n, k) => n * sweep.grid[k].length, 1);
  const explicit = sweep.runs.length > 0 ? sweep.runs : [{}];
  const total = explicit.length * gridPoints * sweep.replicates;
  if (total > MAX_TASKS) throw new InputError('grid', `expands to ${total} tasks, more than ${MAX_TASKS}; split it into several sweeps`);

  const runColumns: string[] = [];
  for (const r of sweep.runs) for (const k of Object.keys(r)) if (!runColumns.includes(k)) runColumns.push(k);
  const overrideColumns = [...runColumns, ...gridKeys];

  // One JSON round trip of the base (as each run's deep copy used to do: −0 → 0, undefined fields
  // dropped); runs then copy only the containers their overrides touch.
  const jsonBase = clone(sweep.base);
  const runs: RunSpec[] = [];
  for (let e = 0; e < explicit.length; e++) {
    for (let g = 0; g < gridPoints; g++) {
      const overrides: Record<string, unknown> = {};
      const where: Record<string, string> = {};
      for (const [k, v] of Object.entries(explicit[e])) {
        overrides[k] = v;
        where[k] = `runs.${e}.${k}`;
      }
      // Mixed-radix digits of g: the last grid key varies fastest.
      let rest = g;
      const digits: number[] = new Array<number>(gridKeys.length);
      for (let j = gridKeys.length - 1; j >= 0; j--) {
        const len = sweep.grid[gridKeys[j]].length;
        digits[j] = rest % len;
        rest = Math.floor(rest / len);
      }
      gridKeys.forEach((k, j) => {
        overrides[k] = sweep.grid[k][digits[j]];
        where[k] = `grid.${k}`;
      });
      const run = runs.length;
      runs.push({ run, overrides, scenario: applyAndValidate(jsonBase, overrides, where, run) });
    }
  }
  const tasks: Task[] = [];
  for (const r of runs) {
    for (let rep = 0; rep < sweep.replicates; rep++) {
      tasks.push({ index: tasks.length, run: r.run, replicate: rep, seed: deriveSeed(sweep.seed, r.run, rep) });
    }
  }
  checkReportColumns(sweep.report, overrideColumns, resultColumns(sweep.command, runs.map((r) => r.scenario)));
  return { sweep, sweepHash, runs, overrideColumns, tasks };
}

/**
 * `report.x`, `report.y` and `report.metrics` must name columns of results.csv: checked when the sweep is read, before
 * any run (review: a typo passed `sweep` and failed only at report time — in `default`, after the old batch was
 * deleted); `report` checks the finished folder the same way.
 */
export function checkReportColumns(report: { x?: string; y?: string; metrics?: readonly string[] } | undefined, overrideColumns: readonly string[], resultCols: readonly string[]): void {
  if (!report) return;
  const known = new Set([...overrideColumns, ...resultCols]);
  const named: Array<[string, string | undefined]> = [['x', report.x], ['y', report.y], ...(report.metrics ?? []).map((c, i): [string, string] => [`metrics.${i}`, c])];
  const bad = named.find(([, c]) => c !== undefined && !known.has(c));
  if (bad) throw new InputError(`report.${bad[0]}`, `${JSON.stringify(bad[1])} names no column of results.csv (swept: ${overrideColumns.join(', ') || 'none'}; results: ${resultCols.join(', ')})`);
}

function checkKey(key: string, field: string): void {
  for (const p of key.split('|')) {
    if (p === '' || p.split('.').some((s) => s === '')) throw new InputError(field, 'empty path segment');
    if (p === 'model') throw new InputError(field, 'the model cannot be swept (one sweep per model)');
    // each row runs with a seed derived from the sweep's own `seed`, run and replicate (its seed column); an override
    // of the scenario's seed took that column's place and was used by nothing, so rows could not be replayed (review)
    if (p === 'seed') throw new InputError(field, "each row's seed is derived from the sweep's `seed` (set it at the top of the sweep file; replay a row with --seed and its seed column)");
    // as an object key it would set the overrides' prototype and be dropped silently (review)
    if (p.split('.').includes('__proto__')) throw new InputError(field, 'no such field in the scenario');
  }
}

/**
 * A number in an override that JSON.parse made ±Infinity (1e999) is refused where it stands: copied as JSON it
 * became null, and the run's error said "received null (… reservationUtility=null)" (review).
 */
function checkFinite(v: unknown, field: string): void {
  if (typeof v === 'number' && !Number.isFinite(v)) throw new InputError(field, `${v} (a number too large for a double)`);
  if (Array.isArray(v)) v.forEach((x, i) => checkFinite(x, `${field}.${i}`));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) checkFinite(x, `${field}.${k}`);
}

/** Does one dotted path equal the other or lie inside it? */
const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/**
 * Every path is set by one key only: two keys whose paths are equal or nested (`a.b` and `a.b|c`, `weights` and
 * `weights.consumer`), or a tie naming one path twice, would let the later override win while the earlier key's
 * column reported a value never used (review: a results row labelled ρ = 0.9 held the ρ = 0 answer).
 */
function checkDisjoint(keys: ReadonlyArray<{ key: string; field: string }>): void {
  const seen: Array<{ path: string; key: string }> = [];
  for (const { key, field } of keys) {
    for (const written of key.split('|')) {
      // as paths.ts reads them: an index is a number, so `privacyValues.01` is `privacyValues.1` (review)
      const path = written
        .split('.')
        .map((seg) => (/^\d+$/.test(seg) ? String(Number(seg)) : seg))
        .join('.');
      const hit = seen.find((s) => overlaps(s.path, path));
      if (hit) throw new InputError(field, hit.key === key ? `sets ${path} twice (a path may be set in one place only)` : `sets ${path}, which ${hit.key} sets too (a path may be set in one place only)`);
      seen.push({ path, key });
    }
  }
}

/**
 * Applies overrides to a copy of the base, checks every path names a field, then validates. `base` is
 * not changed; the copy shares the subtrees no override touches with it (validation reads the copy and
 * builds a fresh scenario from it). `base` should be a JSON value (`clone` of the file's base).
 */
export function applyAndValidate(
  base: Record<string, unknown>,
  overrides: Record<string, unknown>,
  where: Record<string, string>,
  run: number,
): Scenario {
  const raw: Record<string, unknown> = { ...base };
  const fresh = new WeakSet<object>([raw]);
  const created: { path: string; field: string }[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    for (const path of key.split('|')) {
      const field = key.includes('|') ? `${where[key]}[${path}]` : where[key];
      const probe = probePath(raw, path);
      if (!probe.exists) {
        if (probe.parentIsArray || !setPathShared(raw, path, value, fresh)) throw new InputError(field, 'no such field in the scenario');
        created.push({ path, field });
      } else {
        setPathShared(raw, path, value, fresh);
      }
    }
  }
  if (created.length > 0) {
    // A path absent from the base is allowed only if the schema knows it as an optional field.
    const parsed = scenarioSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code !== 'unrecognized_keys') continue;
        for (const key of issue.keys) {
          const full = [...issue.path.map(String), key].join('.');
          const hit = created.find((c) => c.path === full || c.path.startsWith(`${full}.`));
          if (hit) throw new InputError(hit.field, 'no such field in the scenario');
        }
      }
    }
  }
  try {
    return validateScenario(raw);
  } catch (e) {
    if (e instanceof InputError) {
      const desc = Object.entries(overrides)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(', ');
      throw new InputError(e.path, `${e.detail} (in run ${run}${desc ? `: ${desc}` : ''})`);
    }
    throw e;
  }
}

/** A cell for an override value: scalars as they are, anything else as JSON text. */
export function overrideCell(v: unknown): Value {
  if (v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}
