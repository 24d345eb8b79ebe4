/**
 * One platform with several merchants (GP §2, L59-83; MODEL.md A.6.1): sellers k ∈ K_i each choose a fee
 * a^k ∈ A^k; an action profile a_i ∈ A_i = ∏_k A^k. The platform's LP P_i in joint form, X(a_i, ω) ≥ 0:
 *   max Σ u_i(a_i, ω) X(a_i, ω)
 *   (R_ω)  Σ_{a_i} X(a_i, ω) = q(ω)
 *   (1)    for every k, a^k ≠ â^k:  Σ_{ω, a^{−k}} (π_k(a^k, a^{−k}, ω) − π_k(â^k, a^{−k}, ω)) X(a^k, a^{−k}, ω) ≥ 0
 * (obedience seller by seller: k conditions on his own recommendation and averages over the others').
 * Two product-market structures (`competition`):
 *   separate — merchant k sells its own product; a type-ω buyer values each at ω:
 *              π_k = a^k·1[ω ≥ a^k], buyer surplus Σ_k max(ω − a^k, 0);
 *   bertrand — one product, the buyer buys from the cheapest merchant (GP's payoff example, L85, with the
 *              missing 1[ω ≥ a^k]): π_k = a^k·1[ω ≥ a^k]/#{j : a^j = min a} if a^k = min a, else 0;
 *              buyer surplus max(ω − min_k a^k, 0).
 * Platform payoff u_i = γ_u·(buyer surplus) + γ_π·Σ_k π_k. Columns: profile index·N + ω.
 */
import type { LinearProgram, LpRow, LpSolver } from '../../lp/index.js';
import { supergradientIntervals, type PriceInterval } from './supergradient.js';

/** Largest |A_i| = ∏_k |A^k| accepted (the LP has |A_i|·N columns). */
export const MAX_PROFILES = 4096;

export interface MultiMerchantGame {
  types: number[];
  /** A^k per merchant. */
  merchantFees: number[][];
  competition: 'separate' | 'bertrand';
  gammaU: number;
  gammaPi: number;
}

/** All profiles (fee values per merchant), merchant 0 varying slowest. */
export function actionProfiles(game: MultiMerchantGame): number[][] {
  const count = game.merchantFees.reduce((s, f) => s * f.length, 1);
  if (count > MAX_PROFILES) throw new RangeError(`actionProfiles: ${count} profiles exceed ${MAX_PROFILES}`);
  let out: number[][] = [[]];
  for (const fees of game.merchantFees) out = out.flatMap((p) => fees.map((a) => [...p, a]));
  return out;
}

export function sellerProfit(game: MultiMerchantGame, k: number, profile: number[], omega: number): number {
  const a = profile[k];
  if (omega < a) return 0;
  if (game.competition === 'separate') return a;
  const low = Math.min(...profile);
  if (a !== low) return 0;
  return a / profile.filter((x) => x === low).length;
}

export function buyerSurplus(game: MultiMerchantGame, profile: number[], omega: number): number {
  if (game.competition === 'separate') return profile.reduce((s, a) => s + Math.max(omega - a, 0), 0);
  return Math.max(omega - Math.min(...profile), 0);
}

export function platformPayoffProfile(game: MultiMerchantGame, profile: number[], omega: number): number {
  let pi = 0;
  for (let k = 0; k < profile.length; k++) pi += sellerProfit(game, k, profile, omega);
  return game.gammaU * buyerSurplus(game, profile, omega) + game.gammaPi * pi;
}

/** P_i with equality resource rows 0..N−1, then every merchant's obedience rows. */
export function buildMultiMerchantLp(game: MultiMerchantGame, q: ArrayLike<number>): { lp: LinearProgram; profiles: number[][] } {
  const N = game.types.length;
  const profiles = actionProfiles(game);
  const n = profiles.length * N;
  const rows: LpRow[] = game.types.map((_, w) => {
    const indices = profiles.map((__, p) => p * N + w);
    return { indices, values: indices.map(() => 1), lower: q[w], upper: q[w] };
  });
  game.merchantFees.forEach((fees, k) => {
    for (const a of fees) {
      for (const alt of fees) {
        if (alt === a) continue;
        const indices: number[] = [];
        const values: number[] = [];
        profiles.forEach((p, pi) => {
          if (p[k] !== a) return;
          const dev = p.slice();
          dev[k] = alt;
          game.types.forEach((w, wi) => {
            const d = sellerProfit(game, k, p, w) - sellerProfit(game, k, dev, w);
            if (d !== 0) {
              indices.push(pi * N + wi);
              values.push(d);
            }
          });
        });
        if (values.some((d) => d < 0)) rows.push({ indices, values, lower: 0, upper: Infinity });
      }
    }
  });
  const cost = profiles.flatMap((p) => game.types.map((w) => platformPayoffProfile(game, p, w)));
  return { lp: { sense: 'max', cost, colLower: new Array<number>(n).fill(0), colUpper: new Array<number>(n).fill(Infinity), rows }, profiles };
}

export interface MultiMerchantDesign {
  /** V_i(q). */
  value: number;
  profiles: number[][];
  /** X(a_i, ω), indexed [profile][ω]. */
  X: number[][];
  /** Resource-row duals (one supergradient; empty without duals). */
  duals: number[];
  /** Exact record-price intervals at q. */
  priceIntervals: PriceInterval[];
}

export function solveMultiMerchant(solver: LpSolver, game: MultiMerchantGame, q: number[]): MultiMerchantDesign {
  const N = game.types.length;
  const { lp, profiles } = buildMultiMerchantLp(game, q);
  const sol = solver.solve(lp, { duals: solver.providesDuals });
  const X = profiles.map((_, p) => game.types.map((__, w) => Math.max(0, sol.x[p * N + w])));
  return {
    value: sol.objective,
    profiles,
    X,
    duals: sol.rowDual ? Array.from(sol.rowDual.subarray(0, N)) : [],
    priceIntervals: solver.providesDuals ? supergradientIntervals(solver, lp, sol.x, game.types.map((_, w) => w)) : [],
  };
}
