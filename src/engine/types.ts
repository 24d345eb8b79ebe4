import type { Stop } from './stopping.js';

/** What a model-specific simulation hands back to simulateScenario. */
export interface SimulationRun<State> {
  final: State;
  checker: State;
  /** prices and sharers (leakage) per DESIGN.md §4; intermediation adds records (max |q − q*|) and outcome (0/1). */
  distance: { prices: number; sharers: number | null; records?: number; outcome?: number; value?: number };
  /** Tolerance under which the final prices count as the checker's. */
  priceTolerance: number;
  /** Tolerance for records (intermediation). */
  recordTolerance?: number;
  stop: Stop;
  rounds: number;
  method: string;
}
