/** Depth-first Kalman enumeration (src/model/leakage/enumerate.ts) against the brute-force oracle, every mask. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matFrom } from '../../src/model/linalg.js';
import { enumerateSetValues } from '../../src/model/leakage/enumerate.js';
import { close, instanceArb, oracleAll, oracleValues, psdFrom, setOf } from './oracle.js';

describe('enumerateSetValues vs brute force', () => {
  it('Φ and SS match the oracle for every mask (n ≤ 10, random PSD Σ, random τ²)', () => {
    fc.assert(
      fc.property(instanceArb(1, 7), ({ n, Sigma, v, tau2 }) => {
        const got = enumerateSetValues(matFrom(Sigma), tau2, v);
        const ref = oracleAll(Sigma, tau2, v);
        for (let m = 0; m < 2 ** n; m++) {
          expect(close(got.phi[m], ref.phi[m], 1e-8), `phi mask ${m}: ${got.phi[m]} vs ${ref.phi[m]}`).toBe(true);
          expect(close(got.ss[m], ref.ss[m], 1e-8), `ss mask ${m}: ${got.ss[m]} vs ${ref.ss[m]}`).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('n = 10 (1024 sets, paths 10 updates deep) matches the oracle for every mask', () => {
    fc.assert(
      fc.property(instanceArb(10, 10), ({ n, Sigma, v, tau2 }) => {
        const got = enumerateSetValues(matFrom(Sigma), tau2, v);
        const ref = oracleAll(Sigma, tau2, v);
        for (let m = 0; m < 2 ** n; m++) {
          expect(close(got.phi[m], ref.phi[m], 1e-8)).toBe(true);
          expect(close(got.ss[m], ref.ss[m], 1e-8)).toBe(true);
        }
      }),
      { numRuns: 8 },
    );
  });

  it('deepest paths stay within 1e-9 relative error of direct solves (n = 16, well and badly scaled τ²)', () => {
    // Deterministic Σ; τ² = 1 (well conditioned) and τ² = 1e-3 (τ² ≪ Σ_ii: the case where Δ_i = q²/(τ² − q)
    // would cancel if τ² − q were formed by subtraction).
    const n = 16;
    let seed = 12345;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    const entries = Array.from({ length: n * 4 }, rnd);
    const Sigma = psdFrom(n, 4, entries, new Array<number>(n).fill(0.3));
    const v = Array.from({ length: n }, () => 1 + 2 * rnd());
    for (const tau2 of [1, 1e-3]) {
      const got = enumerateSetValues(matFrom(Sigma), tau2, v);
      // The full set and its neighbours are the longest include chains; plus random masks.
      const masks = [2 ** n - 1, 2 ** n - 2, 2 ** n - 3, 2 ** (n - 1), 1, 0x5555, 0xaaaa];
      for (let s = 0; s < 150; s++) masks.push(Math.floor((0.5 + rnd()) * (2 ** n - 1)));
      for (const mask of masks) {
        const ref = oracleValues(Sigma, tau2, v, setOf(mask, n));
        const scale = ref.leakage.reduce((a, b) => a + Math.abs(b), 0) + 1e-300;
        expect(Math.abs(got.phi[mask] - ref.phi) / Math.max(scale, Math.abs(ref.phi))).toBeLessThan(1e-9);
        expect(Math.abs(got.ss[mask] - ref.ss) / Math.max(scale, Math.abs(ref.ss))).toBeLessThan(1e-9);
      }
    }
  });

  it('required users: Φ equals the full walk on supersets (bit for bit) and is −∞ elsewhere; SS unchanged', () => {
    fc.assert(
      fc.property(instanceArb(1, 9), fc.nat(), ({ n, Sigma, v, tau2 }, r) => {
        const required = r % 2 ** n;
        const full = enumerateSetValues(matFrom(Sigma), tau2, v);
        const got = enumerateSetValues(matFrom(Sigma), tau2, v, required);
        for (let m = 0; m < 2 ** n; m++) {
          expect(got.ss[m]).toBe(full.ss[m]);
          expect(got.phi[m]).toBe((m & required) === required ? full.phi[m] : -Infinity);
        }
      }),
      { numRuns: 80 },
    );
  });
});
