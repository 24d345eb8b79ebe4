/**
 * A leakage simulation from a validated scenario: agents, market, rounds, stopping rules, and the comparison
 * with the checker's exact equilibrium (solveLeakage) in every trajectory row and in the summary.
 */
import { InputError } from '../scenario/errors.js';
import type { LeakageScenario } from '../scenario/validate.js';
import { solveLeakage } from '../checker/leakage/index.js';
import { outcomeFrom } from '../model/leakage/outcome.js';
import { ConsumerPopulation } from '../agents/consumer.js';
import { makeLeakageWorld, setOf, type LeakageWorld } from '../agents/leakageWorld.js';
import { PricingPlatform, type LeakagePlatform } from '../agents/platform.js';
import { LearningPlatform } from '../agents/learningPlatform.js';
import { Rng } from '../agents/rng.js';
import { toCsv, type Cell } from '../report/csv.js';
import { singlePlatform } from './join.js';
import { LeakageMarket, type LeakageRoundLog } from './leakageMarket.js';
import { CycleDetector, type Stop } from './stopping.js';
import { leakagePriceDistance, leakageSharerDistance, type Blocks } from './compare.js';
import type { ResolvedDynamics } from './options.js';
import type { SimulationRun } from './types.js';

/** Learning probes one user per round; beyond this many users it needs too many rounds to be useful. */
export const LEARNING_MAX_USERS = 12;
/** Per-user price/share columns in trajectory.csv up to this many users (general Σ). */
export const PER_USER_COLUMNS_MAX = 32;

export interface LeakageState {
  prices: number[];
  sharers: number[];
  socialSurplus: number;
  platformProfit: number;
  sharersByCommunity?: number[];
}

export function simulateLeakage(s: LeakageScenario, dyn: ResolvedDynamics, seed: number): SimulationRun<LeakageState> {
  if (s.platforms === 2) {
    throw new InputError('platforms', 'simulate runs one platform; the duopoly join step comes with the competition checker');
  }
  // Features the agents do not model are refused rather than silently ignored.
  if (s.informationMeasure !== 'mse') {
    throw new InputError('informationMeasure', 'simulate uses the papers\' MSE leakage; mutual information is solved exactly by solve');
  }
  if (s.covarianceMixture) throw new InputError('covarianceMixture', 'simulate needs a known covariance; uncertainty is solved exactly by solve');
  if (s.valueDistribution) throw new InputError('valueDistribution', 'simulate needs known privacy values; the mechanism with unknown values is solved exactly by solve');
  if (s.regulation) throw new InputError('regulation', 'simulate runs the unregulated market; regulated equilibria are solved exactly by solve');
  const exact = solveLeakage(s);
  const world = makeLeakageWorld(s);
  if (dyn.kind === 'learning' && world.n > LEARNING_MAX_USERS) {
    throw new InputError('dynamics.kind', `learning is limited to ${LEARNING_MAX_USERS} users (it probes one user per round); this scenario has ${world.n}`);
  }
  const rng = new Rng(seed);
  const consumers = new ConsumerPopulation(world.v, world.sigmaII, world.tau2);
  const platform: LeakagePlatform =
    dyn.kind === 'learning'
      ? new LearningPlatform(world.n, rng, dyn.step, dyn.tolerance)
      : new PricingPlatform(world, dyn.kind === 'best-response' ? 1 : dyn.step, dyn.tolerance);
  const market = new LeakageMarket(world, consumers, platform, singlePlatform, dyn.kind === 'learning' ? 'settle' : 'step');
  const blocks: Blocks = { block: world.block, sizes: world.sizes, exchangeable: world.kind === 'communities' };
  const eq = exact.equilibrium;

  const columns = trajectoryColumns(world);
  const rows: Record<string, Cell>[] = [];
  const events: LeakageRoundLog[] = [];
  const cycles = new CycleDetector();
  const deterministic = dyn.kind !== 'learning';
  let stop: Stop = { reason: 'round-limit', period: null };
  let round = 0;
  for (round = 1; round <= dyn.rounds; round++) {
    const log = market.step(round);
    events.push(log);
    rows.push(trajectoryRow(world, market, log, blocks, eq.prices, eq.sharers));
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
  const final: LeakageState = { prices: finalPrices, sharers, socialSurplus: out.socialSurplus, platformProfit: out.platformProfit };
  const checker: LeakageState = { prices: eq.prices, sharers: eq.sharers, socialSurplus: eq.socialSurplus, platformProfit: eq.platformProfit };
  if (world.kind === 'communities') {
    final.sharersByCommunity = countByBlock(world, consumers.shares);
    checker.sharersByCommunity = eq.sharersByCommunity;
  }
  const distance = {
    prices: leakagePriceDistance(blocks, finalPrices, eq.prices),
    sharers: leakageSharerDistance(blocks, consumers.shares, eq.sharers),
  };
  const maxPrice = Math.max(1, ...eq.prices.map(Math.abs));
  const priceTolerance = dyn.kind === 'learning' ? 2 * dyn.tolerance * maxPrice : 1e-9 * maxPrice;
  return {
    final,
    checker,
    distance,
    priceTolerance,
    stop,
    rounds,
    method: leakageMethod(dyn, platform, exact.method),
    trajectoryCsv: toCsv(columns, rows),
    events,
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
