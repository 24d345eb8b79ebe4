import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { solveLeakage } from '../../src/checker/leakage/index.js';
import { validateScenario, type LeakageScenario } from '../../src/scenario/validate.js';
import { InputError } from '../../src/scenario/errors.js';
import { bits, blockCovariance, leak, randomCovariance } from './oracle.js';

const solve = (o: Record<string, unknown>) => solveLeakage(validateScenario({ name: 't', model: 'leakage', platforms: 2, ...o }) as LeakageScenario);

/**
 * Generic join-first oracle for a leakage function J(A, i): each platform picks A ⊆ J_k maximising
 * `objective` (largest set, then smallest indices, on ties); members' payoffs from `payoff`; a profile is
 * an equilibrium if no user gains by switching (α = 0, no joining values).
 */
function oracleEquilibria(
  n: number,
  objective: (A: number[], members: number[]) => number,
  payoff: (i: number, A: number[]) => number,
): string[] {
  const choose = (M: number[]): number[] => {
    let best: { A: number[]; val: number } | undefined;
    for (let m = 0; m < 2 ** M.length; m++) {
      const A = bits(m, M.length).map((k) => M[k]);
      const val = objective(A, M);
      const tol = 1e-9 * Math.max(1, Math.abs(best?.val ?? 0));
      if (!best || val > best.val + tol || (val >= best.val - tol && (A.length > best.A.length || (A.length === best.A.length && A.join() < best.A.join())))) best = { A, val: Math.max(val, best?.val ?? -Infinity) };
    }
    return best?.A ?? [];
  };
  const pay = (P: number): number[] => {
    const J1 = [...Array(n).keys()].filter((i) => (P >> i) & 1);
    const J2 = [...Array(n).keys()].filter((i) => !((P >> i) & 1));
    const A1 = choose(J1);
    const A2 = choose(J2);
    return [...Array(n).keys()].map((i) => payoff(i, (P >> i) & 1 ? A1 : A2));
  };
  const out: string[] = [];
  for (let P = 0; P < 2 ** n; P++) {
    const u = pay(P);
    if ([...Array(n).keys()].every((i) => pay(P ^ (1 << i))[i] <= u[i] + 1e-9 * Math.max(1, Math.abs(u[i])))) out.push([...Array(n).keys()].map((i) => ((P >> i) & 1 ? 1 : 2)).join(''));
  }
  return out.sort();
}

describe('two platforms with unknown Σ ~ μ (AMMO §5.3 × PAL §V)', () => {
  it('pure joining equilibria are the oracle’s on expected leakage', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 1e9 }), (n, seed) => {
        const rnd = seedrandom(String(seed));
        const Ss = [randomCovariance(n, rnd), randomCovariance(n, rnd)];
        const w = [0.3, 0.7];
        const v = Ss[0].map(() => Math.round(rnd() * 250) / 100);
        const EJ = (A: number[], i: number): number => Ss.reduce((a, S, k) => a + w[k] * leak(S, 1, A, i), 0);
        const loo = (A: number[], i: number): number => EJ(A.filter((j) => j !== i), i);
        const r = solve({ uncertainty: { covariances: Ss.map((covariance, k) => ({ covariance, weight: w[k] })) }, privacyValues: v });
        const oracle = oracleEquilibria(
          n,
          (A, M) => M.reduce((a, i) => a + EJ(A, i), 0) - A.reduce((a, i) => a + v[i] * (EJ(A, i) - loo(A, i)), 0),
          (i, A) => -v[i] * loo(A, i),
        );
        expect((r.joiningEquilibria ?? []).map((e) => e.assignment.join('')).sort()).toEqual(oracle);
        expect(r.uncertainty?.kind).toBe('covariances');
      }),
      { numRuns: 20 },
    );
  });
});

