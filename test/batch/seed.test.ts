import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deriveSeed } from '../../src/batch/seed.js';
import { expandSweep } from '../../src/batch/expand.js';

/** The documented formula, written again here: first 4 bytes of sha256 as a big-endian uint32. */
function reference(seed: number, run: number, rep: number): number {
  const b = createHash('sha256').update(`datamarket-seed:${seed}:${run}:${rep}`).digest();
  return ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
}

describe('seed derivation', () => {
  it('follows the documented formula and is a uint32', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 100000 }), fc.nat({ max: 1000 }), (s, r, k) => {
        const x = deriveSeed(s, r, k);
        expect(x).toBe(reference(s, r, k));
        expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
      }),
    );
  });

  it('differs across runs, replicates and sweep seeds', () => {
    const seen = new Set<number>();
    for (let r = 0; r < 20; r++) for (let k = 0; k < 10; k++) seen.add(deriveSeed(1, r, k));
    expect(seen.size).toBe(200);
    expect(deriveSeed(1, 0, 0)).not.toBe(deriveSeed(2, 0, 0));
  });

  it('is what the expanded tasks carry', () => {
    const p = expandSweep({
      name: 's',
      command: 'solve',
      base: { name: 'b', model: 'leakage', covariance: [[1]], privacyValues: [1] },
      grid: { 'privacyValues.0': [0.5, 1.5] },
      runs: [],
      replicates: 2,
      seed: 42,
    });
    expect(p.tasks.map((t) => t.seed)).toEqual([reference(42, 0, 0), reference(42, 0, 1), reference(42, 1, 0), reference(42, 1, 1)]);
  });
});
