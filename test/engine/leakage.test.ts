import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadScenario, validateScenario, type LeakageScenario } from '../../src/scenario/index.js';
import { simulateScenario } from '../../src/engine/index.js';
import { Rng } from '../../src/agents/rng.js';
import { bruteForce, phi } from '../agents/oracle.js';
import { renderTrajectory } from '../../src/cli/simulate.js';

type Final = { prices: number[]; sharers: number[]; sharersByCommunity?: number[] };

function randomScenario(n: number, seed: number): LeakageScenario {
  const r = new Rng(seed);
  const B = Array.from({ length: n }, () => Array.from({ length: n }, () => r.uniform(-1, 1)));
  const S = B.map((x, i) => B.map((y, j) => x.reduce((s, xk, k) => s + xk * y[k], 0) * 0.5 + (i === j ? 0.1 : 0)));
  const v = Array.from({ length: n }, () => r.uniform(0, 3));
  return validateScenario({ name: `rand-${n}-${seed}`, model: 'leakage', covariance: S, privacyValues: v }) as LeakageScenario;
}

const sigmaOf = (s: LeakageScenario): number[][] => (s.structure.kind === 'general' ? s.structure.Sigma : []);

describe('best-response and tatonnement vs the exact equilibrium (brute force in the test)', () => {
  for (const kind of ['best-response', 'tatonnement'] as const) {
    it(`${kind}: ends at the brute-force equilibrium, or reports the gap honestly`, async () => {
      let matched = 0;
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 1e9 }), async (n, seed) => {
          const s = randomScenario(n, seed);
          const S = sigmaOf(s);
          const bf = bruteForce(S, 1, s.privacyValues);
          const { summary } = await simulateScenario(s, { dynamics: kind });
          const f = summary.final as Final;
          runs++;
          expect(summary.converged).toBe(summary.stopReason === 'tolerance');
          if (!summary.converged) return; // reported as not converged: nothing else is claimed
          const same = f.sharers.length === bf.sharers.length && f.sharers.every((x, k) => x === bf.sharers[k]);
          const symDiff = [...Array(n).keys()].filter((i) => f.sharers.includes(i) !== bf.sharers.includes(i)).length;
          expect(summary.distance.sharers).toBe(symDiff);
          if (same) {
            matched++;
            for (let i = 0; i < n; i++) expect(Math.abs(f.prices[i] - bf.prices[i])).toBeLessThanOrEqual(1e-9);
            expect(summary.matchesChecker).toBe(true);
          } else {
            // A local search may stop at a local optimum of Φ: it must say so and be no better than the optimum.
            expect(summary.matchesChecker).toBe(false);
            expect(phi(S, 1, s.privacyValues, f.sharers)).toBeLessThanOrEqual(bf.phi + 1e-9);
          }
        }),
        { numRuns: 60, seed: 42 },
      );
      expect(matched / runs).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('communities: best response reproduces the brute-force equilibrium of the expanded covariance', async () => {
    const c = { sizes: [2, 3], variance: 1, within: 0.3, across: 0.2 };
    const S = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => (i === j ? 1 : (i < 2) === (j < 2) ? 0.3 : 0.2)));
    for (const vb of [
      [0.9, 1.5],
      [0.5, 4],
      [1.2, 1.1],
    ]) {
      const s = validateScenario({ name: 'com', model: 'leakage', communities: c, privacyValues: vb });
      const v = [vb[0], vb[0], vb[1], vb[1], vb[1]];
      const bf = bruteForce(S, 1, v);
      const { summary } = await simulateScenario(s, { dynamics: 'best-response' });
      const f = summary.final as Final;
      expect(summary.converged).toBe(true);
      expect(f.sharersByCommunity).toEqual([bf.sharers.filter((i) => i < 2).length, bf.sharers.filter((i) => i >= 2).length]);
      const sortedBf = [...bf.prices].sort();
      expect([...f.prices].sort().every((p, k) => Math.abs(p - sortedBf[k]) < 1e-9)).toBe(true);
    }
  });
});

describe('non-convergence is reported', () => {
  it('tatonnement with step 2 on AMMO Example 1 cycles with period 2 and says so', async () => {
    const s = validateScenario({
      name: 'ex1',
      model: 'leakage',
      covariance: [
        [1, 0.5],
        [0.5, 1],
      ],
      privacyValues: [1, 1],
      dynamics: { kind: 'tatonnement', step: 2 },
    });
    const { summary, trajectory } = await simulateScenario(s);
    expect(summary.converged).toBe(false);
    expect(summary.stopReason).toBe('cycle');
    expect(summary.cyclePeriod).toBe(2);
    // the trajectory alternates between nobody and everybody sharing
    const sharers = trajectory.rows.slice(-4).map((r) => Number(r[trajectory.columns[1]]));
    expect(new Set(sharers)).toEqual(new Set([0, 2]));
  });

  it('a round limit that is too small ends with stopReason round-limit', async () => {
    const s = randomScenario(4, 3);
    const { summary } = await simulateScenario(s, { dynamics: 'tatonnement', rounds: 2 });
    expect(summary).toMatchObject({ converged: false, stopReason: 'round-limit', rounds: 2 });
  });
});

