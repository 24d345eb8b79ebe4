/**
 * Whether a run's distances to the checker lie within its tolerances (the distance part of `matchesChecker`,
 * simulate.ts; intermediationSim.ts uses it to pick which listed equilibrium a run rests at).
 */
import type { SimulationRun } from './types.js';

export function distancesWithin(d: SimulationRun<unknown>['distance'], t: Pick<SimulationRun<unknown>, 'priceTolerance' | 'recordTolerance' | 'welfareTolerance'>): boolean {
  return (
    (d.sharers ?? 0) === 0 &&
    (d.outcome ?? 0) === 0 &&
    (d.records ?? 0) <= (t.recordTolerance ?? 0) &&
    (d.welfare ?? 0) <= (t.welfareTolerance ?? 0) &&
    d.prices <= t.priceTolerance
  );
}
