/**
 * How a model-aware leakage platform improves the set of users it buys from (its "target"), one move per
 * round: a local search on Φ(A) (AMMO Thm 1; Φ evaluated by the model through LeakageWorld), unlike the
 * checker, which enumerates every set. Neighbourhoods:
 *  - general Σ: the current target, every single-user flip of it, and buying nothing (∅, Φ = 0);
 *  - communities: for each block, every sharer count 0 … n_g with the other blocks fixed (a coordinate
 *    line search over counts; the targeted users of a block are its first m_g), and buying nothing.
 * A move is taken only if it raises Φ by more than MOVE_TOL·max(1, |Φ|); among equal best moves the larger
 * set wins (AMMO fn 10: an indifferent platform still buys), then the lower user index / block.
 * A local search can stop at a set that is not the global argmax; the engine then reports the distance to
 * the checker instead of hiding it.
 */
import { setOf, type LeakageWorld } from './leakageWorld.js';

export const MOVE_TOL = 1e-10;

export interface TargetSearch {
  /** One improving move from `target` (modified in place); returns true if the target changed. */
  improve(target: Uint8Array): boolean;
}

export function makeTargetSearch(world: LeakageWorld): TargetSearch {
  return world.kind === 'general' ? new FlipSearch(world) : new CountSearch(world);
}

const better = (cand: number, size: number, best: number, bestSize: number): boolean => {
  const tol = MOVE_TOL * Math.max(1, Math.abs(best));
  return cand > best + tol || (cand >= best - tol && size > bestSize);
};

class FlipSearch implements TargetSearch {
  constructor(private readonly world: LeakageWorld) {}
  improve(target: Uint8Array): boolean {
    const cur = this.world.platformValueOf(target);
    const size = setOf(target).length;
    let best = cur;
    let bestSize = size;
    let move = -2; // −2: stay, −1: buy nothing, i: flip user i
    for (let i = 0; i < target.length; i++) {
      target[i] ^= 1;
      const val = this.world.platformValueOf(target);
      const sz = size + (target[i] ? 1 : -1);
      target[i] ^= 1;
      const tol = MOVE_TOL * Math.max(1, Math.abs(cur));
      if (val > cur + tol && better(val, sz, best, bestSize)) {
        best = val;
        bestSize = sz;
        move = i;
      }
    }
    if (size > 0 && 0 > cur + MOVE_TOL * Math.max(1, Math.abs(cur)) && better(0, 0, best, bestSize)) move = -1;
    if (move === -2) return false;
    if (move === -1) target.fill(0);
    else target[move] ^= 1;
    return true;
  }
}

class CountSearch implements TargetSearch {
  constructor(private readonly world: LeakageWorld) {}
  improve(target: Uint8Array): boolean {
    const { sizes, block } = this.world;
    const m = new Array<number>(sizes.length).fill(0);
    for (let i = 0; i < target.length; i++) if (target[i]) m[block[i]]++;
    const cur = this.world.platformValueOfCounts(m);
    const total = m.reduce((a, b) => a + b, 0);
    const tol = MOVE_TOL * Math.max(1, Math.abs(cur));
    let best = cur;
    let bestSize = total;
    let move: { g: number; count: number } | null = null;
    for (let g = 0; g < sizes.length; g++) {
      const keep = m[g];
      for (let c = 0; c <= sizes[g]; c++) {
        if (c === keep) continue;
        m[g] = c;
        const val = this.world.platformValueOfCounts(m);
        const sz = total - keep + c;
        if (val > cur + tol && better(val, sz, best, bestSize)) {
          best = val;
          bestSize = sz;
          move = { g, count: c };
        }
      }
      m[g] = keep;
    }
    let none = false;
    if (total > 0 && 0 > cur + tol && better(0, 0, best, bestSize)) none = true;
    if (!none && move === null) return false;
    if (none) {
      target.fill(0);
      return true;
    }
    const { g, count } = move as { g: number; count: number };
    let seen = 0;
    for (let i = 0; i < target.length; i++) {
      if (block[i] !== g) continue;
      target[i] = seen < count ? 1 : 0;
      seen++;
    }
    return true;
  }
}
