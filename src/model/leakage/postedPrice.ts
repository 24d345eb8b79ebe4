/**
 * Posted-price duopoly (PAL §VII = AMMO §4 with prices before joining; MODEL.md B.5, B.8.8): platforms post
 * price vectors p¹, p² for all n users, then users simultaneously choose b_i ∈ {0,1,2} (join none, 1 or 2)
 * and a_i ∈ {0,1}. Payoffs (AMMO eqs. (8)–(9); PAL §VII, no spillover):
 *   user on k:  u_i = a_i p^k_i − v_i I_i(A_k) + c_i(J_k),     A_k = {j ∈ J_k : a_j = 1}
 *   outside:    u_i = 0
 *   platform k: U^(k) = Σ_{i∈J_k} I_i(A_k) − Σ_{i∈A_k} p^k_i
 * (a sharer's I_i(A_k) is I_i(1, a_{-i}), a non-sharer's I_i(0, a_{-i}): the same set formula).
 *
 * A user's action is one of five options, encoded 0 = outside, 1 = platform 1 not sharing, 2 = platform 1
 * sharing, 3 = platform 2 not sharing, 4 = platform 2 sharing. Without joining values AMMO Assumption 1 is
 * taken as given (everyone joins, c cancels), so only options 1–4 exist (docs/leakage-competition.md).
 */

export type UserOption = 0 | 1 | 2 | 3 | 4;

/** Platform (0 = none) of an option. */
export const platformOf = (o: UserOption): 0 | 1 | 2 => (o === 0 ? 0 : o <= 2 ? 1 : 2);
/** Whether an option shares. */
export const sharesIn = (o: UserOption): boolean => o === 2 || o === 4;

/** User payoff with the price term split off: −v_i I_i(A_k) + c_i(J_k) for a member, 0 outside. */
export function memberNonPricePayoff(v: number, leakOnOwnPlatform: number, joiningValue: number): number {
  return -v * leakOnOwnPlatform + joiningValue;
}

/** Social surplus contribution of a member: (1 − v_i) I_i(A_k) + c_i(J_k) (prices are transfers). */
export function memberSurplus(v: number, leakOnOwnPlatform: number, joiningValue: number): number {
  return (1 - v) * leakOnOwnPlatform + joiningValue;
}

/**
 * AMMO Assumption 1 for c_i(J) = base + perMember(|J| − 1): (1) strict network effects ⇔ perMember > 0;
 * (2) c_i({i}) = base > max_j v_j σ_j².
 */
export function assumption1(base: number, perMember: number, v: readonly number[], variances: readonly number[]): { strictNetworkEffects: boolean; joiningExceedsPrivacyLoss: boolean } {
  const maxLoss = Math.max(...v.map((vj, j) => vj * variances[j]));
  return { strictNetworkEffects: perMember > 0, joiningExceedsPrivacyLoss: base > maxLoss };
}
