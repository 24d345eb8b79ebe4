export { simulateScenario, type SimulationResult, type SimulationSummary, type SimulateOptions } from './simulate.js';
export { DYNAMICS_DEFAULTS, DEFAULT_SEED, resolveDynamics, resolveSeed, type DynamicsKind, type ResolvedDynamics } from './options.js';
export type { StopReason } from './stopping.js';
export type { Cell, Trajectory, TrajectoryRow } from './types.js';
export { MemorySink, nullSink, eventLine, turnEventLoop, type ProgressStage, type RoundSink } from './sink.js';
export { CYCLE_WINDOW } from './stopping.js';
