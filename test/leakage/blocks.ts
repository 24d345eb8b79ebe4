/** Block ("community") test instances shared by the community tests. */
import fc from 'fast-check';
import type { Communities } from '../../src/scenario/schema.js';
import { real } from './oracle.js';

/** The n×n covariance of a community structure; users of block g are offset_g … offset_g + n_g − 1. */
export function expand(c: Communities): number[][] {
  const block: number[] = [];
  c.sizes.forEach((ng, g) => {
    for (let i = 0; i < ng; i++) block.push(g);
  });
  return block.map((g, i) => block.map((h, j) => (i === j ? c.variance : g === h ? c.within : c.across)));
}

export interface CommunityCase {
  c: Communities;
  v: number[];
  tau2: number;
}

/** Random PSD block structures; within/across/v sometimes snapped to 0 or 1 to provoke exact ties. */
export function communityArb(maxK: number, maxSize: number): fc.Arbitrary<CommunityCase> {
  return fc.integer({ min: 1, max: maxK }).chain((K) =>
    fc
      .record({
        sizes: fc.array(fc.integer({ min: 1, max: maxSize }), { minLength: K, maxLength: K }),
        variance: real(0.3, 2),
        within: fc.oneof(real(-0.3, 1), fc.constant(0)),
        across: fc.oneof(real(-0.6, 0.6), fc.constant(0)),
        v: fc.array(fc.oneof(real(0, 3), fc.constant(1)), { minLength: K, maxLength: K }),
        tau2: fc.oneof(real(0.2, 3), fc.constant(1)),
      })
      .map(({ sizes, variance, within, across, v, tau2 }) => ({
        c: { sizes, variance, within: within * variance, across: across * variance },
        v,
        tau2,
      })),
  );
}

