/**
 * Branch and bound over sharer counts vs the plain enumeration of every count vector (the oracle kept as
 * method 'enumerate'), on many random block structures, including exact and structural ties.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { solveCommunities } from '../../src/checker/leakage/monopoly.js';
import { blockLeakage, blockScratch, countValues, phiUpperBound, ssUpperBound } from '../../src/model/leakage/community.js';
import { communityArb, expand } from './blocks.js';
import { leak, minEigenvalue } from './oracle.js';

const psd = (c: Parameters<typeof expand>[0]): boolean => minEigenvalue(expand(c)) >= -1e-12;

describe('community branch and bound', () => {
  it('same optimum, tie count and tied vectors as plain enumeration (K ≤ 3, sizes ≤ 25)', () => {
    let tied = 0;
    fc.assert(
      fc.property(communityArb(3, 25), ({ c, v, tau2 }) => {
        fc.pre(psd(c));
        const a = solveCommunities(c, tau2, v, { method: 'enumerate' });
        const b = solveCommunities(c, tau2, v, { method: 'branch-and-bound' });
        expect(b.method).toMatch(/branch and bound/);
        expect(a.method).toMatch(/enumeration/);
        expect(b.equilibrium.sharersByCommunity).toEqual(a.equilibrium.sharersByCommunity);
        expect(b.equilibrium.ties).toEqual(a.equilibrium.ties);
        expect(b.firstBest.sharersByCommunity).toEqual(a.firstBest.sharersByCommunity);
        expect(b.firstBest.ties).toEqual(a.firstBest.ties);
        expect(b.equilibrium.platformProfit).toBe(a.equilibrium.platformProfit);
        expect(b.equilibrium.prices).toEqual(a.equilibrium.prices);
        expect(b.firstBest.socialSurplus).toBe(a.firstBest.socialSurplus);
        expect(b.verdict).toEqual(a.verdict);
        if (a.equilibrium.ties.count > 1 || a.firstBest.ties.count > 1) tied++;
      }),
      { numRuns: 300 },
    );
    expect(tied).toBeGreaterThan(10);
  });

  it('flat objectives: within = across = 0 and v = 1 make every vector tied; all are counted', () => {
    const c = { sizes: [3, 4, 2], variance: 1, within: 0, across: 0 };
    const b = solveCommunities(c, 1, [1, 1, 1], { method: 'branch-and-bound' });
    expect(b.equilibrium.ties.count).toBe(4 * 5 * 3);
    expect(b.equilibrium.sharersByCommunity).toEqual([3, 4, 2]);
    expect(b.firstBest.ties.count).toBe(60);
    // One block at v = 1, uncorrelated: exactly its 5 counts tie (fn 10: the platform still buys).
    const d = solveCommunities(c, 1, [0.5, 1, 2], { method: 'branch-and-bound' });
    expect(d.equilibrium.sharersByCommunity).toEqual([3, 4, 0]);
    expect(d.equilibrium.ties.count).toBe(5);
  });

  it('K = 4 and 5 blocks agree with enumeration', () => {
    fc.assert(
      fc.property(communityArb(5, 6), ({ c, v, tau2 }) => {
        fc.pre(c.sizes.length >= 4 && psd(c));
        const a = solveCommunities(c, tau2, v, { method: 'enumerate' });
        const b = solveCommunities(c, tau2, v);
        expect(b.equilibrium.ties).toEqual(a.equilibrium.ties);
        expect(b.firstBest.ties).toEqual(a.firstBest.ties);
      }),
      { numRuns: 60 },
    );
  });

  it('the box bounds dominate Φ and SS at every vector of random boxes', () => {
    fc.assert(
      fc.property(communityArb(3, 8), fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), ({ c, v, tau2 }, r) => {
        fc.pre(psd(c));
        const K = c.sizes.length;
        const lo = Int32Array.from(c.sizes, (n, g) => r[g] % (n + 1));
        const hi = Int32Array.from(c.sizes, (n, g) => lo[g] + (r[g + 3] % (n - lo[g] + 1)));
        const s = blockScratch(c);
        const phiUb = phiUpperBound(c, tau2, v, lo, hi, s);
        const ssUb = ssUpperBound(c, tau2, v, lo, hi, s);
        const m = Array.from(lo);
        for (;;) {
          const val = countValues(c, tau2, v, m);
          const tol = 1e-10 * (1 + Math.abs(val.phi));
          expect(val.phi).toBeLessThanOrEqual(phiUb + tol);
          expect(val.ss).toBeLessThanOrEqual(ssUb + tol);
          let g = K - 1;
          while (g >= 0 && m[g] === hi[g]) {
            m[g] = lo[g];
            g--;
          }
          if (g < 0) break;
          m[g]++;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('block leakage (fast Sherman–Morrison path and general path) equals direct Gaussian leakage', () => {
    fc.assert(
      fc.property(communityArb(3, 4), fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), ({ c, tau2 }, r) => {
        fc.pre(psd(c));
        const m = c.sizes.map((n, g) => r[g] % (n + 1));
        const Sigma = expand(c);
        const A: number[] = [];
        const first: number[] = [];
        let off = 0;
        c.sizes.forEach((n, g) => {
          first.push(off);
          for (let i = 0; i < m[g]; i++) A.push(off + i);
          off += n;
        });
        const L = blockLeakage(c, tau2, m);
        c.sizes.forEach((n, g) => {
          const tol = 1e-9 * Math.max(1, c.variance);
          if (m[g] < n) expect(Math.abs(L.nonSharer[g] - leak(Sigma, tau2, A, first[g] + m[g]))).toBeLessThan(tol);
          if (m[g] > 0) {
            const i = first[g];
            expect(Math.abs(L.sharer[g] - leak(Sigma, tau2, A, i))).toBeLessThan(tol);
            expect(Math.abs(L.leaveOneOut[g] - leak(Sigma, tau2, A.filter((j) => j !== i), i))).toBeLessThan(tol);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
