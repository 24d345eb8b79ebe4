/**
 * RecordPlatform's marginal value (agents/intermediation.ts) against the BBM closed form (test/intermediation/
 * definition.ts, fees = types, one merchant): a supergradient of V at q (zero profit and the dual gap of the
 * definition check, on javascript-lp-solver), traded types inside the closed form's one-sided derivatives, untraded
 * ones at least V'(q; +e_ω); the GLP two-type example at no trade by hand; the memo.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { highsSolver } from '../../src/lp/index.js';
import { RecordPlatform } from '../../src/agents/intermediation.js';
import { closedForm, dualGap, pi, u } from '../intermediation/definition.js';

const lp = await highsSolver();

describe('RecordPlatform.marginalValue', () => {
  it('property: a supergradient of V at q (also γ_π > γ_u), traded types within [V\'₊, V\'₋], untraded ones at least V\'(q; +e_ω)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }).chain((n) =>
          fc.record({
            q: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.05, max: 1, noNaN: true })), { minLength: n, maxLength: n }),
            gp: fc.double({ min: 0, max: 1, noNaN: true }),
            extra: fc.double({ min: -0.5, max: 1.5, noNaN: true }),
          }),
        ),
        ({ q, gp, extra }) => {
          const types = q.map((_, i) => i + 1);
          const gu = Math.max(0, gp + extra);
          const mv = new RecordPlatform(lp, { types, fees: types, gammaU: gu, gammaPi: gp }).marginalValue(q);
          const cf = closedForm(types, q, gu, gp);
          expect(Math.abs(mv.reduce((s, p, w) => s + p * q[w], 0) - cf.V)).toBeLessThanOrEqual(1e-7);
          expect(dualGap(types, (a, w) => gu * u(a, w) + gp * pi(a, w), mv)).toBeLessThanOrEqual(1e-7);
          q.forEach((x, w) => {
            expect(mv[w]).toBeGreaterThanOrEqual(cf.lower[w] - 1e-9);
            if (x > 0) expect(mv[w]).toBeLessThanOrEqual(cf.upper[w] + 1e-9);
          });
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });

  it('GLP two types (γ_π = 0) at no trade: a supporting price, p(1) + p(2) ≥ γ_u, by hand', () => {
    // V(q) = γ_u·min(q1, q2) here, so p supports q = 0 iff p ≥ 0 and p1 + p2 ≥ γ_u; each one-sided derivative
    // V'(0; +e_ω) is 0, and the pair (0, 0) supports nothing
    const both = new RecordPlatform(lp, { types: [1, 2], fees: [1, 2], gammaU: 0.6, gammaPi: 0 }).marginalValue([0, 0]);
    expect(both[0] + both[1]).toBeGreaterThanOrEqual(0.6 - 1e-9);
    both.forEach((p) => expect(p).toBeGreaterThanOrEqual(-1e-12));
  });

  it('the same database is valued the same after other solves (the dual at a kink depended on the solver\'s history)', () => {
    const game = { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 0.7, gammaPi: 0.3 };
    const platform = new RecordPlatform(lp, game);
    // at q = (0.2, 0.2, 0.4) the uniform monopoly profit ties at fees 1 and 2 (0.8 each): V kinks between traded
    // types, and the LP's dual went (0.7, 0.6, 1.3) → (0.7, 1.4, 0.9) after a solve at (0.5, 0.1, 0.9)
    const first = platform.marginalValue([0.2, 0.2, 0.4]);
    new RecordPlatform(lp, game).marginalValue([0.5, 0.1, 0.9]);
    expect(platform.marginalValue([0.2, 0.2, 0.4])).toEqual(first);
  });
});
