/**
 * `multiPlatform` output of `solve` for a `platforms` array (Galperti–Perego; docs/intermediation.md "Many
 * platforms"): E1 (grand LP P), E3 (FB with Lindahl prices) and E2 (buyer ownership, Nash–Walras, with SB),
 * for one or several platforms, each with one merchant or several (`designs` reports the several-merchant
 * design LPs at q̄).
 */
import type { IntermediationScenario } from '../../scenario/validate.js';
import { merchantLabels, platformNames } from '../../scenario/validate.js';
import { LpSolverError, type LpSolver } from '../../lp/index.js';
import {
  designOf,
  E2ResolutionError,
  findE2,
  findE2Multi,
  MAX_PIECE_TYPES,
  secondBest,
  secondBestMulti,
  solveE1,
  solveE3,
  solveMultiMerchant,
  type MultiMerchantGame,
  type MultiPlatformMarket,
  conditionalSegmentation,
  type PlatformAllocation,
  type PriceInterval,
} from '../../model/intermediation/index.js';
import { MAX_TWO_SPLIT_SLICES } from '../../model/intermediation/e2MultiPairs.js';

/** JSON has no ±Infinity: an unbounded price interval end is written as null. */
function interval(i: PriceInterval): { lower: number | null; upper: number | null } {
  return { lower: Number.isFinite(i.lower) ? i.lower : null, upper: Number.isFinite(i.upper) ? i.upper : null };
}

const E2_NOTE = 'Nash–Walras with representative buyers (GP Def. 2); selection: platform-optimal, then buyer-best in aggregate, then per type; SB = max over the linear pieces of U (GP Prop. 2: W(E2) ≤ SB)';

