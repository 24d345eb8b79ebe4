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

/**
 * `matchesChecker`: the run did not stop on a cycle or a divergence (a period-2 cycle whose last round happened to
 * show the checker's phase had "matched"), and its distances lie within its tolerances.
 */
export function matchesChecker(run: Pick<SimulationRun<unknown>, 'distance' | 'stop' | 'priceTolerance' | 'recordTolerance' | 'welfareTolerance'>): boolean {
  return !unsettled(run.stop) && distancesWithin(run.distance, run);
}

/** A run that ended on a cycle or a divergence: it never matches, whatever its last round shows. */
export function unsettled(stop: SimulationRun<unknown>['stop']): boolean {
  return stop.reason === 'cycle' || stop.reason === 'diverged';
}
