/**
 * Shapes of the output files `report` reads (DESIGN.md §4), checked before any plot is written: a
 * hand-edited, truncated or foreign file is bad input naming the file and the first wrong field, never a
 * near-empty report. Extra keys are allowed (later versions may add some).
 */
import { z } from 'zod';
import { InputError } from '../scenario/errors.js';
import type { Manifest } from '../batch/types.js';

const count = z.number().int().min(0);
const names = z.array(z.string());

/** summary.json of a simulate folder: the keys DESIGN.md §4 promises. */
export const simulateSummarySchema = z.looseObject({
  scenario: z.string(),
  model: z.enum(['leakage', 'intermediation']).optional(),
  seed: z.number().int(),
  dynamics: z.looseObject({ kind: z.string() }),
  converged: z.boolean(),
  rounds: count,
  final: z.looseObject({}),
  checker: z.looseObject({}),
  // JSON has no Infinity: a non-finite distance is written as null
  distance: z.looseObject({ prices: z.number().nullable(), sharers: z.number().nullable().optional() }),
});

export type SimulateSummaryFile = z.infer<typeof simulateSummarySchema>;

/** manifest.json of a sweep folder (the Manifest written by src/report/sweepDir.ts). */
export const manifestSchema = z.looseObject({
  kind: z.literal('sweep'),
  name: z.string(),
  command: z.enum(['solve', 'simulate']),
  sweepHash: z.string(),
  version: z.string(),
  shard: z.object({ index: z.number().int().min(1), count: z.number().int().min(1) }).nullable(),
  status: z.enum(['running', 'complete', 'interrupted', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  counts: z.looseObject({ runs: count, replicates: count, tasks: count, tasksInShard: count, done: count, resumed: count }),
  columns: names,
  overrideColumns: names,
  resultColumns: names,
  textColumns: names.optional(),
  workers: count,
  mergedFrom: names.optional(),
});

/** The first issue as `error: <field>: <file>: <path>: <what>`. */
export function checkShape<T>(schema: z.ZodType<T>, value: unknown, file: string, field: string, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const at = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  throw new InputError(field, `${file}: ${what}: ${at}: ${issue.message}`);
}

export function checkManifest(value: unknown, file: string, field: string): Manifest {
  return checkShape(manifestSchema, value, file, field, 'not a datamarket sweep manifest') as Manifest;
}

/** The `run`, `replicate` and `seed` cells of results.csv are integers, and the header is the manifest's. */
export function checkResultsTable(t: { columns: string[]; rows: Record<string, unknown>[] }, m: Manifest, file: string, field: string): void {
  if (t.columns.join(',') !== m.columns.join(',')) {
    throw new InputError(field, `${file}: the columns differ from manifest.json's (${t.columns.join(',')} vs ${m.columns.join(',')})`);
  }
  t.rows.forEach((r, i) => {
    for (const c of ['run', 'replicate', 'seed']) {
      const v = r[c];
      if (!(typeof v === 'string' ? /^-?\d+$/.test(v) : Number.isInteger(v))) {
        throw new InputError(field, `${file}: row ${i + 1}: ${c}: expected an integer, got ${JSON.stringify(v)}`);
      }
    }
  });
}

/** trajectory.csv has a `round` column (DESIGN.md §4) whose cells are integers. */
export function checkTrajectoryTable(t: { columns: string[]; rows: Record<string, unknown>[] }, file: string, field: string): void {
  if (!t.columns.includes('round')) throw new InputError(field, `${file}: round: missing column`);
  t.rows.forEach((r, i) => {
    const v = r.round;
    if (!(typeof v === 'string' ? /^\d+$/.test(v) : Number.isInteger(v))) throw new InputError(field, `${file}: row ${i + 1}: round: expected an integer, got ${JSON.stringify(v)}`);
  });
}
