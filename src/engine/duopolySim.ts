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
import { buildDuopolyGame, evaluateProfile, isProfileEquilibrium, payoffIn, pricesIn, profilePrices, type DuopolyGame } from '../checker/leakage/duopoly.js';
import { maskToSet } from '../model/leakage/gaussian.js';
import { choiceOf, JoiningUsers, moved, type Choice, type PayoffIf } from '../agents/joiner.js';
import { Rng } from '../agents/rng.js';
import { Breather, type RoundSink } from './sink.js';
import { CycleDetector, type Stop } from './stopping.js';
import type { ResolvedDynamics } from './options.js';
import type { Cell, SimulationRun } from './types.js';

/** Per-user columns in trajectory.csv up to this many users. */
const PER_USER_COLUMNS_MAX = 32;

export interface DuopolyState {
  /** Platform (1 or 2) per user; 0: joins neither (only with joining values). */
  assignment: Choice[] | null;
  prices: number[];
  sharers: [number[], number[]] | null;
  socialSurplus: number;
  /** Final state: is it a pure joining equilibrium; share of rounds each user spent on platform 1 (and outside). */
  isJoiningEquilibrium?: boolean;
  platform1Frequency?: number[];
  outsideFrequency?: number[];
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
  const full = size - 1;
  // profiles are (members of 1, members of 2); with joining values users may also stay outside (PAL Def 1)
  const outside = s.joiningValue !== undefined;
  const equilibria: Profile[] = [];
  for (let m1 = 0; m1 < size; m1++) {
    const rest = full & ~m1;
    for (let m2 = rest; ; m2 = (m2 - 1) & rest) {
      if (isProfileEquilibrium(game, v, m1, m2)) equilibria.push([m1, m2]);
      if (!outside || m2 === 0) break;
    }
  }
  const rng = new Rng(seed);
  let start = 0;
  for (let i = 0; i < n; i++) if (rng.next() < 0.5) start |= 1 << i;
  const users = new JoiningUsers(n, [start, full & ~start], 1e-9, outside ? [1, 2, 0] : [1, 2]);
  const payoffIf: PayoffIf = (m1, m2, i, k) => {
    const [a, b] = moved(m1, m2, i, k);
    return (a | b) === full ? game.pay[a * n + i] : payoffIn(game, v, a, b, i);
  };
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of game.pay) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  const scale = Math.max(hi - lo, 1e-12);

  const columns = ['round', 'joinMoves', 'onPlatform1', ...(outside ? ['outside'] : []), 'sharers1', 'sharers2', 'socialSurplus', 'isJoiningEquilibrium', 'distanceToEquilibrium'];
  const perUser = n <= PER_USER_COLUMNS_MAX;
  // learning: β_i = P(platform 1), and with an outside option P(neither) too
  if (perUser) for (let i = 0; i < n; i++) columns.push(`platform_${i}`, ...(dyn.kind === 'learning' ? [`beta_${i}`, ...(outside ? [`outside_${i}`] : [])] : []));
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
    const P: Profile = [users.m1, users.m2];
    const eq = isProfileEquilibrium(game, v, P[0], P[1]);
    const pay = new Float64Array(n);
    const { social } = evaluateProfile(game, v, P[0], P[1], pay);
    const ev: DuopolyRoundLog = { round, joinMoves: moves, assignment: assignmentOf(P, n).join(''), socialSurplus: social, isJoiningEquilibrium: eq, userPayoffs: Array.from(pay) };
    sink.event(ev);
    sink.row(row(game, P, social, round, moves, eq, equilibria, users, dyn.kind === 'learning', perUser, outside));
    if (dyn.kind === 'learning') {
      if (users.settled(dyn.tolerance) && eq) {
        stop = { reason: 'tolerance', period: null };
        break;
      }
    } else {
      if (moves === 0 && eq) {
        stop = { reason: 'tolerance', period: null };
        break;
      }
      if (dyn.kind === 'best-response') {
        const period = cycles.check(round, `${P[0]},${P[1]}`);
        if (period !== null) {
          stop = { reason: 'cycle', period };
          break;
        }
      }
    }
  }
  const rounds = Math.min(round, dyn.rounds);
  const P: Profile = [users.m1, users.m2];
  const final: DuopolyState = {
    assignment: assignmentOf(P, n),
    prices: pricesIn(game, v, P[0], P[1]),
    sharers: sharersOf(game, P),
    socialSurplus: surplusOf(game, v, P),
    isJoiningEquilibrium: isProfileEquilibrium(game, v, P[0], P[1]),
    platform1Frequency: users.frequencies(1),
    ...(outside ? { outsideFrequency: users.frequencies(0) } : {}),
  };
  const nearest = nearestEquilibrium(P, equilibria, n);
  let checker: DuopolyState;
  let distance: { prices: number; sharers: number | null };
  if (nearest !== null) {
    checker = {
      kind: 'pure-joining-equilibrium',
      assignment: assignmentOf(nearest, n),
      prices: pricesIn(game, v, nearest[0], nearest[1]),
      sharers: sharersOf(game, nearest),
      socialSurplus: surplusOf(game, v, nearest),
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
    method: `${dyn.kind} dynamics in the duopoly join step (${describe(dyn)}${outside ? '; a user may also join neither platform' : ''}); each platform plays its exact Stackelberg stage on its members (α = ${s.spillover}); checker: ${equilibria.length} pure joining equilibria of ${outside ? 3 : 2}^${n} profiles`,
  };
}

