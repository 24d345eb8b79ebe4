import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clone, setPath, setPathShared } from '../../src/batch/paths.js';

/** Every dotted path of a JSON tree (arrays by index), the empty path excluded. */
function allPaths(x: unknown, prefix = ''): string[] {
  if (x === null || typeof x !== 'object') return [];
  const entries = Array.isArray(x) ? x.map((v, i) => [String(i), v] as const) : Object.entries(x as Record<string, unknown>);
  return entries.flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return [p, ...allPaths(v, p)];
  });
}

describe('copy-on-write override application', () => {
  it('gives the same tree and the same refusals as setPath on a deep copy, and never changes the base', () => {
    const tree = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1 });
    fc.assert(
      fc.property(tree, fc.array(fc.tuple(fc.nat(), fc.constantFrom('', '.0', '.1', '.x', '.a.b', '.7')), { minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), (base, picks, value) => {
        const snapshot = JSON.stringify(base);
        const paths = allPaths(base);
        const expected = clone(base) as Record<string, unknown>;
        const sharedBase = JSON.parse(snapshot) as Record<string, unknown>;
        const cow: Record<string, unknown> = { ...sharedBase };
        const fresh = new WeakSet<object>([cow]);
        for (const [k, suffix] of picks) {
          const path = paths.length > 0 ? paths[k % paths.length] + suffix : `a${suffix}`;
          const ok = setPath(expected, path, value);
          expect(setPathShared(cow, path, value, fresh)).toBe(ok);
          if (!ok) return; // both refuse: the caller throws, the partial tree is discarded
        }
        expect(cow).toEqual(expected);
        expect(JSON.stringify(sharedBase)).toBe(snapshot);
      }),
      { numRuns: 300 },
    );
  });

  it('shares untouched subtrees and copies only the path it changes', () => {
    const base = { covariance: [[1, 0.5], [0.5, 1]], privacyValues: [1, 2] };
    const cow: Record<string, unknown> = { ...base };
    expect(setPathShared(cow, 'privacyValues.0', 3, new WeakSet([cow]))).toBe(true);
    expect(cow.covariance).toBe(base.covariance);
    expect(cow.privacyValues).toEqual([3, 2]);
    expect(base.privacyValues).toEqual([1, 2]);
  });
});
