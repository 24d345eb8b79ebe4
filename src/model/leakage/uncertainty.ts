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
 * formula. Both need Φ non-decreasing (regularity). An empirical F whose Φ decreases somewhere is ironed
 * (Myerson 1981 §6, here for a buyer of data facing cost types): see ironedVirtualValuesDiscrete. A uniform
 * F is always regular (Φ = 2v − low), so it never needs ironing.
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

/**
 * Myerson ironing of a discrete F (our discrete version of Myerson 1981 §6 for cost types). In quantile
 * space the "virtual cost" curve G(F_k) = Σ_{j≤k} f_j Φ(s_j) telescopes to G_k = s_k F_k, so Φ(s_k) is the
 * slope of G on (F_{k−1}, F_k]. Ironing replaces G by its greatest convex minorant Ḡ (lower convex hull of
 * (0,0), (F_1, G_1), …, (1, G_K)); the ironed virtual value Φ̄(s_k) is Ḡ's slope on (F_{k−1}, F_k], which is
 * non-decreasing and equals Φ wherever Ḡ = G. Maximising Σ(1 − Φ̄)I + Φ̄ I(·∖i) gives monotone q, so the
 * discrete payments stay IC, and expected profit is maximal among IC/IR mechanisms (tests check this
 * against all deterministic monotone allocation rules).
 * Returns Φ̄ per support point and the ironed intervals as index ranges [k_lo, k_hi] (k_hi > k_lo).
 */
export function ironedVirtualValuesDiscrete(values: readonly number[], weights: readonly number[]): { phi: number[]; intervals: [number, number][] } {
  const K = values.length;
  const F: number[] = [0];
  for (let k = 0; k < K; k++) F.push(F[k] + weights[k]);
  const G = F.map((Fk, k) => (k === 0 ? 0 : values[k - 1] * Fk));
  // Lower convex hull over points 0..K (monotone chain); hull holds point indices.
  const hull: number[] = [];
  for (let k = 0; k <= K; k++) {
    while (hull.length >= 2) {
      const a = hull[hull.length - 2];
      const b = hull[hull.length - 1];
      // Remove b if it lies on or above the chord a→k.
      const cross = (F[b] - F[a]) * (G[k] - G[a]) - (G[b] - G[a]) * (F[k] - F[a]);
      if (cross <= 0) hull.pop();
      else break;
    }
    hull.push(k);
  }
  const phi = new Array<number>(K);
  const intervals: [number, number][] = [];
  for (let h = 1; h < hull.length; h++) {
    const a = hull[h - 1];
    const b = hull[h];
    const slope = (G[b] - G[a]) / (F[b] - F[a]);
    for (let k = a; k < b; k++) phi[k] = slope;
    if (b - a > 1) intervals.push([a, b - 1]);
  }
  return { phi, intervals };
}
