/**
 * The unit of the masses (checker/intermediation/units.ts explains why): GLP and GP are positively homogeneous in
 * q̄, and the LPs' tolerances are absolute at the scale of 1, so markets are solved at masses divided by a power of two
 * (exact in floating point, both ways).
 */

/** The masses are rescaled only outside [1/16, 16], so ordinary scenarios are solved exactly as given. */
const UNIT_RANGE = 16;

/** The power of two σ to divide the masses by (1 when the largest mass is within UNIT_RANGE of 1, or none is positive). */
export function massUnit(mass: number[]): number {
  const top = Math.max(0, ...mass);
  if (!(top > 0) || (top >= 1 / UNIT_RANGE && top <= UNIT_RANGE)) return 1;
  return powerOfTwoNear(top);
}

/** The power of two nearest x (1 when x is not positive): dividing by it and multiplying back are exact. */
export function powerOfTwoNear(x: number): number {
  return x > 0 ? 2 ** Math.round(Math.log2(x)) : 1;
}
