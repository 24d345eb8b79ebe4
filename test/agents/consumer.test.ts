import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matFrom } from '../../src/model/linalg.js';
import { leakageWithoutSelf, reservationPrice, sharesAt } from '../../src/model/leakage/response.js';
import { ConsumerPopulation } from '../../src/agents/consumer.js';
import { Rng } from '../../src/agents/rng.js';
import { leak } from './oracle.js';

const psd = (n: number, seed: number): number[][] => {
  const r = new Rng(seed);
  const B = Array.from({ length: n }, () => Array.from({ length: n }, () => r.uniform(-1, 1)));
  return B.map((x, i) => B.map((y, j) => x.reduce((s, xk, k) => s + xk * y[k], 0) * 0.5 + (i === j ? 0.1 : 0)));
};

describe('leakage without self (I_i(A∖{i}))', () => {
  it('equals the ml-matrix oracle for every user, sharer or not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 63 }), fc.double({ min: 0.2, max: 3, noNaN: true }), (n, seed, mask, tau2) => {
        const S = psd(n, seed);
        const A = [...Array(n).keys()].filter((i) => mask & (1 << i));
        const got = leakageWithoutSelf(matFrom(S), tau2, A);
        for (let i = 0; i < n; i++) {
          const want = leak(S, tau2, A.filter((j) => j !== i), i);
          expect(got[i]).toBeCloseTo(want, 9);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('consumer share decision', () => {
  it('reservation price = v·(I_i(A∪{i}) − I_i(A∖{i})) (payoff indifference, AMMO eq. (1))', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 31 }), fc.double({ min: 0, max: 5, noNaN: true }), (n, seed, mask, v) => {
        const S = psd(n, seed);
        const others = [...Array(n).keys()].filter((j) => j !== 0 && mask & (1 << j));
        const without = leak(S, 1, others, 0);
        const withMe = leak(S, 1, [0, ...others], 0);
        expect(reservationPrice(v, S[0][0], 1, without)).toBeCloseTo(v * (withMe - without), 9);
      }),
      { numRuns: 150 },
    );
  });

  it('AMMO Example 1: thresholds 1/2 alone and (2−ρ²)²/(2(4−ρ²)) when the other shares; ties share', () => {
    const rho = 0.5;
    const S = [
      [1, rho],
      [rho, 1],
    ];
    const pop = new ConsumerPopulation(Float64Array.from([1, 1]), Float64Array.from([1, 1]), 1);
    const both = (2 - rho * rho) ** 2 / (2 * (4 - rho * rho));
    const lw = leakageWithoutSelf(matFrom(S), 1, [0, 1]);
    expect(pop.decide(0, both, lw[0])).toBe(true);
    expect(pop.decide(0, both - 1e-6, lw[0])).toBe(false);
    expect(pop.decide(0, 0.5, 0)).toBe(true);
    expect(pop.decide(0, 0.5 - 1e-6, 0)).toBe(false);
    expect(sharesAt(0, 0)).toBe(true);
  });

  it('respond() applies the rule to every user and counts switches', () => {
    const pop = new ConsumerPopulation(Float64Array.from([1, 2, 0]), Float64Array.from([1, 1, 1]), 1);
    const next = new Uint8Array(3);
    const changed = pop.respond(Float64Array.from([0.5, 0.9, 0]), Float64Array.from([0, 0, 0]), next);
    // thresholds with nobody else informative: v·1/2 → 0.5, 1.0, 0
    expect(Array.from(next)).toEqual([1, 0, 1]);
    expect(changed).toBe(1);
  });
});

describe('Rng', () => {
  it('same seed, same stream; different seed, different stream', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    const c = new Rng(6);
    const xa = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(xa);
    expect([c.next(), c.next(), c.next()]).not.toEqual(xa);
    expect(new Rng(3).permutation(10).sort((x, y) => x - y)).toEqual([...Array(10).keys()]);
  });
});
