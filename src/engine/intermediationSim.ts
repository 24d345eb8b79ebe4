/**
 * An intermediation simulation (GLP; MODEL.md A.1–A.5) compared with the checker (solveIntermediation).
 * Round: join (one platform) → price offers (platform: p ← p + η(MV − p)) → share decisions (each type's
 * ζ from G = p + U − τ vs r̄) → signal and fee (platform designs x at q = ζ q̄, the merchant sets a fee per
 * signal, sales realise U and payoffs). Consumers decide on the U they saw in the previous round
 * (atomistic consumers take x* as given, GLP condition (c)); the first U is the one at q̄ (everyone
 * selling), so a run starts from full participation and shows unraveling when the equilibrium has no trade.
 */
import { InputError } from '../scenario/errors.js';
import type { IntermediationScenario } from '../scenario/validate.js';
import { highsSolver } from '../lp/index.js';
import { solveIntermediation } from '../checker/intermediation/index.js';
import type { PricingGame } from '../model/intermediation/index.js';
import { Merchant, RecordPlatform, TypeConsumers, realisedSurplus } from '../agents/intermediation.js';
import { Rng } from '../agents/rng.js';
import { toCsv, type Cell } from '../report/csv.js';
import { CycleDetector, type Stop } from './stopping.js';
import type { ResolvedDynamics } from './options.js';
import type { SimulationRun } from './types.js';

export interface IntermediationState {
  prices: number[];
  records: number[];
  segmentation: number[][];
  welfare: number;
  outcome: 'trade' | 'no-trade';
}

/** Consecutive quiet rounds required by learning (its merchant explores at a vanishing rate). */
export const LEARNING_QUIET_ROUNDS = 25;

interface CheckerEq {
  outcome: 'trade' | 'no-trade';
  prices: number[];
  records: number[];
  segmentation: number[][];
  welfare: number;
}

