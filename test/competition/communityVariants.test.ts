import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { solveLeakage } from '../../src/checker/leakage/index.js';
import { validateScenario, type LeakageScenario } from '../../src/scenario/validate.js';
import { bits, blockCovariance, leak } from './oracle.js';
import { solveDuopolyGeneral } from '../../src/checker/leakage/duopoly.js';
import { buildSetTable, mixTables, toMutualInformation } from '../../src/model/leakage/setTable.js';
import { matFrom } from '../../src/model/linalg.js';

const solve = (o: Record<string, unknown>) => solveLeakage(validateScenario({ name: 't', model: 'leakage', ...o }) as LeakageScenario);

/** Oracle argmax of Φ and of SS over all sets of the expanded matrix with leakage J (independent of src/). */
function oracle(n: number, v: number[], J: (A: number[], i: number) => number): { phi: number; ss: number } {
  let phi = -Infinity;
  let ss = -Infinity;
  for (let m = 0; m < 2 ** n; m++) {
    const A = bits(m, n);
    let p = 0;
    let s = 0;
    for (let i = 0; i < n; i++) {
      p += J(A, i);
      s += (1 - v[i]) * J(A, i);
    }
    for (const i of A) p -= v[i] * (J(A, i) - J(A.filter((j) => j !== i), i));
    phi = Math.max(phi, p);
    ss = Math.max(ss, s);
  }
  return { phi, ss };
}

const arbCommunity = (rnd: () => number, sizes: number[]) => ({ sizes, variance: 0.5 + rnd(), within: 0.05 + rnd() * 0.3, across: rnd() * 0.1 });

