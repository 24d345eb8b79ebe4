/**
 * A leakage simulation from a validated scenario: agents, market, rounds, stopping rules, and the comparison
 * with the checker's exact equilibrium (solveLeakage) in every trajectory row and in the summary.
 */
import { InputError } from '../scenario/errors.js';
import type { LeakageScenario } from '../scenario/validate.js';
import { scenarioTable, solveLeakage, type LeakageSolution } from '../checker/leakage/index.js';
import { mixTables } from '../model/leakage/setTable.js';
import { TableWorld } from '../agents/tableWorld.js';
import { RegulatedCommunityWorld } from '../agents/regulatedCommunities.js';
import { outcomeFrom } from '../model/leakage/outcome.js';
import { ConsumerPopulation } from '../agents/consumer.js';
import { makeLeakageWorld, setOf, type LeakageWorld } from '../agents/leakageWorld.js';
import { PricingPlatform, type LeakagePlatform } from '../agents/platform.js';
import { LearningPlatform } from '../agents/learningPlatform.js';
import { Rng } from '../agents/rng.js';
import { Breather, type RoundSink } from './sink.js';
import { singlePlatform } from './join.js';
import { LeakageMarket, type LeakageRoundLog } from './leakageMarket.js';
import { CycleDetector, type Stop } from './stopping.js';
import { leakagePriceDistance, leakageSharerDistance, type Blocks } from './compare.js';
import type { ResolvedDynamics } from './options.js';
import { checkLearningSupport, checkLeakageWorldSupport } from './preflight.js';
import type { Cell, SimulationRun } from './types.js';

export { LEARNING_MAX_USERS } from './preflight.js';
/** Per-user price/share columns in trajectory.csv up to this many users (general Σ). */
export const PER_USER_COLUMNS_MAX = 32;

export interface LeakageState {
  prices: number[];
  sharers: number[];
  socialSurplus: number;
  platformProfit: number;
  sharersByCommunity?: number[];
}

export async function simulateLeakage(s: LeakageScenario, dyn: ResolvedDynamics, seed: number, sink: RoundSink): Promise<SimulationRun<LeakageState>> {
  if (s.platforms === 2) {
    throw new InputError('platforms', 'simulate runs one platform; the duopoly join step comes with the competition checker');
  }
  const exact = solveLeakage(s);
  const { world, markup, ref, variant } = buildWorld(s, exact);
  checkLearningSupport(s, dyn);
  const rng = new Rng(seed);
  const consumers = new ConsumerPopulation(world.v, world.sigmaII, world.tau2);
  const platform: LeakagePlatform =
    dyn.kind === 'learning'
      ? new LearningPlatform(world.n, rng, dyn.step, dyn.tolerance)
      : new PricingPlatform(world, dyn.kind === 'best-response' ? 1 : dyn.step, dyn.tolerance, markup);
  const market = new LeakageMarket(world, consumers, platform, singlePlatform, dyn.kind === 'learning' ? 'settle' : 'step');
  const blocks: Blocks = { block: world.block, sizes: world.sizes, exchangeable: world.kind === 'communities' };
  const eq = ref;

  sink.columns(trajectoryColumns(world));
  const cycles = new CycleDetector();
  const deterministic = dyn.kind !== 'learning';
  let stop: Stop = { reason: 'round-limit', period: null };
  let round = 0;
  const breather = new Breather(sink, dyn.rounds);
  for (round = 1; round <= dyn.rounds; round++) {
    if (breather.due()) await breather.pause(round);
    const log = market.step(round);
    sink.event(roundEvent(world, market, log));
    sink.row(trajectoryRow(world, market, log, blocks, eq.prices, eq.sharers));
    if (market.atRest()) {
      stop = { reason: 'tolerance', period: null };
      break;
    }
    if (deterministic) {
      const period = cycles.check(round, market.stateKey());
      if (period !== null) {
        stop = { reason: 'cycle', period };
        break;
      }
    }
  }
  const rounds = Math.min(round, dyn.rounds);

  const finalPrices = Array.from(market.prices);
  const sharers = setOf(consumers.shares);
  const leak = new Float64Array(world.n);
  world.leakage(consumers.shares, leak);
  const paid = finalPrices.map((p, i) => (consumers.shares[i] ? p : 0));
  const out = outcomeFrom(sharers, Array.from(leak), paid, Array.from(world.v));
  const tax = world.taxOf ? world.taxOf(consumers.shares) : 0;
  const final: LeakageState = { prices: finalPrices, sharers, socialSurplus: out.socialSurplus, platformProfit: out.platformProfit - tax };
  const checker: LeakageState = { prices: eq.prices, sharers: eq.sharers, socialSurplus: eq.socialSurplus, platformProfit: eq.platformProfit };
  if (world.kind === 'communities') {
    final.sharersByCommunity = countByBlock(world, consumers.shares);
    checker.sharersByCommunity = eq.sharersByCommunity;
  }
  const distance = {
    prices: leakagePriceDistance(blocks, finalPrices, eq.prices),
    sharers: leakageSharerDistance(blocks, consumers.shares, eq.sharers),
  };
  // a loop, not a spread: communities can have 10⁶ users (a spread over 1.3·10⁵ overflowed the stack: review)
  const maxPrice = eq.prices.reduce((m, p) => Math.max(m, Math.abs(p)), 1);
  const priceTolerance = dyn.kind === 'learning' ? 2 * dyn.tolerance * maxPrice : 1e-9 * maxPrice;
  return {
    final,
    checker,
    distance,
    priceTolerance,
    stop,
    rounds,
    method: `${leakageMethod(dyn, platform, exact.method)}${variant}`,
  };
}