function describe(dyn: ResolvedDynamics): string {
  if (dyn.kind === 'best-response') return 'users switch in index order iff strictly better; random initial assignment from the seed';
  if (dyn.kind === 'tatonnement') return `every user who would gain switches with probability ${dyn.step}`;
  return `exponential weights on counterfactual payoff differences, rate ${dyn.step} per payoff range; settled when every user's weight on some option is within ${dyn.tolerance} of 1`;
}

/** A joining profile: members of platform 1 and of platform 2 (bitmasks; users in neither are outside). */
type Profile = [number, number];

const assignmentOf = (P: Profile, n: number): Choice[] => Array.from({ length: n }, (_, i) => choiceOf(P[0], P[1], i));

function sharersOf(g: DuopolyGame, P: Profile): [number[], number[]] {
  return [maskToSet(g.choose(P[0], P[1]), g.n), maskToSet(g.choose(P[1], P[0]), g.n)];
}

function surplusOf(g: DuopolyGame, v: readonly number[], P: Profile): number {
  return evaluateProfile(g, v, P[0], P[1], new Float64Array(g.n)).social;
}

/** Users whose choice differs between two profiles. */
function choiceDistance(P: Profile, Q: Profile, n: number): number {
  let d = 0;
  for (let i = 0; i < n; i++) if (choiceOf(P[0], P[1], i) !== choiceOf(Q[0], Q[1], i)) d++;
  return d;
}

function nearestEquilibrium(P: Profile, eqs: readonly Profile[], n: number): Profile | null {
  let best: Profile | null = null;
  let bestD = Infinity;
  for (const Q of eqs) {
    const d = choiceDistance(P, Q, n);
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
  P: Profile,
  social: number,
  round: number,
  joinMoves: number,
  eq: boolean,
  eqs: readonly Profile[],
  users: JoiningUsers,
  learning: boolean,
  perUser: boolean,
  outside: boolean,
): Record<string, Cell> {
  const [s1, s2] = sharersOf(g, P);
  const choices = assignmentOf(P, g.n);
  const near = nearestEquilibrium(P, eqs, g.n);
  const r: Record<string, Cell> = {
    round,
    joinMoves,
    onPlatform1: choices.filter((k) => k === 1).length,
    ...(outside ? { outside: choices.filter((k) => k === 0).length } : {}),
    sharers1: s1.length,
    sharers2: s2.length,
    socialSurplus: social,
    isJoiningEquilibrium: eq ? 1 : 0,
    distanceToEquilibrium: near !== null ? choiceDistance(P, near, g.n) : '',
  };
  if (perUser) {
    for (let i = 0; i < g.n; i++) {
      r[`platform_${i}`] = choices[i];
      if (learning) r[`beta_${i}`] = users.probability(i, 1);
      if (learning && outside) r[`outside_${i}`] = users.probability(i, 0);
    }
  }
  return r;
}
