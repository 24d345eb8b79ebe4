/**
 * Preflight for `simulate`: every refusal a run would raise that the validated scenario and the options
 * alone decide — the dynamics and seed options, combinations simulate does not model, learning's user
 * limit, and the checker's own limits (preflightSolve) on the exact answer the run is compared with — in
 * the order a run meets them, without running anything. The CLI calls it before any work (and before the
 * output folder is created); `sweep` calls it on every expanded scenario before anything is written.
 *
 * The rules live here once: the simulators call the same check… functions where they used to throw.
 * Not covered (known only after solving): the checker finding no equilibrium to compare with, and the checker
 * returning no multi-platform E1.
 */
import { InputError } from '../scenario/errors.js';
import type { IntermediationScenario, LeakageScenario, Scenario } from '../scenario/validate.js';
import { preflightSolve } from '../checker/preflight.js';
import { plannerLimit } from '../checker/intermediation/index.js';
import { checkDuopolyGeneralLimits } from '../checker/leakage/duopoly.js';
import { resolveDynamics, resolveSeed, type ResolvedDynamics, type SimulateOptions } from './options.js';

/** Learning probes one user per round; beyond this many users it needs too many rounds to be useful. */
export const LEARNING_MAX_USERS = 12;

const users = (s: LeakageScenario): number => (s.structure.kind === 'general' ? s.structure.Sigma.length : s.structure.sizes.reduce((a, b) => a + b, 0));

/** One platform: the agents' world models the MSE leakage of one known block covariance on communities. */
export function checkLeakageWorldSupport(s: LeakageScenario): void {
  if (s.structure.kind === 'communities' && (s.communityMixture || s.informationMeasure === 'mutual-information')) {
    // The community agents model MSE leakage of one known block covariance; refuse rather than simulate E_μ[Σ].
    throw new InputError(
      s.communityMixture ? 'uncertainty.covariances' : 'informationMeasure',
      'simulate on communities models the MSE leakage of one known block covariance; solve handles mutual information and Σ ~ μ on communities',
    );
  }
}

/** One platform, learning dynamics: user limit, and what the learning platform cannot learn. */
export function checkLearningSupport(s: LeakageScenario, dyn: ResolvedDynamics): void {
  if (dyn.kind !== 'learning') return;
  const n = users(s);
  if (n > LEARNING_MAX_USERS) {
    throw new InputError('dynamics.kind', `learning is limited to ${LEARNING_MAX_USERS} users (it probes one user per round); this scenario has ${n}`);
  }
  if (s.regulation || s.valueDistribution) {
    throw new InputError(
      'dynamics.kind',
      `learning is not modelled ${s.regulation ? 'under regulation (the learning platform would have to learn the tax schedule)' : 'with unknown values (the mechanism is announced, not learned)'}; use best-response or tatonnement`,
    );
  }
}

/** Two platforms: the join step moves individual users of one known Σ in the plain join-first game. */
type GeneralLeakage = LeakageScenario & { structure: Extract<LeakageScenario['structure'], { kind: 'general' }> };

export function checkDuopolySimSupport(s: LeakageScenario): asserts s is GeneralLeakage {
  if (s.postedPrices) throw new InputError('postedPrices', 'simulate plays the join-then-price duopoly; the posted-price grid game is solved exactly by solve');
  if (s.structure.kind !== 'general') {
    throw new InputError('communities', 'simulate with platforms: 2 needs a general covariance (the join step moves individual users); solve handles communities');
  }
  // The join step plays the plain join-first game; refuse what it does not model rather than ignore it.
  const unmodelled = s.regulation
    ? ['regulation', 'regulated duopolies are solved exactly by solve; the join step of simulate is unregulated']
    : s.covarianceMixture
      ? ['uncertainty.covariances', 'two platforms with Σ ~ μ are solved exactly by solve; the join step of simulate uses one known Σ']
      : s.informationMeasure === 'mutual-information'
        ? ['informationMeasure', 'the join step of simulate uses the MSE leakage; solve handles mutual information with two platforms']
        : undefined;
  if (unmodelled) throw new InputError(unmodelled[0], unmodelled[1]);
}

/** Several platforms (GP): one merchant each, record-price tatonnement only. */
export function checkMultiPlatformSimSupport(s: IntermediationScenario, dyn: ResolvedDynamics, fromFlag = false): void {
  (s.platforms ?? []).forEach((p, i) => {
    if ((p as { merchants?: unknown }).merchants) {
      throw new InputError(`platforms.${i}.merchants`, 'simulate runs one merchant per platform; several merchants are solved exactly by solve');
    }
  });
  if (dyn.kind !== 'tatonnement') {
    // named where the kind came from (review: a --dynamics flag was reported as the scenario's field)
    throw new InputError(fromFlag ? '--dynamics' : 'dynamics.kind', `multi-platform simulate runs record-price tatonnement only, not ${dyn.kind}; leave ${fromFlag ? 'the flag' : 'the field'} out (tatonnement is the default with platforms)`);
  }
}

/** Throws the InputError a `simulateScenario(s, opts)` run would throw up front; returns the resolved dynamics. */
export function preflightSimulate(s: Scenario, opts: SimulateOptions = {}): ResolvedDynamics {
  // several platforms run the record-price tatonnement only: it is their default (review: a platforms scenario
  // without a dynamics field was refused, naming --dynamics)
  const dyn = resolveDynamics(s.dynamics, opts, s.model === 'intermediation' && s.platforms ? 'tatonnement' : 'best-response');
  resolveSeed(s.seed, opts);
  if (s.model === 'leakage') {
    if (s.platforms === 2) {
      checkDuopolySimSupport(s);
      checkDuopolyGeneralLimits(users(s));
      // the join step builds the checker's duopoly game itself; the sweep's first-best column solves too
      preflightSolve(s);
    } else {
      preflightSolve(s);
      checkLeakageWorldSupport(s);
      checkLearningSupport(s, dyn);
    }
  } else {
    if (s.platforms) checkMultiPlatformSimSupport(s, dyn, opts.dynamics !== undefined);
    else checkRemedySupport(s);
    preflightSolve(s);
  }
  return dyn;
}

/**
 * A remedy run is compared with the checker's remedy, which needs the planner's maximum: where the scenario alone
 * says the checker will not compute it (`plannerLimit`), the run is refused up front, with the message the run
 * itself would end with (a sweep ran and wrote rows before it: review).
 */
export function checkRemedySupport(s: IntermediationScenario): void {
  if (s.remedy === 'none') return;
  const reason = plannerLimit(s);
  if (reason) throw new InputError('remedy', `the checker has no "${s.remedy}" remedy for this scenario (${reason})`);
}
