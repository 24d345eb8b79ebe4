/**
 * Where a run's per-round output goes (docs/dynamics.md "Event log"). A simulation calls `columns` once,
 * then `row` (one trajectory.csv row) and `event` (one events.jsonl object: what each agent did, payoffs)
 * for every round, and keeps neither: memory stays flat in the number of rounds. Sinks:
 *  - `MemorySink` collects the trajectory as CSV text (library callers, sweeps, tests) and, if asked, the
 *    events as JSON lines;
 *  - the CLI's streaming file sink (src/cli/simulate.ts) writes both files as the run goes.
 */
import { csvLine, type Cell } from '../report/csv.js';

export interface RoundSink {
  columns(cols: readonly string[]): void;
  row(cells: Record<string, Cell>): void;
  event(e: object): void;
}

/** One JSON line per event; numbers at full precision (JSON.stringify's shortest round-trip form). */
export function eventLine(e: object): string {
  return `${JSON.stringify(e)}\n`;
}

export class MemorySink implements RoundSink {
  private cols: readonly string[] = [];
  private csv = '';
  private jsonl = '';
  constructor(private readonly keepEvents = false) {}
  columns(cols: readonly string[]): void {
    this.cols = cols;
    this.csv = csvLine(cols);
  }
  row(cells: Record<string, Cell>): void {
    this.csv += csvLine(this.cols.map((c) => cells[c]));
  }
  event(e: object): void {
    if (this.keepEvents) this.jsonl += eventLine(e);
  }
  trajectoryCsv(): string {
    return this.csv;
  }
  eventsJsonl(): string {
    return this.jsonl;
  }
}

/** Discards everything (a sweep that needs only the summary). */
export const nullSink: RoundSink = { columns() {}, row() {}, event() {} };
