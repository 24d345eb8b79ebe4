/**
 * The rows of a running sweep. Each batch of finished rows (a chunk from one worker) goes to results.csv
 * in a single write(2) on the O_APPEND descriptor, so a killed process still leaves whole rows only; the
 * same rows are kept in memory as the text a CSV reader gives back (`cellText`), so the final sorted
 * tables are built without reading and parsing results.csv again. `rows()` equals
 * `readResults(dir).rows` for the rows appended here (tested), which is what the final tables used before.
 */
import type { Row } from '../batch/types.js';
import type { LineAppender } from './atomic.js';
import { cellText, csvLine } from './csv.js';

export class ResultsLog {
  private readonly texts: string[][] = [];

  constructor(
    private readonly appender: LineAppender,
    private readonly columns: readonly string[],
  ) {}

  /** Appends rows (one write) and keeps their cell texts. */
  append(rows: readonly Row[]): void {
    if (rows.length === 0) return;
    let text = '';
    for (const r of rows) {
      const cells = this.columns.map((c) => r[c]);
      text += csvLine(cells);
      this.texts.push(cells.map(cellText));
    }
    this.appender.append(text);
  }

  /** Rows appended so far, in append order, as string rows keyed by column. */
  rows(): Row[] {
    return this.texts.map((t) => {
      const row: Row = {};
      this.columns.forEach((c, i) => (row[c] = t[i]));
      return row;
    });
  }

  get count(): number {
    return this.texts.length;
  }
}
