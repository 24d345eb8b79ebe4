import { median as ssMedian } from 'simple-statistics';

/**
 * The median (of an even count the mean of the middle two; NaN when empty), shared by the bench areas. Until
 * 2026-11-27 the upper middle element: with two markets the "median" was the slower one.
 */
export function median(xs: number[]): number {
  return xs.length === 0 ? NaN : ssMedian(xs);
}