interface Reference {
  prices: number[];
  sharers: number[];
  socialSurplus: number;
  platformProfit: number;
  sharersByCommunity?: number[];
}

/**
 * The world the agents play in and the checker object they are compared with. Plain MSE leakage of one
 * known Σ uses the fast worlds (Cholesky / block counts); mutual information, unknown Σ ~ μ, unknown values
 * and regulation read the checker's per-set table (general Σ, n ≤ MAX_TABLE_USERS) through TableWorld.
 */
function buildWorld(s: LeakageScenario, exact: LeakageSolution): { world: LeakageWorld; markup?: Float64Array; ref: Reference; variant: string } {
  checkLeakageWorldSupport(s);
  const plain = s.informationMeasure === 'mse' && !s.covarianceMixture && !s.valueDistribution && !s.regulation;
  if (plain) return { world: makeLeakageWorld(s), ref: exact.equilibrium, variant: '' };
  const v = s.privacyValues;
  if (s.structure.kind === 'communities') {
    // validation allows only regulation here (no mutual information or uncertainty on communities)
    const reg = exact.regulated;
    if (!reg) throw new Error('checker returned no regulated equilibrium');
    const r = s.regulation ?? {};
    const world = new RegulatedCommunityWorld(makeLeakageWorld(s), s.structure, v, {
      rate: r.tax?.kind === 'uniform' ? (r.tax.rate ?? 0) : 0,
      bound: r.tax?.kind === 'pigovian' ? (exact.firstBest.sharersByCommunity ?? null) : null,
      decorrelation: Boolean(r.decorrelation),
    });
    const e = reg.equilibrium;
    return {
      world,
      ref: { prices: e.prices, sharers: e.sharers, socialSurplus: e.socialSurplus, platformProfit: e.platformProfit, ...(e.sharersByCommunity ? { sharersByCommunity: e.sharersByCommunity } : {}) },
      variant: `; regulation: ${reg.method.replace(/^exact argmax under /, '')}; compared with the checker's regulated equilibrium`,
    };
  }
  if (s.covarianceMixture) {
    const mix = s.covarianceMixture;
    const t = mixTables(
      mix.map((e, k) => scenarioTable(e.Sigma, s.noiseVariance, s.informationMeasure, `uncertainty.covariances.${k}.covariance`)),
      mix.map((e) => e.weight),
    );
    const sigmaII = v.map((_, i) => mix.reduce((acc, e) => acc + e.weight * e.Sigma[i][i], 0));
    return { world: new TableWorld(t, v, sigmaII, s.noiseVariance), ref: exact.equilibrium, variant: `; users and platform act on expected leakage over ${mix.length} covariances (Σ ~ μ)` };
  }
  const Sigma = s.structure.kind === 'general' ? s.structure.Sigma : [];
  const t = scenarioTable(Sigma, s.noiseVariance, s.informationMeasure);
  const sigmaII = Sigma.map((row, i) => row[i]);
  const mi = s.informationMeasure === 'mutual-information' ? '; mutual-information leakage −½ ln(1 − I_i/σ_i²)' : '';
  if (s.valueDistribution) {
    const u = exact.uncertainty;
    if (!u || u.kind !== 'privacyValues') throw new Error('checker returned no unknown-values report');
    const world = new TableWorld(t, v, sigmaII, s.noiseVariance, { objectiveValues: u.virtualValues });
    return {
      world,
      markup: Float64Array.from(u.informationRents),
      ref: exact.equilibrium,
      variant: `${mi}; unknown values: the platform ranks sets by the mechanism's virtual values and posts indifference value + the mechanism's information rent (from the checker)`,
    };
  }
  const reg = exact.regulated;
  if (!reg) return { world: new TableWorld(t, v, sigmaII, s.noiseVariance), ref: exact.equilibrium, variant: mi };
  const r = s.regulation ?? {};
  const allowed = r.tax?.kind === 'pigovian' ? exact.firstBest.sharers.reduce((m, i) => m | (1 << i), 0) : undefined;
  const world = new TableWorld(t, v, sigmaII, s.noiseVariance, {
    rate: r.tax?.kind === 'uniform' ? (r.tax.rate ?? 0) : 0,
    ...(allowed !== undefined ? { allowed } : {}),
    decorrelation: Boolean(r.decorrelation),
  });
  const e = reg.equilibrium;
  return {
    world,
    ref: { prices: e.prices, sharers: e.sharers, socialSurplus: e.socialSurplus, platformProfit: e.platformProfit },
    variant: `${mi}; regulation: ${reg.method.replace(/^exact argmax under /, '')}; compared with the checker's regulated equilibrium`,
  };
}

