/**
 * The one source of randomness for agents (DESIGN.md §2): a seeded generator (seedrandom's Alea), so a run
 * is reproduced exactly from its seed. Nothing in src/agents or src/engine calls Math.random.
 */
import seedrandom from 'seedrandom';

export class Rng {
  private readonly prng: seedrandom.PRNG;
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed;
    this.prng = seedrandom.alea(`datamarket:${seed}`);
  }

  /** Uniform on [0, 1). */
  next(): number {
    return this.prng();
  }

  /** Uniform on [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.prng();
  }

  /** Uniform integer in 0 … n − 1. */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  /** A seeded Fisher–Yates shuffle of 0 … n − 1. */
  permutation(n: number): number[] {
    const out = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}
