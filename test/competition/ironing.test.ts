import { describe, expect, it } from 'vitest';
import { solveLeakage } from '../../src/checker/leakage/index.js';
import { ironedVirtualValuesDiscrete } from '../../src/model/leakage/uncertainty.js';
import { validateScenario, type LeakageScenario } from '../../src/scenario/validate.js';
import { bits, leak } from './oracle.js';

const solve = (o: Record<string, unknown>) => solveLeakage(validateScenario({ name: 't', model: 'leakage', ...o }) as LeakageScenario);

describe('Myerson ironing of an irregular empirical F (AMMO §5.2)', () => {
  // F on {0.1, 0.5, 0.6} with weights (0.5, 0.01, 0.49): Φ = 0.1, 0.5 + 0.4·0.5/0.01 = 20.5, 0.6 + 0.1·0.51/0.49 ≈ 0.704:
  // unironed, type 0.6 (Φ < 1) would sell while type 0.5 (Φ = 20.5) would not — a non-monotone, non-IC rule.
  const values = [0.1, 0.5, 0.6];
  const weights = [0.5, 0.01, 0.49];

  it('ironed virtual values by hand: G_k = s_k F_k = (0.05, 0.255, 0.6) at F = (0.5, 0.51, 1); hull slopes 0.1, then 1.1 on {0.5, 0.6}', () => {
    const r = ironedVirtualValuesDiscrete(values, weights);
    expect(r.phi[0]).toBeCloseTo(0.1, 12);
    expect(r.phi[1]).toBeCloseTo(1.1, 12);
    expect(r.phi[2]).toBeCloseTo(1.1, 12);
    expect(r.intervals).toEqual([[1, 2]]);
    // A regular F is left alone.
    const reg = ironedVirtualValuesDiscrete([0.1, 0.4, 0.8, 1.2], [0.4, 0.3, 0.2, 0.1]);
    [0.1, 0.8, 2.2, 4.8].forEach((x, k) => expect(reg.phi[k]).toBeCloseTo(x, 12));
    expect(reg.intervals).toEqual([]);
  });

  const S = [
    [1, 0.5],
    [0.5, 1],
  ];
  const run = (v: number[]) => solve({ covariance: S, privacyValues: v, uncertainty: { privacyValues: { kind: 'empirical', values, weights } } });
  const q = (A: number[], i: number): number => (A.includes(i) ? leak(S, 1, A, i) - leak(S, 1, A.filter((j) => j !== i), i) : 0);

  it('reports the ironing and keeps IC/IR on every report (discrete grid = the support)', () => {
    const r = run([0.5, 0.1]);
    const u = r.uncertainty;
    expect(u?.kind === 'privacyValues' && u.ironing?.intervals).toEqual([{ values: [0.5, 0.6], ironedVirtualValue: expect.closeTo(1.1, 12) as unknown as number }]);
    expect(u?.kind === 'privacyValues' && u.ironing?.rawVirtualValues[0]).toBeCloseTo(20.5, 12);
    for (const other of values) {
      for (let i = 0; i < 2; i++) {
        const profile = (x: number): number[] => (i === 0 ? [x, other] : [other, x]);
        const res = values.map((x) => run(profile(x)));
        values.forEach((t, k) => {
          const util = (j: number): number => res[j].equilibrium.prices[i] - t * q(res[j].equilibrium.sharers, i);
          expect(util(k)).toBeGreaterThanOrEqual(-1e-12);
          for (let j = 0; j < values.length; j++) expect(util(j)).toBeLessThanOrEqual(util(k) + 1e-12);
        });
      }
    }
  });

  it('expected profit is the maximum over every deterministic monotone allocation rule with least IC payments (oracle)', () => {
    const K = values.length;
    const profiles = values.flatMap((a, ka) => values.map((b, kb) => ({ v: [a, b], k: [ka, kb], w: weights[ka] * weights[kb] })));
    // Ironed mechanism: the solver's allocation and payments at every report profile.
    let ironed = 0;
    for (const p of profiles) {
      const r = run(p.v);
      const A = r.equilibrium.sharers;
      ironed += p.w * (leak(S, 1, A, 0) + leak(S, 1, A, 1) - r.equilibrium.prices[0] - r.equilibrium.prices[1]);
    }
    // Oracle: all 4^(K²) rules profile → sharer set.
    const sets = [0, 1, 2, 3].map((m) => bits(m, 2));
    const gross = sets.map((A) => leak(S, 1, A, 0) + leak(S, 1, A, 1));
    const qs = sets.map((A) => [q(A, 0), q(A, 1)]);
    let best = -Infinity;
    const rule = new Array<number>(K * K).fill(0);
    for (let code = 0; code < 4 ** (K * K); code++) {
      for (let c = code, j = 0; j < K * K; j++, c = Math.floor(c / 4)) rule[j] = c % 4;
      const qAt = (i: number, own: number, oth: number): number => qs[rule[i === 0 ? own * K + oth : oth * K + own]][i];
      let monotone = true;
      for (let i = 0; i < 2 && monotone; i++) for (let oth = 0; oth < K && monotone; oth++) for (let k = 1; k < K; k++) if (qAt(i, k, oth) > qAt(i, k - 1, oth) + 1e-12) monotone = false;
      if (!monotone) continue;
      let profit = 0;
      for (const p of profiles) {
        const [k0, k1] = p.k;
        let pay = 0;
        for (let i = 0; i < 2; i++) {
          const own = i === 0 ? k0 : k1;
          const oth = i === 0 ? k1 : k0;
          pay += values[own] * qAt(i, own, oth);
          for (let j = own + 1; j < K; j++) pay += (values[j] - values[j - 1]) * qAt(i, j, oth);
        }
        profit += p.w * (gross[rule[k0 * K + k1]] - pay);
      }
      best = Math.max(best, profit);
    }
    expect(ironed).toBeCloseTo(best, 10);
  });
});
