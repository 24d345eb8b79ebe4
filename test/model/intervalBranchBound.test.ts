/**
 * Branch and bound on an interval (src/model/geometry/intervalBranchBound.ts) on functions whose maximum is known:
 * two parabolic bumps f(x) = max_i (h_i − k(x − c_i)²), max = max_i h_i at c_i when c_i is feasible, with a gap of
 * infeasible points. The relaxation over-estimates each bump's maximum on the feasible part of [a, b] by k(b − a)²/4
 * and points between the middle and that maximum, so the search must branch to close the gap.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maximiseOnInterval } from '../../src/model/geometry/intervalBranchBound.js';

function problem(h1: number, c1: number, h2: number, c2: number, gap: [number, number]) {
  const k = 20;
  const bumps = [[h1, c1], [h2, c2]];
  const f = (x: number) => Math.max(...bumps.map(([h, c]) => h - k * (x - c) ** 2));
  const feasible = (x: number) => !(x > gap[0] && x < gap[1]);
  const value = (x: number) => (feasible(x) ? f(x) : null);
  // on each feasible piece [p, q] of [a, b] (the gap is open): each bump's maximum there (at c clipped to [p, q]),
  // plus k(q − p)²/4 — an over-estimate whose excess shrinks with the piece, as a McCormick relaxation's does
  const relax = (a: number, b: number) => {
    const pieces: Array<[number, number]> = [];
    if (a <= gap[0]) pieces.push([a, Math.min(b, gap[0])]);
    if (b >= gap[1]) pieces.push([Math.max(a, gap[1]), b]);
    let best: { bound: number; at: number } | null = null;
    for (const [p, q] of pieces) for (const [h, c] of bumps) {
      const at = Math.min(q, Math.max(p, c));
      const bound = h - k * (at - c) ** 2 + (k * (q - p) ** 2) / 4;
      if (!best || bound > best.bound) best = { bound, at: (p + q) / 2 + 0.3 * (at - (p + q) / 2) };
    }
    return best;
  };
  // the true maximum: at a feasible bump centre, else at a gap end, else at 0 or 1 (f is unimodal between)
  const cands = [c1, c2, gap[0], gap[1], 0, 1].filter((x) => x >= 0 && x <= 1 && feasible(x));
  const max = Math.max(...cands.map(f));
  return { value, relax, max };
}

describe('maximiseOnInterval', () => {
  it('finds the higher of two bumps, inside the interval, to the tolerance, with a bound that certifies it', () => {
    const p = problem(1, 0.23, 0.9, 0.71, [0.4, 0.5]);
    const r = maximiseOnInterval(p.relax, p.value, 0, 1, { tol: 1e-7, maxNodes: 100_000 });
    expect(r).not.toBeNull();
    expect(r?.value).toBeGreaterThanOrEqual(1 - 1e-7);
    expect(r?.x).toBeCloseTo(0.23, 3);
    expect((r?.bound ?? 0) - (r?.value ?? 0)).toBeLessThanOrEqual(1e-7);
  });

  it('random bumps and gaps: value ≤ max ≤ bound, and value within the tolerance when it finishes', () => {
    const u = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(fc.property(u, u, u, u, u, u, (h1, c1, h2, c2, g1, g2) => {
      const gap: [number, number] = g1 <= g2 ? [g1, g2] : [g2, g1];
      const p = problem(h1, c1, h2, c2, gap);
      const r = maximiseOnInterval(p.relax, p.value, 0, 1, { tol: 1e-6, maxNodes: 20_000 });
      expect(r).not.toBeNull();
      if (!r) return;
      expect(r.value).toBeLessThanOrEqual(p.max + 1e-12);
      expect(r.bound).toBeGreaterThanOrEqual(p.max - 1e-12);
      if (r.nodes < 20_000) expect(r.value).toBeGreaterThanOrEqual(p.max - 1e-6 * Math.max(1, Math.abs(p.max)));
      expect(p.value(r.x)).toBe(r.value);
    }), { numRuns: 300 });
  });

  it('a node limit leaves a valid bound above the value; infeasible everywhere gives null', () => {
    const p = problem(1, 0.23, 0.9, 0.71, [0.4, 0.5]);
    const r = maximiseOnInterval(p.relax, p.value, 0.6, 1, { tol: 1e-12, maxNodes: 3 });
    expect(r?.bound ?? 0).toBeGreaterThan(r?.value ?? 0);
    expect(r?.bound ?? 0).toBeGreaterThanOrEqual(0.9);
    expect(maximiseOnInterval(p.relax, p.value, 0.41, 0.49)).toBeNull();
  });
});
