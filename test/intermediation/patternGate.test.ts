/**
 * The pattern gate (src/model/intermediation/patternGate.ts) only skips work: on random markets the exact search
 * with the gate reports exactly the equilibria of the search without it (every reported set covered both ways),
 * while ruling out patterns. The ungated search is the reference here; it is itself checked against a brute force
 * in exactSearch.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { highsSolver } from '../../src/lp/index.js';
import { exactEquilibria, type PricingGame } from '../../src/model/intermediation/index.js';
import { covered } from './covered.js';

function sameBothWays(on: ReturnType<typeof exactEquilibria>, off: ReturnType<typeof exactEquilibria>): void {
  expect(off.info.gatedPatterns).toBe(0);
  expect(on.equilibria.length).toBe(off.equilibria.length);
  for (const e of off.equilibria) expect(covered(on.equilibria, e)).toBe(true);
  for (const e of on.equilibria) expect(covered(off.equilibria, e)).toBe(true);
  expect(on.info.faces).toBeLessThanOrEqual(off.info.faces);
}

describe('pattern gate', () => {
  // the brute-force markets of exactSearch.test.ts (interior equilibria, continua, a kink)
  for (const c of [
    { game: { types: [1, 2], fees: [1, 2], gammaU: 0.6, gammaPi: 0 }, qBar: [0.3, 0.7], rbar: 0.5 },
    { game: { types: [1, 2], fees: [1, 2], gammaU: 2, gammaPi: 0 }, qBar: [0.3, 0.7], rbar: 1.2 },
    { game: { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 1, gammaPi: 0 }, qBar: [0.2, 0.3, 0.5], rbar: 0.3 },
    { game: { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 1, gammaPi: 0.2 }, qBar: [0.2, 0.3, 0.5], rbar: 0.9 },
  ]) {
    it(`same equilibria with and without it: ${c.game.types.length} types, γ = (${c.game.gammaU}, ${c.game.gammaPi}), r̄ = ${c.rbar}`, async () => {
      const h = await highsSolver();
      const on = exactEquilibria(h, c.game, c.qBar, c.rbar);
      // the gate does something here (a gate that never rules out a pattern would pass the comparison)
      expect(on.info.gatedPatterns).toBeGreaterThan(0);
      sameBothWays(on, exactEquilibria(h, c.game, c.qBar, c.rbar, { gridPoints: 16, gate: false }));
    });
  }

  it('same equilibria with and without it on random 2–4-type markets, and patterns are ruled out', async () => {
    const h = await highsSolver();
    let gated = 0;
    const arb = fc.record({
      N: fc.constantFrom(2, 3, 4),
      between: fc.boolean(),
      gu: fc.integer({ min: 2, max: 22 }),
      gp: fc.integer({ min: 0, max: 10 }),
      mass: fc.array(fc.integer({ min: 1, max: 11 }), { minLength: 4, maxLength: 4 }),
      rbar: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(arb, ({ N, between, gu, gp, mass, rbar }) => {
        const types = Array.from({ length: N }, (_, k) => k + 1);
        const game: PricingGame = { types, fees: between ? [...types.map((x) => x - 0.5), N] : types, gammaU: gu / 10, gammaPi: gp / 10 };
        const qBar = mass.slice(0, N).map((m) => m / 10);
        const on = exactEquilibria(h, game, qBar, rbar / 10);
        gated += on.info.gatedPatterns;
        sameBothWays(on, exactEquilibria(h, game, qBar, rbar / 10, { gridPoints: 16, gate: false }));
      }),
      { numRuns: 24, seed: 20261126 },
    );
    expect(gated).toBeGreaterThan(0);
  }, 120_000);
});
