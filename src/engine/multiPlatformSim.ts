/**
 * Record-price tatonnement across platforms (GP E1, buyers expropriated; MODEL.md A.6.2), compared with the
 * checker's E1 (`solveIntermediation(…).multiPlatform.E1`). One round: join (none: records are endowed to
 * the market) → price offers (an auctioneer posts p(ω)) → share decisions (each platform demands the records
 * that maximise U_i(q_i) − p·q_i, model `platformDemand`) → signal and fee (records are allocated as demanded,
 * on average over rounds; the auctioneer moves prices by excess demand):
 *   p ← max(0, p + η·P·(Σ_i D_i(ω) − q̄(ω))/(q̄_max·√t)),   P = the largest payoff any platform can get.
 * This is subgradient descent on the dual of GP's grand LP P, so with the 1/√t steps p approaches the set of
 * E1 prices (the checker's exact price intervals) and the step-weighted average of demands approaches a TB
 * allocation (primal recovery); demand is a vertex of an LP, so the run ends at the round limit unless the
 * market clears exactly, and the summary reports the distances.
 */
import { InputError } from '../scenario/errors.js';
import { checkMultiPlatformSimSupport } from './preflight.js';
import type { IntermediationScenario } from '../scenario/validate.js';
import type { LpSolver } from '../lp/index.js';
import { e1RecordsDistance, multiPlatformStateAt, solveMultiPlatformE1 } from '../checker/intermediation/index.js';
import { platformPayoff, type PricingGame } from '../model/intermediation/index.js';
import { RecordBuyer } from '../agents/recordBuyers.js';
import type { ResolvedDynamics } from './options.js';
import { Breather, type RoundSink } from './sink.js';
import type { Stop } from './stopping.js';
import type { Cell, SimulationRun } from './types.js';

export interface MultiPlatformState {
  /** Record prices p(ω). */
  prices: number[];
  /** Records per platform and type, q_i(ω) (agents: step-weighted average of demands). */
  records: number[][];
  /** Σ_i U_i(q_i) (agents: of the records rationed to supply, as `welfare`). */
  value: number;
  /** x_i(a|ω) per platform and type (null where platform i uses no records of ω): E1's use of q_i. */
  segmentation: Array<Array<number[] | null>>;
  /** W = Σ_i (U_i + buyers' surplus) + Σ_ω r_ω·(records kept), E1's welfare (agents: of the records rationed to supply, checker `multiPlatformStateAt`). */
  welfare: number;
  /** `trade` iff some platform uses records (agents: more than the record tolerance in all). */
  outcome: 'trade' | 'no-trade';
}

interface E1Json {
  value: number;
  prices: number[];
  priceIntervals: { lower: number | null; upper: number | null }[];
  welfare: number;
  platforms: { records: number[]; segmentation: Array<number[] | null> }[];
}