/** Users up to which an event lists every user's price, action and payoff. */
export const EVENT_PER_USER_MAX = 1000;

/** The events.jsonl object of a round: the market's log plus, for up to EVENT_PER_USER_MAX users, each user's price, action and payoff. */
function roundEvent(world: LeakageWorld, market: LeakageMarket, log: LeakageRoundLog): object {
  if (world.n > EVENT_PER_USER_MAX) return log;
  return {
    ...log,
    target: Array.from(market.platform.target),
    prices: Array.from(market.prices),
    shares: Array.from(market.consumers.shares),
    userPayoffs: Array.from(market.consumers.payoff),
  };
}

function countByBlock(world: LeakageWorld, actions: Uint8Array): number[] {
  const m = new Array<number>(world.sizes.length).fill(0);
  for (let i = 0; i < world.n; i++) if (actions[i]) m[world.block[i]]++;
  return m;
}

function trajectoryColumns(world: LeakageWorld): string[] {
  const cols = [
    'round',
    'sharers',
    'targeted',
    'switched',
    'targetChanges',
    'priceChange',
    'payments',
    'platformPayoff',
    'socialSurplus',
    'consumerPayoff',
    'priceDistance',
    'sharerDistance',
  ];
  if (world.kind === 'communities') {
    world.sizes.forEach((_, g) => cols.push(`sharers_c${g}`, `meanPrice_c${g}`));
  } else if (world.n <= PER_USER_COLUMNS_MAX) {
    for (let i = 0; i < world.n; i++) cols.push(`price_${i}`, `share_${i}`);
  }
  return cols;
}

function trajectoryRow(
  world: LeakageWorld,
  market: LeakageMarket,
  log: LeakageRoundLog,
  blocks: Blocks,
  exactPrices: number[],
  exactSharers: number[],
): Record<string, Cell> {
  const shares = market.consumers.shares;
  const row: Record<string, Cell> = {
    round: log.round,
    sharers: log.sharers,
    targeted: log.targeted,
    switched: log.switched.length,
    targetChanges: log.targetChanges.length,
    priceChange: log.priceChange,
    payments: log.payments,
    platformPayoff: log.platformPayoff,
    socialSurplus: log.socialSurplus,
    consumerPayoff: log.consumerPayoff,
    priceDistance: leakagePriceDistance(blocks, market.prices, exactPrices),
    sharerDistance: leakageSharerDistance(blocks, shares, exactSharers),
  };
  if (world.kind === 'communities') {
    const K = world.sizes.length;
    const count = new Array<number>(K).fill(0);
    const priceSum = new Array<number>(K).fill(0);
    const targeted = new Array<number>(K).fill(0);
    for (let i = 0; i < world.n; i++) {
      const g = world.block[i];
      if (shares[i]) count[g]++;
      if (market.platform.target[i]) {
        targeted[g]++;
        priceSum[g] += market.prices[i];
      }
    }
    for (let g = 0; g < K; g++) {
      row[`sharers_c${g}`] = count[g];
      row[`meanPrice_c${g}`] = targeted[g] > 0 ? priceSum[g] / targeted[g] : 0;
    }
  } else if (world.n <= PER_USER_COLUMNS_MAX) {
    for (let i = 0; i < world.n; i++) {
      row[`price_${i}`] = market.prices[i];
      row[`share_${i}`] = shares[i];
    }
  }
  return row;
}

function leakageMethod(dyn: ResolvedDynamics, platform: LeakagePlatform, checkerMethod: string): string {
  const users =
    dyn.kind === 'learning'
      ? 'users: settle each round on the greatest user equilibrium at the posted prices (best responses from all-share, ties toward sharing)'
      : 'users: one simultaneous best response per round to the posted prices (share iff p_i ≥ v_i Δ_i, ties toward sharing), starting from all-share';
  return `${dyn.kind} dynamics on the leakage market; ${platform.describe()}; ${users}; checker: ${checkerMethod}`;
}
