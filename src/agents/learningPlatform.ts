/**
 * A leakage platform that does not know the model (Σ, v, τ² are hidden from it): it learns, from whether
 * each user accepts an offer and from its own realised payoff, the least price each user accepts and which
 * users are worth buying. Decision rule (docs/dynamics.md, "learning"):
 *
 * Prices — randomized bisection per targeted user, on a bracket [lo_i, hi_i] of her acceptance threshold:
 *  - verify round: every target is offered hi_i (or, while hi_i = ∞, an upward guess p0·2^k). A target that
 *    accepts sets hi_i to her price; one who rejects a finite hi_i had her threshold raised by others
 *    leaving, so her bracket restarts (hi_i = ∞, lo_i = 0). When all targets accept, the round is "clean".
 *  - probe round (after a clean verify): one user i whose bracket is wider than tol·max(1, hi_i) is offered
 *    lo_i + θ (hi_i − lo_i), θ ~ U(½ − η/2, ½ + η/2) (η = `step`, seeded), the others hi_j. With the others
 *    at prices they accept, her answer is exactly "p ≥ her threshold given the target set" (MODEL.md B.3
 *    monotonicity), so accept → hi_i = p, reject → lo_i = p. Other users' answers in a probe round are
 *    not used.
 * Targets — local search with measured payoffs: start by targeting everyone; once all brackets are tight,
 * the payoff of the target at prices hi is recorded, then the platform tries, in a seeded random order,
 * each single-user flip of the target and buying nothing, learning prices for the trial and keeping it
 * if its payoff is higher by more than 10·n·tol·max(1, |payoff|) (learned prices are above the exact ones by
 * at most tol each). A full pass with no improvement ends learning (`atRest`) once the incumbent's target has been
 * offered its prices again and every target accepted (a verify round of the incumbent, not of the last trial).
 */
import type { Rng } from './rng.js';
import type { LeakagePlatform, PlatformFeedback, PlatformView } from './platform.js';

/** First price offered to a user whose threshold is not yet bracketed (the platform's own value of one unit
 * of leaked information is 1). */
export const LEARNING_INITIAL_PRICE = 1;

interface Brackets {
  lo: Float64Array;
  hi: Float64Array;
}

type Phase = 'verify' | 'probe';

export class LearningPlatform implements LeakagePlatform {
  readonly target: Uint8Array;
  private lo: Float64Array;
  private hi: Float64Array;
  /** Next upward guess for users with hi = ∞. */
  private guess: Float64Array;
  private phase: Phase = 'verify';
  private probed = -1;
  private probePrice = 0;
  private cursor = 0;
  private readonly n: number;
  /** Accepted target and its settled payoff (null until the first target has tight brackets). */
  private incumbent: { target: Uint8Array; payoff: number; brackets: Brackets } | null = null;
  /** Candidate moves of the current pass: a user index to flip, or −1 for "buy nothing". */
  private pass: number[] = [];
  private trying: number | null = null;
  /** The last pass found no improvement: the incumbent's target is posted again and learning ends once it is verified. */
  private finishing = false;
  private done = false;
  private lastPrices: Float64Array;
  /** Counters for the summary. */
  trials = 0;
  acceptedMoves = 0;

  constructor(
    n: number,
    private readonly rng: Rng,
    private readonly step: number,
    private readonly tolerance: number,
  ) {
    this.n = n;
    this.target = new Uint8Array(n).fill(1);
    this.lo = new Float64Array(n);
    this.hi = new Float64Array(n).fill(Infinity);
    this.guess = new Float64Array(n).fill(LEARNING_INITIAL_PRICE);
    this.lastPrices = new Float64Array(n);
  }

  private tight(i: number): boolean {
    return this.hi[i] - this.lo[i] <= this.tolerance * Math.max(1, this.hi[i]);
  }

  private allTight(): boolean {
    for (let i = 0; i < this.n; i++) if (this.target[i] && !this.tight(i)) return false;
    return true;
  }

