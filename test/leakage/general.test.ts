/** solveGeneral against the brute-force oracle: argmax, reported payoffs, tie rule, and AMMO's theorems. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { requiredSharers, solveGeneral } from '../../src/checker/leakage/monopoly.js';
import { leakageAll } from '../../src/model/leakage/gaussian.js';
import { evaluateSharingSet } from '../../src/model/leakage/outcome.js';
import { matFrom } from '../../src/model/linalg.js';
import { close, instanceArb, real, leak, oracleAll, oracleValues, setOf } from './oracle.js';

const maskOf = (A: readonly number[]): number => A.reduce((m, i) => m | (1 << i), 0);
const tieTol = (x: number): number => 1e-9 * Math.max(1, Math.abs(x));

describe('solveGeneral vs brute force', () => {
  it('equilibrium and first best are argmaxes of the oracle’s Φ and SS; reported payoffs match', () => {
    fc.assert(
      fc.property(instanceArb(1, 8), ({ n, Sigma, v, tau2 }) => {
        const sol = solveGeneral(Sigma, tau2, v);
        const ref = oracleAll(Sigma, tau2, v);
        const maxPhi = Math.max(...ref.phi);
        const maxSS = Math.max(...ref.ss);
        const eq = sol.equilibrium;
        expect(ref.phi[maskOf(eq.sharers)]).toBeGreaterThanOrEqual(maxPhi - 1e-8 * Math.max(1, Math.abs(maxPhi)));
        expect(ref.ss[maskOf(sol.firstBest.sharers)]).toBeGreaterThanOrEqual(maxSS - 1e-8 * Math.max(1, Math.abs(maxSS)));
        const o = oracleValues(Sigma, tau2, v, eq.sharers);
        expect(close(eq.platformProfit, o.phi, 1e-8)).toBe(true);
        expect(close(eq.socialSurplus, o.ss, 1e-8)).toBe(true);
        expect(close(sol.firstBest.socialSurplus, maxSS, 1e-8)).toBe(true);
        for (let i = 0; i < n; i++) {
          expect(close(eq.leakage[i], o.leakage[i], 1e-8)).toBe(true);
          expect(close(eq.prices[i], o.prices[i], 1e-8)).toBe(true);
          expect(close(eq.userPayoffs[i], o.prices[i] - v[i] * o.leakage[i], 1e-8)).toBe(true);
        }
        // Tie rule: among sets clearly tied with the max (well inside the tolerance), none is larger, and
        // none of equal size is lexicographically smaller. Sets clearly below the max are never reported.
        const clearlyTied = ref.phi.map((x, m) => (x >= maxPhi - tieTol(maxPhi) / 10 ? m : -1)).filter((m) => m >= 0);
        const size = eq.sharers.length;
        for (const m of clearlyTied) {
          const A = setOf(m, n);
          expect(A.length).toBeLessThanOrEqual(size);
        }
        expect(eq.ties.count).toBeGreaterThanOrEqual(clearlyTied.length);
        // Verdict: negative surplus / efficiency are statements about the oracle's numbers.
        if (o.ss < -1e-6) expect(sol.verdict.negativeSurplus).toBe(true);
        if (o.ss > 1e-6) expect(sol.verdict.negativeSurplus).toBe(false);
        if (maxSS - o.ss > 1e-6 * Math.max(1, Math.abs(maxSS))) expect(sol.verdict.efficient).toBe(false);
      }),
      { numRuns: 80 },
    );
  });

  it('exact ties: uncorrelated users with v = 1 are bought (fn 10), and all tied sets are counted', () => {
    // Σ diagonal: Φ(A) = Σ_{i∈A} (1 − v_i) σ_i⁴/(σ_i² + τ²). Users 0, 2 have v = 1 (indifferent), user 1 v < 1,
    // user 3 v > 1: the tied optimal sets are {1} ∪ any subset of {0, 2} — four of them; the largest is {0,1,2}.
    const Sigma = [
      [1, 0, 0, 0],
      [0, 2, 0, 0],
      [0, 0, 0.5, 0],
      [0, 0, 0, 1],
    ];
    const sol = solveGeneral(Sigma, 1, [1, 0.5, 1, 1.5]);
    expect(sol.equilibrium.sharers).toEqual([0, 1, 2]);
    expect(sol.equilibrium.ties.count).toBe(4);
    expect(sol.equilibrium.ties.sets[0]).toEqual([0, 1, 2]);
    expect(sol.equilibrium.ties.sets).toContainEqual([1]);
    // First best ties the same way (SS has the same per-user terms here).
    expect(sol.firstBest.sharers).toEqual([0, 1, 2]);
    expect(sol.firstBest.ties.count).toBe(4);
  });

  it('equal-size ties resolve to the lexicographically smallest index list', () => {
    // Users 1 and 2 are exchangeable (same v, same covariances), so Φ({0,1}) = Φ({0,2}) by symmetry; the
    // oracle shows these two are the optimal sets (buying both high-value users costs more than it adds).
    const Sigma = [
      [1, 0.5, 0.5],
      [0.5, 1, 0.3],
      [0.5, 0.3, 1],
    ];
    const v = [0.5, 1.2, 1.2];
    const ref = oracleAll(Sigma, 1, v).phi;
    const best = ref[0b011];
    expect(close(best, ref[0b101], 1e-14)).toBe(true);
    for (let m = 0; m < 8; m++) if (m !== 0b011 && m !== 0b101) expect(ref[m]).toBeLessThan(best - 1e-4);
    const sol = solveGeneral(Sigma, 1, v);
    expect(sol.equilibrium.sharers).toEqual([0, 1]);
    expect(sol.equilibrium.ties.count).toBe(2);
    expect(sol.equilibrium.ties.sets).toEqual([
      [0, 1],
      [0, 2],
    ]);
    expect(close(sol.equilibrium.platformProfit, best, 1e-12)).toBe(true);
  });
});

describe('AMMO properties on random instances', () => {
  it('leakage is monotone in the sharing set and lies in [0, Σ_ii)', () => {
    fc.assert(
      fc.property(instanceArb(1, 8), fc.nat(), fc.nat(), ({ n, Sigma, tau2 }, a, b) => {
        const small = a % 2 ** n;
        const big = small | (b % 2 ** n);
        const Is = leakageAll(matFrom(Sigma), tau2, setOf(small, n));
        const Ib = leakageAll(matFrom(Sigma), tau2, setOf(big, n));
        for (let i = 0; i < n; i++) {
          expect(Is[i]).toBeGreaterThanOrEqual(-1e-12);
          expect(Ib[i]).toBeLessThan(Sigma[i][i]);
          expect(Ib[i]).toBeGreaterThanOrEqual(Is[i] - 1e-12 * Math.max(1, Sigma[i][i]));
          expect(close(Is[i], leak(Sigma, tau2, setOf(small, n), i), 1e-8)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('single-sharer formulas I_i({i}) = σ_i⁴/(σ_i²+τ²), I_j({i}) = Σ_ij²/(σ_i²+τ²)', () => {
    fc.assert(
      fc.property(instanceArb(1, 6), fc.nat(), ({ n, Sigma, tau2 }, k) => {
        const i = k % n;
        const I = leakageAll(matFrom(Sigma), tau2, [i]);
        for (let j = 0; j < n; j++) {
          const want = j === i ? Sigma[i][i] ** 2 / (Sigma[i][i] + tau2) : Sigma[i][j] ** 2 / (Sigma[i][i] + tau2);
          expect(close(I[j], want, 1e-12)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('prices ≥ 0 and non-increasing in the sharer set (Prop. 2); sharers indifferent (u_i = −v_i I_i(A∖{i}))', () => {
    fc.assert(
      fc.property(instanceArb(1, 7), fc.nat(), fc.nat(), ({ n, Sigma, v, tau2 }, a, b) => {
        const small = setOf(a % 2 ** n, n);
        const big = setOf((a % 2 ** n) | (b % 2 ** n), n);
        const S = matFrom(Sigma);
        const ps = evaluateSharingSet(S, tau2, v, small);
        const pb = evaluateSharingSet(S, tau2, v, big);
        for (let i = 0; i < n; i++) {
          expect(ps.prices[i]).toBeGreaterThanOrEqual(0);
          expect(pb.prices[i]).toBeGreaterThanOrEqual(0);
        }
        for (const i of small) expect(pb.prices[i]).toBeLessThanOrEqual(ps.prices[i] + 1e-12 * Math.max(1, ps.prices[i]));
        for (const i of big) {
          const without = leak(Sigma, tau2, big.filter((j) => j !== i), i);
          expect(close(pb.userPayoffs[i], -v[i] * without, 1e-8)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('Lemma 3 (every v_i ≤ 1 user shares in the reported equilibrium); first-best SS ≥ equilibrium SS', () => {
    fc.assert(
      fc.property(
        instanceArb(1, 8),
        fc.array(fc.constantFrom(0, 0.5, 1, 1, 2), { minLength: 8, maxLength: 8 }),
        ({ n, Sigma, v, tau2 }, snap) => {
          // Snap some values onto 1 (the boundary, where ties with the smaller set are likely).
          const vv = v.map((x, i) => (snap[i] === 1 ? 1 : x));
          const sol = solveGeneral(Sigma, tau2, vv);
          for (let i = 0; i < n; i++) if (vv[i] <= 1) expect(sol.equilibrium.sharers).toContain(i);
          expect(sol.firstBest.socialSurplus).toBeGreaterThanOrEqual(sol.equilibrium.socialSurplus - 1e-9);
          const all = oracleAll(Sigma, tau2, vv).phi;
          for (const x of all) expect(sol.equilibrium.platformProfit).toBeGreaterThanOrEqual(x - 1e-8 * Math.max(1, Math.abs(x)));
        },
      ),
      { numRuns: 80 },
    );
  });

  /** Random split into low (v ≤ 1) and high (v > 1) users, with Σ_ij ≠ 0 across. */
  const splitArb = instanceArb(2, 7, 1).chain((inst) =>
    fc.record({ inst: fc.constant(inst), nLow: fc.integer({ min: 1, max: inst.n - 1 }), excess: real(1e-3, 3) }),
  );

  it('AMMO Thm 3.2: v_j > 1 + Σ_{V(l)} σ_i² / I_j(V(l)) for a high user j ⇒ SS(a^E) < 0', () => {
    fc.assert(
      fc.property(splitArb, ({ inst, nLow, excess }) => {
        const { n, Sigma, tau2 } = inst;
        const low = Array.from({ length: nLow }, (_, i) => i);
        const j = nLow; // the high user pushed above the threshold; other high users keep v in (1, 2]
        const delta = leak(Sigma, tau2, low, j);
        fc.pre(delta > 1e-6);
        const v = inst.v.map((x, i) => (i < nLow ? x : 1 + x));
        v[j] = (1 + low.reduce((s, i) => s + Sigma[i][i], 0) / delta) * (1 + excess);
        const sol = solveGeneral(Sigma, tau2, v);
        expect(sol.equilibrium.socialSurplus).toBeLessThan(0);
        expect(sol.verdict.negativeSurplus).toBe(true);
        expect(n).toBeGreaterThan(nLow);
      }),
      { numRuns: 60 },
    );
  });

  it('AMMO Prop. 3 bound SS(a^E) ≤ Σ_{V(l)}(1−v_i)I_i(V) − Σ_{V(h)}(v_i−1)I_i(V(l)); (6) ⇒ SS < 0', () => {
    let sawSix = 0;
    fc.assert(
      fc.property(splitArb, real(0, 30), ({ inst, nLow }, boost) => {
        const { n, Sigma, tau2 } = inst;
        const low = Array.from({ length: nLow }, (_, i) => i);
        const high = Array.from({ length: n - nLow }, (_, k) => nLow + k);
        const all = Array.from({ length: n }, (_, i) => i);
        const v = inst.v.map((x, i) => (i < nLow ? x : 1 + x * (1 + boost)));
        const sol = solveGeneral(Sigma, tau2, v);
        const first = low.reduce((s, i) => s + (1 - v[i]) * leak(Sigma, tau2, all, i), 0);
        const second = high.reduce((s, i) => s + (v[i] - 1) * leak(Sigma, tau2, low, i), 0);
        expect(sol.equilibrium.socialSurplus).toBeLessThanOrEqual(first - second + 1e-9);
        if (second > first + 1e-9) {
          sawSix++;
          expect(sol.equilibrium.socialSurplus).toBeLessThan(0);
        }
      }),
      { numRuns: 120 },
    );
    expect(sawSix).toBeGreaterThan(5);
  });

  it('AMMO Prop. 4 with τ² = 1: (7) ⇒ SS(a^E) < 0', () => {
    let seen = 0;
    fc.assert(
      fc.property(instanceArb(2, 7, 1, 1), fc.integer({ min: 1, max: 6 }), real(0, 200), (inst, k, boost) => {
        const { n, Sigma } = inst;
        const nLow = Math.min(k, n - 1);
        const low = Array.from({ length: nLow }, (_, i) => i);
        const high = Array.from({ length: n - nLow }, (_, j) => nLow + j);
        const v = inst.v.map((x, i) => (i < nLow ? x : 1 + x * (1 + boost)));
        const norm1 = Math.max(...low.map((i) => low.reduce((s, j) => s + Math.abs(Sigma[i][j]), 0)));
        const lhs = high.reduce((s, i) => s + (v[i] - 1) * low.reduce((t, j) => t + Sigma[i][j] ** 2, 0) / (norm1 + 1), 0);
        const rhs = low.reduce((s, i) => s + Sigma[i][i] * (1 - v[i]), 0);
        fc.pre(lhs > rhs * (1 + 1e-9) + 1e-9);
        seen++;
        expect(solveGeneral(Sigma, 1, v).equilibrium.socialSurplus).toBeLessThan(0);
      }),
      { numRuns: 80 },
    );
    expect(seen).toBeGreaterThan(10);
  });

  it('Lemma 3 pruning: no set without a required user is optimal or tied (brute force, every set)', () => {
    let forced = 0;
    fc.assert(
      fc.property(instanceArb(1, 7, 1.5), ({ n, Sigma, v, tau2 }) => {
        const req = requiredSharers(matFrom(Sigma), tau2, v);
        const ref = oracleAll(Sigma, tau2, v);
        const maxPhi = Math.max(...ref.phi);
        for (let i = 0; i < n; i++) {
          if (!(req & (1 << i))) continue;
          forced++;
          expect(v[i]).toBeLessThan(1);
          for (let m = 0; m < 2 ** n; m++) {
            if (m & (1 << i)) continue;
            expect(ref.phi[m]).toBeLessThan(maxPhi - tieTol(maxPhi));
          }
        }
      }),
      { numRuns: 150 },
    );
    expect(forced).toBeGreaterThan(50);
  });
});
