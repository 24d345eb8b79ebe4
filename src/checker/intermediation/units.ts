/**
 * Units of the masses. GLP and GP are positively homogeneous in the masses q̄: scaling q̄ by σ scales every
 * allocation, value and welfare by σ (V(σq) = σV(q), the equilibria and optima scale, the segmentation x(a|ω),
 * prices, surpluses per record and every count stay the same). The checker's tolerances are absolute at the scale
 * of 1 (e.g. 1e-9·max(1, |V|), HiGHS's 1e-10, the off-path mass 1e-6·max q̄), so masses far from 1 — the largest at
 * 7e-5 — lost the no-trade equilibrium or reported none at all. The checker therefore solves the market with masses
 * divided by a power of two σ (exact in floating point, both ways) and multiplies the extensive numbers of the
 * result by σ (`EXTENSIVE`).
 */

export { massUnit } from '../../model/intermediation/massUnit.js';

/**
 * Paths (from the root of the `solve` result, array levels left out) of the numbers that scale with the masses:
 * records, values, surpluses in aggregate and welfare. Every other number is intensive: prices and their
 * intervals, x(a|ω), per-record surpluses and gains, ψ, r̄, participation shares, per-member payments, ratios,
 * counts. Checked against the unscaled solver at q̄ and 2q̄ in test/intermediation/units.test.ts.
 */
const EQUILIBRIUM = ['records', 'welfare', 'welfareMin', 'platformValue', 'continuum.from', 'continuum.to', 'region.lower', 'region.upper', 'region.welfareMin', 'region.segment.from', 'region.segment.to', 'region.segment.welfareBound'];
const GP_OUTCOME = ['value', 'kept', 'welfare', 'platforms.records', 'platforms.platformValue', 'platforms.buyerSurplus'];
const E2_EQUILIBRIUM = ['records', 'kept', 'welfare', 'platformValue', 'platformValues', 'buyerSurplus', 'continuum.from', 'continuum.to', 'pair.from', 'twoInterior.from', 'twoInterior.to', 'twoInterior.cell', 'twoSplit.from', 'twoSplit.to', 'twoSplit.cell', 'threeWay.from', 'threeWay.to', 'threeWay.cell', 'sharedKink.region', 'threeInterior.from', 'threeInterior.to', 'threeInterior.cell', 'threeInterior.rayFrom', 'manyInterior.from', 'manyInterior.to', 'manyInterior.cell', 'manyInterior.rayFrom'];
export const EXTENSIVE: ReadonlySet<string> = new Set([
  'platformValue',
  ...EQUILIBRIUM.flatMap((k) => [`equilibrium.${k}`, `equilibria.${k}`]),
  'constrainedEfficient.records',
  'constrainedEfficient.welfare',
  'constrainedEfficient.lexicographicWelfare',
  'efficiency.welfareGap',
  'remedies.none.records',
  'remedies.none.welfare',
  'remedies.union.records',
  'remedies.union.welfare',
  'remedies.union.budget',
  'remedies.union.consumerWelfare',
  'remedies.tax.records',
  'remedies.tax.revenue',
  'remedies.tax.welfare',
  'remedies.complete.records',
  'remedies.complete.welfare',
  'remedies.complete.firstBest',
  ...GP_OUTCOME.flatMap((k) => [`multiPlatform.E1.${k}`, `multiPlatform.E3.${k}`]),
  ...E2_EQUILIBRIUM.flatMap((k) => [`multiPlatform.E2.equilibrium.${k}`, `multiPlatform.E2.equilibria.${k}`]),
  'multiPlatform.E2.secondBest.records',
  'multiPlatform.E2.secondBest.welfare',
  'multiPlatform.designs.value',
]);

/** A copy of `value` with every number at an EXTENSIVE path multiplied by σ. */
export function scaleExtensive<T>(value: T, sigma: number, path = ''): T {
  if (typeof value === 'number') return (EXTENSIVE.has(path) ? value * sigma : value) as T;
  if (Array.isArray(value)) return value.map((v) => scaleExtensive(v, sigma, path)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scaleExtensive(v, sigma, path ? `${path}.${k}` : k);
    return out as T;
  }
  return value;
}