export async function simulateIntermediation(s: IntermediationScenario, dyn: ResolvedDynamics, seed: number): Promise<SimulationRun<IntermediationState>> {
  if (s.platforms) throw new InputError('platforms', 'simulate runs the single-platform GLP market; multi-platform GP runs are not simulated');
  if (s.remedy === 'union' || s.remedy === 'complete') {
    throw new InputError('remedy', `simulate supports remedy "none" or "tax"; "${s.remedy}" changes who trades and is only solved exactly (solve)`);
  }
  const exact = await solveIntermediation(s);
  const found = exact.equilibrium as CheckerEq | null;
  if (!found) throw new InputError('model', 'the checker found no equilibrium to compare with');
  const tax = (exact.remedies as { tax?: { taxes: number[]; prices: number[]; records: number[] } } | undefined)?.tax;
  if (s.remedy === 'tax' && !tax) throw new InputError('remedy', 'the checker has no data tax for this scenario (needs the BBM closed form)');
  const taxes = s.remedy === 'tax' && tax ? tax.taxes : s.types.map(() => 0);
  // With a data tax the reference is the allocation the tax is built to support (q°, x°, p*; GLP "data
  // taxes"), otherwise the checker's reported GLP equilibrium.
  const ce = exact.constrainedEfficient as { welfare: number; segmentation: number[][] } | undefined;
  const ref: CheckerEq =
    s.remedy === 'tax' && tax && ce
      ? { outcome: tax.records.some((x) => x > 0) ? 'trade' : 'no-trade', prices: tax.prices, records: tax.records, segmentation: ce.segmentation, welfare: ce.welfare }
      : found;
  const eq = ref;

  const solver = await highsSolver();
  const game: PricingGame = { types: s.types, fees: s.fees, gammaU: s.weights.consumer, gammaPi: s.weights.merchant };
  const rng = new Rng(seed);
  const consumers = s.types.map((w, k) => new TypeConsumers(w, s.mass[k], taxes[k]));
  const platform = new RecordPlatform(solver, game);
  const merchant = new Merchant(game, dyn.kind === 'learning' ? rng : null, dyn.step);
  const rbar = s.reservationUtility;
  const scale = Math.max(...s.mass);
  const N = s.types.length;

  // Signal and fee at the current database: design, fees, realised surplus and payoffs.
  const signal = (round: number) => {
    const q = consumers.map((c) => c.records());
    const { X, conditional } = platform.design(q, scale);
    const fees = merchant.setFees(X, Math.max(1, round));
    merchant.observe(X, fees);
    const U = realisedSurplus(game, conditional, fees);
    let value = 0;
    X.forEach((row, a) => row.forEach((x, w) => (value += x > 0 ? x * platform.payoff(game.fees[fees[a] >= 0 ? fees[a] : a], game.types[w]) : 0)));
    const welfare = value + q.reduce((sum, qw, w) => sum + qw * (U[w] - rbar), 0);
    return { q, conditional, fees, U, value, welfare };
  };

  let state = signal(0);
  const priceStep = dyn.kind === 'best-response' ? 1 : dyn.step;
  const consumerStep = dyn.kind === 'best-response' ? null : dyn.step;
  const columns = ['round', 'traded', 'platformValue', 'payments', 'welfare', 'priceChange', 'participationChange', 'recordDistance', 'priceDistance'];
  for (let w = 0; w < N; w++) columns.push(`zeta_${w}`, `records_${w}`, `price_${w}`, `surplus_${w}`, `gain_${w}`);
  s.fees.forEach((_, a) => columns.push(`fee_signal_${a}`));
  const rows: Record<string, Cell>[] = [];
  const events: object[] = [];
  const cycles = new CycleDetector();
  let stop: Stop = { reason: 'round-limit', period: null };
  let quiet = 0;
  let round = 0;
  const dist = (q: number[], p: number[]) => ({
    records: Math.max(0, ...q.map((x, w) => Math.abs(x - eq.records[w]))),
    prices: Math.max(0, ...p.map((x, w) => (eq.records[w] > 0 ? Math.abs(x - eq.prices[w]) : 0))),
  });
  const row0 = (r: number, priceChange: number, zetaChange: number): Record<string, Cell> => {
    const d = dist(state.q, platform.prices);
    const row: Record<string, Cell> = {
      round: r,
      traded: state.q.reduce((a, b) => a + b, 0),
      platformValue: state.value,
      payments: state.q.reduce((sum, qw, w) => sum + qw * platform.prices[w], 0),
      welfare: state.welfare,
      priceChange,
      participationChange: zetaChange,
      recordDistance: d.records,
      priceDistance: d.prices,
    };
    consumers.forEach((c, w) => {
      row[`zeta_${w}`] = c.zeta;
      row[`records_${w}`] = state.q[w];
      row[`price_${w}`] = platform.prices[w];
      row[`surplus_${w}`] = state.U[w];
      row[`gain_${w}`] = c.gain(platform.prices[w], state.U[w]);
    });
    s.fees.forEach((_, a) => (row[`fee_signal_${a}`] = state.fees[a] >= 0 ? s.fees[state.fees[a]] : ''));
    return row;
  };
  rows.push(row0(0, 0, 0));
  for (round = 1; round <= dyn.rounds; round++) {
    // 1. join: one platform, every consumer is on it.  2. price offers:
    const effStep = dyn.kind === 'learning' ? priceStep / (1 + round / 50) : priceStep;
    const priceChange = platform.updatePrices(state.q, effStep, dyn.tolerance);
    if (!platform.prices.every(Number.isFinite)) {
      stop = { reason: 'diverged', period: null };
      break;
    }
    // 3. share decisions on the U seen last round
    const before = consumers.map((c) => c.zeta);
    const effConsumer = consumerStep === null ? null : dyn.kind === 'learning' ? consumerStep / (1 + round / 50) : consumerStep;
    consumers.forEach((c, w) => c.decide(platform.prices[w], state.U[w], rbar, effConsumer));
    const zetaChange = Math.max(...consumers.map((c, w) => Math.abs(c.zeta - before[w])));
    // 4. signal and fee
    const prevFees = state.fees.join();
    state = signal(round);
    rows.push(row0(round, priceChange, zetaChange));
    events.push({ round, prices: [...platform.prices], zeta: consumers.map((c) => c.zeta), fees: state.fees, U: state.U });
    const still = priceChange <= dyn.tolerance && zetaChange <= dyn.tolerance && prevFees === state.fees.join();
    quiet = still ? quiet + 1 : 0;
    if (quiet >= (dyn.kind === 'learning' ? LEARNING_QUIET_ROUNDS : 1)) {
      stop = { reason: 'tolerance', period: null };
      break;
    }
    if (dyn.kind !== 'learning') {
      const key = `${platform.prices.map((p) => p.toPrecision(12)).join()}|${consumers.map((c) => c.zeta.toPrecision(12)).join()}|${state.fees.join()}`;
      const period = cycles.check(round, key);
      if (period !== null) {
        stop = { reason: 'cycle', period };
        break;
      }
    }
  }
  const rounds = Math.min(round, dyn.rounds);
  const traded = state.q.some((x) => x > 1e-12);
  const final: IntermediationState = {
    prices: [...platform.prices],
    records: state.q,
    segmentation: state.conditional,
    welfare: state.welfare,
    outcome: traded ? 'trade' : 'no-trade',
  };
  const checker: IntermediationState = { prices: ref.prices, records: ref.records, segmentation: ref.segmentation, welfare: ref.welfare, outcome: ref.outcome };
  const d = dist(state.q, platform.prices);
  const tol = dyn.kind === 'learning' ? 1e-3 : 1e-6;
  return {
    final,
    checker,
    distance: { prices: d.prices, sharers: null, records: d.records, outcome: final.outcome === checker.outcome ? 0 : 1 } as SimulationRun<IntermediationState>['distance'],
    priceTolerance: tol,
    recordTolerance: tol,
    stop,
    rounds,
    method: `${dyn.kind} dynamics on the GLP intermediation market; platform: record prices p ← p + η(MV − p) toward its marginal value of records (LP-dual supergradient of V at q)${dyn.kind === 'learning' ? ' with decreasing η_t = η/(1 + t/50)' : ''}, consumer-best platform-optimal segmentation; consumers per type: ${consumerStep === null ? 'sell iff p + U − τ > r̄ (best response)' : 'ζ ← clip(ζ + η(p + U − τ − r̄))'}; merchant: ${dyn.kind === 'learning' ? 'learns fees per signal from sales (ε-greedy, ε_t = step/√t)' : 'best response to each segment, obeying when optimal'}${s.remedy === 'tax' ? `; data tax τ = ${JSON.stringify(taxes)} from the checker's remedy` : ''}; checker: ${String((exact.equilibriumSelection as string) ?? '')}`,
    trajectoryCsv: toCsv(columns, rows),
    events,
  };
}
