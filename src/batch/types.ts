/** Shared types of the batch layer (report and CLI import these; batch imports nothing to its right). */

/** One cell of a tidy result row. Numbers are kept as numbers until written (full precision). */
export type Value = string | number | boolean | null;

/** One tidy row of results.csv: `run`, `replicate`, `seed`, override columns, result columns. */
export type Row = Record<string, Value>;

export type SweepCommand = 'solve' | 'simulate';

/** A 1-based shard `index` of `count` (`--shard I/N`). */
export interface Shard {
  index: number;
  count: number;
}

/** What a sweep folder's manifest.json records (written by src/report, read by resume and merge). */
export interface Manifest {
  kind: 'sweep';
  name: string;
  command: SweepCommand;
  /** sha256 of the sweep file's bytes (and of an external base file, when `base` is a path). */
  sweepHash: string;
  version: string;
  shard: Shard | null;
  status: 'running' | 'complete' | 'interrupted' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  counts: { runs: number; replicates: number; tasks: number; tasksInShard: number; done: number; resumed: number };
  columns: string[];
  overrideColumns: string[];
  resultColumns: string[];
  /**
   * Override columns whose every value in the sweep is a string (names): results.json keeps their cells as strings,
   * where a CSV cell "007" or "true" would read as 7 or true (review). Absent in folders written before 2026-11-28.
   */
  textColumns?: string[];
  workers: number;
  /** For a merged folder: the shard folders it was built from. */
  mergedFrom?: string[];
}
