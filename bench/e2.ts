/**
 * GP E2 search timings (one platform, one merchant; docs/intermediation.md, E2): random markets (types in
 * [0.2, 4.2], fees on the types, γ_u ∈ [0, 2], γ_π 0 or in [0, 2], buyer weights in [0, 3], q̄ ∈ [0.05, 1.05],
 * privacy values in [0, 3]; fixed seeds) for N = 3…5 types, and the 5-type market of the fuzz run that took
 * 226 s before candidates were filtered by sampled bounds (13 s after, 1.6 s with the selection on optimal faces). Per N the median and slowest `findE2`, and the
 * equilibria found; then two platforms (`findE2Multi`, each platform its own weights) for N = 2, 3, 4, and one
 * platform with two merchants for N = 5, and N = 4 without the volume search (`manyInterior: false`; N = 4 runs it
 * by default since 2026-11-28). Headline target
 * (ours): that 5-type market within 20 s.
 */
import seedrandom from 'seedrandom';
import { highsSolver } from '../src/lp/index.js';
import { findE2, findE2Multi, pricingDesign, type E2Market, type E2MultiMarket } from '../src/model/intermediation/index.js';
import { designOf } from '../src/model/intermediation/multiPlatform.js';
import { median } from './stats.js';

function market(rng: () => number, N: number): E2Market {
  const r = (scale: number, digits = 3) => Number((scale * rng()).toFixed(digits));
  const types = Array.from({ length: N }, () => 0.2 + r(4)).sort((a, b) => a - b);
  return {
    game: { types, fees: types, gammaU: r(2), gammaPi: rng() < 0.3 ? 0 : r(2) },
    buyerWeights: types.map(() => r(3)),
    qBar: types.map(() => 0.05 + r(1)),
    keepValue: types.map(() => r(3)),
  };
}

/** Two platforms on one market of `market`'s kind (each its own weights), for the several-platform search. */
function twoPlatforms(rng: () => number, N: number): E2MultiMarket {
  const one = market(rng, N);
  const r = (scale: number) => Number((scale * rng()).toFixed(3));
  const second = { ...one.game, gammaU: r(2), gammaPi: rng() < 0.3 ? 0 : r(2) };
  return {
    designs: [pricingDesign(one.game, one.buyerWeights), pricingDesign(second, one.game.types.map(() => r(3)))],
    qBar: one.qBar,
    keepValue: one.keepValue,
  };
}

/** One platform with two merchants on one market of `market`'s kind: the second merchant's fees every other type. */
function twoMerchants(rng: () => number, N: number): E2MultiMarket {
  const one = market(rng, N);
  const { types, gammaU, gammaPi } = one.game;
  const design = designOf({ game: one.game, buyerWeights: one.buyerWeights, merchants: { types, merchantFees: [types, types.filter((_, k) => k % 2 === 0)], competition: 'separate', gammaU, gammaPi } });
  return { designs: [design], qBar: one.qBar, keepValue: one.keepValue };
}

/** The fuzz market (its scenario: consumer weights (1.949, 0), r̄ = 1.311, platform weights (0.946, 0.033)). */
export const FUZZ_FIVE: E2Market = {
  game: { types: [0.209, 0.495, 0.945, 2.921, 3.866], fees: [0.209, 0.495, 0.945, 2.921, 3.866], gammaU: 0.946, gammaPi: 0.033 },
  buyerWeights: [0.553, 2.403, 1.669, 2.268, 1.983],
  qBar: [0.161, 0.58, 0.2, 0.746, 0.28],
  keepValue: [1.311, 1.311, 1.311, 1.311, 1.311],
};

/**
 * Times `count` random markets of N types (seed `label-N`): the median and slowest `solve`, and the equilibria found;
 * printed and returned as one row.
 */
function timeMarkets<M>(label: string, N: number, count: number, make: (rng: () => number, N: number) => M, solve: (m: M) => { equilibria: unknown[] }, row: Record<string, unknown>): Record<string, unknown> {
  const rng = seedrandom(`${label}-${N}`);
  const ms: number[] = [];
  let equilibria = 0;
  for (let k = 0; k < count; k++) {
    const m = make(rng, N);
    const t0 = performance.now();
    equilibria += solve(m).equilibria.length;
    ms.push(performance.now() - t0);
  }
  console.log(`E2, ${N} types${row.platforms ? `, ${String(row.platforms)} platforms` : ''}${row.merchants ? `, ${String(row.merchants)} merchants` : ''}: median ${median(ms).toFixed(0)} ms, max ${Math.max(...ms).toFixed(0)} ms, ${equilibria} equilibria in ${count} markets`);
  return { types: N, ...row, markets: count, equilibria, medianMs: median(ms), maxMs: Math.max(...ms) };
}

export async function benchE2(): Promise<Record<string, unknown>> {
  const h = await highsSolver();
  const results = ([
    [3, 6],
    [4, 4],
    [5, 2],
  ] as const).map(([N, count]) => timeMarkets('e2', N, count, market, (m) => findE2(h, m), {}));
  // two platforms (findE2Multi: two split types and three-way splits, up to 700 slices: four types' 594 included)
  const several = ([
    [2, 6],
    [3, 4],
    [4, 3],
  ] as const).map(([N, count]) => timeMarkets('e2-two-platforms', N, count, twoPlatforms, (m) => findE2Multi(h, m), { platforms: 2 }));
  // one platform with two merchants (the second with every other fee), five types: 80 two-split slices
  const merchants = timeMarkets('e2-two-merchants', 5, 2, twoMerchants, (m) => findE2Multi(h, m), { merchants: 2 });
  // four types without the volume search (three interior next to a full type, four interior; e2Volumes.ts), which
  // the rows above run by default: what it costs
  const withoutVolumes = timeMarkets('e2', 4, 4, market, (m) => findE2(h, m, { manyInterior: false }), { manyInterior: false });
  const t0 = performance.now();
  const fuzz = findE2(h, FUZZ_FIVE);
  const fuzzMs = performance.now() - t0;
  console.log(`E2, the 5-type fuzz market: ${fuzzMs.toFixed(0)} ms, ${fuzz.equilibria.length} equilibria`);
  return {
    results,
    severalPlatforms: several,
    twoMerchants: merchants,
    withoutVolumes,
    fuzzFiveTypes: { ms: fuzzMs, equilibria: fuzz.equilibria.length, before: [{ ms: 226_000, note: 'without passesSampledBounds (2026-11-26)' }, { ms: 12_960, note: 'selection with slack rows (2026-11-26)' }] },
    headline: [{ figure: 'GP E2 search, the 5-type fuzz market', value: fuzzMs / 1000, unit: 's', target: 20, better: 'lower' }],
  };
}
