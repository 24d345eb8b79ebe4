/**
 * Regulated single-platform objectives (AMMO §6; MODEL.md B.7, B.9 items 11–13).
 *
 * De-correlation (Lemma 5 taken as a modelling axiom, B.9 item 11): the platform receives S̃ = Σ⁻¹S for the
 * sellers only, so leakage about a non-seller is 0 and about a seller i ∈ A it is Ĩ_i(A) = I_i(A). A seller's
 * least price is then her whole disutility, p̃_i = v_i Ĩ_i(A) (Thm 6), and the platform's payoff equals
 *   Σ_{i∈A} (1 − v_i) I_i(A)  =  the social surplus under de-correlation.
 *
 * Taxes (B.9 item 13, our choice of incidence): a per-transaction tax t_i paid by the platform for each
 * seller, a transfer that does not enter social surplus. Uniform: t_i = rate. Pigovian (§6.1): t_i = 0 for
 * users in the first best a^W, prohibitive (the platform never buys) otherwise.
 */

/** Platform objective under de-correlation for per-user seller leakage I_i(A) (i ∈ A). */
export function decorrelatedObjective(v: readonly number[], sellers: readonly number[], sellerLeak: readonly number[]): number {
  let s = 0;
  sellers.forEach((i, r) => {
    s += (1 - v[i]) * sellerLeak[r];
  });
  return s;
}

/**
 * The same objective on sharer counts of exchangeable communities: Σ_g m_g (1 − v_g) I^sh_g, with
 * `sharerLeak[g]` the leakage about a sharer of block g at counts m.
 */
export function decorrelatedCountObjective(v: readonly number[], m: readonly number[], sharerLeak: ArrayLike<number>): number {
  let s = 0;
  for (let g = 0; g < m.length; g++) if (m[g] > 0) s += m[g] * (1 - v[g]) * sharerLeak[g];
  return s;
}

/** Least de-correlated price of a seller: v_i Ĩ_i(A) = v_i I_i(A) (AMMO Thm 6.1). */
export function decorrelatedPrice(v: number, sellerLeak: number): number {
  return v * sellerLeak;
}
