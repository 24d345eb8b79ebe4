/**
 * Unknown privacy values (AMMO §5.2, AMMO-slides; MODEL.md B.6.2, B.9 item 26). v_i ~ F i.i.d., private.
 * The platform buys from users whose "cost" is v, so Myerson's argument gives the virtual value
 *   Φ(v) = v + F(v)/f(v)                                    (continuous F with density f)
 * and the allocation is AMMO Thm 1's argmax with Φ(v_i) in place of v_i. Payments (slides, lower limit v_i):
 *   p_i = ∫_{v_i}^{v_max} q_i(x) dx + v_i q_i(v_i),   q_i(x) = I_i(a^E(x, v_{-i})) − I_i(a^E_{-i}(x, v_{-i}), 0)
 * (q_i = 0 where i does not sell).
 *
 * Discrete (empirical) F on s_1 < … < s_K with probabilities f_k, our discrete analogue (the paper gives
 * none): with F_k = f_1 + … + f_k,
 *   Φ(s_k) = s_k + (s_k − s_{k−1}) F_{k−1}/f_k   (Φ(s_1) = s_1),
 *   p_i(s_k) = s_k q_i(s_k) + Σ_{j>k} (s_j − s_{j−1}) q_i(s_j),
 * i.e. the adjacent upward IC constraints bind and the top type s_K earns no rent, as in the continuous
 * formula. Both need Φ non-decreasing (regularity); ironing is not implemented.
 */

/** Φ(v) = v + F(v)/f(v) for F uniform on [low, high]: v + (v − low). */
export function virtualValueUniform(v: number, low: number): number {
  return 2 * v - low;
}

/** Φ at each support point of a discrete distribution (values sorted increasing, weights summing to 1). */
export function virtualValuesDiscrete(values: readonly number[], weights: readonly number[]): number[] {
  let cum = 0;
  return values.map((s, k) => {
    const phi = k === 0 ? s : s + ((s - values[k - 1]) * cum) / weights[k];
    cum += weights[k];
    return phi;
  });
}

/** Discrete payment of type index k given q at every support point (see module comment). */
export function discretePayment(values: readonly number[], q: readonly number[], k: number): number {
  let p = values[k] * q[k];
  for (let j = k + 1; j < values.length; j++) p += (values[j] - values[j - 1]) * q[j];
  return p;
}
