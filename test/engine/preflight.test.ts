/**
 * preflightSimulate: each refusal of a simulate run, with the run's own field and message, decided before
 * anything runs. Every case is also run through simulateScenario, which must refuse with the identical
 * error (so the preflight cannot drift from the run), and an in-limit twin must pass the preflight.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/errors.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { simulateScenario, type SimulateOptions } from '../../src/engine/index.js';
import { preflightSimulate } from '../../src/engine/preflight.js';
import { highsSolver } from '../../src/lp/index.js';

const corr = (n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0.2)));
const general = (n: number, extra: object = {}): unknown => ({ name: 'g', model: 'leakage', covariance: corr(n), privacyValues: new Array(n).fill(0.5), ...extra });
const communities = (extra: object = {}): unknown => ({ name: 'c', model: 'leakage', communities: { sizes: [2, 3], variance: 1, within: 0.3, across: 0.1 }, privacyValues: [0.5, 0.8], ...extra });
const gpTwoMerchants = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../sims/gp-two-merchants.json'), 'utf8')) as { platforms: { merchants?: unknown; competition?: unknown }[] };
const gpOneMerchant = { ...gpTwoMerchants, platforms: gpTwoMerchants.platforms.map(({ merchants: _m, competition: _c, ...p }) => p) };

function preflightError(raw: unknown, opts: SimulateOptions): InputError | null {
  try {
    preflightSimulate(validateScenario(raw), opts);
    return null;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
}

const cases: { what: string; over: unknown; inside: unknown; opts?: SimulateOptions; insideOpts?: SimulateOptions; path: string; says: RegExp }[] = [
  { what: 'learning beyond 12 users', over: general(13), inside: general(12), opts: { dynamics: 'learning', rounds: 1 }, path: 'dynamics.kind', says: /^learning is limited to 12 users .*this scenario has 13$/ },
  {
    what: 'learning under regulation',
    over: general(3, { regulation: { tax: { kind: 'uniform', rate: 0.1 } } }),
    inside: general(3, { regulation: { tax: { kind: 'uniform', rate: 0.1 } } }),
    opts: { dynamics: 'learning', rounds: 1 },
    insideOpts: { dynamics: 'tatonnement', rounds: 1 },
    path: 'dynamics.kind',
    says: /^learning is not modelled under regulation/,
  },
  { what: 'checker limit on the compared equilibrium (general Σ, 25 users)', over: general(25), inside: general(20), opts: { rounds: 1 }, path: 'covariance', says: /^25 users exceed the exact-enumeration limit of 24/ },
  { what: 'two platforms on communities', over: communities({ platforms: 2 }), inside: general(3, { platforms: 2 }), opts: { rounds: 1 }, path: 'communities', says: /^simulate with platforms: 2 needs a general covariance/ },
  { what: 'two platforms beyond 14 users', over: general(15, { platforms: 2 }), inside: general(6, { platforms: 2 }), opts: { rounds: 1 }, path: 'platforms', says: /15 users exceed its limit of 14/ },
  { what: 'regulated duopoly', over: general(3, { platforms: 2, regulation: { tax: { kind: 'uniform', rate: 0.1 } } }), inside: general(3, { platforms: 2 }), opts: { rounds: 1 }, path: 'regulation', says: /^regulated duopolies are solved exactly by solve/ },
  {
    what: 'posted prices',
    over: general(2, { platforms: 2, postedPrices: { levels: [[0, 0.5], [0, 0.5]] } }),
    inside: general(2, { platforms: 2 }),
    opts: { rounds: 1 },
    path: 'postedPrices',
    says: /^simulate plays the join-then-price duopoly/,
  },
  { what: 'mutual information on communities', over: communities({ informationMeasure: 'mutual-information' }), inside: communities(), opts: { rounds: 1 }, path: 'informationMeasure', says: /^simulate on communities models the MSE leakage/ },
  { what: 'several merchants on a platform', over: gpTwoMerchants, inside: gpOneMerchant, opts: { dynamics: 'tatonnement', rounds: 1 }, path: 'platforms.0.merchants', says: /^simulate runs one merchant per platform/ },
  // named where the kind came from: the flag, or the scenario's field (without either, tatonnement is the default)
  { what: 'multi-platform with best-response', over: gpOneMerchant, inside: gpOneMerchant, opts: { dynamics: 'best-response', rounds: 1 }, insideOpts: { rounds: 1 }, path: '--dynamics', says: /record-price tatonnement only, not best-response; leave the flag out/ },
  { what: 'multi-platform with best-response in the scenario', over: { ...gpOneMerchant, dynamics: { kind: 'best-response' } }, inside: gpOneMerchant, opts: { rounds: 1 }, path: 'dynamics.kind', says: /record-price tatonnement only, not best-response; leave the field out/ },
  { what: 'best-response with a partial step', over: general(2, { dynamics: { kind: 'best-response', step: 0.5 } }), inside: general(2, { dynamics: { kind: 'best-response', step: 1 } }), opts: { rounds: 1 }, path: 'dynamics.step', says: /best-response moves to the best response/ },
  // a remedy run needs the planner, which beyond 5 types without the BBM closed form (fees off the type grid) the
  // checker does not compute: a sweep ran the scenario's other runs and wrote rows first (review)
  {
    what: 'a remedy the checker does not compute (6 types, fees off the grid)',
    over: { name: 'six', model: 'intermediation', types: [1, 2, 3, 4, 5, 6], fees: [0.5, 1.5, 2.5, 3.5, 4.5, 5.5], mass: [0.05, 0.645, 0.259, 0.291, 0.826, 0.378], weights: { consumer: 0.6, merchant: 0 }, reservationUtility: 0.5, remedy: 'tax' },
    inside: { name: 'five', model: 'intermediation', types: [1, 2, 3, 4, 5], fees: [0.5, 1.5, 2.5, 3.5, 4.5], mass: [0.05, 0.645, 0.259, 0.291, 0.826], weights: { consumer: 0.6, merchant: 0 }, reservationUtility: 0.5, remedy: 'tax' },
    opts: { rounds: 1 },
    path: 'remedy',
    says: /^the checker has no "tax" remedy for this scenario \(without the BBM closed form .* limited to 5 types .*this market has 6\)/,
  },
];

describe('preflightSimulate', () => {
  for (const c of cases) {
    it(`refuses as the run does: ${c.what}`, async () => {
      const e = preflightError(c.over, c.opts ?? {});
      expect(e?.path).toBe(c.path);
      expect(e?.detail).toMatch(c.says);
      // intermediation runs take the caller's LP backend (options.lp)
      const opts = { ...c.opts, lp: await highsSolver() } as SimulateOptions;
      await expect(simulateScenario(validateScenario(c.over), opts)).rejects.toThrow(e?.message);
    });
    it(`passes the in-limit twin: ${c.what}`, () => {
      expect(preflightError(c.inside, c.insideOpts ?? c.opts ?? {})).toBeNull();
    });
  }
});
