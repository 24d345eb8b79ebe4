/**
 * Branch and bound over sharer counts vs the plain enumeration of every count vector (the oracle kept as
 * method 'enumerate'), on many random block structures, including exact and structural ties.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { solveCommunities } from '../../src/checker/leakage/monopoly.js';
import { blockLeakage, blockScratch, countValues, phiSeparableBound, phiUpperBound, ssSeparableBound, ssUpperBound } from '../../src/model/leakage/community.js';
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

  it('the separable Φ and SS bounds dominate Φ and SS on random boxes (K ≤ 5) and equal them on single points', () => {
    let informative = 0;
    fc.assert(
      fc.property(communityArb(5, 9), fc.array(fc.nat(), { minLength: 10, maxLength: 10 }), ({ c, v, tau2 }, r) => {
        fc.pre(psd(c));
        const K = c.sizes.length;
        const lo = Int32Array.from(c.sizes, (n, g) => r[g] % (n + 1));
        const hi = Int32Array.from(c.sizes, (n, g) => lo[g] + (r[g + 5] % (n - lo[g] + 1)));
        const ub = phiSeparableBound(c, tau2, v, lo, hi);
        const ubSs = ssSeparableBound(c, tau2, v, lo, hi);
        const fast = (K === 1 ? c.within >= 0 : c.within >= c.across) && c.variance - c.within + tau2 > 0;
        // Outside the fast path the bound abstains (+∞); inside it must be a finite number.
        expect(Number.isFinite(ub)).toBe(fast);
        expect(Number.isFinite(ubSs)).toBe(fast);
        if (!fast) return;
        informative++;
        const m = Array.from(lo);
        for (;;) {
          const { phi: val, ss } = countValues(c, tau2, v, m);
          expect(val).toBeLessThanOrEqual(ub + 1e-10 * (1 + Math.abs(val)));
          expect(ss).toBeLessThanOrEqual(ubSs + 1e-10 * (1 + Math.abs(ss)));
          // Single point: the bound is the value itself (the search relies on this to converge).
          const p = Int32Array.from(m);
          expect(Math.abs(phiSeparableBound(c, tau2, v, p, p) - val)).toBeLessThan(1e-9 * (1 + Math.abs(val)));
          expect(Math.abs(ssSeparableBound(c, tau2, v, p, p) - ss)).toBeLessThan(1e-9 * (1 + Math.abs(ss)));
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
    expect(informative).toBeGreaterThan(50);
  });

  it('interior optima on larger blocks (3 blocks of 30–60 users, v around 1) agree with enumeration', () => {
    let interiorEq = 0;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 30, max: 60 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.integer({ min: 60, max: 300 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 1, max: 5 }),
        (sizes, v100, k) => {
          const c = { sizes, variance: 1, within: 0.05 * k, across: 0.01 * k };
          const v = v100.map((x) => x / 100);
          const a = solveCommunities(c, 1, v, { method: 'enumerate' });
          const b = solveCommunities(c, 1, v, { method: 'branch-and-bound' });
          expect(b.equilibrium.ties).toEqual(a.equilibrium.ties);
          expect(b.firstBest.ties).toEqual(a.firstBest.ties);
          const inside = (m: number[] | undefined): boolean => (m ?? []).some((x, g) => x > 0 && x < sizes[g]);
          if (inside(a.equilibrium.sharersByCommunity)) interiorEq++;
        },
      ),
      { numRuns: 16 },
    );
    // The point of this test: optima strictly inside the box, where the monotone bounds alone are weak.
    expect(interiorEq).toBeGreaterThan(3);
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