describe('two platforms with regulation (AMMO §6 on each platform)', () => {
  it('uniform tax: each platform maximises Φ − t|A|; equilibria match the oracle; surplus excludes the tax', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(0.02, 0.1, 0.5), (n, seed, rate) => {
        const rnd = seedrandom(String(seed));
        const S = randomCovariance(n, rnd);
        const v = S.map(() => Math.round(rnd() * 250) / 100);
        const J = (A: number[], i: number): number => leak(S, 1, A, i);
        const loo = (A: number[], i: number): number => J(A.filter((j) => j !== i), i);
        const r = solve({ covariance: S, privacyValues: v, regulation: { tax: { kind: 'uniform', rate } } });
        const oracle = oracleEquilibria(
          n,
          (A, M) => M.reduce((a, i) => a + J(A, i), 0) - A.reduce((a, i) => a + v[i] * (J(A, i) - loo(A, i)), 0) - rate * A.length,
          (i, A) => -v[i] * loo(A, i),
        );
        expect((r.joiningEquilibria ?? []).map((e) => e.assignment.join('')).sort()).toEqual(oracle);
        for (const e of r.joiningEquilibria ?? []) {
          const ss = e.assignment.reduce((a: number, k, i) => a + (1 - v[i]) * J(e.sharers[k - 1], i), 0);
          expect(e.socialSurplus).toBeCloseTo(ss, 9);
        }
        expect(r.duopolyRegulation).toEqual({ rate, decorrelation: false });
        expect(r.regulated?.tax).toEqual({ kind: 'uniform', rate });
      }),
      { numRuns: 20 },
    );
  });

  it('de-correlation: sellers are paid v_i I_i(A_k), nobody else leaks, so every assignment is an equilibrium without joining values; only strict network effects select one platform', () => {
    const S = randomCovariance(3, seedrandom('decor'));
    const v = [0.3, 0.8, 2];
    const r = solve({ covariance: S, privacyValues: v, regulation: { decorrelation: true } });
    expect(r.joiningEquilibriaCount).toBe(8);
    for (const e of r.joiningEquilibria ?? []) {
      e.userPayoffs.forEach((u) => expect(u).toBe(0));
      e.sharers.forEach((A) => A.forEach((i) => expect(e.prices[i]).toBeCloseTo(v[i] * leak(S, 1, A, i), 12)));
      // Platform objective Σ_{A}(1 − v_i) I_i(A): the high-value user (v = 2) never sells.
      expect(e.sharers.flat()).not.toContain(2);
    }
    const withC = solve({ covariance: S, privacyValues: v, regulation: { decorrelation: true }, joiningValue: { base: 1, perMember: 0.1 } });
    expect((withC.joiningEquilibria ?? []).map((e) => e.assignment.join('')).sort()).toEqual(['111', '222']);
  });

  it('communities: the regulated count duopoly agrees with the regulated general duopoly on the expanded matrix', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.constantFrom({ tax: { kind: 'uniform', rate: 0.03 } }, { decorrelation: true }, { tax: { kind: 'uniform', rate: 0.1 }, decorrelation: true }),
        fc.boolean(),
        (sizes, seed, regulation, withC) => {
          fc.pre(sizes.reduce((a, b) => a + b, 0) <= 6);
          const rnd = seedrandom(String(seed));
          const c = { sizes, variance: 1, within: 0.1 + rnd() * 0.3, across: rnd() * 0.1 };
          const vBlock = sizes.map(() => Math.round(rnd() * 250) / 100);
          const v = sizes.flatMap((ng, g) => Array<number>(ng).fill(vBlock[g]));
          const joining = withC ? { joiningValue: { base: 3, perMember: 0.1 } } : {};
          const r = solve({ communities: c, privacyValues: vBlock, regulation, ...joining });
          const g = solve({ covariance: blockCovariance(sizes, c.variance, c.within, c.across), privacyValues: v, regulation, ...joining });
          expect(r.uniformMixed?.expectedSocialSurplus).toBeCloseTo(g.uniformMixed?.expectedSocialSurplus ?? NaN, 9);
          if (r.roleDependentProfiles === 0) expect(r.joiningEquilibriaCount).toBe(g.joiningEquilibriaCount);
          expect(r.duopolyRegulation).toEqual(g.duopolyRegulation);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('refusals name the field and the reason', () => {
    const S = [[1, 0.3], [0.3, 1]];
    expect(() => solve({ covariance: S, privacyValues: [0.5, 2], regulation: { tax: { kind: 'pigovian' } } })).toThrow(/regulation.tax.*assignment/);
    expect(() => solve({ covariance: S, privacyValues: [0.5, 0.5], uncertainty: { privacyValues: { kind: 'uniform', low: 0, high: 1 } } })).toThrow(/uncertainty.privacyValues.*monopsonist/);
    expect(() => solve({ communities: { sizes: [2, 2], variance: 1, within: 0.1, across: 0.05 }, privacyValues: [0.5, 2], regulation: { tax: { kind: 'pigovian' } } })).toThrow(InputError);
    expect(() => solve({ covariance: S, privacyValues: [0.5, 0.5], regulation: { decorrelation: true }, postedPrices: { levels: [0, 1] } })).toThrow(/postedPrices/);
  });
});
