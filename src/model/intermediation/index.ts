/**
 * Data intermediation (MODEL.md Part A). Pure functions over an `LpSolver`; the agents' hook:
 * V(q) and its supergradients (`platformValue`, `recordPriceIntervals`), the merchant's best response to a
 * signal (`merchantBestResponse`), participation given prices (`participation`, `offPathSurplus`).
 */
export * from './payoffs.js';
export * from './designLp.js';
export * from './supergradient.js';
export * from './value.js';
export * from './participation.js';
export * from './welfare.js';
export * from './equilibrium.js';
export * from './massUnit.js';
export * from './exactSearch.js';
export * from './remedies.js';
export * from './multiPlatform.js';
export * from './merchant.js';
export * from './pieces.js';
export * from './planner.js';
export * from './e2.js';
export * from './multiMerchant.js';
export * from './fallbackSearch.js';
export * from './segmentFace.js';
export * from './certifyFace.js';
export * from './platformDesign.js';
export * from './e2Multi.js';
export * from './absentTypes.js';
export * from './nearCorners.js';
export * from './fullDisclosure.js';
export * from './optimalFace.js';
