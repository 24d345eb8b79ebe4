/**
 * The rows of a running sweep and its final tables, built while the rows arrive.
 *
 * Each batch of finished rows (a chunk from one worker) goes to results.csv in a single write(2) on the
 * O_APPEND descriptor, so a killed process still leaves whole rows only. The same rows are kept as what
 * the final tables need: the CSV line, the results.json element and, until its run is complete, the cell
 * texts a CSV reader would give back (`cellText`); a complete run's summary.csv lines are computed at
 * once. Completing the sweep then only sorts, joins and writes, instead of reading results.csv back,
 * parsing it and computing everything in one serial step. The bytes equal `writeFinalTables` on the file
 * read back (tested in test/batch/results-log.test.ts, and across worker counts, shards and resume).
 */
import { join } from 'node:path';
import type { Row } from '../batch/types.js';
import { writeFileAtomic, type LineAppender } from './atomic.js';
import { cellText, csvLine } from './csv.js';
import { compareRows, summarize, summaryColumns } from './summary.js';
import { FILES, jsonRow } from './sweepDir.js';

export interface TableColumns {
  columns: readonly string[];
  overrideColumns: readonly string[];
  resultColumns: readonly string[];
  /** Override columns kept as strings in results.json (`Manifest.textColumns`; none if absent). */
  textColumns?: readonly string[];
}

interface Entry {
  run: number;
  replicate: number;
  line: string;
  json: string;
}

export class ResultsLog {
  private readonly entries: Entry[] = [];
  private readonly keys = new Set<string>();
  /** A (run, replicate) logged twice, or a row of a run already summarised: use the file instead. */
  private inconsistent = false;
  /** Text rows of runs still waiting for replicates. */
  private readonly open = new Map<number, Row[]>();
  /** summary.csv lines of each complete run. */
  private readonly summaries = new Map<number, string>();

  /**
   * `expected`: how many rows of each run this process will log (its pending tasks), so a run's summary
   * can be computed as soon as its last replicate arrives.
   */
  private readonly text: ReadonlySet<string>;

  constructor(
    private readonly appender: LineAppender,
    private readonly t: TableColumns,
    private readonly expected: ReadonlyMap<number, number>,
  ) {
    this.text = new Set(t.textColumns ?? []);
  }

  /** Appends rows (one write) and records what the final tables need. */
  append(rows: readonly Row[]): void {
    if (rows.length === 0) return;
    const { columns } = this.t;
    let text = '';
    for (const r of rows) {
      const cells = columns.map((c) => r[c]);
      const line = csvLine(cells);
      text += line;
      const texts: Row = {};
      columns.forEach((c, i) => (texts[c] = cellText(cells[i])));
      const run = Number(texts.run);
      const replicate = Number(texts.replicate);
      const key = `${run}:${replicate}`;
      if (this.keys.has(key) || this.summaries.has(run)) this.inconsistent = true;
      this.keys.add(key);
      this.entries.push({ run, replicate, line, json: jsonRow(columns, texts, this.text) });
      const group = this.open.get(run);
      if (group) group.push(texts);
      else this.open.set(run, [texts]);
      if (this.open.get(run)?.length === this.expected.get(run)) this.closeRun(run);
    }
    this.appender.append(text);
  }

  get count(): number {
    return this.entries.length;
  }

  /**
   * Writes sorted results.csv, results.json and summary.csv (as `writeFinalTables` does from the rows
   * read back). Returns false, writing nothing, if a (run, replicate) was logged twice or a run got more
   * rows than expected: the caller then falls back to the file read back (where the first row is kept).
   */
  writeFinalTables(dir: string): boolean {
    if (this.inconsistent) return false;
    for (const run of [...this.open.keys()]) this.closeRun(run);
    const sorted = [...this.entries].sort((a, b) => a.run - b.run || a.replicate - b.replicate);
    writeFileAtomic(join(dir, FILES.results), csvLine(this.t.columns) + sorted.map((e) => e.line).join(''));
    writeFileAtomic(join(dir, FILES.resultsJson), `[${sorted.map((e) => e.json).join(',')}]\n`);
    const runs = [...this.summaries.keys()].sort((a, b) => a - b);
    writeFileAtomic(join(dir, FILES.summary), csvLine(summaryColumns(this.t.overrideColumns)) + runs.map((r) => this.summaries.get(r)).join(''));
    return true;
  }

  /** A run's summary.csv lines, from its rows in replicate order (`summarize` on one group). */
  private closeRun(run: number): void {
    const group = this.open.get(run) ?? [];
    this.open.delete(run);
    group.sort(compareRows);
    const cols = summaryColumns(this.t.overrideColumns);
    const lines = summarize(group, this.t.overrideColumns, this.t.resultColumns).map((s) => csvLine(cols.map((c) => s[c])));
    this.summaries.set(run, lines.join(''));
  }
}
