/**
 * Preflight for `solve`: every refusal the checker would raise that the validated scenario alone decides
 * (enumeration and table limits, unsupported combinations), thrown as the same InputError the solver
 * would throw, without solving. The CLI calls it before any work and `sweep` on every expanded scenario
 * before anything is written, so a sweep whose run 3 exceeds a limit fails before run 1 writes a row.
 *
 * It only asks each checker module for its up-front limits (check…Limits next to each solver); the solver
 * calls the same functions, so a rule and its message live in one place. The intermediation checker has
 * none: the LP size limit is validation's (INTERMEDIATION_MAX_LP_COLUMNS), and beyond the exact search's
 * limits it reports a non-exhaustive search instead of refusing.
 * Not covered (known only while solving): the community branch and bound's evaluation budget, results
 * that are not finite, LP failures.
 */
import type { Scenario } from '../scenario/validate.js';
import { checkLeakageLimits } from './leakage/index.js';

export function preflightSolve(s: Scenario): void {
  if (s.model === 'leakage') checkLeakageLimits(s);
}
