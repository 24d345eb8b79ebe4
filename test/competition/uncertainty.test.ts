import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { solveLeakage } from '../../src/checker/leakage/index.js';
import { solveGeneral } from '../../src/checker/leakage/monopoly.js';
import { validateScenario, type LeakageScenario } from '../../src/scenario/validate.js';
import { InputError } from '../../src/scenario/errors.js';
import { bits, leak, randomCovariance } from './oracle.js';

const solve = (o: Record<string, unknown>) => solveLeakage(validateScenario({ name: 't', model: 'leakage', ...o }) as LeakageScenario);

/** Oracle Φ with a generic per-set leakage function J(A, i). */
function argmaxPhi(n: number, v: number[], J: (A: number[], i: number) => number): { A: number[]; val: number } {
  let best = { A: [] as number[], val: -Infinity };
  for (let m = 0; m < 2 ** n; m++) {
    const A = bits(m, n);
    let val = 0;
    for (let i = 0; i < n; i++) val += J(A, i);
    for (const i of A) val -= v[i] * (J(A, i) - J(A.filter((j) => j !== i), i));
    if (val > best.val + 1e-9 || (val >= best.val - 1e-9 && A.length > best.A.length)) best = { A, val: Math.max(val, best.val) };
  }
  return best;
}

describe('unknown Σ ~ μ over a finite list (AMMO §5.3)', () => {
  it('maximises expected Φ (oracle) and prices are v_i E_μ[own increment]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 1e9 }), (n, seed) => {
        const rnd = seedrandom(String(seed));
        const Ss = [randomCovariance(n, rnd), randomCovariance(n, rnd), randomCovariance(n, rnd)];
        const w = [0.2, 0.5, 0.3];
        const v = Ss[0].map(() => rnd() * 3);
        const r = solve({ uncertainty: { covariances: Ss.map((covariance, k) => ({ covariance, weight: w[k] * 10 })) }, privacyValues: v });
        const EJ = (A: number[], i: number): number => Ss.reduce((a, S, k) => a + w[k] * leak(S, 1, A, i), 0);
        const o = argmaxPhi(n, v, EJ);
        const A = r.equilibrium.sharers;
        expect(r.equilibrium.platformProfit).toBeCloseTo(o.val, 9);
        for (const i of A) expect(r.equilibrium.prices[i]).toBeCloseTo(v[i] * (EJ(A, i) - EJ(A.filter((j) => j !== i), i)), 9);
      }),
      { numRuns: 20 },
    );
  });

  it('a one-point μ reproduces the known-Σ monopoly', () => {
    const S = randomCovariance(4, seedrandom('one'));
    const v = [0.5, 1.2, 2, 0.9];
    const r = solve({ uncertainty: { covariances: [{ covariance: S, weight: 1 }] }, privacyValues: v });
    const m = solveGeneral(S, 1, v);
    expect(r.equilibrium.sharers).toEqual(m.equilibrium.sharers);
    expect(r.equilibrium.socialSurplus).toBeCloseTo(m.equilibrium.socialSurplus, 10);
  });
});

describe('mutual-information leakage (AMMO §5.1, B.9 item 25 (b))', () => {
  it('equilibrium and first best are the oracle argmaxes with J = −½ ln(1 − I/σ²)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1e9 }), (n, seed) => {
        const rnd = seedrandom(String(seed));
        const S = randomCovariance(n, rnd);
        const v = S.map(() => rnd() * 3);
        const r = solve({ covariance: S, privacyValues: v, informationMeasure: 'mutual-information' });
        const J = (A: number[], i: number): number => -0.5 * Math.log(1 - leak(S, 1, A, i) / S[i][i]);
        expect(r.equilibrium.platformProfit).toBeCloseTo(argmaxPhi(n, v, J).val, 9);
        r.equilibrium.leakage.forEach((x, i) => expect(x).toBeCloseTo(J(r.equilibrium.sharers, i), 10));
      }),
      { numRuns: 20 },
    );
  });
});

