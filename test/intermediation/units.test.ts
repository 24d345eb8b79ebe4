/**
 * Units of the masses (src/checker/intermediation/units.ts). The model is homogeneous in q̄, the tolerances are not:
 *  - the classification EXTENSIVE is checked against the checker run on the masses as given, at q̄ and at 2q̄ (both
 *    near 1, where the tolerances are right): every number at an EXTENSIVE path doubles, every other one stays;
 *    the scenarios cover every field the result has (sets and segments, continua, remedies, E1/E2/E3, SB, designs,
 *    a both-interior E2 pair);
 *  - regression: with the largest mass at 7e-5 the checker lost the no-trade equilibrium of the GLP examples, or
 *    reported no equilibrium at all (sims/glp-unraveling.json); now the result is the unit one scaled.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { solveIntermediation, solveIntermediationAsGiven } from '../../src/checker/intermediation/index.js';
import { EXTENSIVE, massUnit, scaleExtensive } from '../../src/checker/intermediation/units.js';
import { validateScenario, type IntermediationScenario } from '../../src/scenario/index.js';

function load(raw: Record<string, unknown>): IntermediationScenario {
  const s = validateScenario(raw);
  if (s.model !== 'intermediation') throw new Error('unreachable');
  return s;
}
const sim = (name: string) => {
  const raw = JSON.parse(readFileSync(new URL(`../../sims/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
  delete raw.dynamics;
  return raw;
};
const times = (s: IntermediationScenario, k: number): IntermediationScenario => ({ ...s, mass: s.mass.map((m) => m * k) });

/** Every numeric leaf as [path without array levels, value], in document order. */
function leaves(value: unknown, path = '', out: Array<[string, number]> = []): Array<[string, number]> {
  if (typeof value === 'number') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v) => leaves(v, path, out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  return out;
}

const CASES: Array<[string, () => Record<string, unknown>]> = [
  ['GLP over-supply, union remedy', () => sim('glp-oversupply')],
  ['GLP pooling', () => sim('glp-pooling')],
  ['a lifted segment (region.segment) and sets', () => ({ name: 's', model: 'intermediation', types: [1, 2, 3], mass: [0.8, 0.4, 0.7], weights: { consumer: 1, merchant: 0.3 }, reservationUtility: 1 })],
  [
    'a three-piece segment face (region.segment, welfareBound)',
    () => ({ name: 's', model: 'intermediation', types: [1, 2, 3, 4], mass: [0.05, 0.135, 0.651, 0.942], weights: { consumer: 2, merchant: 0 }, reservationUtility: 2.5 }),
  ],
  ['6 types: the fallback search (continua)', () => sim('glp-six-types')],
  ['GP example: E1, E2 continuum, E3', () => sim('gp-example')],
  ['GP two platforms: E2 with several platforms, SB', () => sim('gp-two-platforms-privacy')],
  ['GP several merchants: designs', () => sim('gp-two-platforms-merchants')],
  [
    'GP E2 with both types interior (pair)',
    () => ({ name: 'p', model: 'intermediation', types: [1, 2], mass: [1, 0.1], weights: { consumer: 0, merchant: 0 }, privacyValues: [0, 2], platforms: [{ weights: { consumer: 0, merchant: 0 }, buyerWeights: [0, 3] }] }),
  ],
  [
    'GP E2 with two of three types interior (twoInterior segments and a cell)',
    () => ({ name: 't', model: 'intermediation', types: [1, 2, 3], mass: [1, 0.1, 0.5], weights: { consumer: 0, merchant: 0 }, privacyValues: [0, 2, 0], platforms: [{ weights: { consumer: 0, merchant: 0 }, buyerWeights: [0, 3, 0] }] }),
  ],
  [
    'GP E2 through the several-platform search: two split types (twoSplit segments and a cell)',
    () => ({
      name: 't',
      model: 'intermediation',
      types: [1, 2, 3],
      mass: [1, 0.1, 0.5],
      weights: { consumer: 0, merchant: 0 },
      privacyValues: [0, 2, 0],
      platforms: [{ weights: { consumer: 0, merchant: 0 }, buyerWeights: [0, 3, 0], merchants: [{ fees: [1, 2, 3] }, { fees: [10] }] }],
    }),
  ],
  [
    'GP E2, a type split over three uses (threeWay segment and cell)',
    () => ({
      name: 't',
      model: 'intermediation',
      types: [1, 2],
      mass: [1, 0.3],
      weights: { consumer: 0.5, merchant: 0 },
      privacyValues: [0, 0],
      platforms: [
        { weights: { consumer: 0.5, merchant: 0 }, buyerWeights: [0, 0] },
        { weights: { consumer: 0.5, merchant: 0 }, buyerWeights: [0, 3] },
      ],
    }),
  ],
  [
    'GP E2, nothing at stake with three types: every face of the three-interior search is a cell (threeInterior.cell)',
    () => ({ name: 'z', model: 'intermediation', types: [1, 2, 3], mass: [1, 0.5, 0.8], weights: { consumer: 0, merchant: 0 }, privacyValues: [0, 0, 0], platforms: [{ weights: { consumer: 0, merchant: 0 }, buyerWeights: [0, 0, 0] }] }),
  ],
  [
    'GP E2, four types: the ray q ∝ (3, 1, 2) next to a full fourth type, and four interior (manyInterior from/to/rayFrom; e2Volumes.test.ts)',
    () => ({ name: 'v', model: 'intermediation', types: [1, 2, 3, 4], mass: [0.72, 0.28, 0.62, 0.5], weights: { consumer: 0, merchant: 0 }, privacyValues: [0, 2, 1, 0], platforms: [{ weights: { consumer: 0, merchant: 0 }, buyerWeights: [1, 3, 3, 0] }], equilibriumSearch: { manyInterior: true } }),
  ],
  [
    'GP E2, four types, one platform of two merchants (the second never sells): the same ray through the several-merchant search (manyInterior from/to/rayFrom as records[i][ω])',
    () => ({ name: 'vm', model: 'intermediation', types: [1, 2, 3, 4], mass: [0.72, 0.28, 0.62, 0.5], weights: { consumer: 0, merchant: 0 }, privacyValues: [0, 2, 1, 0], platforms: [{ weights: { consumer: 0, merchant: 0 }, buyerWeights: [1, 3, 3, 0], merchants: [{ fees: [1, 2, 3, 4] }, { fees: [10] }] }], equilibriumSearch: { manyInterior: true } }),
  ],
  [
    'GP E2, nothing at stake with four types: the volumes have no plane, their middle planes are cells (manyInterior.cell)',
    () => ({ name: 'z', model: 'intermediation', types: [1, 2, 3, 4], mass: [1, 0.5, 0.8, 0.6], weights: { consumer: 0, merchant: 0 }, privacyValues: [0, 0, 0, 0], platforms: [{ weights: { consumer: 0, merchant: 0 }, buyerWeights: [0, 0, 0, 0] }], equilibriumSearch: { manyInterior: true } }),
  ],
  [
    'GP E2, two platforms holding records at a crossing of their price regions (sharedKink segment)',
    () => ({
      name: 'k',
      model: 'intermediation',
      types: [1.24, 2.34],
      mass: [0.25, 0.5],
      weights: { consumer: 1, merchant: 0 },
      reservationUtility: 0,
      privacyValues: [0.12, 2.66],
      platforms: [
        { weights: { consumer: 0.77, merchant: 0.53 }, buyerWeights: [0.8, 0.76] },
        { weights: { consumer: 1.44, merchant: 0.31 }, buyerWeights: [0.5, 2.87] },
      ],
    }),
  ],
];

