/**
 * RecordPlatform's marginal value (agents/intermediation.ts) against the BBM closed form (test/intermediation/
 * definition.ts: γ_u ≥ γ_π, fees = types, one merchant): a type with records is priced inside the closed form's
 * one-sided derivatives, a type without at the lower one, V'(q; +e_ω) — the value of its first record.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { highsSolver } from '../../src/lp/index.js';
import { RecordPlatform } from '../../src/agents/intermediation.js';
import { closedForm } from '../intermediation/definition.js';

const lp = await highsSolver();

describe('RecordPlatform.marginalValue', () => {
  it('property: untraded types at V\'(q; +e_ω), traded ones within [V\'₊, V\'₋] (BBM closed form)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }).chain((n) =>
          fc.record({
            q: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.05, max: 1, noNaN: true })), { minLength: n, maxLength: n }),
            gp: fc.double({ min: 0, max: 1, noNaN: true }),
            extra: fc.double({ min: 0, max: 1.5, noNaN: true }),
          }),
        ),
        ({ q, gp, extra }) => {
          const types = q.map((_, i) => i + 1);
          const gu = gp + extra;
          const mv = new RecordPlatform(lp, { types, fees: types, gammaU: gu, gammaPi: gp }).marginalValue(q);
          const cf = closedForm(types, q, gu, gp);
          q.forEach((x, w) => {
            if (x === 0) expect(mv[w]).toBeCloseTo(cf.lower[w], 9);
            else {
              expect(mv[w]).toBeGreaterThanOrEqual(cf.lower[w] - 1e-9);
              expect(mv[w]).toBeLessThanOrEqual(cf.upper[w] + 1e-9);
            }
          });
        },
      ),
      { numRuns: 150, seed: 11 },
    );
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
