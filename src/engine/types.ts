import type { LeakageRoundLog } from './leakageMarket.js';
import type { Stop } from './stopping.js';

/** What a model-specific simulation hands back to simulateScenario. */
export interface SimulationRun<State> {
  final: State;
  checker: State;
  distance: { prices: number; sharers: number | null };
  /** Tolerance under which the final prices count as the checker's. */
  priceTolerance: number;
  stop: Stop;
  rounds: number;
  method: string;
  trajectoryCsv: string;
  events: readonly LeakageRoundLog[] | readonly object[];
}
