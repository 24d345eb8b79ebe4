/**
 * The off-path surplus U_off(ω) of an unsold type (participation.ts): the surplus per record of a vanishing mass
 * of ω-records under the platform-optimal mechanism best for them. Its conditional x(·|ω) is a distribution over
 * fees, so U_off(ω) = Σ_a x(a|ω) u(a, ω) lies in [min_a u(a, ω), max_a u(a, ω)] and equals the conditional's
 * average — a law the old code broke whenever other sold types had positive surplus (it divided every type's
 * surplus by ε: values like 2.5·10⁵ on a market with u ≤ 2.5). Also a hand-derived value: one fee a ≤ ω,
 * nothing to choose, U_off = ω − a.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highsSolver, jsLpSolver, provenInfeasible, type LpSolver } from '../../src/lp/index.js';
import { buildDesignLp as designAt, checkCandidate, consumerBestDesign, consumerSurplus, EQ_TOL, offPathBounds, offPathMechanism, offPathSurplus, offPathUnprovenCount, supportLp, type Role } from '../../src/model/intermediation/index.js';
import { faceRange, newFaceCache } from '../../src/model/intermediation/lexicographic.js';

describe('off-path surplus of an unsold type', () => {
  it('is the average of u(a, ω) under a fee distribution (random markets, others sold)', async () => {
    const h = await highsSolver();
    const mass = fc.integer({ min: 1, max: 10 }).map((k) => k / 10);
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 2, max: 4 }), fc.array(mass, { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 3 }), fc.boolean(),
      async (N, qs, gp, zero, halfFees) => {
        const types = Array.from({ length: N }, (_, k) => k + 1);
        const fees = halfFees ? [...types.map((x) => x - 0.5), N] : types;
        const game = { types, fees, gammaU: 1, gammaPi: gp / 10 };
        const w = zero % N;
        const q = types.map((_, k) => (k === w ? 0 : qs[k]));
        const { surplus, conditional } = offPathMechanism(h, game, q, w, Math.max(...q));
        expect(conditional.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        const u = fees.map((a) => consumerSurplus(a, types[w]));
        expect(surplus).toBeGreaterThanOrEqual(Math.min(...u) - 1e-9);
        expect(surplus).toBeLessThanOrEqual(Math.max(...u) + 1e-9);
        expect(surplus).toBeCloseTo(conditional.reduce((acc, x, a) => acc + x * u[a], 0), 9);
        const { lower, upper } = offPathBounds(game, w);
        expect([lower, upper]).toEqual([Math.min(...u), Math.max(...u)]);
      }), { numRuns: 40, seed: -490636365 }); // the seed of a CI-like run whose 7th market gave 3.0000000027 (fixed: the conditional is normalised)
  });

  it('is the limit ε → 0+ where another type\'s mass is tiny (a kink below 1e-6·scale: review)', async () => {
    const h = await highsSolver();
    // types and fees 4, 7, 10, γ = (2, 1.5), q = (1e-7, 0, 0.61), ω = 7: a 7-record is worth 2·3 + 1.5·4 = 12 to the
    // platform at fee 4 and 1.5·7 = 10.5 at fee 7, and a mass ε of them can join the 4-records' segment while the
    // merchant obeys, 4(1e-7 + ε) ≥ 7ε, i.e. ε ≤ (4/3)·1e-7: in the limit every 7-record is charged 4, U = 3
    // (at ε = 1e-6·scale, past that kink, the old value was 0.197)
    const game = { types: [4, 7, 10], fees: [4, 7, 10], gammaU: 2, gammaPi: 1.5 };
    expect(offPathSurplus(h, game, [1e-7, 0, 0.61], 1, 0.61 + 1e-7)).toBeCloseTo(3, 9);
    // the same at 1e-9, where the selection keeps no face (the search for ε then compares values at ε and ε/1000:
    // second review, 0.0020 before), and a market where a 1e-9 mass stops the face while the kink comes from a
    // 1e-7 one: types and fees 3, 6, 8, 10, γ = (0.5, 0.4), q = (1e-7, 1e-9, 2.5, 0), ω = 10 — a 10-record is worth
    // 0.5·7 + 0.4·3 = 4.7 to the platform at fee 3, more than at 6, 8 or 10 (4.4, 4.2, 4.0), and may join the
    // 3-records' segment for small ε: U = 10 − 3 = 7 (2.098 before)
    expect(offPathSurplus(h, game, [1e-9, 0, 0.61], 1, 0.61 + 1e-9)).toBeCloseTo(3, 9);
    expect(offPathSurplus(h, { types: [3, 6, 8, 10], fees: [3, 6, 8, 10], gammaU: 0.5, gammaPi: 0.4 }, [1e-7, 1e-9, 2.5, 0], 3, 2.5)).toBeCloseTo(7, 9);
    // random markets with masses of 1e-7 next to others of order 1: the value at ε = 1e-10·scale
    const at = (g: typeof game, q: number[], w: number, eps: number) => {
      const qe = q.slice();
      qe[w] += eps;
      const d = consumerBestDesign(h, g, qe, q.map((_, k) => (k === w ? 1 : 0)));
      const m = d.X.reduce((acc, row) => acc + row[w], 0);
      return d.X.reduce((acc, row, a) => acc + (row[w] / m) * consumerSurplus(g.fees[a], g.types[w]), 0);
    };
    const mass = fc.constantFrom(0, 1e-7, 0.3, 1.1, 2.5);
    let compared = 0;
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 10 }), { minLength: 3, maxLength: 4 }), fc.array(mass, { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), (ts, qs, gu, gp) => {
        const types = [...ts].sort((a, b) => a - b);
        const g = { types, fees: types, gammaU: gu / 2, gammaPi: gp / 2 };
        const q = types.map((_, k) => qs[k]);
        const scale = Math.max(...q);
        if (scale < 0.1) return;
        q.forEach((x, w) => {
          if (x !== 0) return;
          compared++;
          expect(offPathSurplus(h, g, q, w, scale)).toBeCloseTo(at(g, q, w, 1e-10 * scale), 6);
        });
      }),
      { numRuns: 60, seed: 5 },
    );
    expect(compared).toBeGreaterThan(20);
  });

  it('the selection keeps a face where another record is 1e-9 of the scale, so the limit is the face\'s range, not a check', async () => {
    const h = await highsSolver();
    // the markets above whose selection kept no face (entries of ~4e-10 fell under the first vertex tolerance, 1e-9
    // of the largest): a face's range along the segment to q is now known at ε = 1e-6·scale (the first market's
    // ends at the kink ε = (4/3)·1e-9), and below every kink (ε = 1e-12·scale) it reaches q itself (s ≥ 1)
    const cases: Array<[{ types: number[]; fees: number[]; gammaU: number; gammaPi: number }, number[], number]> = [
      [{ types: [4, 7, 10], fees: [4, 7, 10], gammaU: 2, gammaPi: 1.5 }, [1e-9, 0, 0.61], 1],
      [{ types: [3, 6, 8, 10], fees: [3, 6, 8, 10], gammaU: 0.5, gammaPi: 0.4 }, [1e-7, 1e-9, 2.5, 0], 3],
    ];
    for (const [game, q, w] of cases) for (const eps of [1e-6, 1e-12]) {
      const qe = q.slice();
      qe[w] += eps * Math.max(...q);
      const faces = { cache: newFaceCache(), family: 'off-path' };
      consumerBestDesign(h, game, qe, q.map((_, k) => (k === w ? 1 : 0)), faces);
      const range = faceRange(faces.cache, faces.family, designAt(game, qe), designAt(game, q));
      expect(range).toBeDefined();
      if (eps === 1e-12) expect(range?.[1]).toBeGreaterThanOrEqual(1 - 1e-9);
    }
    expect(offPathSurplus(h, cases[0][0], cases[0][1], 1, 0.61 + 1e-9)).toBeCloseTo(3, 9);
  });

  it('does not depend on the unit of the masses (an agent platform passes them as the scenario gives them: review)', async () => {
    const h = await highsSolver();
    // at q = 0 a vanishing mass of ω-records is a segment of its own, where the only obedient fee is ω (a lower fee a
    // earns a < ω per record): U_off(ω) = 0 for every type, in any unit (at masses of 7.7e-5, types 2 and 3 got 0.667
    // and 1, and 1, 0, 0 when asked in the other order)
    const game = { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 0.624, gammaPi: 0.553 };
    for (const scale of [7.7e-5, 1e-7, 1e5]) for (const w of [0, 1, 2, 1, 0]) expect(offPathSurplus(h, game, [0, 0, 0], w, scale)).toBe(0);
    // random markets: the same U_off at q·c as at q, c = 1e-4, 1e-7, 1e4 (homogeneous of degree 0)
    const mass = fc.constantFrom(0, 0.3, 0.61, 1.1, 2.5);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 10 }), { minLength: 2, maxLength: 4 }), fc.array(mass, { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.constantFrom(1e-4, 1e-7, 1e4), (ts, qs, gu, gp, c) => {
        const types = [...ts].sort((a, b) => a - b);
        const g = { types, fees: types, gammaU: gu / 2, gammaPi: gp / 2 };
        const q = types.map((_, k) => qs[k]);
        const scale = Math.max(1, ...q);
        q.forEach((x, w) => {
          if (x === 0) expect(offPathSurplus(h, g, q.map((v) => v * c), w, scale * c)).toBeCloseTo(offPathSurplus(h, g, q, w, scale), 9);
        });
      }),
      { numRuns: 40, seed: 22 },
    );
  });

  it('one fee: U_off(ω) = ω − a by hand', async () => {
    const h = await highsSolver();
    const game = { types: [1, 2, 3], fees: [0.5], gammaU: 1, gammaPi: 0.3 };
    expect(offPathSurplus(h, game, [0.4, 0, 0.6], 1, 0.6)).toBeCloseTo(1.5, 9);
  });

  it('a support LP infeasible with the lower bounds is infeasible with the surpluses themselves (how candidates are ruled out before computing them)', async () => {
    const h = await highsSolver();
    const mass = fc.constantFrom(0, 0, 0.3, 0.61, 1.1);
    let ruledOut = 0;
    let tested = 0;
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(fc.integer({ min: 1, max: 8 }), { minLength: 3, maxLength: 4 }), fc.array(mass, { minLength: 4, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 40 }),
      async (ts, qs, full, gu, gp, r) => {
        const types = [...ts].sort((a, b) => a - b);
        const game = { types, fees: types, gammaU: gu / 2, gammaPi: gp / 2 };
        const q = types.map((_, k) => qs[k]);
        if (!q.some((x) => x > 0) || !q.includes(0)) return;
        const roles: Role[] = q.map((x, k) => (x > 0 ? (full[k] ? 'full' : 'interior') : 'zero'));
        const rbar = r / 4;
        const V = h.solve(designAt(game, q)).objective;
        const scale = Math.max(...q);
        const lower = q.map((x, w) => (x > 0 ? NaN : offPathBounds(game, w).lower));
        if (!provenInfeasible(h, supportLp(game, q, V, rbar, roles, lower, -1, EQ_TOL).lp)) return;
        ruledOut++;
        const off = q.map((x, w) => (x > 0 ? NaN : offPathSurplus(h, game, q, w, scale)));
        for (const tol of [0, EQ_TOL]) {
          tested++;
          expect(provenInfeasible(h, supportLp(game, q, V, rbar, roles, off, -1, tol).lp)).toBe(true);
        }
        expect(checkCandidate(h, game, q, rbar, roles, scale)).toBeNull();
      }), { numRuns: 150, seed: 24 });
    expect(ruledOut).toBeGreaterThan(20);
    expect(tested).toBe(2 * ruledOut);
  });
});

describe('off-path values the search cannot prove (issue 4: the repeat check is counted)', () => {
  it('counted when no face proves the limit (javascript-lp-solver gives no duals, so no face is kept), not when one does', async () => {
    const game = { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 1, gammaPi: 0.3 };
    const q = [0.4, 0, 0.6];
    const before = offPathUnprovenCount();
    const viaHighs = offPathSurplus(await highsSolver(), game, q, 1, 0.6);
    expect(offPathUnprovenCount()).toBe(before);
    const viaJs = offPathSurplus(jsLpSolver(), game, q, 1, 0.6);
    expect(offPathUnprovenCount()).toBe(before + 1);
    // the same value both ways (the check is a check: it agrees here)
    expect(viaJs).toBeCloseTo(viaHighs, 9);
  });
  it('a type that every fee gives the same surplus has it off path too, with no LP and nothing unproven', () => {
    // type 1 buys at no fee (fees ≥ 1): u(·, 1) ≡ 0, and the solver is never asked
    const game = { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 1, gammaPi: 0.3 };
    const never: LpSolver = { name: 'never', solve: () => { throw new Error('no LP expected'); } } as unknown as LpSolver;
    const before = offPathUnprovenCount();
    expect(offPathSurplus(never, game, [0, 0.5, 0.6], 0, 0.6)).toBe(0);
    expect(offPathUnprovenCount()).toBe(before);
    // and the LP path, where it runs, agrees (javascript-lp-solver: no face, so its value is the repeat check's)
    expect(offPathMechanism(jsLpSolver(), game, [0, 0.5, 0.6], 0, 0.6).surplus).toBeCloseTo(0, 9);
  });
});