  offer(_view: PlatformView, out: Float64Array): void {
    // _view.leakWithout is deliberately ignored: this platform does not know the model.
    out.fill(0);
    this.probed = -1;
    if (this.phase === 'probe') {
      let chosen = -1;
      for (let k = 0; k < this.n; k++) {
        const i = (this.cursor + k) % this.n;
        if (this.target[i] && !this.tight(i)) {
          chosen = i;
          break;
        }
      }
      if (chosen >= 0) {
        this.cursor = (chosen + 1) % this.n;
        const theta = this.rng.uniform(0.5 - this.step / 2, 0.5 + this.step / 2);
        this.probed = chosen;
        this.probePrice = this.lo[chosen] + theta * (this.hi[chosen] - this.lo[chosen]);
      } else this.phase = 'verify';
    }
    for (let i = 0; i < this.n; i++) {
      if (!this.target[i]) continue;
      out[i] = i === this.probed ? this.probePrice : Number.isFinite(this.hi[i]) ? this.hi[i] : this.guess[i];
    }
    this.lastPrices.set(out);
  }

  observe(fb: PlatformFeedback): void {
    if (this.done) return;
    if (this.probed >= 0) {
      const i = this.probed;
      if (fb.actions[i]) this.hi[i] = this.probePrice;
      else this.lo[i] = this.probePrice;
      if (this.allTight()) this.phase = 'verify';
      return;
    }
    // Verify round.
    let clean = true;
    for (let i = 0; i < this.n; i++) {
      if (!this.target[i]) continue;
      if (fb.actions[i]) {
        this.hi[i] = this.lastPrices[i];
        if (this.lo[i] > this.hi[i]) this.lo[i] = 0;
      } else {
        clean = false;
        if (Number.isFinite(this.hi[i])) {
          this.hi[i] = Infinity;
          this.lo[i] = 0;
          this.guess[i] = Math.max(LEARNING_INITIAL_PRICE, 2 * this.lastPrices[i]);
        } else this.guess[i] = Math.max(LEARNING_INITIAL_PRICE, 2 * this.lastPrices[i]);
      }
    }
    if (!clean) return;
    if (!this.allTight()) {
      this.phase = 'probe';
      return;
    }
    // the incumbent's own prices accepted again after the last pass: at rest (ending in the round that rejected the
    // last trial left that trial's offers and shares as the final state — no trade where the incumbent sold: review)
    if (this.finishing) {
      this.done = true;
      return;
    }
    this.settled(fb.payoff);
  }

  /** The current target has tight brackets and was just verified with payoff `payoff`. */
  private settled(payoff: number): void {
    const snapshot = (): Brackets => ({ lo: Float64Array.from(this.lo), hi: Float64Array.from(this.hi) });
    if (this.incumbent === null) {
      this.incumbent = { target: Float64ArrayToTarget(this.target), payoff, brackets: snapshot() };
      this.newPass();
    } else if (this.trying !== null) {
      const inc = this.incumbent;
      const margin = 10 * this.n * this.tolerance * Math.max(1, Math.abs(inc.payoff));
      this.trials++;
      if (payoff > inc.payoff + margin) {
        this.acceptedMoves++;
        this.incumbent = { target: Uint8Array.from(this.target), payoff, brackets: snapshot() };
        this.trying = null;
        this.newPass();
      } else {
        this.target.set(inc.target);
        this.lo = Float64Array.from(inc.brackets.lo);
        this.hi = Float64Array.from(inc.brackets.hi);
        this.trying = null;
      }
    }
    this.nextTrial();
  }

  private newPass(): void {
    this.pass = [...this.rng.permutation(this.n), -1];
  }

  private nextTrial(): void {
    const inc = this.incumbent;
    if (inc === null) return;
    while (this.pass.length > 0) {
      const move = this.pass.shift() as number;
      if (move === -1 && !inc.target.some((x) => x === 1)) continue;
      this.trying = move;
      if (move === -1) this.target.fill(0);
      else this.target[move] ^= 1;
      // The others' thresholds move with the target: keep the upper bounds (a verify round checks them)
      // and forget the lower bounds; a newly targeted user starts unbracketed.
      this.lo.fill(0);
      if (move >= 0 && this.target[move]) {
        this.hi[move] = Infinity;
        this.guess[move] = LEARNING_INITIAL_PRICE;
      }
      this.phase = 'verify';
      return;
    }
    this.finishing = true;
    this.phase = 'verify';
  }

  atRest(): boolean {
    return this.done;
  }

  stateKey(): string {
    return ''; // random exploration: cycles are not detected for learning (docs/dynamics.md)
  }

  describe(): string {
    return `platform: learns acceptance thresholds by randomized bisection (θ ~ U(½ ± ${this.step}/2)) and its target by trial flips compared on measured payoffs; it does not know Σ or v`;
  }
}

function Float64ArrayToTarget(t: Uint8Array): Uint8Array {
  return Uint8Array.from(t);
}
