/**
 * The merchant's best response to a signal: given a segment (masses m(ω) of the records that received the
 * same recommendation), the fee maximising Σ_ω m(ω)·π(a, ω). Ties are broken toward `recommended` when it
 * is optimal (MODEL.md A.8 item 1: an indifferent merchant obeys), otherwise toward the lowest fee.
 */
import { merchantProfit, type PricingGame } from './payoffs.js';

/** Profits within this (relative) of the best are ties. */
const TIE = 1e-12;

export function merchantBestResponse(game: Pick<PricingGame, 'types' | 'fees'>, segment: ArrayLike<number>, recommended?: number): { fee: number; profit: number } {
  const profit = (a: number) => game.types.reduce((s, w, k) => s + segment[k] * merchantProfit(a, w), 0);
  const profits = game.fees.map(profit);
  const top = Math.max(...profits);
  // a tie is a profit within rounding of the best (fees 0.3 and 0.9 on (0.2, 0, 0.1) both earn 0.09, one of them
  // computed as 0.09000000000000001: the exact comparison picked 0.9, review)
  const optimal = (p: number) => p >= top - TIE * Math.max(1, Math.abs(top));
  if (recommended !== undefined && optimal(profit(recommended))) return { fee: recommended, profit: profit(recommended) };
  let k = -1;
  profits.forEach((p, j) => {
    if (optimal(p) && (k < 0 || game.fees[j] < game.fees[k])) k = j;
  });
  return { fee: game.fees[k], profit: profits[k] };
}
