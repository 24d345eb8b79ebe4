/**
 * The optimal face by complementary slackness (optimalFace.ts), on random markets and random q, for the piece of V
 * active at q (`designPieces`):
 *  - every design on the face is optimal: min and max of Σ vX over P_q restricted to the face both equal V(q);
 *  - every optimal design is on it: the platform-optimal designs best and worst for each type's consumers
 *    (lexicographic LPs on another code path) put no mass on a column the face sets to 0 and keep its tight rows;
 *  - a vector that is not dual-feasible has no face.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { highsSolver, type LpSolver } from '../../src/lp/index.js';
import { buildDesignLp, consumerBestDesign, designPieces, faceHoldsAt, obedienceRows, optimalFaceOf, restrictToFace, payoffVector, platformPayoff, type PricingGame } from '../../src/model/intermediation/index.js';

let solver: LpSolver;
beforeAll(async () => {
  solver = await highsSolver();
});

const market = fc
  .record({
    types: fc.uniqueArray(fc.integer({ min: 1, max: 8 }), { minLength: 2, maxLength: 3 }),
    extraFee: fc.option(fc.integer({ min: 1, max: 15 }), { nil: undefined }),
    gammaU: fc.constantFrom(0, 0.5, 1, 2),
    gammaPi: fc.constantFrom(0, 0.3, 1),
    q: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 3, maxLength: 3 }),
  })
  .filter((m) => m.gammaU + m.gammaPi > 0)
  .map(({ types, extraFee, gammaU, gammaPi, q }) => {
    const t = types.sort((a, b) => a - b).map((x) => x / 2);
    const fees = [...new Set([...t, ...(extraFee ? [extraFee / 4] : [])])].sort((a, b) => a - b);
    return { game: { types: t, fees, gammaU, gammaPi } as PricingGame, q: t.map((_, w) => q[w] / 8) };
  })
  .filter((m) => m.q.some((x) => x > 0));

describe('optimalFaceOf', () => {
  it('law: the face is exactly the set of optimal designs at q, for the piece active there', () => {
    fc.assert(
      fc.property(market, ({ game, q }) => {
        const lp = buildDesignLp(game, q);
        const V = solver.solve(lp).objective;
        const pieces = designPieces(solver, game).gradients;
        const g = pieces.reduce((best, p) => (p.reduce((s, x, w) => s + x * q[w], 0) < best.reduce((s, x, w) => s + x * q[w], 0) ? p : best));
        const face = optimalFaceOf(solver, game, g);
        expect(face).not.toBeNull();
        if (!face) return;
        const N = game.types.length;
        const restricted = restrictToFace(lp, N, face);
        expect(faceHoldsAt(solver, game, q, face)).toBe(true);
        const tol = 1e-9 * Math.max(1, V);
        for (const sense of ['max', 'min'] as const) expect(Math.abs(solver.solve({ ...restricted, sense }).objective - V)).toBeLessThanOrEqual(tol);
        // optimal designs found without the face: consumer-best and consumer-worst for each type
        const obed = obedienceRows(game);
        for (let w = 0; w < N; w++) {
          for (const sign of [1, -1]) {
            const weight = game.types.map((_, k) => (k === w ? sign : 0));
            const X = consumerBestDesign(solver, game, q, weight).X;
            const x = X.flatMap((row, a) => row.map((_, k) => X[a][k]));
            face.zero.forEach((z, j) => z && expect(x[j]).toBeLessThanOrEqual(1e-9));
            obed.forEach((r, o) => face.tight[o] && expect(Math.abs(r.indices.reduce((s, j, t) => s + r.values[t] * x[j], 0))).toBeLessThanOrEqual(1e-9));
          }
        }
      }),
      { numRuns: 30, seed: 1127 },
    );
  });

  it('a face that keeps no design is caught by faceHoldsAt', () => {
    const game: PricingGame = { types: [1, 2], fees: [1, 2], gammaU: 0, gammaPi: 1 };
    const face = optimalFaceOf(solver, game, [1, 2]);
    expect(face).not.toBeNull();
    if (!face) return;
    expect(faceHoldsAt(solver, game, [0.5, 0.5], face)).toBe(true);
    expect(faceHoldsAt(solver, game, [0.5, 0.5], { ...face, zero: face.zero.map(() => true) })).toBe(false);
  });

  it('no face for a price vector below a payoff (not dual-feasible)', () => {
    const game: PricingGame = { types: [1, 2], fees: [1, 2], gammaU: 0, gammaPi: 1 };
    const v = payoffVector(game, (a, w) => platformPayoff(game, a, w));
    expect(Math.max(...v)).toBe(2);
    // p(2) = 1 < v(2, 2) = 2 and no obedience multiplier can lift it: the merchant's full-disclosure payoff
    expect(optimalFaceOf(solver, game, [1, 1])).toBeNull();
    expect(optimalFaceOf(solver, game, [1, 2])).not.toBeNull();
  });
});
