/**
 * Community (block) solver vs full enumeration of the expanded n×n matrix with solveGeneral (itself checked
 * against the brute-force oracle in general.test.ts). Users of block g are indices offset_g … offset_g+n_g−1.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { solveCommunities, solveGeneral } from '../../src/checker/leakage/monopoly.js';
import { enumerateSetValues } from '../../src/model/leakage/enumerate.js';
import { matFrom } from '../../src/model/linalg.js';
import { communityArb, expand } from './blocks.js';
import { close, minEigenvalue } from './oracle.js';

const binom = (n: number, k: number): number => {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
};

const isPsd = (c: Parameters<typeof expand>[0]): boolean => minEigenvalue(expand(c)) >= -1e-12;

describe('solveCommunities vs solveGeneral on the expanded matrix', () => {
  it('same Φ, SS, sharers (tie rule), prices, leakage per user and tie counts', () => {
    let withTies = 0;
    fc.assert(
      fc.property(communityArb(3, 4), ({ c, v, tau2 }) => {
        fc.pre(c.sizes.reduce((a, b) => a + b, 0) <= 12 && isPsd(c));
        const Sigma = expand(c);
        const vUser = c.sizes.flatMap((ng, g) => new Array<number>(ng).fill(v[g]));
        const gen = solveGeneral(Sigma, tau2, vUser);
        const com = solveCommunities(c, tau2, v);
        const eq = com.equilibrium;
        expect(com.users).toBe(Sigma.length);
        expect(close(eq.platformProfit, gen.equilibrium.platformProfit, 1e-9)).toBe(true);
        expect(close(eq.socialSurplus, gen.equilibrium.socialSurplus, 1e-9)).toBe(true);
        expect(close(com.firstBest.socialSurplus, gen.firstBest.socialSurplus, 1e-9)).toBe(true);
        // Count the tied optimal sets in the general solver’s own values, away from the tolerance edge.
        const vals = enumerateSetValues(matFrom(Sigma), tau2, vUser);
        const edge = (arr: Float64Array): boolean => {
          const max = arr.reduce((a, b) => Math.max(a, b), -Infinity);
          const tol = 1e-9 * Math.max(1, Math.abs(max));
          return arr.some((x) => max - x > tol / 100 && max - x < tol * 100);
        };
        if (edge(vals.phi) || edge(vals.ss)) return; // ambiguous near-tie: tie sets may legitimately differ
        expect(eq.sharers).toEqual(gen.equilibrium.sharers);
        expect(com.firstBest.sharers).toEqual(gen.firstBest.sharers);
        for (let i = 0; i < Sigma.length; i++) {
          expect(close(eq.leakage[i], gen.equilibrium.leakage[i], 1e-9)).toBe(true);
          expect(close(eq.prices[i], gen.equilibrium.prices[i], 1e-9)).toBe(true);
          expect(close(eq.userPayoffs[i], gen.equilibrium.userPayoffs[i], 1e-9)).toBe(true);
        }
        // sharersByCommunity is the per-block count of the reported sharers.
        let offset = 0;
        c.sizes.forEach((ng, g) => {
          const inBlock = (A: number[]): number => A.filter((i) => i >= offset && i < offset + ng).length;
          expect(eq.sharersByCommunity?.[g]).toBe(inBlock(eq.sharers));
          expect(com.firstBest.sharersByCommunity?.[g]).toBe(inBlock(com.firstBest.sharers));
          offset += ng;
        });
        // Each tied count vector stands for Π binom(n_g, m_g) tied sets of users.
        const sets = (t: { count: number; sets: number[][] }): number =>
          t.sets.reduce((s, m) => s + m.reduce((p, mg, g) => p * binom(c.sizes[g], mg), 1), 0);
        if (eq.ties.count <= 64) expect(sets(eq.ties)).toBe(gen.equilibrium.ties.count);
        if (com.firstBest.ties.count <= 64) expect(sets(com.firstBest.ties)).toBe(gen.firstBest.ties.count);
        if (eq.ties.count > 1 || com.firstBest.ties.count > 1) withTies++;
        expect(com.verdict.negativeSurplus).toBe(gen.verdict.negativeSurplus);
        expect(com.verdict.efficient).toBe(gen.verdict.efficient);
      }),
      { numRuns: 250 },
    );
    expect(withTies).toBeGreaterThan(5);
  });
});
