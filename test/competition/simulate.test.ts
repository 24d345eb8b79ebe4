import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { simulateScenario } from '../../src/engine/simulate.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { pureEquilibria, randomCovariance } from './oracle.js';
import { renderTrajectory } from '../../src/cli/simulate.js';

const scenario = (S: number[][], v: number[], extra: Record<string, unknown> = {}) =>
  validateScenario({ name: 'duo', model: 'leakage', covariance: S, privacyValues: v, platforms: 2, ...extra });

interface Final {
  assignment: number[];
  isJoiningEquilibrium: boolean;
}

describe('duopoly join step (simulate with platforms: 2)', () => {
  it('best response: a converged run ends on an oracle pure joining equilibrium; a cycle only when none was reached', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 1000 }), async (n, seed, runSeed) => {
        const rnd = seedrandom(String(seed));
        const S = randomCovariance(n, rnd);
        const v = S.map(() => Math.round(rnd() * 250) / 100);
        const r = await simulateScenario(scenario(S, v), { dynamics: 'best-response', seed: runSeed });
        const oracle = pureEquilibria(S, 1, v, 0).map((o) => o.assignment.join(''));
        const final = r.summary.final as Final;
        expect(final.isJoiningEquilibrium).toBe(oracle.includes(final.assignment.join('')));
        if (r.summary.converged) expect(oracle).toContain(final.assignment.join(''));
        if (r.summary.stopReason === 'cycle') expect(final.isJoiningEquilibrium).toBe(false);
        if (oracle.length === 0) expect(r.summary.converged).toBe(false);
      }),
      { numRuns: 20 },
    );
  });

  it('with joining values users may stay outside: every dynamic ends on the oracle\'s equilibria, which have users outside (review: agents could only join, and were compared with the mix)', async () => {
    // the market of the checker's test (duopoly.test.ts, by hand): the only equilibria are 1 2 0 and 2 1 0
    const S = [[1, 0.4, 0.36], [0.4, 1, 0.29], [0.36, 0.29, 1]];
    const v = [0.5, 1, 2];
    const joiningValue = { base: 0.05 };
    const oracle = pureEquilibria(S, 1, v, 0, () => 0.05).map((o) => o.assignment.join(''));
    expect(oracle.sort()).toEqual(['120', '210']);
    for (const dynamics of ['best-response', 'tatonnement', 'learning'] as const) {
      const r = await simulateScenario(scenario(S, v, { joiningValue }), { dynamics, seed: 3 });
      const final = r.summary.final as Final & { outsideFrequency: number[] };
      expect(r.summary.converged).toBe(true);
      expect(oracle).toContain(final.assignment.join(''));
      expect(final.outsideFrequency).toHaveLength(3);
      expect(r.summary.matchesChecker).toBe(true);
    }
    // random markets with small joining values: the final state's verdict is the oracle's
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 1000 }), async (n, seed, runSeed) => {
        const rnd = seedrandom(String(seed));
        const Sr = randomCovariance(n, rnd);
        const vr = Sr.map(() => Math.round(rnd() * 250) / 100);
        const r = await simulateScenario(scenario(Sr, vr, { joiningValue: { base: 0.02 } }), { dynamics: 'best-response', seed: runSeed });
        const eqs = pureEquilibria(Sr, 1, vr, 0, () => 0.02).map((o) => o.assignment.join(''));
        const final = r.summary.final as Final;
        expect(final.isJoiningEquilibrium).toBe(eqs.includes(final.assignment.join('')));
        if (r.summary.converged) expect(eqs).toContain(final.assignment.join(''));
      }),
      { numRuns: 20, seed: 24 },
    );
  });

  it('PAL Example 1: best response settles on the pure equilibrium the paper says does not exist', async () => {
    const S = [
      [4, 0.05, 0.06],
      [0.05, 4, 0.5],
      [0.06, 0.5, 0.3],
    ];
    const r = await simulateScenario(scenario(S, [0.01, 0.99, 1.1]), { dynamics: 'best-response', seed: 3 });
    expect(r.summary.converged).toBe(true);
    expect(['121', '212']).toContain((r.summary.final as Final).assignment.join(''));
    expect(r.summary.distance).toEqual({ prices: 0, sharers: 0 });
    expect(r.summary.matchesChecker).toBe(true);
  });

  it('no pure joining equilibrium: best response cycles and the checker side is the uniform mix; runs are reproducible', async () => {
    const S = [
      [1.41, -1.3, 1.22],
      [-1.3, 1.92, -0.9],
      [1.22, -0.9, 1.42],
    ];
    const v = [1.71, 0.86, 0.13];
    expect(pureEquilibria(S, 1, v, 0)).toHaveLength(0);
    const r = await simulateScenario(scenario(S, v), { dynamics: 'best-response', seed: 5 });
    expect(r.summary.stopReason).toBe('cycle');
    expect((r.summary.checker as { kind: string }).kind).toBe('uniform-mixed');
    expect(r.summary.distance.sharers).toBeNull();
    const a = await simulateScenario(scenario(S, v), { dynamics: 'tatonnement', seed: 9, rounds: 300 });
    const b = await simulateScenario(scenario(S, v), { dynamics: 'tatonnement', seed: 9, rounds: 300 });
    expect(renderTrajectory(a.trajectory)).toBe(renderTrajectory(b.trajectory));
    expect(renderTrajectory(a.trajectory).split('\n')[0]).toMatch(/^round,joinMoves,onPlatform1,/);
  });
});
