export * from './errors.js';
export * from './types.js';
export { highsSolver, loadHighs, checkHighsStatus } from './highs.js';
export { jsLpSolver, toJsModel } from './jsLpSolver.js';

import { highsSolver } from './highs.js';
import { jsLpSolver } from './jsLpSolver.js';
import type { LpSolver } from './types.js';

export type LpBackend = 'highs' | 'javascript-lp-solver';

/** The solver for a backend name; `highs` is the default. */
export async function getLpSolver(backend: LpBackend = 'highs'): Promise<LpSolver> {
  return backend === 'highs' ? highsSolver() : jsLpSolver();
}