describe('unknown privacy values (AMMO §5.2)', () => {
  const S = [
    [1, 0.5, 0.3],
    [0.5, 1, 0.4],
    [0.3, 0.4, 1],
  ];
  const F = { kind: 'uniform', low: 0, high: 1.5 };
  const run = (v: number[]) => solve({ covariance: S, privacyValues: v, uncertainty: { privacyValues: F } });
  /** q_i at report x (others fixed), from the oracle argmax with virtual values 2x − low. */
  const q = (v: number[], i: number, x: number): number => {
    const phi = v.map((vj, j) => 2 * (j === i ? x : vj));
    const { A } = argmaxPhi(3, phi, (B, k) => leak(S, 1, B, k));
    return A.includes(i) ? leak(S, 1, A, i) - leak(S, 1, A.filter((j) => j !== i), i) : 0;
  };

  it('allocation uses Φ(v) = 2v − low; payment = ∫_{v_i}^{v_max} q + v_i q(v_i) (midpoint quadrature on the oracle)', () => {
    const v = [0.3, 0.45, 0.2];
    const r = run(v);
    expect(r.uncertainty?.kind).toBe('privacyValues');
    for (let i = 0; i < 3; i++) {
      const steps = 3000;
      const h = (1.5 - v[i]) / steps;
      let integral = 0;
      for (let k = 0; k < steps; k++) integral += h * q(v, i, v[i] + (k + 0.5) * h);
      const expected = r.equilibrium.sharers.includes(i) ? integral + v[i] * q(v, i, v[i]) : 0;
      expect(r.equilibrium.prices[i]).toBeCloseTo(expected, 3);
    }
  });

  it('truthful reporting is optimal and rents are non-negative (IC/IR on a report grid)', () => {
    const v = [0.3, 0.45, 0.2];
    const truth = run(v);
    for (let i = 0; i < 3; i++) {
      const qOf = (res: typeof truth): number => {
        const A = res.equilibrium.sharers;
        return A.includes(i) ? leak(S, 1, A, i) - leak(S, 1, A.filter((j) => j !== i), i) : 0;
      };
      const uTrue = truth.equilibrium.prices[i] - v[i] * qOf(truth);
      expect(uTrue).toBeGreaterThanOrEqual(-1e-12);
      for (let x = 0; x <= 1.5; x += 0.05) {
        const lie = run(v.map((vj, j) => (j === i ? x : vj)));
        expect(lie.equilibrium.prices[i] - v[i] * qOf(lie)).toBeLessThanOrEqual(uTrue + 1e-9);
      }
    }
  });

  it('empirical F: discrete IC holds and the top type earns no rent', () => {
    const values = [0.1, 0.4, 0.8, 1.2];
    const weights = [0.4, 0.3, 0.2, 0.1];
    const other = [0.4, 0.1];
    const res = (x: number) =>
      solve({ covariance: S, privacyValues: [x, ...other], uncertainty: { privacyValues: { kind: 'empirical', values, weights } } });
    const qOf = (r: ReturnType<typeof res>): number => {
      const A = r.equilibrium.sharers;
      return A.includes(0) ? leak(S, 1, A, 0) - leak(S, 1, A.filter((j) => j !== 0), 0) : 0;
    };
    const rs = values.map(res);
    // Φ by hand: 0.1; 0.4 + 0.3·0.4/0.3 = 0.8; 0.8 + 0.4·0.7/0.2 = 2.2; 1.2 + 0.4·0.9/0.1 = 4.8.
    expect(rs[1].uncertainty?.kind === 'privacyValues' && rs[1].uncertainty.virtualValues[0]).toBeCloseTo(0.8, 12);
    expect(rs[3].uncertainty?.kind === 'privacyValues' && rs[3].uncertainty.virtualValues[0]).toBeCloseTo(4.8, 12);
    values.forEach((t, k) => {
      const u = (j: number): number => rs[j].equilibrium.prices[0] - t * qOf(rs[j]);
      for (let j = 0; j < values.length; j++) expect(u(j)).toBeLessThanOrEqual(u(k) + 1e-12);
    });
    expect(rs[3].equilibrium.prices[0] - 1.2 * qOf(rs[3])).toBeCloseTo(0, 12);
  });

});
