import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { solveDuopolyCommunities, solveDuopolyGeneral, MAX_DUOPOLY_USERS } from '../../src/checker/leakage/duopoly.js';
import { InputError } from '../../src/scenario/errors.js';
import { allProfiles, blockCovariance, leak, pureEquilibria, randomCovariance } from './oracle.js';

const key = (a: readonly number[]): string => a.join('');

describe('duopoly (general Σ) against the brute-force oracle', () => {
  it('finds exactly the oracle’s pure joining equilibria, surpluses and uniform-mixed expectation', () => {
    let withOutside = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.constantFrom(0, 0.3, 1),
        // joining values large and small: with small ones users stay outside in equilibrium (review: never listed)
        fc.constantFrom(undefined, { base: 0.2, perMember: 0.05 }, { base: 0.02, perMember: 0 }, { base: 0, perMember: 0.1 }),
        (n, seed, alpha, joining) => {
          const rnd = seedrandom(String(seed));
          const S = randomCovariance(n, rnd);
          const v = S.map(() => Math.round(rnd() * 300) / 100);
          const c = joining ? (size: number) => joining.base + joining.perMember * (size - 1) : undefined;
          const r = solveDuopolyGeneral(S, 1, v, { alpha, ...(joining ? { joining } : {}) });
          const oracle = pureEquilibria(S, 1, v, alpha, c);
          expect(r.joiningEquilibria.map((e) => key(e.assignment)).sort()).toEqual(oracle.map((o) => key(o.assignment)).sort());
          expect(r.joiningEquilibriaCount).toBe(oracle.length);
          for (const e of r.joiningEquilibria) {
            const o = oracle.find((x) => key(x.assignment) === key(e.assignment));
            expect(e.sharers).toEqual(o?.sharers);
            expect(e.socialSurplus).toBeCloseTo(o?.surplus ?? NaN, 9);
            e.userPayoffs.forEach((u, i) => expect(u).toBeCloseTo(o?.payoffs[i] ?? NaN, 9));
          }
          if (r.joiningEquilibria.some((e) => e.assignment.includes(0))) withOutside++;
          // the uniform ½ mix: over the profiles where everyone joins
          const all = allProfiles(S, 1, v, alpha, c).filter((p) => !p.assignment.includes(0));
          const mean = all.reduce((a, p) => a + p.surplus, 0) / all.length;
          expect(r.uniformMixed.expectedSocialSurplus).toBeCloseTo(mean, 9);
        },
      ),
      { numRuns: 60, seed: 24 },
    );
    expect(withOutside).toBeGreaterThan(3);
  });

  it('a user outside can be the equilibrium: 3 users, c = 0.05, the only equilibria 1 2 0 and 2 1 0 (review: "pure joining equilibria: 0")', () => {
    // users 0 and 1 alone on different platforms each sell (u = c = 0.05: alone, nothing leaks from others), user 2
    // stays out (u = 0); by hand no move gains: 0 → platform 2 (joins seller 1): −0.5·0.4²/2 + 0.05 = 0.01 < 0.05;
    // 1 → platform 1: −1·0.4²/2 + 0.05 = −0.03; 0 or 1 → out: 0; 2 → platform 1: −2·0.36²/2 + 0.05 = −0.0796 < 0;
    // 2 → platform 2: −2·0.29²/2 + 0.05 = −0.0341 < 0 (I_i({j}) = Σ_ij²/2 with unit variances and noise)
    const S = [[1, 0.4, 0.36], [0.4, 1, 0.29], [0.36, 0.29, 1]];
    const r = solveDuopolyGeneral(S, 1, [0.5, 1, 2], { alpha: 0, joining: { base: 0.05, perMember: 0 } });
    expect(r.joiningEquilibria.map((e) => key(e.assignment)).sort()).toEqual(['120', '210']);
    for (const e of r.joiningEquilibria) {
      expect(e.socialSurplus).toBeCloseTo(0.5 * 0.5 + 0 * 0.5 + 2 * 0.05, 12); // (1 − v_i)·I_i({i}) = (1 − v_i)/2 per seller, plus 2c
      expect(e.userPayoffs).toEqual([0.05, 0.05, 0].map((u) => expect.closeTo(u, 12)));
    }
  });

  it('PAL Thm 4/Thm 7 bound: reported value = the bound recomputed from the oracle (random markets)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 1e9 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, seed, alpha) => {
        const rnd = seedrandom(String(seed));
        const S = randomCovariance(n, rnd);
        const v = S.map(() => rnd() * 3);
        const r = solveDuopolyGeneral(S, 1, v, { alpha });
        // Bound recomputed here from the oracle's leakage.
        const all = [...Array(n).keys()];
        const low = all.filter((i) => v[i] <= 1);
        let lowSum = 0;
        let highSum = 0;
        for (const i of all) {
          if (v[i] <= 1) lowSum += (1 - v[i]) * leak(S, 1, all, i);
          else highSum += (v[i] - 1) * leak(S, 1, low, i);
        }
        const bound = (1 + alpha) * lowSum - ((1 + alpha) / 2) * highSum;
        expect(r.uniformMixed.palBound).toBeCloseTo(bound, 9);
      }),
      { numRuns: 40 },
    );
  });

  it('PAL Thm 4 bound fails on a five-user market (docs/paper-notes.md): checker and oracle agree', () => {
    // found by a search over 20,000 random markets (7 violations, all α = 0, n = 4–5)
    const rnd = seedrandom('123479854');
    const S = randomCovariance(5, rnd);
    const v = S.map(() => rnd() * 3);
    const r = solveDuopolyGeneral(S, 1, v, { alpha: 0 });
    const prof = allProfiles(S, 1, v, 0);
    const oracle = prof.reduce((a, p) => a + p.surplus, 0) / prof.length;
    // PAL's bound from the oracle's leakage (α = 0): Σ_{V(l)} (1 − v_i) I_i(V) − ½ Σ_{V(h)} (v_i − 1) I_i(V(l))
    const all = [...Array(5).keys()];
    const low = all.filter((i) => v[i] <= 1);
    const bound = all.reduce((acc, i) => acc + (v[i] <= 1 ? (1 - v[i]) * leak(S, 1, all, i) : -0.5 * (v[i] - 1) * leak(S, 1, low, i)), 0);
    expect(r.uniformMixed.expectedDataSurplus).toBeCloseTo(oracle, 12);
    expect(r.uniformMixed.palBound).toBeCloseTo(bound, 12);
    // the oracle's surplus exceeds the oracle's bound (docs/paper-notes.md: 0.920682 > 0.898838)
    expect(oracle - bound).toBeGreaterThan(0.02);
  });

  it('PAL Thm 2: under uniform mixing every user is indifferent between the platforms (identical platforms)', () => {
    const rnd = seedrandom('thm2');
    const S = randomCovariance(4, rnd);
    const v = [0.3, 0.8, 1.5, 2.5];
    const all = allProfiles(S, 1, v, 0.4);
    for (let i = 0; i < 4; i++) {
      const on = (k: 1 | 2): number => {
        const ps = all.filter((p) => p.assignment[i] === k);
        return ps.reduce((a, p) => a + p.payoffs[i], 0) / ps.length;
      };
      expect(on(1)).toBeCloseTo(on(2), 12);
    }
    // …and the checker's mixed expectation is the plain average over 2^n profiles.
    const r = solveDuopolyGeneral(S, 1, v, { alpha: 0.4 });
    expect(r.uniformMixed.expectedSocialSurplus).toBeCloseTo(all.reduce((a, p) => a + p.surplus, 0) / 16, 10);
  });

  it('refuses more users than the documented enumeration limit, suggesting communities', () => {
    const n = MAX_DUOPOLY_USERS + 1;
    const S = [...Array(n)].map((_, i) => [...Array(n)].map((_, j) => (i === j ? 1 : 0)));
    expect(() => solveDuopolyGeneral(S, 1, S.map(() => 1), { alpha: 0 })).toThrow(InputError);
    expect(() => solveDuopolyGeneral(S, 1, S.map(() => 1), { alpha: 0 })).toThrow(/communities/);
  });
});

