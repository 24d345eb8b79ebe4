import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VectorMap } from '../../src/model/intermediation/vectorMap.js';

describe('VectorMap: keyed by vectors as Map<string> keyed by their join() was', () => {
  it('agrees with a Map keyed by join() on random keys with repeats, overwrites included', () => {
    const coord = fc.oneof(fc.constantFrom(0, -0, 0.5, 1, 1e-300, 0.1 + 0.2), fc.double({ min: -10, max: 10, noNaN: true }));
    // keys drawn from a small pool, so that most are set again (overwrites) and looked up more than once
    const pool = fc.array(fc.array(coord, { minLength: 0, maxLength: 4 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(pool, fc.array(fc.tuple(fc.nat(), fc.integer()), { maxLength: 60 }), (keys, picks) => {
        const ops = picks.map(([n, x]): [number[], number] => [keys[n % keys.length], x]);
        const v = new VectorMap<number>();
        const m = new Map<string, number>();
        for (const [k, x] of ops) {
          v.set(k, x);
          m.set(k.join(), x);
        }
        expect(v.size).toBe(m.size);
        return keys.every((k) => v.get(k) === m.get(k.join()));
      }),
      { numRuns: 200, seed: 7 },
    );
  });
  it('0 and −0 are one key; vectors of different lengths are not; the key is copied', () => {
    const v = new VectorMap<string>();
    const k = [0, 1];
    v.set(k, 'a');
    expect(v.get([-0, 1])).toBe('a');
    expect(v.get([0, 1, 0])).toBeUndefined();
    expect(v.get([0])).toBeUndefined();
    k[1] = 2;
    expect(v.get([0, 1])).toBe('a');
    expect(v.get([0, 2])).toBeUndefined();
    // 0.1 + 0.2 and 0.3 differ in their last bit: two keys
    v.set([0.1 + 0.2], 'b');
    expect(v.get([0.3])).toBeUndefined();
  });
});
