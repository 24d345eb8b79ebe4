/**
 * Competition/regulation checker timings (docs/leakage-competition.md): the exact duopoly on a general Σ
 * (3ⁿ sharer sets, now including the duopoly first best) up to its limit, the community duopoly, the per-set
 * table used by regulation, and the grid posted-price duopoly (user-equilibrium enumeration + Lemke–Howson).
 */
import { solveDuopolyCommunities, solveDuopolyGeneral } from '../src/checker/leakage/duopoly.js';
import { solveLeakage } from '../src/checker/leakage/index.js';
import { validateScenario, type LeakageScenario } from '../src/scenario/validate.js';

const sigma = (n: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0.05 + 0.01 * ((i + j) % 3))));
const values = (n: number): number[] => Array.from({ length: n }, (_, i) => (i % 3 ? 0.9 : 1.6));

function time(f: () => unknown): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

export async function benchCompetition(): Promise<Record<string, unknown>> {
  const summary: Record<string, { ms: number }> = {};
  for (const n of [10, 12, 14]) summary[`duopoly general n=${n}`] = { ms: time(() => solveDuopolyGeneral(sigma(n), 1, values(n), { alpha: 0.3 })) };
  for (const sizes of [[10, 10], [20, 20], [10, 10, 10]]) {
    const c = { sizes, variance: 1, within: 0.05, across: 0.03 };
    summary[`duopoly communities ${sizes.join('+')}`] = { ms: time(() => solveDuopolyCommunities(c, 1, sizes.map((_, g) => (g ? 2 : 0.9)), { alpha: 0 })) };
  }
  for (const n of [12, 14, 16]) {
    const s = validateScenario({ name: 'b', model: 'leakage', covariance: sigma(n), privacyValues: values(n), regulation: { decorrelation: true } }) as LeakageScenario;
    summary[`de-correlation general n=${n}`] = { ms: time(() => solveLeakage(s)) };
  }
  for (const [n, levels] of [
    [2, [0, 0.1, 0.2, 0.3, 0.4, 0.5]],
    [3, [0, 0.1, 0.2, 0.3, 0.4]],
    [4, [0, 0.2, 0.4]],
  ] as const) {
    const s = validateScenario({
      name: 'b',
      model: 'leakage',
      covariance: sigma(n),
      privacyValues: values(n).map((x) => x / 2),
      platforms: 2,
      joiningValue: { base: 2, perMember: 0.2 },
      postedPrices: { levels: [...levels] },
    }) as LeakageScenario;
    summary[`posted prices n=${n}, ${levels.length ** n} vectors`] = { ms: time(() => solveLeakage(s)) };
  }
  return { summary };
}
