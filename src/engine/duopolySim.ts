/**
 * Duopoly simulation (PAL's join → prices → share, docs/leakage-competition.md): the join step is played by
 * agents (src/agents/joiner.ts) with best-response, inertial best-response ("tatonnement") or learning
 * dynamics; given the joining profile of a round, each platform plays its Stackelberg stage exactly (as PAL
 * Def 1 evaluates every profile, the checker's per-platform solution from buildDuopolyGame — the same
 * payoffs the checker uses). The run reports whether joining converged to a pure joining equilibrium,
 * cycled, or kept moving (learning: time-averaged choices show the pattern, e.g. the uniform ½ mix).
 */
import { checkDuopolySimSupport } from './preflight.js';
import type { LeakageScenario } from '../scenario/validate.js';
import { buildDuopolyGame, isJoiningEquilibrium, profilePrices, type DuopolyGame } from '../checker/leakage/duopoly.js';
import { maskToSet } from '../model/leakage/gaussian.js';
import { JoiningUsers, platformOf, withPlatform, type PayoffIf } from '../agents/joiner.js';
import { Rng } from '../agents/rng.js';
import { Breather, type RoundSink } from './sink.js';
import { CycleDetector, type Stop } from './stopping.js';
import type { ResolvedDynamics } from './options.js';
import type { Cell, SimulationRun } from './types.js';

/** Per-user columns in trajectory.csv up to this many users. */
const PER_USER_COLUMNS_MAX = 32;

export interface DuopolyState {
  /** Platform (1 or 2) per user. */
  assignment: (1 | 2)[] | null;
  prices: number[];
  sharers: [number[], number[]] | null;
  socialSurplus: number;
  /** Final state: is it a pure joining equilibrium; share of rounds each user spent on platform 1. */
  isJoiningEquilibrium?: boolean;
  platform1Frequency?: number[];
  /** Checker: which exact object this is. */
  kind?: 'pure-joining-equilibrium' | 'uniform-mixed';
}

export interface DuopolyRoundLog {
  round: number;
  joinMoves: number;
  assignment: string;
  socialSurplus: number;
  isJoiningEquilibrium: boolean;
  /** Each user's payoff at this round's profile (the checker's per-profile game). */
  userPayoffs: number[];
}

export async function simulateDuopoly(s: LeakageScenario, dyn: ResolvedDynamics, seed: number, sink: RoundSink): Promise<SimulationRun<DuopolyState>> {
  checkDuopolySimSupport(s);
  const v = s.privacyValues;
  const game = buildDuopolyGame(s.structure.Sigma, s.noiseVariance, v, {
    alpha: s.spillover,
    ...(s.joiningValue ? { joining: s.joiningValue } : {}),
  });
  const n = game.n;
  const size = 2 ** n;
  const equilibria: number[] = [];
  for (let P = 0; P < size; P++) if (isJoiningEquilibrium(game, v, P)) equilibria.push(P);
  const rng = new Rng(seed);
  let start = 0;
  for (let i = 0; i < n; i++) if (rng.next() < 0.5) start |= 1 << i;
  const users = new JoiningUsers(n, start, 1e-9);
  const payoffIf: PayoffIf = (mask, i, k) => game.pay[withPlatform(mask, i, k) * n + i];
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of game.pay) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  const scale = Math.max(hi - lo, 1e-12);

  const columns = ['round', 'joinMoves', 'onPlatform1', 'sharers1', 'sharers2', 'socialSurplus', 'isJoiningEquilibrium', 'distanceToEquilibrium'];
  const perUser = n <= PER_USER_COLUMNS_MAX;
  if (perUser) for (let i = 0; i < n; i++) columns.push(`platform_${i}`, ...(dyn.kind === 'learning' ? [`beta_${i}`] : []));
  sink.columns(columns);
  const cycles = new CycleDetector();
  let stop: Stop = { reason: 'round-limit', period: null };
  let round = 0;
  const breather = new Breather(sink, dyn.rounds);
  for (round = 1; round <= dyn.rounds; round++) {
    if (breather.due()) await breather.pause(round);
    const moves =
      dyn.kind === 'best-response'
        ? users.bestRespond(payoffIf)
        : dyn.kind === 'tatonnement'
          ? users.inertialRespond(payoffIf, dyn.step, rng)
          : users.learn(payoffIf, dyn.step, scale, rng);
    const P = users.mask;
    const eq = isJoiningEquilibrium(game, v, P);
    const ev: DuopolyRoundLog = { round, joinMoves: moves, assignment: assignmentOf(P, n).join(''), socialSurplus: game.ss[P], isJoiningEquilibrium: eq, userPayoffs: Array.from({ length: n }, (_, i) => game.pay[P * n + i]) };
    sink.event(ev);
    sink.row(row(game, P, round, moves, eq, equilibria, users, dyn.kind === 'learning', perUser));
    if (dyn.kind === 'learning') {
      const settled = Array.from(users.beta).every((b) => b < dyn.tolerance || b > 1 - dyn.tolerance);
      if (settled && eq) {
        stop = { reason: 'tolerance', period: null };
        break;
      }
    } else {
      if (moves === 0 && eq) {
        stop = { reason: 'tolerance', period: null };
        break;
      }
      if (dyn.kind === 'best-response') {
        const period = cycles.check(round, String(P));
        if (period !== null) {
          stop = { reason: 'cycle', period };
          break;
        }
      }
    }
  }
  const rounds = Math.min(round, dyn.rounds);
  const P = users.mask;
  const final: DuopolyState = {
    assignment: assignmentOf(P, n),
    prices: profilePrices(game, v, P),
    sharers: sharersOf(game, P),
    socialSurplus: game.ss[P],
    isJoiningEquilibrium: isJoiningEquilibrium(game, v, P),
    platform1Frequency: users.frequencies(),
  };
  const nearest = nearestEquilibrium(P, equilibria);
  let checker: DuopolyState;
  let distance: { prices: number; sharers: number | null };
  if (nearest !== null) {
    checker = {
      kind: 'pure-joining-equilibrium',
      assignment: assignmentOf(nearest, n),
      prices: profilePrices(game, v, nearest),
      sharers: sharersOf(game, nearest),
      socialSurplus: game.ss[nearest],
    };
    const cp = checker.prices;
    const cs = checker.sharers ?? [[], []];
    const fs = final.sharers ?? [[], []];
    distance = {
      prices: Math.max(0, ...final.prices.map((x, i) => Math.abs(x - cp[i]))),
      sharers: symDiff(fs[0], cs[0]) + symDiff(fs[1], cs[1]),
    };
  } else {
    // No pure joining equilibrium: compare with the uniform ½ mix (PAL Thm 2) — expected prices and surplus.
    const expPrices = new Array<number>(n).fill(0);
    let ess = 0;
    for (let Q = 0; Q < size; Q++) {
      profilePrices(game, v, Q).forEach((x, i) => {
        expPrices[i] += x / size;
      });
      ess += game.ss[Q] / size;
    }
    checker = { kind: 'uniform-mixed', assignment: null, prices: expPrices, sharers: null, socialSurplus: ess };
    distance = { prices: Math.max(0, ...final.prices.map((x, i) => Math.abs(x - expPrices[i]))), sharers: null };
  }
  const maxPrice = Math.max(1, ...checker.prices.map(Math.abs));
  return {
    final,
    checker,
    distance,
    priceTolerance: 1e-9 * maxPrice,
    stop,
    rounds,
    method: `${dyn.kind} dynamics in the duopoly join step (${describe(dyn)}); each platform plays its exact Stackelberg stage on its members (α = ${s.spillover}); checker: ${equilibria.length} pure joining equilibria of 2^${n} profiles`,
  };
}