describe('reproducibility', () => {
  const s = randomScenario(3, 11);
  it('same seed ⇒ byte-identical summary and trajectory; another seed ⇒ a different learning path', async () => {
    const a = await simulateScenario(s, { dynamics: 'learning', seed: 5 });
    const b = await simulateScenario(s, { dynamics: 'learning', seed: 5 });
    const c = await simulateScenario(s, { dynamics: 'learning', seed: 6 });
    expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
    expect(renderTrajectory(b.trajectory)).toBe(renderTrajectory(a.trajectory));
    expect(renderTrajectory(c.trajectory)).not.toBe(renderTrajectory(a.trajectory));
    expect(a.summary.seed).toBe(5);
  });
  it('seed precedence: --seed, then the scenario seed, then 1', async () => {
    const withSeed = { ...s, seed: 9 };
    expect((await simulateScenario(withSeed, { dynamics: 'best-response' })).summary.seed).toBe(9);
    expect((await simulateScenario(withSeed, { dynamics: 'best-response', seed: 4 })).summary.seed).toBe(4);
    expect((await simulateScenario(s, { dynamics: 'best-response' })).summary.seed).toBe(1);
  });
});

describe('learning (the platform does not know Σ or v)', () => {
  it('reaches the exact prices within 2·tolerance·max(1, max p*) on small markets in bounded rounds', async () => {
    let matched = 0;
    const cases = [2, 3, 4].flatMap((n) => [1, 2, 3, 4].map((seed) => ({ n, seed })));
    for (const { n, seed } of cases) {
      const s = randomScenario(n, 100 + seed);
      const bf = bruteForce(sigmaOf(s), 1, s.privacyValues);
      const { summary } = await simulateScenario(s, { dynamics: 'learning', seed });
      expect(summary.converged).toBe(true);
      expect(summary.rounds).toBeLessThanOrEqual(20000);
      const f = summary.final as Final;
      if (f.sharers.join() === bf.sharers.join()) {
        matched++;
        const tol = 2e-6 * Math.max(1, ...bf.prices);
        for (let i = 0; i < n; i++) expect(Math.abs(f.prices[i] - bf.prices[i])).toBeLessThanOrEqual(tol);
        // learned prices are accepted prices: never below the exact least sustaining price
        for (let i = 0; i < n; i++) expect(f.prices[i]).toBeGreaterThanOrEqual(bf.prices[i] - 1e-12);
      } else expect(summary.matchesChecker).toBe(false);
    }
    expect(matched / cases.length).toBeGreaterThanOrEqual(0.9);
  });

  it('stops only after the incumbent target is offered its prices again: every seed of the README example sells to user 0 at ≈ 0.4 (review: seeds 1, 3, 6 stopped in the round that rejected the last trial, with nobody selling)', async () => {
    // AMMO slides' three users: the exact optimum is A = {0} at p₀ = 0.4 with profit 0.35 (docs/dynamics.md)
    const s = loadScenario('sims/ammo-slides-three-users.json');
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { summary, trajectory } = await simulateScenario(s, { dynamics: 'learning', seed });
      const f = summary.final as Final;
      expect(summary.converged).toBe(true);
      expect(f.sharers).toEqual([0]);
      expect(f.prices[0]).toBeGreaterThanOrEqual(0.4 - 1e-12);
      expect(f.prices[0]).toBeLessThanOrEqual(0.4 + 2e-6);
      // the last round changed no target (the run ends at rest, not mid-move)
      expect(trajectory?.rows.at(-1)?.targetChanges).toBe(0);
    }
  });
});

describe('large community markets', () => {
  it('communities of 1.3·10⁵ users run (review: a spread over every user\'s price overflowed the stack, exit 1)', async () => {
    const s = validateScenario({ name: 'big', model: 'leakage', communities: { sizes: [130_000, 10, 10], variance: 1, within: 0.05, across: 0.01 }, privacyValues: [0.9, 5, 5] });
    const { summary } = await simulateScenario(s, { dynamics: 'best-response', rounds: 20 });
    expect(summary.converged).toBe(true);
    expect(summary.matchesChecker).toBe(true);
  });
});
