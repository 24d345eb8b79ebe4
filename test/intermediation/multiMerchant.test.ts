/**
 * Several merchants per platform (GP's K_i). Oracles:
 *  - separate markets: the platform can draw each merchant's recommendation independently given ω, and the
 *    marginals of any obedient joint X are obedient for each merchant, so V = Σ_k V_k (single-merchant
 *    values) and the record-price intervals add (∂(f+g) = ∂f + ∂g for concave polyhedral f, g);
 *  - one merchant in the `merchants` form equals the single-merchant LP;
 *  - Bertrand and separate markets: V agrees with the second backend (javascript-lp-solver).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { highsSolver, jsLpSolver } from '../../src/lp/index.js';
import { buildMultiMerchantLp, MAX_PROFILES, recordPriceIntervals, solveDesign, solveMultiMerchant } from '../../src/model/intermediation/index.js';
import { MAX_PROFILES as SCHEMA_MAX, validateScenario } from '../../src/scenario/index.js';
import { solveIntermediation } from '../../src/checker/intermediation/index.js';
import { readFileSync } from 'node:fs';
import type { IntermediationScenario } from '../../src/scenario/index.js';

describe('information design with several merchants', () => {
  it('separate merchants: V = Σ_k V_k and price intervals add (random markets)', async () => {
    const h = await highsSolver();
    const arb = fc.record({
      q: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.05, max: 1, noNaN: true })), { minLength: 3, maxLength: 3 }),
      gu: fc.double({ min: 0, max: 2, noNaN: true }),
      gp: fc.double({ min: 0, max: 2, noNaN: true }),
      which: fc.integer({ min: 0, max: 2 }),
    }).filter((r) => r.q.some((x) => x > 0));
    const grids = [[[1, 2, 3], [1, 3]], [[0.5, 2], [1, 2.5, 3]], [[1, 2, 3], [2, 3]]];
    fc.assert(
      fc.property(arb, ({ q, gu, gp, which }) => {
        const types = [1, 2, 3];
        const fees = grids[which];
        const d = solveMultiMerchant(h, { types, merchantFees: fees, competition: 'separate', gammaU: gu, gammaPi: gp }, q);
        const singles = fees.map((f) => ({ game: { types, fees: f, gammaU: gu, gammaPi: gp } }));
        const sum = singles.reduce((s, x) => s + solveDesign(h, x.game, q).value, 0);
        expect(d.value).toBeCloseTo(sum, 8);
        const iv = singles.map((x) => recordPriceIntervals(h, x.game, q));
        d.priceIntervals.forEach((i, w) => {
          expect(i.lower).toBeCloseTo(iv[0][w].lower + iv[1][w].lower, 7);
          if (q[w] > 0) expect(i.upper).toBeCloseTo(iv[0][w].upper + iv[1][w].upper, 7);
          else expect(i.upper).toBe(Infinity);
        });
      }),
      { numRuns: 20, seed: 4 },
    );
  });

  it('one merchant in the merchants form is the single-merchant LP', async () => {
    const h = await highsSolver();
    const q = [0.3, 0.7];
    const d = solveMultiMerchant(h, { types: [1, 2], merchantFees: [[1, 2]], competition: 'bertrand', gammaU: 0.6, gammaPi: 0 }, q);
    expect(d.value).toBeCloseTo(0.18, 12); // MODEL.md A.9: V = γ_u min(q1, q2)
    expect(d.priceIntervals[0].lower).toBeCloseTo(0.6, 12);
    expect(d.priceIntervals[1].upper).toBeCloseTo(0, 12);
  });

  it('Bertrand and separate markets: V agrees with javascript-lp-solver', async () => {
    const h = await highsSolver();
    const js = jsLpSolver();
    for (const competition of ['bertrand', 'separate'] as const) {
      for (const [gu, gp] of [[1, 0], [0.3, 0.8], [0.5, 0.5]]) {
        for (const q of [[0.3, 0.7], [0.6, 0.2], [0, 1]]) {
          const game = { types: [1, 2], merchantFees: [[1, 2], [1, 1.5, 2]], competition, gammaU: gu, gammaPi: gp };
          const { lp } = buildMultiMerchantLp(game, q);
          expect(solveMultiMerchant(h, game, q).value).toBeCloseTo(js.solve(lp).objective, 7);
        }
      }
    }
  });

  it('solve on sims/gp-two-merchants.json reports the design per platform; bad merchants input is refused', async () => {
    const raw = JSON.parse(readFileSync('sims/gp-two-merchants.json', 'utf8'));
    const r = JSON.parse(JSON.stringify(await solveIntermediation(validateScenario(raw) as IntermediationScenario)));
    const d = r.multiPlatform.designs[0];
    expect(d.profiles).toHaveLength(4);
    expect(d.segmentation[0].reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 9);
    // E1/E3/E2 now include several-merchant platforms: with one platform E1's value is V(q̄) of its design LP
    // (≤ rows, v ≥ 0), FB ≥ it, and E2's welfare is at most SB
    expect(r.multiPlatform.E1.value).toBeCloseTo(d.value, 9);
    expect(r.multiPlatform.E3.welfare).toBeGreaterThanOrEqual(r.multiPlatform.E1.welfare - 1e-9);
    expect(r.multiPlatform.E2.available).toBe(true);
    for (const e of r.multiPlatform.E2.equilibria) expect(e.welfare).toBeLessThanOrEqual(r.multiPlatform.E2.secondBest.welfare + 1e-9);
    expect(MAX_PROFILES).toBe(SCHEMA_MAX);
    const base = { name: 'x', model: 'intermediation', types: [1, 2], mass: [0.3, 0.7], weights: { consumer: 1, merchant: 0 } };
    const plat = (extra: object) => ({ ...base, platforms: [{ weights: { consumer: 1, merchant: 0 }, ...extra }] });
    expect(() => validateScenario(plat({ fees: [1, 2], merchants: [{ fees: [1, 2] }] }))).toThrow(/platforms\.0\.fees/);
    expect(() => validateScenario(plat({ competition: 'bertrand' }))).toThrow(/platforms\.0\.competition/);
    expect(() => validateScenario(plat({ merchants: [{ fees: [2, 1] }] }))).toThrow(/platforms\.0\.merchants\.0\.fees/);
    expect(() => validateScenario(plat({ merchants: Array.from({ length: 13 }, () => ({ fees: [1, 2] })) }))).toThrow(/platforms\.0\.merchants.*4096/);
    expect(() => validateScenario(plat({ merchants: [{ fees: [1, 2], price: 3 }] }))).toThrow(/platforms\.0\.merchants\.0/);
  });
});
