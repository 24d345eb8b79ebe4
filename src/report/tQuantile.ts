/**
 * Student-t quantiles for the 95% confidence interval of a mean over replicates. For integer ν the CDF has
 * an elementary closed form (Abramowitz & Stegun 26.7.3–4):
 *   θ = atan(t/√ν);  ν odd:  A = (2/π)(θ + sinθ cosθ (1 + (2/3)cos²θ + … + (2·4…(ν−3))/(1·3…(ν−2)) cos^{ν−3}θ))
 *                    ν even: A = sinθ (1 + (1/2)cos²θ + (1·3)/(2·4)cos⁴θ + … + (1·3…(ν−3))/(2·4…(ν−2)) cos^{ν−2}θ)
 * where A(t|ν) = P(|T| ≤ t). The quantile is found by bisection on A.
 */

/** P(|T| ≤ t) for T ~ Student-t with ν degrees of freedom (integer ν ≥ 1, t ≥ 0). */
export function studentTTwoSided(t: number, nu: number): number {
  const theta = Math.atan(t / Math.sqrt(nu));
  const s = Math.sin(theta);
  const c2 = Math.cos(theta) ** 2;
  if (nu % 2 === 1) {
    let term = 1;
    let sum = nu > 1 ? 1 : 0;
    for (let k = 3; k <= nu - 2; k += 2) {
      term *= ((k - 1) / k) * c2;
      sum += term;
    }
    return (2 / Math.PI) * (theta + s * Math.cos(theta) * sum);
  }
  let term = 1;
  let sum = 1;
  for (let k = 2; k <= nu - 2; k += 2) {
    term *= ((k - 1) / k) * c2;
    sum += term;
  }
  return s * sum;
}

/** t such that P(|T| ≤ t) = level (e.g. 0.95), for integer ν ≥ 1. */
export function studentTQuantileTwoSided(level: number, nu: number): number {
  let lo = 0;
  let hi = 1;
  while (studentTTwoSided(hi, nu) < level) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTTwoSided(mid, nu) < level) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
