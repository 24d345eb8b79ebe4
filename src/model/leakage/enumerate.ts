/**
 * Exact values of every sharer set, 2ⁿ of them, by a depth-first walk of the inclusion tree with Kalman
 * (rank-one covariance) updates (MODEL.md B.11).
 *
 * Notation. S is the sharer set, τ² the noise variance, P(S) = Σ − Σ[:,S](Σ[S,S] + τ²Id)⁻¹Σ[S,:] the posterior
 * covariance of all n users' types given the sharers' noisy reports, so I_l(S) = Σ_ll − P(S)_ll. Then
 *   T(S)  = Σ_l I_l(S)                         (total leakage, all users),
 *   SS(S) = Σ_l (1 − v_l) I_l(S)               (social surplus),
 *   Δ_i(S) = I_i(S) − I_i(S∖{i}) = q_i²/(τ² − q_i),  q_i = P(S)_ii   (i ∈ S),
 *   Φ(S)  = T(S) − Σ_{i∈S} v_i Δ_i(S)           (AMMO Thm 1).
 * Proof of Δ_i: with p = P(S∖{i})_ii, adding i's report gives q = p − p²/(p + τ²) = pτ²/(p + τ²), hence
 * p = qτ²/(τ² − q) and Δ_i = p − q = q²/(τ² − q). We carry r_i = τ² − q_i as its own number (it only grows,
 * r_i += x²/s below), so Δ_i has no cancellation even when τ² ≪ Σ_ii.
 *
 * Walk. Users are decided from n−1 down to 0; at a node the undecided users are U = {0 … d−1}. Excluding
 * u = d−1 changes nothing (the child looks at the leading (d−1)×(d−1) block of the same buffers). Including u
 * is one Kalman step with s = P_uu + τ² and a = P[:,u]:
 *   P' = P − a aᵀ/s,   T' = T + (PP)_uu/s,   SS' = SS + (P W P)_uu/s   (W = diag(1 − v)),
 * because I_l grows by P_lu²/s for every user l. The sums over all n users need only R¹ = PP and R² = PWP
 * restricted to U: with α = a/s and ρ = R[U,u],
 *   R' = (P − a aᵀ/s) C (P − a aᵀ/s) = R − αρᵀ − ραᵀ + R_uu ααᵀ = R − αβᵀ − βαᵀ,  β = ρ − (R_uu/2)α,
 * so no decided user's row is ever touched. The sharers' own variances q_i (for Δ_i) need the rows P[i,U]
 * of the decided sharers: P'[i,U] = P[i,U] − P_iu α, q_i −= P_iu²/s, r_i += P_iu²/s; the new sharer u enters
 * with row τ²α, q_u = P_uu τ²/s and r_u = τ⁴/s.
 *
 * Cost. An include at depth d costs O(d² + |S|·d) (d²/2 per symmetric matrix); there are 2^(n−d) nodes at depth d, so the whole walk is
 * Σ_d 2^(n−d)·O(d² + n d) = O(2ⁿ · n), i.e. O(n) per set (plus O(|S|) at each leaf for Σ v_i Δ_i), against
 * O(k²) per set for the Gray-code bordered-inverse path this replaces. Only updates, never downdates, and each
 * leaf is at most n Kalman steps from Σ, so round-off does not accumulate along the walk (no refresh needed;
 * tested against direct solves in test/leakage/enumerate.test.ts).
 */
import type { Mat } from '../linalg.js';

export interface SetValues {
  n: number;
  /** Φ(S) indexed by bitmask (bit i = user i shares). */
  phi: Float64Array;
  /** SS(S) indexed by bitmask. */
  ss: Float64Array;
}

/**
 * State of one depth's include child: P, R¹, R² over the undecided users (lower triangles, row stride
 * `stride`) and the decided sharers' rows.
 */
