/**
 * Stopping rules shared by every market (docs/dynamics.md): a run stops at the first round where
 *  - the market is at rest within its tolerance ("tolerance": converged),
 *  - the full state (agents' state and actions) equals the state after an earlier round ("cycle", with
 *    period = the number of rounds between the two), for deterministic dynamics only,
 *  - the state stopped being finite (a step size too large for the dynamics: "diverged"),
 *  - or the round limit is reached ("round-limit").
 * States are compared through a SHA-1 digest of a canonical text (prices at 12 significant digits). Memory
 * is bounded whatever the number of rounds: the digests of the last CYCLE_WINDOW rounds (any cycle of
 * period ≤ CYCLE_WINDOW is caught the first time a state repeats), plus one anchor digest moved to the
 * current state at rounds 2·CYCLE_WINDOW, 4·CYCLE_WINDOW, … (Brent's method: a longer cycle is caught, with
 * its exact period, within a few periods).
 */
import { createHash } from 'node:crypto';

export type StopReason = 'tolerance' | 'cycle' | 'round-limit' | 'diverged';

export interface Stop {
  reason: StopReason;
  /** Period of the detected cycle (rounds), else null. */
  period: number | null;
}

export const CYCLE_WINDOW = 1024;

export class CycleDetector {
  private readonly seen = new Map<string, number>();
  private readonly ring: (string | undefined)[] = new Array<string | undefined>(CYCLE_WINDOW);
  private readonly ringRound = new Float64Array(CYCLE_WINDOW);
  private anchor: string | null = null;
  private anchorRound = 0;
  private nextAnchor = 2 * CYCLE_WINDOW;

  /** Returns the period if `stateKey` was seen after an earlier round, else null; remembers it. */
  check(round: number, stateKey: string): number | null {
    const digest = createHash('sha1').update(stateKey).digest('base64');
    const earlier = this.seen.get(digest);
    if (earlier !== undefined) return round - earlier;
    if (digest === this.anchor) return round - this.anchorRound;
    const slot = round % CYCLE_WINDOW;
    const old = this.ring[slot];
    if (old !== undefined && this.seen.get(old) === this.ringRound[slot]) this.seen.delete(old);
    this.ring[slot] = digest;
    this.ringRound[slot] = round;
    this.seen.set(digest, round);
    if (round >= this.nextAnchor) {
      this.anchor = digest;
      this.anchorRound = round;
      this.nextAnchor *= 2;
    }
    return null;
  }
}
