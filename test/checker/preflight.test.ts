/**
 * preflightSolve: every up-front refusal of the checker, with the solver's own field and message, before
 * any work. Messages are checked against the rule (users, limit) written here; the in-limit twins must pass;
 * the community duopoly's closed-form work count is checked against the running sum it replaced (brute
 * force); every scenario in sims/ (all solvable) passes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/errors.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { loadScenario } from '../../src/scenario/index.js';
import { preflightSolve } from '../../src/checker/preflight.js';
import { solveLeakage } from '../../src/checker/leakage/index.js';
import { solveGeneral } from '../../src/checker/leakage/monopoly.js';
import { buildDuopolyGame } from '../../src/checker/leakage/duopoly.js';

const corr = (n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0.1)));
const general = (n: number, extra: object = {}): unknown => ({ name: 'g', model: 'leakage', covariance: corr(n), privacyValues: new Array(n).fill(0.5), ...extra });
const communities = (sizes: number[], extra: object = {}): unknown => ({
  name: 'c',
  model: 'leakage',
  communities: { sizes, variance: 1, within: 0.3, across: 0.1 },
  privacyValues: sizes.map(() => 0.5),
  ...extra,
});
const mixture = (n: number): unknown => ({
  name: 'm',
  model: 'leakage',
  privacyValues: new Array(n).fill(0.5),
  uncertainty: { covariances: [{ covariance: corr(n), weight: 0.5 }, { covariance: corr(n), weight: 0.5 }] },
});
const tableMsg = (n: number): RegExp => new RegExp(`^${n} users exceed the limit of 16 for the per-set leakage table`);

function refusal(raw: unknown): InputError | null {
  const s = validateScenario(raw);
  try {
    preflightSolve(s);
    return null;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
}

const cases: { what: string; over: unknown; inside: unknown; path: string; says: RegExp }[] = [
  { what: 'general Σ enumeration (24 users)', over: general(25), inside: general(24), path: 'covariance', says: /^25 users exceed the exact-enumeration limit of 24 for a general covariance/ },
  { what: 'general duopoly (14 users)', over: general(15, { platforms: 2 }), inside: general(14, { platforms: 2 }), path: 'platforms', says: /2\^n joining profiles .*15 users exceed its limit of 14/ },
  { what: 'mutual information table (16 users)', over: general(17, { informationMeasure: 'mutual-information' }), inside: general(16, { informationMeasure: 'mutual-information' }), path: 'covariance', says: tableMsg(17) },
  { what: 'regulation table', over: general(17, { regulation: { tax: { kind: 'uniform', rate: 0.1 } } }), inside: general(16, { regulation: { tax: { kind: 'uniform', rate: 0.1 } } }), path: 'covariance', says: tableMsg(17) },
  {
    what: 'unknown values table',
    over: general(17, { uncertainty: { privacyValues: { kind: 'uniform', low: 0, high: 1 } } }),
    inside: general(16, { uncertainty: { privacyValues: { kind: 'uniform', low: 0, high: 1 } } }),
    path: 'covariance',
    says: tableMsg(17),
  },
  { what: 'Σ ~ μ table', over: mixture(17), inside: mixture(16), path: 'uncertainty.covariances.0.covariance', says: tableMsg(17) },
  {
    what: 'posted-price grid work (625² vectors × 4⁴ profiles × 4 users)',
    over: general(4, { platforms: 2, postedPrices: { levels: new Array(4).fill([0, 0.1, 0.2, 0.3, 0.4]) } }),
    // 2·2·2·3 = 24 vectors: 24² · 4⁴ · 4 = 589 824 checks
    inside: general(4, { platforms: 2, postedPrices: { levels: [[0, 0.1], [0, 0.1], [0, 0.1], [0, 0.1, 0.2]] } }),
    path: 'postedPrices.levels',
    says: /^625 price vectors per platform and 256 user profiles need 400000000 checks; the limits are 400 vectors and 50000000 checks/,
  },
  {
    what: 'community count vectors under mutual information (101⁴)',
    over: communities([100, 100, 100, 100], { informationMeasure: 'mutual-information' }),
    inside: communities([100, 100, 100], { informationMeasure: 'mutual-information' }),
    path: 'communities.sizes',
    says: /^104060401 sharer-count vectors exceed the limit of 5000000/,
  },
  {
    what: 'community duopoly count work',
    over: communities([22, 22, 22], { platforms: 2 }),
    inside: communities([21, 21, 21], { platforms: 2 }),
    path: 'communities.sizes',
    says: /^the exact duopoly needs more than 20000000 sharer-count vectors/,
  },
  {
    what: 'de-correlation on a singular block covariance',
    over: { name: 'd', model: 'leakage', communities: { sizes: [3, 3], variance: 1, within: 1, across: 1 }, privacyValues: [0.5, 0.5], regulation: { decorrelation: true } },
    inside: { name: 'd', model: 'leakage', communities: { sizes: [3, 3], variance: 1, within: 0.5, across: 0.1 }, privacyValues: [0.5, 0.5], regulation: { decorrelation: true } },
    path: 'communities',
    says: /^de-correlation needs an invertible/,
  },
];

describe('preflightSolve', () => {
  for (const c of cases) {
    it(`refuses beyond the limit, as the solver does: ${c.what}`, () => {
      const e = refusal(c.over);
      expect(e?.path).toBe(c.path);
      expect(e?.detail).toMatch(c.says);
      // the solver refuses with the identical error (it asks the same check first, and nothing runs before it)
      expect(() => solveLeakage(validateScenario(c.over) as never)).toThrow(e?.message);
    });
    it(`passes just inside the limit: ${c.what}`, () => {
      expect(refusal(c.inside)).toBeNull();
    });
  }

  it('the module solvers keep their own guards for direct callers (simulate builds the duopoly game itself)', () => {
    expect(() => solveGeneral(corr(25), 1, new Array(25).fill(0.5))).toThrow(/25 users exceed the exact-enumeration limit of 24/);
    expect(() => buildDuopolyGame(corr(15), 1, new Array(15).fill(0.5), { alpha: 0 })).toThrow(/15 users exceed its limit of 14/);
  });

  it('community duopoly work: the closed form Π(n_g+1)(n_g+2)/2 refuses exactly when the running sum over joining profiles exceeds the limit', () => {
    const bruteWork = (sizes: number[]): number => {
      let work = 0;
      const x = new Array<number>(sizes.length).fill(0);
      for (;;) {
        work += x.reduce((p, xg) => p * (xg + 1), 1);
        let g = sizes.length - 1;
        while (g >= 0 && x[g] === sizes[g]) x[g--] = 0;
        if (g < 0) return work;
        x[g]++;
      }
    };
    // the boundary of the fixed cases: 253³ ≤ 2e7 < 276³
    expect(bruteWork([21, 21, 21])).toBeLessThanOrEqual(20_000_000);
    expect(bruteWork([22, 22, 22])).toBeGreaterThan(20_000_000);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 2, maxLength: 3 }), (sizes) => {
        const refused = refusal(communities(sizes, { platforms: 2 })) !== null;
        expect(refused).toBe(bruteWork(sizes) > 20_000_000);
      }),
      { numRuns: 60 },
    );
  });

  it('every scenario in sims/ passes (all are solvable)', () => {
    const dir = resolve(import.meta.dirname, '../../sims');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !JSON.parse(readFileSync(join(dir, f), 'utf8')).command);
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) expect(() => preflightSolve(loadScenario(join(dir, f)))).not.toThrow();
  });
});