describe('communities: mutual information and Σ ~ μ (single platform)', () => {
  it('mutual information on counts equals the oracle on the expanded block matrix', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 1e9 }), (sizes, seed) => {
        fc.pre(sizes.reduce((a, b) => a + b, 0) <= 7);
        const rnd = seedrandom(String(seed));
        const c = arbCommunity(rnd, sizes);
        const vBlock = sizes.map(() => Math.round(rnd() * 250) / 100);
        const r = solve({ communities: c, privacyValues: vBlock, informationMeasure: 'mutual-information' });
        const S = blockCovariance(sizes, c.variance, c.within, c.across);
        const v = sizes.flatMap((ng, g) => Array<number>(ng).fill(vBlock[g]));
        const J = (A: number[], i: number): number => -0.5 * Math.log(1 - leak(S, 1, A, i) / c.variance);
        const o = oracle(v.length, v, J);
        expect(r.equilibrium.platformProfit).toBeCloseTo(o.phi, 9);
        expect(r.firstBest.socialSurplus).toBeCloseTo(o.ss, 9);
        expect(r.informationMeasure).toBe('mutual-information');
        r.equilibrium.leakage.forEach((x, i) => expect(x).toBeCloseTo(J(r.equilibrium.sharers, i), 9));
      }),
      { numRuns: 25 },
    );
  });

  it('expected leakage over block covariances equals the oracle, and each realised Σ is evaluated at the same prices', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }), fc.integer({ min: 0, max: 1e9 }), (sizes, seed) => {
        const rnd = seedrandom(String(seed));
        const cs = [arbCommunity(rnd, sizes), arbCommunity(rnd, sizes)];
        const w = [0.25, 0.75];
        const vBlock = sizes.map(() => Math.round(rnd() * 250) / 100);
        const r = solve({ uncertainty: { covariances: cs.map((communities, k) => ({ communities, weight: w[k] * 4 })) }, privacyValues: vBlock });
        const Ss = cs.map((c) => blockCovariance(sizes, c.variance, c.within, c.across));
        const v = sizes.flatMap((ng, g) => Array<number>(ng).fill(vBlock[g]));
        const EJ = (A: number[], i: number): number => Ss.reduce((a, S, k) => a + w[k] * leak(S, 1, A, i), 0);
        const o = oracle(v.length, v, EJ);
        expect(r.equilibrium.platformProfit).toBeCloseTo(o.phi, 9);
        expect(r.firstBest.socialSurplus).toBeCloseTo(o.ss, 9);
        const A = r.equilibrium.sharers;
        for (const i of A) expect(r.equilibrium.prices[i]).toBeCloseTo(v[i] * (EJ(A, i) - EJ(A.filter((j) => j !== i), i)), 9);
        const u = r.uncertainty;
        if (u?.kind !== 'covariances') throw new Error('missing');
        u.perCovariance.forEach((p, k) => {
          const ss = v.reduce((a, vi, i) => a + (1 - vi) * leak(Ss[k], 1, A, i), 0);
          expect(p.socialSurplus).toBeCloseTo(ss, 9);
          expect(p.weight).toBeCloseTo(w[k], 12);
        });
      }),
      { numRuns: 25 },
    );
  });

  it('refusals say why', () => {
    const c = { sizes: [2, 2], variance: 1, within: 0.1, across: 0.05 };
    expect(() => solve({ communities: c, privacyValues: [0.5, 2], regulation: { decorrelation: true }, informationMeasure: 'mutual-information' })).toThrow(/regulation/);
    expect(() => solve({ communities: c, privacyValues: [0.5, 2], uncertainty: { privacyValues: { kind: 'uniform', low: 0, high: 3 } } })).toThrow(/exchangeability/);
    expect(() => solve({ uncertainty: { covariances: [{ communities: c, weight: 1 }, { communities: { ...c, sizes: [2, 3] }, weight: 1 }] }, privacyValues: [0.5, 2] })).toThrow(/sizes/);
    expect(() => solve({ uncertainty: { covariances: [{ communities: c, weight: 1 }, { covariance: [[1]], weight: 1 }] }, privacyValues: [0.5, 2] })).toThrow(/all communities/);
    expect(() => solve({ uncertainty: { covariances: [{ communities: { ...c, across: 0.9 }, weight: 1 }] }, privacyValues: [0.5, 2] })).toThrow(/positive semi-definite/);
  });

  it('two platforms on communities with mutual information or Σ ~ μ: counts agree with the general duopoly on the expanded matrix', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 1e9 }), fc.boolean(), (sizes, seed, useMi) => {
        fc.pre(sizes.reduce((a, b) => a + b, 0) <= 6);
        const rnd = seedrandom(String(seed));
        const cs = [arbCommunity(rnd, sizes), arbCommunity(rnd, sizes)];
        const vBlock = sizes.map(() => Math.round(rnd() * 250) / 100);
        const v = sizes.flatMap((ng, g) => Array<number>(ng).fill(vBlock[g]));
        const Ss = cs.map((c) => blockCovariance(sizes, c.variance, c.within, c.across));
        // Reference: the general-Σ duopoly (itself tested against the brute-force oracle) on the same leakage table.
        const table = useMi
          ? toMutualInformation(buildSetTable(matFrom(Ss[0]), 1), matFrom(Ss[0]))
          : mixTables(Ss.map((S) => buildSetTable(matFrom(S), 1)), [0.4, 0.6]);
        const ref = solveDuopolyGeneral(Ss[0], 1, v, { alpha: 0 }, table);
        const r = useMi
          ? solve({ communities: cs[0], privacyValues: vBlock, platforms: 2, informationMeasure: 'mutual-information' })
          : solve({ uncertainty: { covariances: [{ communities: cs[0], weight: 0.4 }, { communities: cs[1], weight: 0.6 }] }, privacyValues: vBlock, platforms: 2 });
        expect(r.uniformMixed?.expectedSocialSurplus).toBeCloseTo(ref.uniformMixed.expectedSocialSurplus, 9);
        expect(r.duopolyFirstBest?.socialSurplus).toBeCloseTo(ref.duopolyFirstBest?.socialSurplus ?? NaN, 9);
        if (r.roleDependentProfiles === 0) expect(r.joiningEquilibriaCount).toBe(ref.joiningEquilibriaCount);
        else expect(r.joiningEquilibriaCount).toBeLessThanOrEqual(ref.joiningEquilibriaCount);
      }),
      { numRuns: 30 },
    );
  });
});
