export * from './errors.js';
export * from './types.js';
export { highsSolver, loadHighs, checkHighsStatus, maxResidual, RESIDUAL_TOL, LOOSE_RESIDUAL_TOL } from './highs.js';
export { jsLpSolver, toJsModel } from './jsLpSolver.js';
export { provenInfeasible, solveOrNull } from './solveOrNull.js';
