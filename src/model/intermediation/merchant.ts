/**
 * The merchant's best response to a signal: given a segment (masses m(ω) of the records that received the
 * same recommendation), the fee maximising Σ_ω m(ω)·π(a, ω). Ties are broken toward `recommended` when it
 * is optimal (MODEL.md A.8 item 1: an indifferent merchant obeys), otherwise toward the lowest fee.
 */
import { merchantProfit, type PricingGame } from './payoffs.js';

export function merchantBestResponse(game: Pick<PricingGame, 'types' | 'fees'>, segment: ArrayLike<number>, recommended?: number): { fee: number; profit: number } {
  const profit = (a: number) => game.types.reduce((s, w, k) => s + segment[k] * merchantProfit(a, w), 0);
  let best = game.fees[0];
  let bestProfit = profit(best);
  for (const a of game.fees) {
    const p = profit(a);
    if (p > bestProfit) {
      best = a;
      bestProfit = p;
    }
  }
  if (recommended !== undefined && profit(recommended) >= bestProfit - 1e-12 * Math.max(1, Math.abs(bestProfit))) {
    return { fee: recommended, profit: profit(recommended) };
  }
  return { fee: best, profit: bestProfit };
}
