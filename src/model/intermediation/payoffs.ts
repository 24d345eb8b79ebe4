/**
 * Period-2 payoffs of the pricing model (GLP "a stylized model"; MODEL.md A.1).
 *
 * Notation: ω (`omega`) is a consumer type = her willingness to pay; a is the merchant's fee (the
 * product price it charges her); the consumer buys iff ω ≥ a (ties buy, MODEL.md A.8 item 2).
 *   u(a, ω)  = max(ω − a, 0)                 consumer surplus
 *   π(a, ω)  = a · 1[ω ≥ a]                  merchant profit (zero marginal cost)
 *   v(a, ω)  = γ_u · u(a, ω) + γ_π · π(a, ω)  platform payoff (γ_u = `gammaU`, γ_π = `gammaPi`)
 */

/** One platform's information-design game: type grid Ω, fee grid A, platform weights. */
export interface PricingGame {
  /** Ω, strictly increasing willingness-to-pay values. */
  types: number[];
  /** A, the merchant's fee grid (MODEL.md A.8 item 3: defaults to Ω). */
  fees: number[];
  /** γ_u, the platform's weight on consumer surplus. */
  gammaU: number;
  /** γ_π, the platform's weight on merchant profit. */
  gammaPi: number;
}

export function consumerSurplus(a: number, omega: number): number {
  return Math.max(omega - a, 0);
}

export function merchantProfit(a: number, omega: number): number {
  return omega >= a ? a : 0;
}

export function platformPayoff(game: Pick<PricingGame, 'gammaU' | 'gammaPi'>, a: number, omega: number): number {
  return game.gammaU * consumerSurplus(a, omega) + game.gammaPi * merchantProfit(a, omega);
}

/** Σ_ω q(ω) ω: total surplus when every consumer buys (efficient trade, zero cost). */
export function totalSurplus(types: number[], q: ArrayLike<number>): number {
  let s = 0;
  for (let w = 0; w < types.length; w++) s += types[w] * q[w];
  return s;
}
