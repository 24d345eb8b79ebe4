import type { Stop } from './stopping.js';

/**
 * One trajectory cell as a simulation emits it: a number (kept at full precision), text, a flag, or empty
 * (null/undefined). The engine emits values, not text: rendering (trajectory.csv) belongs to the caller,
 * which uses report's CSV writer.
 */
export type Cell = string | number | boolean | null | undefined;

/** One trajectory row (one round), keyed by column name. */
export type TrajectoryRow = Record<string, Cell>;

/** A whole run's trajectory: the columns in order and one row per round (what `MemorySink` collects). */
export interface Trajectory {
  columns: readonly string[];
  rows: readonly TrajectoryRow[];
}

/** What a model-specific simulation hands back to simulateScenario. */
export interface SimulationRun<State> {
  final: State;
  checker: State;
  /**
   * prices and sharers (leakage) per DESIGN.md §4; intermediation adds records (max |q − q*|), outcome (0/1) and,
   * with one platform, welfare (|W − W*|: the segmentation and fees, which prices and records do not show).
   */
  distance: { prices: number; sharers: number | null; records?: number; outcome?: number; value?: number; welfare?: number };
  /** Tolerance under which the final prices count as the checker's. */
  priceTolerance: number;
  /** Tolerance for records (intermediation). */
  recordTolerance?: number;
  /** Tolerance for welfare (intermediation, one platform). */
  welfareTolerance?: number;
  stop: Stop;
  rounds: number;
  method: string;
}
