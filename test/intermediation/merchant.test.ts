/**
 * The merchant's best response to a segment (merchant.ts), against exact integer arithmetic: fees and masses in
 * tenths, so 100·profit is an integer and ties are exact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { merchantBestResponse } from '../../src/model/intermediation/index.js';

/** 100 · Σ_ω m(ω)·a·1[ω ≥ a], exactly (a and m in tenths). */
const exactProfit = (a: number, types: number[], seg: number[]) => types.reduce((s, w, k) => s + (w >= a ? Math.round(a * 10) * Math.round(seg[k] * 10) : 0), 0);

describe('merchantBestResponse', () => {
  it('a tie computed with rounding goes to the lowest fee (fees 0.3 and 0.9 both earn 0.09 on (0.2, 0, 0.1): review)', () => {
    const game = { types: [0.3, 0.8, 0.9], fees: [0.3, 0.8, 0.9] };
    expect(merchantBestResponse(game, [0.2, 0, 0.1]).fee).toBe(0.3);
    // obeys a recommendation that is optimal, not one that is not (fee 0.8 earns 0.08)
    expect(merchantBestResponse(game, [0.2, 0, 0.1], 0.9).fee).toBe(0.9);
    expect(merchantBestResponse(game, [0.2, 0, 0.1], 0.8).fee).toBe(0.3);
  });

  it('an optimal fee, the lowest of the exact ties, or the recommendation when it is optimal (exact arithmetic)', () => {
    const arb = fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 2, maxLength: 5 }).chain((ts) =>
      fc.tuple(fc.constant([...ts].sort((a, b) => a - b).map((t) => t / 10)), fc.array(fc.integer({ min: 0, max: 3 }).map((m) => m / 10), { minLength: ts.length, maxLength: ts.length }), fc.nat(ts.length)),
    );
    fc.assert(
      fc.property(arb, ([types, seg, r]) => {
        const fees = [...types].reverse(); // not sorted: "lowest" is by value, not by position
        const profits = fees.map((a) => exactProfit(a, types, seg));
        const top = Math.max(...profits);
        const lowest = Math.min(...fees.filter((_, j) => profits[j] === top));
        expect(merchantBestResponse({ types, fees }, seg).fee).toBe(lowest);
        const rec = r < fees.length ? fees[r] : undefined;
        if (rec !== undefined) expect(merchantBestResponse({ types, fees }, seg, rec).fee).toBe(exactProfit(rec, types, seg) === top ? rec : lowest);
      }),
      { numRuns: 3000 },
    );
  });
});