function describe(dyn: ResolvedDynamics): string {
  if (dyn.kind === 'best-response') return 'users switch in index order iff strictly better; random initial assignment from the seed';
  if (dyn.kind === 'tatonnement') return `every user who would gain switches with probability ${dyn.step}`;
  return `exponential weights on counterfactual payoff differences, rate ${dyn.step} per payoff range; settled when every β_i is within ${dyn.tolerance} of 0 or 1`;
}

const assignmentOf = (P: number, n: number): (1 | 2)[] => Array.from({ length: n }, (_, i) => platformOf(P, i));

function sharersOf(g: DuopolyGame, P: number): [number[], number[]] {
  const full = 2 ** g.n - 1;
  return [maskToSet(g.sol[P], g.n), maskToSet(g.sol[full & ~P], g.n)];
}

function nearestEquilibrium(P: number, eqs: readonly number[]): number | null {
  let best: number | null = null;
  let bestD = Infinity;
  for (const Q of eqs) {
    let d = 0;
    for (let x = P ^ Q; x; x &= x - 1) d++;
    if (d < bestD) {
      bestD = d;
      best = Q;
    }
  }
  return best;
}

function symDiff(a: readonly number[], b: readonly number[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  return a.filter((x) => !sb.has(x)).length + b.filter((x) => !sa.has(x)).length;
}

function row(
  g: DuopolyGame,
  P: number,
  round: number,
  moves: number,
  eq: boolean,
  eqs: readonly number[],
  users: JoiningUsers,
  learning: boolean,
  perUser: boolean,
): Record<string, Cell> {
  const [s1, s2] = sharersOf(g, P);
  let on1 = 0;
  for (let x = P; x; x &= x - 1) on1++;
  const near = nearestEquilibrium(P, eqs);
  let dist: Cell = '';
  if (near !== null) {
    let d = 0;
    for (let x = P ^ near; x; x &= x - 1) d++;
    dist = d;
  }
  const r: Record<string, Cell> = {
    round,
    joinMoves: moves,
    onPlatform1: on1,
    sharers1: s1.length,
    sharers2: s2.length,
    socialSurplus: g.ss[P],
    isJoiningEquilibrium: eq ? 1 : 0,
    distanceToEquilibrium: dist,
  };
  if (perUser) {
    for (let i = 0; i < g.n; i++) {
      r[`platform_${i}`] = platformOf(P, i);
      if (learning) r[`beta_${i}`] = users.beta[i];
    }
  }
  return r;
}