/** GP E2 and SB: the one-platform search (unchanged output) or the several-platform / several-merchant one. */
function e2Json(solver: LpSolver, market: MultiPlatformMarket, names: string[], onProgress?: (done: number, total: number) => void, search: { twoInteriorMaxTypes?: number; maxSplitSlices?: number; manyInterior?: boolean } = {}) {
  const { twoInteriorMaxTypes, maxSplitSlices, manyInterior } = search;
  if (market.types.length > MAX_PIECE_TYPES) return { available: false, reason: `E2 and SB are limited to ${MAX_PIECE_TYPES} types (MAX_PIECE_TYPES)` };
  if (market.platforms.length === 1 && !market.platforms[0].merchants) {
    const m = { game: market.platforms[0].game, buyerWeights: market.platforms[0].buyerWeights, qBar: market.qBar, keepValue: market.keepValue };
    let found: ReturnType<typeof findE2>;
    try {
      found = findE2(solver, m, { onProgress, twoInteriorMaxTypes, manyInterior });
    } catch (e) {
      if (e instanceof LpSolverError) return undecided(e);
      if (!(e instanceof E2ResolutionError)) throw e;
      return { available: false, reason: e.message, secondBest: secondBest(solver, m) };
    }
    // an unbounded price end (a type nobody holds) is null, as everywhere in the result; so is the unbounded
    // ratio of the last cone of a both-interior candidate
    const equilibria = found.equilibria.map((e) => ({
      ...e,
      priceIntervals: e.priceIntervals.map(interval),
      ...(e.pair ? { pair: { ...e.pair, ratios: e.pair.ratios.map((r) => (r === Infinity ? null : r)) } } : {}),
    }));
    return {
      available: true,
      equilibria,
      equilibrium: equilibria[0] ?? null,
      searched: found.searched,
      ...(found.twoInteriorLimit ? { twoInteriorLimit: found.twoInteriorLimit } : {}),
      ...(found.threeInteriorUnsold !== undefined ? { threeInteriorUnsold: found.threeInteriorUnsold } : {}),
      ...(found.manyInterior ? { manyInterior: found.manyInterior } : {}),
      secondBest: secondBest(solver, m),
      note: E2_NOTE,
    };
  }
  const m = { designs: market.platforms.map(designOf), qBar: market.qBar, keepValue: market.keepValue };
  try {
    const found = findE2Multi(solver, m, { onProgress, twoInteriorMaxTypes, maxSlices: maxSplitSlices, manyInterior });
    const equilibria = found.equilibria.map((e) => ({ ...e, priceIntervals: e.priceIntervals.map(interval) }));
    return {
      available: true,
      platforms: names,
      equilibria,
      equilibrium: equilibria[0] ?? null,
      searched: found.searched,
      ...(found.sharedKinks ? { sharedKinks: found.sharedKinks.map((k) => ({ ...k, names: k.platforms.map((i) => names[i]) })), strayTwoHolders: found.strayTwoHolders } : {}),
      ...(found.regionsApart !== undefined ? { regionsApart: found.regionsApart, strayTwoHolders: found.strayTwoHolders } : {}),
      ...(found.twoInteriorLimit ? { twoInteriorLimit: found.twoInteriorLimit } : {}),
      ...(found.sliceLimit ? { sliceLimit: found.sliceLimit } : {}),
      ...(found.threeInteriorUnsold !== undefined ? { threeInteriorUnsold: found.threeInteriorUnsold } : {}),
      ...(found.manyInterior ? { manyInterior: found.manyInterior } : {}),
      secondBest: secondBestMulti(solver, m),
      note: `${E2_NOTE}; records[i][ω] per platform, one price per type for all platforms; searched: every type keeps all or sells all to one platform, one type split between two uses (keep ↔ i, i ↔ j) with the others at such corners, and two such split types (searched.twoSplitTypes; up to ${maxSplitSlices ?? MAX_TWO_SPLIT_SLICES} slices of each kind — equilibriumSearch.maxSplitSlices; the default ${MAX_TWO_SPLIT_SLICES} covers two types with up to six platforms, three types with two or three, four types with two, three to five types with one; sliceLimit says what a limit left out — and five types), and one type split over three uses (searched.threeWaySplits; the same limits: by default also five types with two platforms); splits over four uses (searched.fourWaySplits, false with three or more platforms), a split type next to a three-way one, and three or more split types are not searched (searched.severalSplitTypes), except, with one platform, three types all interior while the others keep everything (threeInterior; with three types that is every such allocation) and, with four types (unless equilibriumSearch.manyInterior is false), three interior next to a type that sells everything and all four interior (manyInterior; with five types when it is true: three interior next to types at corners, four interior next to a type at 0), and three types whose platforms' price regions do not meet (regionsApart: at most one platform holds records; all three interior at each platform searched); with two types, sharedKinks lists the prices at which two platforms' values kink together, the only prices at which two platforms can both hold records: when it is empty, at most one platform holds records in any equilibrium, and these flags are true`,
    };
  } catch (e) {
    if (e instanceof LpSolverError) return undecided(e);
    if (!(e instanceof RangeError)) throw e;
    return { available: false, reason: e.message };
  }
}

/**
 * An LP of the E2 search that the solver could not decide (status "unknown" after its retries, src/lp/highs.ts):
 * E2 is not computed, the rest of the result stands.
 */
function undecided(e: LpSolverError) {
  return { available: false, reason: `E2 not computed: an LP of its search could not be decided (${e.message})` };
}

/** The scenario's several-platform market (GP), at its masses as given. */
export function multiPlatformMarket(s: IntermediationScenario & { platforms: NonNullable<IntermediationScenario['platforms']> }): MultiPlatformMarket {
  return {
    types: s.types,
    qBar: s.mass,
    keepValue: s.privacyValues ?? s.types.map(() => s.reservationUtility),
    platforms: s.platforms.map((p) => {
      const game = { types: s.types, fees: p.fees ?? (p.merchants?.length === 1 ? p.merchants[0].fees : s.types), gammaU: p.weights.consumer, gammaPi: p.weights.merchant };
      const buyerWeights = p.buyerWeights ?? s.types.map(() => 1);
      if (!p.merchants || p.merchants.length < 2) return { game, buyerWeights };
      const merchants: MultiMerchantGame = {
        types: s.types,
        merchantFees: p.merchants.map((m) => m.fees),
        competition: p.competition ?? 'separate',
        gammaU: p.weights.consumer,
        gammaPi: p.weights.merchant,
      };
      return { game, buyerWeights, merchants };
    }),
  };
}

