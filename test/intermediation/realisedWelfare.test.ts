/**
 * realisedWelfare (model/intermediation/welfare.ts): V and W of a market as played, at the fees the
 * merchant actually charges. Values derived by hand from v(a, ω) = γ_u·max(ω − a, 0) + γ_π·a·1[ω ≥ a].
 */
import { describe, expect, it } from 'vitest';
import { realisedWelfare, type PricingGame } from '../../src/model/intermediation/index.js';

const game: PricingGame = { types: [1, 2], fees: [1, 2], gammaU: 0.5, gammaPi: 1 };
// signal 0 sent to 0.3 of type 1 and 0.2 of type 2; signal 1 to 0.5 of type 2
const X = [
  [0.3, 0.2],
  [0, 0.5],
];
const q = [0.3, 0.7];
const U = [0, 0.1];

describe('realisedWelfare', () => {
  it('obedient fees: V = 0.3·v(1,1) + 0.2·v(1,2) + 0.5·v(2,2) = 0.3 + 0.3 + 1 = 1.6; W = V − 0.13', () => {
    const r = realisedWelfare(game, X, [0, 1], q, U, 0.2);
    expect(r.value).toBeCloseTo(1.6, 14);
    // Σ q(U − r̄) = 0.3·(−0.2) + 0.7·(−0.1) = −0.13
    expect(r.welfare).toBeCloseTo(1.47, 14);
  });

  it('a merchant charging 2 at signal 0 loses the type-1 sale: V = 0.2·2 + 0.5·2 = 1.4', () => {
    expect(realisedWelfare(game, X, [1, 1], q, U, 0.2).value).toBeCloseTo(1.4, 14);
  });

  it('a signal nobody receives (fee index −1) adds nothing', () => {
    const r = realisedWelfare(game, [[0, 0], [0.3, 0.7]], [-1, 1], q, [0, 0], 0);
    // only type 2 buys at fee 2: V = 0.7·2
    expect(r.value).toBeCloseTo(1.4, 14);
    expect(r.welfare).toBeCloseTo(1.4, 14);
  });
});