/** `solver`: the caller's LP backend (SimulateOptions.lp), used by the platforms' demand LPs. */
export async function simulateMultiPlatform(
  s: IntermediationScenario,
  dyn: ResolvedDynamics,
  _seed: number,
  sink: RoundSink,
  solver: LpSolver,
): Promise<SimulationRun<MultiPlatformState>> {
  const specs = s.platforms;
  if (!specs) throw new InputError('platforms', 'a several-platform run needs a platforms array');
  checkMultiPlatformSimSupport(s, dyn);
  // the checker's E1 alone: its single-platform search, E2 and E3 were most of a short run's time (review: 9.7 s for
  // ten rounds of a four-type, two-platform market)
  const e1: E1Json = await solveMultiPlatformE1({ ...s, platforms: specs });
  const games: PricingGame[] = specs.map((p) => ({ types: s.types, fees: p.fees ?? s.types, gammaU: p.weights.consumer, gammaPi: p.weights.merchant }));
  // Demand is unbounded in GP's (4) (q_i ≥ 0 only) and the value is homogeneous, so any cap above q̄ reveals
  // excess demand without changing demand where it is below supply: 2q̄.
  const buyers = games.map((g) => new RecordBuyer(solver, g, s.mass.map((m) => 2 * m)));
  const N = s.types.length;
  const qMax = Math.max(...s.mass);
  let P = 0;
  for (const g of games) for (const a of g.fees) for (const w of g.types) P = Math.max(P, platformPayoff(g, a, w));
  P = Math.max(P, 1e-12);

  const columns = ['round', 'priceChange', 'maxExcess', 'priceDistance', 'value'];
  for (let w = 0; w < N; w++) columns.push(`price_${w}`, `excess_${w}`);
  buyers.forEach((_, i) => s.types.forEach((__, w) => columns.push(`demand_p${i}_${w}`)));
  sink.columns(columns);

  // over the types with records: a type without any has no supply and so no excess demand to move its price (it
  // stays at 0), while any price above E1's lower end clears its empty market (review: a zero-mass type's price 0
  // against E1's [2, ∞) made the distance 2)
  const intervalDistance = (p: number[]): number =>
    Math.max(
      0,
      ...p.map((x, w) => {
        if (!(s.mass[w] > 0)) return 0;
        const lo = e1.priceIntervals[w]?.lower ?? 0;
        const hi = e1.priceIntervals[w]?.upper ?? Infinity;
        return x < lo ? lo - x : x > hi ? x - hi : 0;
      }),
    );
  let prices = s.types.map(() => 0);
  const avg = buyers.map(() => new Array<number>(N).fill(0));
  let weight = 0;
  let stop: Stop = { reason: 'round-limit', period: null };
  let round = 0;
  const tolerance = dyn.tolerance;
  const breather = new Breather(sink, dyn.rounds);
  for (round = 1; round <= dyn.rounds; round++) {
    if (breather.due()) await breather.pause(round);
    // 2. price offers (posted p), 3. demands
    const demands = buyers.map((b) => b.respond(prices));
    const excess = s.types.map((_, w) => demands.reduce((sum, d) => sum + d[w], 0) - s.mass[w]);
    const step = (dyn.step * P) / (qMax * Math.sqrt(round));
    demands.forEach((d, i) => d.forEach((x, w) => (avg[i][w] += step * x)));
    weight += step;
    // 4. allocation and the auctioneer's price move
    const clears = excess.every((z, w) => (prices[w] > 0 ? Math.abs(z) <= tolerance * qMax : z <= tolerance * qMax));
    const next = prices.map((p, w) => Math.max(0, p + (step * excess[w])));
    const priceChange = Math.max(0, ...next.map((x, w) => Math.abs(x - prices[w])));
    const value = buyers.reduce((sum, b) => sum + b.value, 0);
    const row: Record<string, Cell> = { round, priceChange, maxExcess: Math.max(...excess.map(Math.abs)), priceDistance: intervalDistance(prices), value };
    prices.forEach((p, w) => {
      row[`price_${w}`] = p;
      row[`excess_${w}`] = excess[w];
    });
    demands.forEach((d, i) => d.forEach((x, w) => (row[`demand_p${i}_${w}`] = x)));
    sink.row(row);
    sink.event({ round, prices: [...prices], demands, excess, platformValues: buyers.map((b) => b.value) });
    if (clears) {
      // the market clears at the posted prices: that vertex is an E1 allocation
      demands.forEach((d, i) => (avg[i] = [...d]));
      weight = 1;
      stop = { reason: 'tolerance', period: null };
      break;
    }
    if (!next.every(Number.isFinite)) {
      stop = { reason: 'diverged', period: null };
      break;
    }
    prices = next;
  }
  const rounds = Math.min(round, dyn.rounds);
  const records = avg.map((row) => row.map((x) => x / weight));
  // DESIGN.md §4: final and checker carry the single-platform keys too (segmentation, welfare, outcome); value, W
  // and x_i of the records rationed to supply, one allocation (review: Σ_i U_i(q_i) of the average demands was
  // 0.30997 on GP's example, above E1's optimum 0.3, next to the rationed W)
  const at = await multiPlatformStateAt({ ...s, platforms: specs }, records);
  const finalValue = at.value;
  const sold = (q: number[][]) => q.reduce((sum, r) => sum + r.reduce((a, b) => a + b, 0), 0);
  // outcome on the records used, as the checker's (a platform valuing nothing holds records it does not use)
  const final: MultiPlatformState = { prices, records, value: finalValue, segmentation: at.segmentation, welfare: at.welfare, outcome: at.used > 1e-3 * qMax ? 'trade' : 'no-trade' };
  const e1Records = e1.platforms.map((p) => p.records);
  const checker: MultiPlatformState = { prices: e1.prices, records: e1Records, value: e1.value, segmentation: e1.platforms.map((p) => p.segmentation), welfare: e1.welfare, outcome: sold(e1Records) > 0 ? 'trade' : 'no-trade' };
  // to the set of E1 allocations, not to the checker's one point of it: where a type's E1 price is 0 any amount of
  // it that keeps P's value is third best (review: twin γ = (1, 0) platforms at total q(2) = 0.2656, inside the set
  // [0.2, 0.3], were 0.034 from the checker's 0.3)
  const totals = s.types.map((_, w) => records.reduce((sum, r) => sum + r[w], 0));
  const recordDistance = await e1RecordsDistance({ ...s, platforms: specs }, totals);
  return {
    final,
    checker,
    distance: { prices: intervalDistance(prices), sharers: null, records: recordDistance, value: Math.abs(finalValue - e1.value) },
    priceTolerance: 1e-3 * P,
    recordTolerance: 1e-3 * qMax,
    stop,
    rounds,
    method: `record-price tatonnement across ${buyers.length} platforms (GP E1): platforms demand argmax U_i(q_i) − p·q_i (model platformDemand, one LP each); auctioneer p ← max(0, p + η·P·excess/(q̄_max·√t)), P = ${P}; final records = step-weighted average of demands; price distance = distance to the checker's exact E1 price intervals over the types with records; records distance = max over types of the distance of the total records to the nearest E1 allocation (P's optimal face); checker: multiPlatform.E1`,
  };
}