interface Level {
  /** Row stride = number of undecided users when the state was created. */
  stride: number;
  P: Float64Array;
  R1: Float64Array;
  R2: Float64Array;
  /** Row t = P[sharer t, U] (stride `stride`). */
  X: Float64Array;
  /** q_t = P_tt and r_t = τ² − P_tt of sharer t. */
  q: Float64Array;
  r: Float64Array;
}

/**
 * Φ and SS for all 2ⁿ sharer sets. SS uses weights w_i = 1 − v_i.
 * `required` (bitmask, default none): Φ is computed only for supersets of it and is −∞ elsewhere (the caller
 * has proved those sets cannot be optimal or tied, monopoly.ts); their subtrees carry only P and R², which
 * skips the R¹ update, the sharers' rows and every division for Δ_i. SS is always computed for every set.
 * Memory: two Float64Arrays of 2ⁿ entries (n = 24 → 256 MiB) plus O(n³) for the walk.
 */
export function enumerateSetValues(Sigma: Mat, tau2: number, v: readonly number[], required = 0): SetValues {
  const n = Sigma.n;
  const Sd = Sigma.data;
  const size = 2 ** n;
  const phi = new Float64Array(size);
  const ss = new Float64Array(size);
  const level = (d: number): Level => ({
    stride: d,
    P: new Float64Array(d * d),
    R1: new Float64Array(d * d),
    R2: new Float64Array(d * d),
    X: new Float64Array(n * d),
    q: new Float64Array(n),
    r: new Float64Array(n),
  });
  const levels: Level[] = [];
  for (let d = 0; d <= n; d++) levels.push(level(d));
  // Root: P = Σ, R¹ = ΣΣ, R² = Σ W Σ, no sharers.
  const root = levels[n];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let g = 0;
      let h = 0;
      for (let l = 0; l < n; l++) {
        const t = Sd[i * n + l] * Sd[l * n + j];
        g += t;
        h += t * (1 - v[l]);
      }
      root.P[i * n + j] = Sd[i * n + j];
      root.R1[i * n + j] = g;
      root.R2[i * n + j] = h;
    }
  }
  const vOf = new Float64Array(n); // v of sharer t (a stack along the current path)
  const alpha = new Float64Array(n);
  const beta1 = new Float64Array(n);
  const beta2 = new Float64Array(n);

  /**
   * Node with undecided users 0 … d−1, state in `L` (leading d×d block), `s` sharers, decided bits `mask`;
   * T, SS and pay = Σ_{t<s} v_t q_t²/r_t are this node's values (an exclude child inherits all of them).
   */
  const visit = (d: number, L: Level, s: number, T: number, surplus: number, pay: number, mask: number): void => {
    const st = L.stride;
    const { P, R1, R2, X, q, r } = L;
    if (d === 1) {
      // Both leaves inline: exclude user 0 (this node's values), include user 0 (every q_t, r_t moves).
      phi[mask] = required & 1 ? -Infinity : T - pay;
      ss[mask] = surplus;
      const puu = P[0];
      const sInv = 1 / (puu + tau2);
      let pay1 = v[0] * puu * puu * sInv; // the new sharer: Δ_0 = q²/r = P_00²/(P_00 + τ²)
      for (let t = 0; t < s; t++) {
        const x = X[t * st];
        const dq = x * x * sInv;
        const qt = q[t] - dq;
        pay1 += (vOf[t] * qt * qt) / (r[t] + dq);
      }
      phi[mask | 1] = T + R1[0] * sInv - pay1;
      ss[mask | 1] = surplus + R2[0] * sInv;
      return;
    }
    const u = d - 1;
    if (required & (1 << u)) visitSurplus(u, L, surplus, mask);
    else visit(u, L, s, T, surplus, pay, mask);
    const C = levels[u];
    const cs = u; // child stride
    const puu = P[u * st + u];
    const sInv = 1 / (puu + tau2);
    const r1uu = R1[u * st + u];
    const r2uu = R2[u * st + u];
    // P, R¹, R² are symmetric: only the lower triangle (k ≤ j) is stored and updated, so column u above
    // the diagonal is row u: P[u, j] = P[j, u].
    const ru = u * st;
    for (let j = 0; j < u; j++) {
      const a = P[ru + j] * sInv;
      alpha[j] = a;
      beta1[j] = R1[ru + j] - 0.5 * r1uu * a;
      beta2[j] = R2[ru + j] - 0.5 * r2uu * a;
    }
    const CP = C.P;
    const CR1 = C.R1;
    const CR2 = C.R2;
    for (let j = 0; j < u; j++) {
      const aj = alpha[j];
      const b1j = beta1[j];
      const b2j = beta2[j];
      const pju = P[ru + j];
      const ro = j * st;
      const co = j * cs;
      for (let k = 0; k <= j; k++) {
        const ak = alpha[k];
        CP[co + k] = P[ro + k] - pju * ak;
        CR1[co + k] = R1[ro + k] - aj * beta1[k] - b1j * ak;
        CR2[co + k] = R2[ro + k] - aj * beta2[k] - b2j * ak;
      }
    }
    const CX = C.X;
    const Cq = C.q;
    const Cr = C.r;
    let pay1 = 0;
    for (let t = 0; t < s; t++) {
      const x = X[t * st + u];
      const ro = t * st;
      const co = t * cs;
      for (let k = 0; k < u; k++) CX[co + k] = X[ro + k] - x * alpha[k];
      const dq = x * x * sInv;
      const qt = q[t] - dq;
      const rt = r[t] + dq;
      Cq[t] = qt;
      Cr[t] = rt;
      pay1 += (vOf[t] * qt * qt) / rt;
    }
    for (let k = 0; k < u; k++) CX[s * cs + k] = tau2 * alpha[k];
    const qu = puu * tau2 * sInv;
    Cq[s] = qu;
    Cr[s] = tau2 * tau2 * sInv;
    vOf[s] = v[u];
    pay1 += v[u] * puu * puu * sInv; // = v_u q_u²/r_u
    visit(u, C, s + 1, T + r1uu * sInv, surplus + r2uu * sInv, pay1, mask | (1 << u));
  };
  /** A subtree without Φ (a required user was excluded): only P and R² are carried, Φ = −∞ at its leaves. */
  const visitSurplus = (d: number, L: Level, surplus: number, mask: number): void => {
    const st = L.stride;
    const { P, R2 } = L;
    if (d === 0) {
      phi[mask] = -Infinity;
      ss[mask] = surplus;
      return;
    }
    if (d === 1) {
      phi[mask] = -Infinity;
      ss[mask] = surplus;
      phi[mask | 1] = -Infinity;
      ss[mask | 1] = surplus + R2[0] * (1 / (P[0] + tau2)); // the same operations as visit: equal bits
      return;
    }
    const u = d - 1;
    visitSurplus(u, L, surplus, mask);
    const C = levels[u];
    const cs = u;
    const ru = u * st;
    const sInv = 1 / (P[ru + u] + tau2);
    const r2uu = R2[ru + u];
    for (let j = 0; j < u; j++) {
      const a = P[ru + j] * sInv;
      alpha[j] = a;
      beta2[j] = R2[ru + j] - 0.5 * r2uu * a;
    }
    const CP = C.P;
    const CR2 = C.R2;
    for (let j = 0; j < u; j++) {
      const aj = alpha[j];
      const b2j = beta2[j];
      const pju = P[ru + j];
      const ro = j * st;
      const co = j * cs;
      for (let k = 0; k <= j; k++) {
        const ak = alpha[k];
        CP[co + k] = P[ro + k] - pju * ak;
        CR2[co + k] = R2[ro + k] - aj * beta2[k] - b2j * ak;
      }
    }
    visitSurplus(u, C, surplus + r2uu * sInv, mask | (1 << u));
  };
  if (n === 0) {
    phi[0] = 0;
    ss[0] = 0;
  } else visit(n, root, 0, 0, 0, 0, 0);
  return { n, phi, ss };
}
