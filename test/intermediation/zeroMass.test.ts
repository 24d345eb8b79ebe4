/**
 * Types with mass 0 (no consumers): GLP's participation condition (c) is about consumers who exist, so such a type
 * imposes none, and the equilibria are those of the market without it, with q(ω) = 0 (X(·, ω) = 0 leaves V, the
 * obedience constraints and ∂V on the other types unchanged). Reference: the checker on the scenario with the type
 * removed. Found by a fuzz run: a zero mass made `solve` report no equilibrium at all (and `simulate` exit 2).
 */
import { describe, expect, it } from 'vitest';
import { solveIntermediation } from '../../src/checker/intermediation/index.js';
import { validateScenario, type IntermediationScenario } from '../../src/scenario/index.js';

interface Eq { records: number[]; prices: number[]; welfare: number; recordPriceIntervals: Array<{ lower: number | null }> }
type Out = { equilibria: Eq[]; equilibriumSearch: { exact: boolean } };

async function solve(types: number[], mass: number[], gamma: [number, number], rbar: number, fees?: number[]): Promise<Out> {
  const s = validateScenario({ name: 'z', model: 'intermediation', types, mass, weights: { consumer: gamma[0], merchant: gamma[1] }, reservationUtility: rbar, ...(fees ? { fees } : {}) }) as IntermediationScenario;
  return (await solveIntermediation(s)) as unknown as Out;
}

describe('types with mass 0', () => {
  const cases: Array<{ types: number[]; mass: number[]; gamma: [number, number]; rbar: number }> = [
    { types: [1, 2, 3], mass: [0.5, 0, 0.1], gamma: [1, 0], rbar: 0.4 },
    { types: [1, 2, 3], mass: [0.3, 0, 0.3], gamma: [0.5, 0], rbar: 0 },
    { types: [1, 2, 3, 4], mass: [0, 0.4, 0.7, 0.2], gamma: [1.2, 0.3], rbar: 1.1 },
  ];
  for (const c of cases) {
    it(`mass ${c.mass.join(', ')}: the equilibria of the market without the absent types`, async () => {
      const present = c.mass.map((_, w) => w).filter((w) => c.mass[w] > 0);
      // the fee grid stays the whole market's
      const full = await solve(c.types, c.mass, c.gamma, c.rbar, c.types);
      const reduced = await solve(present.map((w) => c.types[w]), present.map((w) => c.mass[w]), c.gamma, c.rbar, c.types);
      expect(full.equilibria.length).toBeGreaterThan(0);
      expect(full.equilibriumSearch.exact).toBe(reduced.equilibriumSearch.exact);
      expect(full.equilibria.length).toBe(reduced.equilibria.length);
      full.equilibria.forEach((e, k) => {
        const r = reduced.equilibria[k];
        expect(e.welfare).toBeCloseTo(r.welfare, 9);
        present.forEach((w, i) => {
          expect(e.records[w]).toBeCloseTo(r.records[i], 9);
          expect(e.prices[w]).toBeCloseTo(r.prices[i], 9);
        });
        c.mass.forEach((m, w) => {
          if (m > 0) return;
          expect(e.records[w]).toBe(0);
          // reported at the least supporting price
          expect(e.prices[w]).toBeCloseTo(e.recordPriceIntervals[w].lower ?? NaN, 9);
        });
      });
    }, 30_000);
  }
});
