/**
 * Payoffs of PAL's duopoly "embedded Stackelberg game" (join → prices → share; PAL §IV-B, §V-A, §V-C;
 * MODEL.md B.8.2–B.8.6). Each platform k plays AMMO's monopoly game on its members J_k, so at its
 * equilibrium a member i ∈ J_k gets (PAL Thm 1 eq. (4), Thm 5 eq. (6))
 *   u_i = −v_i I_i(A_k ∖ {i}) − v_i α I_i(A_{k'}) + c_i(J_k)
 * (a sharer is paid exactly v_i times her own increment, so sharers and non-sharers both end at
 * −v_i I_i(A_k∖{i}); for a non-sharer A_k∖{i} = A_k), where A_k ⊆ J_k is platform k's sharer set and α is
 * the cross-platform spillover. A user who joins no platform gets −v_i α (I_i(A_1) + I_i(A_2)) (MODEL.md B.9
 * item 22).
 *
 * Social surplus of a joining profile (PAL §V-B; with spillovers, the sum of payoffs (5)–(6), MODEL.md B.9
 * item 20): Σ_i (1 − v_i)(I_i(A_{b_i}) + α I_i(A_{other})) + Σ_i c_i(J_{b_i}).
 */

/**
 * Joining values c_i(J) for i ∈ J. Our parameterisation (the papers leave c abstract): c_i(J) = base +
 * perMember·(|J| − 1). perMember > 0 gives AMMO Assumption 1(1) (strict network effects); perMember = 0 is
 * the constant c of PAL Examples 1–2 (MODEL.md B.9 item 18).
 */
export interface JoiningValue {
  base: number;
  perMember: number;
}

export function joiningValueOf(c: JoiningValue, platformSize: number): number {
  return c.base + c.perMember * (platformSize - 1);
}

/** A member's equilibrium payoff, PAL eq. (6) (eq. (4) when α = 0). */
export function memberPayoff(v: number, ownLeak: number, crossLeak: number, alpha: number, joiningValue: number): number {
  return -v * (ownLeak + alpha * crossLeak) + joiningValue;
}

/** The payoff of a user who joins no platform (only spillovers reach her). */
export function outsidePayoff(v: number, leak1: number, leak2: number, alpha: number): number {
  return -v * alpha * (leak1 + leak2);
}

/** A user's contribution to the data part of social surplus: (1 − v_i)(I_i(A_own) + α I_i(A_other)). */
export function dataSurplusTerm(v: number, ownPlatformLeak: number, otherPlatformLeak: number, alpha: number): number {
  return (1 - v) * (ownPlatformLeak + alpha * otherPlatformLeak);
}

/**
 * PAL Thm 4 (α = 0) and Thm 7 (α > 0) upper bound on the uniform-mixed expected data surplus:
 *   (1 + α) Σ_{i∈V(l)} (1 − v_i) I_i(V) − ((1 + α)/2) Σ_{i∈V(h)} (v_i − 1) I_i(V(l)),
 * given I_i(V) and I_i(V(l)) for every user. Joining values are excluded (MODEL.md B.9 item 19).
 */
export function palMixedBound(v: readonly number[], leakAll: ArrayLike<number>, leakLow: ArrayLike<number>, alpha: number): number {
  let low = 0;
  let high = 0;
  v.forEach((vi, i) => {
    if (vi <= 1) low += (1 - vi) * leakAll[i];
    else high += (vi - 1) * leakLow[i];
  });
  return (1 + alpha) * low - ((1 + alpha) / 2) * high;
}
