import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { solveLeakage } from '../../src/checker/leakage/index.js';
import { validateScenario, type LeakageScenario } from '../../src/scenario/validate.js';
import { bits, blockCovariance, leak, randomCovariance } from './oracle.js';

const solve = (o: Record<string, unknown>) => solveLeakage(validateScenario({ name: 't', model: 'leakage', ...o }) as LeakageScenario);

/** Oracle objectives over all sets, from ml-matrix leakage. */
function oracle(S: number[][], v: number[]) {
  const n = S.length;
  const sets = [...Array(2 ** n).keys()].map((m) => bits(m, n));
  const I = (A: number[], i: number): number => leak(S, 1, A, i);
  const phi = (A: number[]): number =>
    [...Array(n).keys()].reduce((a, i) => a + I(A, i), 0) - A.reduce((a, i) => a + v[i] * (I(A, i) - I(A.filter((j) => j !== i), i)), 0);
  const ss = (A: number[]): number => [...Array(n).keys()].reduce((a, i) => a + (1 - v[i]) * I(A, i), 0);
  const decor = (A: number[]): number => A.reduce((a, i) => a + (1 - v[i]) * I(A, i), 0);
  return { sets, phi, ss, decor, max: (f: (A: number[]) => number) => Math.max(...sets.map(f)) };
}

const market = (seed: number, n: number) => {
  const rnd = seedrandom(String(seed));
  const S = randomCovariance(n, rnd);
  return { S, v: S.map(() => rnd() * 3) };
};

describe('de-correlation (AMMO §6.2, Thm 6)', () => {
  it('Thm 6.2: regulated surplus ≥ max(unregulated surplus, 0), and equals the oracle max of Σ_{i∈A}(1−v_i)I_i(A)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1e9 }), (n, seed) => {
        const { S, v } = market(seed, n);
        const r = solve({ covariance: S, privacyValues: v, regulation: { decorrelation: true } });
        const o = oracle(S, v);
        const reg = r.regulated?.equilibrium;
        expect(reg?.socialSurplus).toBeCloseTo(o.max(o.decor), 9);
        // Unregulated equilibrium surplus from the oracle: SS at an argmax of Φ (all argmaxes give the same Φ).
        const best = o.max(o.phi);
        const eqSets = o.sets.filter((A) => o.phi(A) >= best - 1e-9);
        const unreg = Math.max(...eqSets.map(o.ss));
        expect(reg?.socialSurplus ?? NaN).toBeGreaterThanOrEqual(Math.max(unreg, 0) - 1e-9);
        expect(r.regulated?.theorem6?.holds).toBe(true);
        // Non-sellers leak nothing; sellers are paid their whole disutility v_i I_i(A), so the platform earns the surplus.
        reg?.leakage.forEach((I, i) => {
          if (!reg.sharers.includes(i)) expect(I).toBe(0);
          else expect(reg.prices[i]).toBeCloseTo(v[i] * I, 12);
        });
        expect(reg?.platformProfit).toBeCloseTo(reg?.socialSurplus ?? NaN, 9);
      }),
      { numRuns: 40 },
    );
  });
});

describe('taxes (AMMO §6.1)', () => {
  it('Pigovian taxes restore the first best on random markets (oracle first best)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1e9 }), (n, seed) => {
        const { S, v } = market(seed, n);
        const r = solve({ covariance: S, privacyValues: v, regulation: { tax: { kind: 'pigovian' } } });
        const o = oracle(S, v);
        expect(r.regulated?.equilibrium.socialSurplus).toBeCloseTo(o.max(o.ss), 9);
        expect(r.regulated?.equilibrium.taxRevenue).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('a uniform tax t: equilibrium = oracle argmax of Φ(A) − t|A|; a high enough tax shuts the market (surplus 0)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1e9 }), fc.double({ min: 0, max: 0.5, noNaN: true }), (n, seed, rate) => {
        const { S, v } = market(seed, n);
        const r = solve({ covariance: S, privacyValues: v, regulation: { tax: { kind: 'uniform', rate } } });
        const o = oracle(S, v);
        const val = (A: number[]): number => o.phi(A) - rate * A.length;
        const best = o.max(val);
        const eq = r.regulated?.equilibrium;
        expect(val(eq?.sharers ?? [])).toBeCloseTo(best, 9);
        expect(eq?.taxRevenue).toBeCloseTo(rate * (eq?.sharers.length ?? 0), 12);
        // Prohibitive: no set's Φ exceeds Σ_i σ_i² (leakage < variance), so rate > that shuts everything.
        const huge = S.reduce((a, row, i) => a + row[i], 0) + 1;
        const shut = solve({ covariance: S, privacyValues: v, regulation: { tax: { kind: 'uniform', rate: huge } } });
        expect(shut.regulated?.equilibrium.sharers).toEqual([]);
        expect(shut.regulated?.equilibrium.socialSurplus).toBe(0);
      }),
      { numRuns: 30 },
    );
  });
});

describe('regulation on communities agrees with the general path on the full block matrix', () => {
  const regs = [{ decorrelation: true }, { tax: { kind: 'pigovian' } }, { tax: { kind: 'uniform', rate: 0.05 } }, { decorrelation: true, tax: { kind: 'uniform', rate: 0.02 } }];
  it.each(regs)('%j', (regulation) => {
    const sizes = [3, 2];
    const vb = [0.8, 1.7];
    const c = solve({ communities: { sizes, variance: 1, within: 0.3, across: 0.2 }, privacyValues: vb, regulation });
    const g = solve({ covariance: blockCovariance(sizes, 1, 0.3, 0.2), privacyValues: [0.8, 0.8, 0.8, 1.7, 1.7], regulation });
    expect(c.regulated?.equilibrium.socialSurplus).toBeCloseTo(g.regulated?.equilibrium.socialSurplus ?? NaN, 9);
    expect(c.regulated?.equilibrium.sharers).toEqual(g.regulated?.equilibrium.sharers);
    expect(c.regulated?.equilibrium.platformProfit).toBeCloseTo(g.regulated?.equilibrium.platformProfit ?? NaN, 9);
  });
});
