/**
 * The E2 searches' payoff memos are caches: past their capacity (MAX_MEMO_PAYOFFS) they start afresh and the
 * payoffs are recomputed the same way. With a capacity far below what a search evaluates (thousands of payoffs),
 * the memo restarts many times; the equilibria must be those of a search with the default capacity, and the memo
 * must hold at most its capacity, each kept value equal to a fresh selection's.
 */
import { describe, expect, it } from 'vitest';
import { highsSolver } from '../../src/lp/index.js';
import { e2Payoffs, findE2, newE2Memo, payoffsAt, type E2Market } from '../../src/model/intermediation/e2.js';
import { findE2Multi, newE2MultiMemo, payAt, type E2MultiMarket } from '../../src/model/intermediation/e2Multi.js';
import { pricingDesign, selectedPayoffs } from '../../src/model/intermediation/platformDesign.js';

type Entry = { records: number[] | number[][]; priceIntervals: unknown };

/** Entries as comparable text: records and price intervals to 1e-9, in the searches' own order. */
const summary = (es: Entry[]) => es.map((e) => JSON.stringify({ q: e.records, p: e.priceIntervals }, (_, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(9)) : v)));

describe('E2 payoff memos past their capacity', () => {
  it('findE2: the same equilibria with a memo of 40 payoffs as with the default (GP ray market and a random one)', async () => {
    const h = await highsSolver();
    const markets: E2Market[] = [
      // the indifferent platform's ray 3 : 1 : 2 (e2.test.ts): a three-interior entry and corners
      { game: { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 0, gammaPi: 0 }, buyerWeights: [1, 3, 3], qBar: [0.72, 0.28, 0.62], keepValue: [0, 2, 1] },
      { game: { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 1, gammaPi: 3 }, buyerWeights: [3, 1, 0], qBar: [0.41, 0.93, 0.27], keepValue: [1, 0, 3] },
    ];
    for (const m of markets) {
      const full = findE2(h, m);
      const small = findE2(h, m, { memoCapacity: 40 });
      expect(full.equilibria.length).toBeGreaterThan(0);
      expect(summary(small.equilibria)).toEqual(summary(full.equilibria));
      expect(small.searched).toEqual(full.searched);
    }
  });

  it('findE2Multi: the same equilibria with memos of 20 payoffs per platform (two platforms, two types)', async () => {
    const h = await highsSolver();
    const m: E2MultiMarket = {
      designs: [
        pricingDesign({ types: [1, 2], fees: [1, 2], gammaU: 0.1, gammaPi: 0.66 }, [2.74, 1.79]),
        pricingDesign({ types: [1, 2], fees: [1, 2], gammaU: 0.78, gammaPi: 0.61 }, [2.81, 0.57]),
      ],
      qBar: [0.5, 0.39],
      keepValue: [0.62, 1.35],
    };
    const full = findE2Multi(h, m);
    const small = findE2Multi(h, m, { memoCapacity: 20 });
    expect(full.equilibria.length).toBeGreaterThan(0);
    expect(summary(small.equilibria)).toEqual(summary(full.equilibria));
    expect(small.searched).toEqual(full.searched);
  });

  it('a memo never holds more than its capacity, and what it holds is the selection at that q', async () => {
    const h = await highsSolver();
    const m: E2Market = { game: { types: [1, 2], fees: [1, 2], gammaU: 1, gammaPi: 0 }, buyerWeights: [1, 3], qBar: [0.3, 0.7], keepValue: [2, 0] };
    const memo = newE2Memo(3);
    const multi = newE2MultiMemo(1, 3);
    const design = pricingDesign(m.game, m.buyerWeights);
    const mm: E2MultiMarket = { designs: [design], qBar: m.qBar, keepValue: m.keepValue };
    for (let k = 0; k < 10; k++) {
      const q = [0.03 * k, 0.7 - 0.05 * k];
      const got = payoffsAt(h, m, q, memo);
      const fresh = e2Payoffs(h, m, q);
      expect(got.value).toBeCloseTo(fresh.value, 12);
      got.buyer.forEach((b, w) => expect(b).toBeCloseTo(fresh.buyer[w], 12));
      expect(memo.payoffs.size).toBeLessThanOrEqual(3);
      const gotMulti = payAt(h, mm, 0, q, multi);
      const freshMulti = selectedPayoffs(h, design, q);
      expect(gotMulti.value).toBeCloseTo(freshMulti.value, 12);
      gotMulti.buyer.forEach((b, w) => expect(b).toBeCloseTo(freshMulti.buyer[w], 12));
      expect(multi.pay[0].size).toBeLessThanOrEqual(3);
    }
    // the cap was reached (it restarts at 3: one payoff after each restart)
    expect(memo.payoffs.size).toBe(1);
    expect(multi.pay[0].size).toBe(1);
  });
});
