/**
 * Where a run's per-round output goes (docs/dynamics.md "Event log"). A simulation calls `columns` once,
 * then `row` (one trajectory row of values) and `event` (one events.jsonl object: what each agent did,
 * payoffs) for every round, and keeps neither: memory stays flat in the number of rounds. The engine emits
 * rows, not CSV text; whoever writes trajectory.csv renders them with report's CSV writer. Sinks:
 *  - `MemorySink` keeps the columns and rows (library callers, tests) and, if asked, the events as JSON lines;
 *  - `nullSink` discards everything (a sweep needs only the summary);
 *  - the CLI's streaming file sink (src/cli/simulate.ts) renders and writes both files as the run goes.
 */
import type { Cell, Trajectory, TrajectoryRow } from './types.js';

export interface RoundSink {
  columns(cols: readonly string[]): void;
  row(cells: Record<string, Cell>): void;
  event(e: object): void;
  /**
   * How far a long stage has come (the CLI draws a progress bar): the checker's `equilibrium search` (patterns) and
   * `E2 search` (lines and slices) before the rounds, then `rounds` (done of the round limit, every 100 ms).
   */
  progress?(stage: ProgressStage, done: number, total: number): void;
}

export type ProgressStage = 'equilibrium search' | 'E2 search' | 'rounds';

/** One JSON line per event; numbers at full precision (JSON.stringify's shortest round-trip form). */
export function eventLine(e: object): string {
  return `${JSON.stringify(e)}\n`;
}

export class MemorySink implements RoundSink {
  private cols: readonly string[] = [];
  private readonly rows: TrajectoryRow[] = [];
  private jsonl = '';
  constructor(private readonly keepEvents = false) {}
  columns(cols: readonly string[]): void {
    this.cols = [...cols];
  }
  /** Kept as given: a simulation builds a fresh row object every round and never touches it again. */
  row(cells: Record<string, Cell>): void {
    this.rows.push(cells);
  }
  event(e: object): void {
    if (this.keepEvents) this.jsonl += eventLine(e);
  }
  trajectory(): Trajectory {
    return { columns: this.cols, rows: this.rows };
  }
  eventsJsonl(): string {
    return this.jsonl;
  }
}

/** Discards everything (a sweep that needs only the summary). */
export const nullSink: RoundSink = { columns() {}, row() {}, event() {} };

/** One turn of the event loop (signal handlers such as the CLI's Ctrl-C run in it). */
export function turnEventLoop(): Promise<void> {
  return new Promise<void>((done) => setImmediate(done));
}

/** How long a simulation loop runs without letting the event loop turn (ms). */
const BREATH_MS = 100;

/**
 * Lets the event loop turn every BREATH_MS of a simulation's round loop, so that a signal handler (the CLI's
 * Ctrl-C, which stops the run through its sink and removes the hidden temporary files) runs during a long run:
 * a loop that never yields is killed by SIGINT with its temporary files left behind (review: 200 MB). `due()` is
 * a clock read; the loop awaits `pause()` only when it is due, so results and their order do not change.
 */
export class Breather {
  private next = performance.now() + BREATH_MS;
  /** `sink` hears of the rounds done (of `rounds`) at each pause. */
  constructor(private readonly sink?: RoundSink, private readonly rounds = 0) {}
  due(): boolean {
    return performance.now() >= this.next;
  }
  async pause(round?: number): Promise<void> {
    if (round !== undefined) this.sink?.progress?.('rounds', round, this.rounds);
    await turnEventLoop();
    this.next = performance.now() + BREATH_MS;
  }
}