describe('PAL examples', () => {
  // PAL Example 1 (§VI-A): Σ as printed, v = (0.01, 0.99, 1.1), constant c (cancels in switching).
  const S = [
    [4, 0.05, 0.06],
    [0.05, 4, 0.5],
    [0.06, 0.5, 0.3],
  ];
  const v = [0.01, 0.99, 1.1];
  it('Example 1: pure joining equilibria exist, contrary to the paper (profile 3 and its mirror)', () => {
    const r = solveDuopolyGeneral(S, 1, v, { alpha: 0 });
    expect(r.joiningEquilibria.map((e) => key(e.assignment)).sort()).toEqual(['121', '212']);
    const e = r.joiningEquilibria.find((x) => key(x.assignment) === '121');
    // J_1 = {1,3}: the platform buys user 1 only; J_2 = {2}: user 2 sells alone.
    expect(e?.sharers).toEqual([[0], [1]]);
    // User 3 stays with user 1: payoff −v_3 I_3({1}) = −1.1 · 0.06²/(4 + 1), by hand.
    expect(e?.userPayoffs[2]).toBeCloseTo(-1.1 * (0.06 * 0.06) / 5, 12);
    // Her switch to user 2's platform (where user 2 is bought) leaks at least I_3({2}) = 0.5²/5 — worse.
    expect(-1.1 * (0.25 / 5)).toBeLessThan(e?.userPayoffs[2] ?? NaN);
  });

  it('Example 2 (improvement scenario): b = (1,2) is an equilibrium with surplus (1 − v_1)/2', () => {
    const rho = 0.6;
    const v2 = [0.5, 5];
    const r = solveDuopolyGeneral([[1, rho], [rho, 1]], 1, v2, { alpha: 0 });
    const e = r.joiningEquilibria.find((x) => key(x.assignment) === '12');
    expect(e?.sharers).toEqual([[0], []]);
    expect(e?.dataSurplus).toBeCloseTo((1 - 0.5) / 2, 12); // I_1({1}) = σ⁴/(1 + σ²) = 1/2
  });
});

