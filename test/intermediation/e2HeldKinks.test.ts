/**
 * GP E2, one platform: sets bounded by the kinks of a buyer whose type does not move (held at q̄) — found since the
 * searches scan those payoffs too (e2.ts `othersLineEnds`, e2Pairs.ts's scanned mix). Both were missed before, with
 * every `searched` flag true (review: sampling random points of the box's faces).
 */
import { describe, expect, it } from 'vitest';
import { highsSolver, jsLpSolver } from '../../src/lp/index.js';
import { findE2, pieceSets, type E2Market } from '../../src/model/intermediation/e2.js';
import { bruteE2Violations } from './e2Brute.js';

describe('E2: sets bounded by a held buyer\'s kink', () => {
  it('one interior type: (t, 0.7, 0) for t ∈ [0.7, 1.01], where buyer 1\'s best reply min(q(0), q̄(1)) is q̄(1)', async () => {
    // γ = (0, 0): U ≡ 0, so p = 0 on sold types; pooling highs with lows at fee 1 gives H_1 = 3 min(q(0), q(1)), and
    // buyer 1's payoff (q̄(1) − t)·1 + 3 min(q(0), t) is largest at t = min(q(0), q̄(1)): she sells all of q̄(1) = 0.7
    // iff q(0) ≥ 0.7. Buyers 0 and 2 gain nothing from the platform (β = 0), so type 0 is indifferent at p(0) = 0 and
    // type 2 keeps at p(2) ≤ r = 1. Inside a piece of H_0 (≡ 0) and U (≡ 0): only H_1 kinks at t = 0.7.
    const h = await highsSolver();
    const js = jsLpSolver();
    const m: E2Market = { game: { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 0, gammaPi: 0 }, buyerWeights: [0, 3, 0], qBar: [1.01, 0.7, 0.86], keepValue: [0, 1, 1] };
    const r = findE2(h, m);
    expect(r.searched).toEqual({ corners: true, oneInterior: true, severalInterior: true, twoInterior: true });
    const line = r.equilibria.filter((e) => e.continuum?.type === 0 && Math.abs(e.records[1] - 0.7) <= 1e-12 && e.records[2] === 0);
    expect(line).toHaveLength(1);
    expect(line[0].continuum?.from).toBeCloseTo(0.7, 8);
    expect(line[0].continuum?.to).toBeCloseTo(1.01, 12);
    for (const t of [0.71, 0.85, 1]) expect(bruteE2Violations(js, m, [t, 0.7, 0], line[0].prices, 10)).toEqual([]);
    // below 0.7 buyer 1 would sell only q(0)
    expect(bruteE2Violations(js, m, [0.6, 0.7, 0], line[0].prices, 10)).not.toEqual([]);
  }, 60_000);

  it('two interior types: the rectangle q(0) ∈ [0.46, 0.72], q(2) ∈ [0, 0.25] with type 1 at q̄(1) = 0.46', async () => {
    // no closed form: the brute force on javascript-lp-solver decides points of it, and one outside
    const h = await highsSolver();
    const js = jsLpSolver();
    const m: E2Market = { game: { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 1, gammaPi: 1 }, buyerWeights: [3, 3, 0], qBar: [0.72, 0.46, 0.25], keepValue: [1, 3, 3] };
    const r = findE2(h, m);
    expect(r.searched.twoInterior).toBe(true);
    const cells = r.equilibria.filter((e) => e.twoInterior?.cell && e.twoInterior.types.join() === '0,2' && Math.abs(e.records[1] - 0.46) <= 1e-12);
    expect(cells).toHaveLength(1);
    const box = (cells[0].twoInterior?.cell ?? []).map((q) => [q[0], q[2]]);
    for (const k of [0, 1]) {
      expect(Math.min(...box.map((v) => v[k]))).toBeCloseTo([0.46, 0][k], 8);
      expect(Math.max(...box.map((v) => v[k]))).toBeCloseTo([0.72, 0.25][k], 8);
    }
    for (const q of [[0.59, 0.46, 0.125], [0.5, 0.46, 0.05], [0.7, 0.46, 0.2]]) expect(bruteE2Violations(js, m, q, cells[0].prices, 10)).toEqual([]);
    expect(bruteE2Violations(js, m, [0.3, 0.46, 0.1], cells[0].prices, 10)).not.toEqual([]);
  }, 60_000);
});

describe('pieceSets: the sets of a line\'s piece from its middle and quarter points (e2.ts)', () => {
  const sets = (inside: (t: number) => boolean) => pieceSets((t) => (inside(t) ? { t } : null), 0, 1, 1).map((s) => [s.eq.t, s.span?.from, s.span?.to]);
  it('two sets around the quarter points, the middle failing: each its own extent, bounded by the failing middle', () => {
    const out = sets((t) => (t >= 0.2 && t <= 0.3) || (t >= 0.7 && t <= 0.8));
    expect(out).toHaveLength(2);
    expect(out[0][0]).toBe(0.25);
    expect(out[0][1]).toBeCloseTo(0.2, 9);
    expect(out[0][2]).toBeCloseTo(0.3, 9);
    expect(out[1][0]).toBe(0.75);
    expect(out[1][1]).toBeCloseTo(0.7, 9);
    expect(out[1][2]).toBeCloseTo(0.8, 9);
  });
  it('one set holding all three points: reported once, at the middle, with the piece\'s passing ends', () => {
    expect(sets((t) => t >= 0.1)).toEqual([[0.5, expect.closeTo(0.1, 9), 1]]);
    expect(sets(() => true)).toEqual([[0.5, 0, 1]]);
  });
  it('a set through one quarter point only, and a single passing point: no span shorter than the resolution', () => {
    expect(sets((t) => t <= 0.4)).toEqual([[0.25, 0, expect.closeTo(0.4, 9)]]);
    expect(sets((t) => t === 0.75)).toEqual([[0.75, undefined, undefined]]);
    expect(sets(() => false)).toEqual([]);
  });
});
