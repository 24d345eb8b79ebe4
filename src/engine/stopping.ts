/**
 * Stopping rules shared by every market (docs/dynamics.md): a run stops at the first round where
 *  - the market is at rest within its tolerance ("tolerance": converged),
 *  - the full state (agents' state and actions) equals the state after an earlier round ("cycle", with
 *    period = the number of rounds between the two), for deterministic dynamics only,
 *  - the state stopped being finite (a step size too large for the dynamics: "diverged"),
 *  - or the round limit is reached ("round-limit").
 * States are compared through a SHA-1 digest of a canonical text (prices at 12 significant digits), so
 * memory stays O(rounds) whatever the number of agents.
 */
import { createHash } from 'node:crypto';

export type StopReason = 'tolerance' | 'cycle' | 'round-limit' | 'diverged';

export interface Stop {
  reason: StopReason;
  /** Period of the detected cycle (rounds), else null. */
  period: number | null;
}

export class CycleDetector {
  private readonly seen = new Map<string, number>();
  /** Returns the period if `stateKey` was seen after an earlier round, else null; remembers it. */
  check(round: number, stateKey: string): number | null {
    const digest = createHash('sha1').update(stateKey).digest('base64');
    const earlier = this.seen.get(digest);
    if (earlier !== undefined) return round - earlier;
    this.seen.set(digest, round);
    return null;
  }
}