describe('duopoly on communities against full enumeration of small blocks', () => {
  const cases: [number[], number, number, number[], number][] = [
    [[2, 2], 0.05, 0.3, [0.9, 2], 0],
    [[3, 2], 0.2, 0.4, [0.5, 1.4], 0.5],
    [[2, 3], 0.3, 0.1, [0.95, 3], 1],
    [[2, 2, 1], 0.1, 0.25, [0.7, 1.6, 0.4], 0.2],
  ];
  it.each(cases)('sizes %j within %d across %d v %j α %d', (sizes, within, across, vb, alpha) => {
    const c = { sizes, variance: 1, within, across };
    const rc = solveDuopolyCommunities(c, 1, vb, { alpha });
    const S = blockCovariance(sizes, 1, within, across);
    const v = sizes.flatMap((ng, g) => Array<number>(ng).fill(vb[g]));
    const rg = solveDuopolyGeneral(S, 1, v, { alpha });
    expect(rc.uniformMixed.expectedSocialSurplus).toBeCloseTo(rg.uniformMixed.expectedSocialSurplus, 9);
    expect(rc.uniformMixed.palBound).toBeCloseTo(rg.uniformMixed.palBound, 9);
    const countsOf = (assignment: readonly number[]): string => {
      let off = 0;
      return sizes
        .map((ng) => {
          const k = assignment.slice(off, off + ng).filter((b) => b === 1).length;
          off += ng;
          return k;
        })
        .join(',');
    };
    const general = new Set(rg.joiningEquilibria.map((e) => countsOf(e.assignment)));
    for (const e of rc.joiningEquilibria) expect(general.has((e.membersByCommunity?.[0] ?? []).join(','))).toBe(true);
    if (rc.roleDependentProfiles === 0) {
      expect(rc.joiningEquilibriaCount).toBe(rg.joiningEquilibriaCount);
      expect(general.size).toBe(rc.joiningEquilibria.length);
    }
  });

  it('with joining values (users may stay outside): the same count profiles and counts as the general solver on the expanded Σ (random community markets)', () => {
    let outside = 0;
    let listed = 0;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 3, maxLength: 3 }),
        fc.constantFrom(0, 0.5, 1),
        fc.constantFrom({ base: 0, perMember: 0 }, { base: 0.02, perMember: 0 }, { base: 0.01, perMember: 0.05 }),
        (sizes, w, a, vs, alpha, joining) => {
          const within = w / 10;
          const across = Math.min(a, w) / 10;
          const vb = sizes.map((_, g) => vs[g] / 10);
          const rc = solveDuopolyCommunities({ sizes, variance: 1, within, across }, 1, vb, { alpha, joining });
          const v = sizes.flatMap((ng, g) => Array<number>(ng).fill(vb[g]));
          const rg = solveDuopolyGeneral(blockCovariance(sizes, 1, within, across), 1, v, { alpha, joining });
          expect(rc.uniformMixed.expectedSocialSurplus).toBeCloseTo(rg.uniformMixed.expectedSocialSurplus, 9);
          // a user-level profile's member counts per block on platform 1 and 2
          const counts = (assignment: readonly number[]): string => {
            let off = 0;
            return sizes
              .map((ng) => {
                const b = assignment.slice(off, off + ng);
                off += ng;
                return `${b.filter((k) => k === 1).length}/${b.filter((k) => k === 2).length}`;
              })
              .join(',');
          };
          const general = new Set(rg.joiningEquilibria.map((e) => counts(e.assignment)));
          // both lists complete (at most MAX_EQUILIBRIA_LISTED are listed, in different orders)
          const complete = rg.joiningEquilibria.length === rg.joiningEquilibriaCount && rc.joiningEquilibria.reduce((acc, e) => acc + (e.multiplicity ?? 1), 0) === rc.joiningEquilibriaCount;
          if (!complete) return;
          listed++;
          for (const e of rc.joiningEquilibria) {
            expect(counts(e.assignment)).toBe(sizes.map((_, g) => `${e.membersByCommunity?.[0][g]}/${e.membersByCommunity?.[1][g]}`).join(','));
            expect(general.has(counts(e.assignment))).toBe(true);
            const same = rg.joiningEquilibria.find((x) => counts(x.assignment) === counts(e.assignment));
            expect(e.socialSurplus).toBeCloseTo(same?.socialSurplus ?? NaN, 9);
          }
          if (rc.roleDependentProfiles === 0) {
            expect(rc.joiningEquilibriaCount).toBe(rg.joiningEquilibriaCount);
            expect(general.size).toBe(rc.joiningEquilibria.length);
          }
          if (rc.joiningEquilibria.some((e) => e.assignment.includes(0))) outside++;
        },
      ),
      { numRuns: 60, seed: 24 },
    );
    expect(listed).toBeGreaterThan(30);
    expect(outside).toBeGreaterThan(3);
  });

  it('AMMO Example 2 sizes (10+10): uniform-mixed binomial weights sum to one and match a Monte-Carlo-free check', () => {
    const c = { sizes: [10, 10], variance: 1, within: 0.05, across: 0.06 };
    const r = solveDuopolyCommunities(c, 1, [0.9, 2], { alpha: 0 });
    // With v = 0 and no correlation the data surplus of everyone-sells is Σ σ⁴/(1+σ²) = n/2 regardless of joining.
    const flat = solveDuopolyCommunities({ sizes: [10, 10], variance: 1, within: 0, across: 0 }, 1, [0, 0], { alpha: 0 });
    expect(flat.uniformMixed.expectedSocialSurplus).toBeCloseTo(10, 10);
    expect(r.uniformMixed.expectedDataSurplus).toBeLessThanOrEqual(r.uniformMixed.palBound + 1e-9);
  });
});