/** E1 or E3 as `solve` reports it. */
function outcomeJson(o: ReturnType<typeof solveE1>, market: MultiPlatformMarket, names: string[]) {
  return {
    value: o.value,
    prices: o.prices,
    priceIntervals: o.priceIntervals.map(interval),
    kept: o.kept,
    welfare: o.welfare,
    platforms: o.platforms.map((p, i) => ({
      name: names[i],
      records: p.records,
      segmentation: platformSegmentations([p])[0],
      platformValue: p.platformValue,
      buyerSurplus: p.buyerSurplus,
      ...(market.platforms[i].merchants ? { actions: p.actions } : {}),
    })),
  };
}

const E1_NOTE = 'third best: grand LP P, prices = duals of the record rows (GP Prop. 1)';

/**
 * `multiPlatform.E1` alone, as `multiPlatform` reports it, for masses as given (`solveIntermediation` scales them
 * first): what the several-platform tatonnement compares with, without the single-platform search, E2 and E3.
 */
export function multiPlatformE1(solver: LpSolver, s: IntermediationScenario & { platforms: NonNullable<IntermediationScenario['platforms']> }) {
  const market = multiPlatformMarket(s);
  return { ...outcomeJson(solveE1(solver, market), market, platformNames(s.platforms)), note: E1_NOTE };
}

/** x_i(a|ω) of each platform's use per type (null where it uses no records of ω), as E1 and E3 report it. */
export function platformSegmentations(platforms: readonly PlatformAllocation[]): Array<Array<number[] | null>> {
  return platforms.map((p) => (p.X[0] ? conditionalSegmentation(p.X, p.records) : []));
}

/** `onE2Progress`: progress of the E2 search (lines or split segments done, in all), its longest part. */
export function multiPlatform(solver: LpSolver, s: IntermediationScenario, onE2Progress?: (done: number, total: number) => void) {
  if (!s.platforms) return undefined;
  const names = platformNames(s.platforms);
  const market = multiPlatformMarket({ ...s, platforms: s.platforms });
  const show = (o: ReturnType<typeof solveE1>) => outcomeJson(o, market, names);
  // platforms with several merchants (GP's K_i): the design LP at q̄ with V, x*, duals and exact price intervals
  const designs = market.platforms.map((p, i) => {
    if (!p.merchants) return null;
    const d = solveMultiMerchant(solver, p.merchants, s.mass);
    return {
      name: names[i],
      merchants: merchantLabels(s.platforms?.[i].merchants ?? []),
      competition: p.merchants.competition,
      profiles: d.profiles,
      value: d.value,
      recordPrices: d.priceIntervals.map(interval),
      recordPriceDuals: d.duals,
      segmentation: s.types.map((_, w) => (s.mass[w] > 0 ? d.X.map((row) => row[w] / s.mass[w]) : null)),
    };
  });
  const e1 = solveE1(solver, market);
  const e3 = solveE3(solver, market);
  return {
    keepValues: market.keepValue,
    ...(designs.some((d) => d !== null) ? { designs } : {}),
    E1: { ...show(e1), note: E1_NOTE },
    E3: { ...show(e3), usePrices: e3.usePrices, note: 'first best: FB with keep variables; p** = record-row duals, p_i**(a, ω) = −g_i(a, ω) (GP Prop. 3)' },
    E2: e2Json(solver, market, names, onE2Progress, s.equilibriumSearch),
  };
}
