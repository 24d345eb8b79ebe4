import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { solveDuopolyCommunities, solveDuopolyGeneral } from '../../src/checker/leakage/duopoly.js';
import { solveGeneral } from '../../src/checker/leakage/monopoly.js';
import { bits, blockCovariance, leak, randomCovariance } from './oracle.js';

/**
 * Oracle: every assignment b ∈ {0,1,2}ⁿ (or {1,2}ⁿ without joining values) and every pair of sharer sets
 * A_1 ⊆ J_1, A_2 ⊆ J_2 jointly (no separability used), surplus from the definition.
 */
function bruteFirstBest(S: number[][], v: number[], alpha: number, c?: (size: number) => number): number {
  const n = S.length;
  const opts = c ? 3 : 2;
  let best = -Infinity;
  for (let code = 0; code < opts ** n; code++) {
    const b = [...Array(n).keys()].map((i) => Math.floor(code / opts ** i) % opts + (c ? 0 : 1));
    const J1 = b.flatMap((k, i) => (k === 1 ? [i] : []));
    const J2 = b.flatMap((k, i) => (k === 2 ? [i] : []));
    for (let m1 = 0; m1 < 2 ** J1.length; m1++) {
      for (let m2 = 0; m2 < 2 ** J2.length; m2++) {
        const A1 = bits(m1, J1.length).map((k) => J1[k]);
        const A2 = bits(m2, J2.length).map((k) => J2[k]);
        let ss = 0;
        for (let i = 0; i < n; i++) {
          const I1 = leak(S, 1, A1, i);
          const I2 = leak(S, 1, A2, i);
          if (b[i] === 1) ss += (1 - v[i]) * (I1 + alpha * I2) + (c ? c(J1.length) : 0);
          else if (b[i] === 2) ss += (1 - v[i]) * (I2 + alpha * I1) + (c ? c(J2.length) : 0);
          else ss -= v[i] * alpha * (I1 + I2);
        }
        best = Math.max(best, ss);
      }
    }
  }
  return best;
}

/** Surplus of the reported assignment recomputed from its own sharer sets. */
function surplusOf(S: number[][], v: number[], alpha: number, assignment: number[], sharers: [number[], number[]], c?: (size: number) => number): number {
  const size = (k: number): number => assignment.filter((b) => b === k).length;
  return assignment.reduce((ss, b, i) => {
    const I1 = leak(S, 1, sharers[0], i);
    const I2 = leak(S, 1, sharers[1], i);
    if (b === 1) return ss + (1 - v[i]) * (I1 + alpha * I2) + (c ? c(size(1)) : 0);
    if (b === 2) return ss + (1 - v[i]) * (I2 + alpha * I1) + (c ? c(size(2)) : 0);
    return ss - v[i] * alpha * (I1 + I2);
  }, 0);
}

describe('duopoly first best', () => {
  it('equals the brute-force maximum over assignments and sharer sets (general Σ)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.constantFrom(0, 0.4, 1),
        fc.constantFrom('none', 'constant', 'network', 'negative'),
        (n, seed, alpha, kind) => {
          const rnd = seedrandom(String(seed));
          const S = randomCovariance(n, rnd);
          const v = S.map(() => Math.round(rnd() * 300) / 100);
          const joining = kind === 'none' ? undefined : kind === 'constant' ? { base: 0.5, perMember: 0 } : kind === 'network' ? { base: 0.1, perMember: 0.2 } : { base: -0.3, perMember: 0.1 };
          const c = joining ? (size: number) => joining.base + joining.perMember * (size - 1) : undefined;
          const r = solveDuopolyGeneral(S, 1, v, { alpha, ...(joining ? { joining } : {}) });
          const fb = r.duopolyFirstBest;
          expect(fb).not.toBeNull();
          if (!fb) return;
          const oracle = bruteFirstBest(S, v, alpha, c);
          expect(fb.socialSurplus).toBeCloseTo(oracle, 9);
          expect(surplusOf(S, v, alpha, fb.assignment, fb.sharers, c)).toBeCloseTo(oracle, 9);
          // Sharers sit on their platform.
          fb.sharers.forEach((A, k) => A.forEach((i) => expect(fb.assignment[i]).toBe(k + 1)));
          // No joining equilibrium beats it, nor does the monopoly first best (everyone on one platform).
          for (const e of r.joiningEquilibria) expect(e.socialSurplus).toBeLessThanOrEqual(fb.socialSurplus + 1e-9);
          if (!joining && alpha === 0) expect(fb.socialSurplus).toBeGreaterThanOrEqual(solveGeneral(S, 1, v).firstBest.socialSurplus - 1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('communities: equals the general first best of the expanded block matrix', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.constantFrom(0, 0.5),
        fc.boolean(),
        (sizes, seed, alpha, withC) => {
          const rnd = seedrandom(String(seed));
          const within = 0.1 + rnd() * 0.4;
          const across = (rnd() - 0.3) * 0.3;
          const vBlock = sizes.map(() => Math.round(rnd() * 250) / 100);
          const joining = withC ? { base: 0.2, perMember: 0.05 } : undefined;
          const c = joining ? (size: number) => joining.base + joining.perMember * (size - 1) : undefined;
          const r = solveDuopolyCommunities({ sizes, variance: 1, within, across }, 1, vBlock, { alpha, ...(joining ? { joining } : {}) });
          const S = blockCovariance(sizes, 1, within, across);
          const v = sizes.flatMap((ng, g) => Array<number>(ng).fill(vBlock[g]));
          const oracle = bruteFirstBest(S, v, alpha, c);
          expect(r.duopolyFirstBest?.socialSurplus).toBeCloseTo(oracle, 9);
          const fb = r.duopolyFirstBest;
          if (fb) expect(surplusOf(S, v, alpha, fb.assignment, fb.sharers, c)).toBeCloseTo(oracle, 9);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('PAL Example 2 (improvement): the first best separates the high-value user, above the monopoly', () => {
    // ρ = 0.6, v = (0.5, 5): user 2 alone on platform 2 leaks nothing; user 1 sells alone: (1 − 0.5)·½.
    const r = solveDuopolyGeneral([[1, 0.6], [0.6, 1]], 1, [0.5, 5], { alpha: 0 });
    expect(r.duopolyFirstBest?.socialSurplus).toBeCloseTo(0.25, 12);
    expect(r.duopolyFirstBest?.sharers).toEqual([[0], []]);
    expect(r.duopolyFirstBest?.assignment).toEqual([1, 2]);
  });
});