describe('units of the masses', () => {
  const seen = new Set<string>();
  for (const [name, raw] of CASES) {
    it(`EXTENSIVE matches q̄ → 2q̄ on the unscaled checker: ${name}`, async () => {
      const s = load(raw());
      const a = leaves(await solveIntermediationAsGiven(s));
      const b = leaves(await solveIntermediationAsGiven(times(s, 2)));
      expect(b.map(([p]) => p)).toEqual(a.map(([p]) => p));
      a.forEach(([p]) => seen.add(p));
      const wrong: string[] = [];
      a.forEach(([path, x], k) => {
        const y = b[k][1];
        const close = (u: number, v: number) => Math.abs(u - v) <= 1e-7 * Math.max(1, Math.abs(u), Math.abs(v));
        if (EXTENSIVE.has(path) ? !close(y, 2 * x) : !close(y, x)) wrong.push(`${path}: ${x} → ${y}`);
      });
      expect(wrong).toEqual([]);
    }, 60_000);
  }

  it('the cases above exercise every EXTENSIVE path', () => {
    // `equilibrium` is a copy of the first entry of `equilibria`: a path seen in any entry covers both
    const covered = (p: string) => seen.has(p) || seen.has(p.replace(/(^|\.)equilibrium\./, '$1equilibria.'));
    expect([...EXTENSIVE].filter((p) => !covered(p)).join(' ')).toBe('');
  });

  it('a power of two, 1 within [1/16, 16]', () => {
    expect(massUnit([0.3, 0.7])).toBe(1);
    expect(massUnit([3e-5, 7e-5])).toBe(2 ** -14);
    expect(massUnit([5000, 20])).toBe(4096);
    expect(massUnit([0, 0])).toBe(1);
    // exact both ways
    const m = [3e-5, 7e-5, 1.234567e-5];
    const s = massUnit(m);
    expect(m.map((x) => (x / s) * s)).toEqual(m);
    expect(scaleExtensive({ platformValue: 2, recordPrices: [{ lower: 1, upper: null }], equilibria: [{ records: [1, 2], prices: [3] }] }, 4)).toEqual({
      platformValue: 8,
      recordPrices: [{ lower: 1, upper: null }],
      equilibria: [{ records: [4, 8], prices: [3] }],
    });
  });

  for (const name of ['glp-oversupply', 'glp-pooling', 'glp-unraveling']) {
    it(`${name} with masses × 1e-4: the unit result, scaled (the no-trade equilibrium was lost)`, async () => {
      const s = load(sim(name));
      const unit = await solveIntermediation(s);
      const tiny = await solveIntermediation(times(s, 1e-4));
      type Eq = { records: number[]; prices: number[]; welfare: number };
      const u = unit.equilibria as Eq[];
      const t = tiny.equilibria as Eq[];
      expect(t.map((e) => e.records.map((x) => x / 1e-4))).toEqual(u.map((e) => e.records.map((x) => expect.closeTo(x, 9))));
      t.forEach((e, k) => {
        expect(e.welfare / 1e-4).toBeCloseTo(u[k].welfare, 9);
        e.prices.forEach((p, w) => expect(p).toBeCloseTo(u[k].prices[w], 9));
      });
      expect(u.some((e) => e.records.every((x) => x === 0))).toBe(true);
      expect((tiny.constrainedEfficient as { welfare: number }).welfare / 1e-4).toBeCloseTo((unit.constrainedEfficient as { welfare: number }).welfare, 9);
    }, 60_000);
  }
});
