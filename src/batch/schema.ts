/**
 * Sweep file schema (DESIGN.md §4): `base` (a scenario object or a path relative to the sweep file),
 * `grid` (dotted path → list of values, Cartesian product), `runs` (explicit override sets, crossed with
 * the grid), `replicates`, `seed`, `command`. Objects are strict: an unknown field is an error.
 */
import { z } from 'zod';

const json: z.ZodType<unknown> = z.unknown();

export const sweepFileSchema = z.strictObject({
  name: z.string().min(1),
  command: z.enum(['solve', 'simulate']).optional(),
  /** A scenario object, or a scenario file path relative to the sweep file. */
  // one message for every wrong base (missing, an array, a scenario given as the sweep): zod's union said "Invalid input"
  base: z.union([z.string().min(1), z.record(z.string(), json)], { error: 'expected the base scenario: an object, or a path to its file relative to the sweep file (is this a sweep file?)' }),
  /**
   * Dotted path → values. A key may tie several paths with `|` (`"covariance.0.1|covariance.1.0"`):
   * every listed path gets the same value, and the column is named by the whole key.
   */
  grid: z.record(z.string().min(1), z.array(json).min(1)).optional(),
  /** Explicit override sets (dotted path → value); crossed with the grid when both are given. */
  runs: z.array(z.record(z.string().min(1), json)).min(1).optional(),
  replicates: z.number().int().positive().optional(),
  /** Sweep seed from which every (run, replicate) seed is derived. */
  seed: z.number().int().nonnegative().optional(),
  /** How `datamarket report` plots this sweep (all optional; docs/batch.md). */
  report: z
    .strictObject({
      title: z.string().optional(),
      /** Swept column on the x-axis (default: the last numeric override column). */
      x: z.string().optional(),
      /** Second swept column (heat-map y-axis, line colour; default: the other numeric override column). */
      y: z.string().optional(),
      /** Result columns to plot (default by command and model). */
      metrics: z.array(z.string()).optional(),
      /** Axis titles by column name. */
      labels: z.record(z.string(), z.string()).optional(),
      /** Free text shown at the top of the report (what the figure reproduces). */
      description: z.string().optional(),
      /**
       * Closed-form curves drawn dashed over the heat maps, in the axes' coordinates: a parametric curve
       * (x(t), y(t)) for t = from, from + step, …, to, with x and y in vega's expression language
       * (`datum.t`, `pow`, `sqrt`, …), e.g. AMMO's two-user threshold `4 / pow(2 - datum.t * datum.t, 2)`.
       */
      curves: z
        .array(
          z.strictObject({
            label: z.string().min(1),
            t: z.tuple([z.number(), z.number(), z.number().positive()]),
            x: z.string().min(1),
            y: z.string().min(1),
          }),
        )
        .optional(),
    })
    .optional(),
});
export type SweepFile = z.infer<typeof sweepFileSchema>;
