import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expandSweep, type ResolvedSweep } from '../../src/batch/expand.js';
import { InputError } from '../../src/scenario/errors.js';

const base = {
  name: 'two-communities',
  model: 'leakage',
  communities: { sizes: [3, 2], variance: 1, within: 0.05, across: 0.02 },
  privacyValues: [0.9, 5],
};

function sweep(over: Partial<ResolvedSweep>): ResolvedSweep {
  return { name: 's', command: 'solve', base, grid: {}, runs: [], replicates: 1, seed: 7, ...over };
}

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('sweep expansion', () => {
  it("refuses the scenario's seed as a sweep key: each row's seed is derived (review: the override took the seed column's place and ran nowhere)", () => {
    expect(inputError(() => expandSweep(sweep({ grid: { seed: [7, 8] } }))).path).toBe('grid.seed');
    expect(inputError(() => expandSweep(sweep({ runs: [{ 'seed|noiseVariance': 1 }] }))).path).toBe('runs.0.seed|noiseVariance');
  });

  it('crosses explicit runs with the grid and replicates, last grid key fastest', () => {
    const p = expandSweep(
      sweep({
        grid: { 'communities.across': [0, 0.01, 0.02], 'privacyValues.1': [2, 5] },
        runs: [{ noiseVariance: 0.5 }, { noiseVariance: 2 }],
        replicates: 3,
      }),
    );
    expect(p.runs).toHaveLength(2 * 3 * 2);
    expect(p.tasks).toHaveLength(2 * 3 * 2 * 3);
    expect(p.overrideColumns).toEqual(['noiseVariance', 'communities.across', 'privacyValues.1']);
    // Enumerate the expected order independently with nested loops.
    const expected: [number, number, number][] = [];
    for (const nv of [0.5, 2]) for (const a of [0, 0.01, 0.02]) for (const v of [2, 5]) expected.push([nv, a, v]);
    p.runs.forEach((r, i) => {
      const [nv, a, v] = expected[i];
      expect(r.run).toBe(i);
      expect(r.overrides).toEqual({ noiseVariance: nv, 'communities.across': a, 'privacyValues.1': v });
      const s = r.scenario;
      if (s.model !== 'leakage' || s.structure.kind !== 'communities') throw new Error('wrong model');
      expect(s.noiseVariance).toBe(nv);
      expect(s.structure.across).toBe(a);
      expect(s.privacyValues).toEqual([0.9, v]);
    });
    // Tasks: run-major, replicate-minor, indices 0..N-1.
    p.tasks.forEach((t, k) => {
      expect(t.index).toBe(k);
      expect(t.run).toBe(Math.floor(k / 3));
      expect(t.replicate).toBe(k % 3);
    });
  });

  it('counts runs as the product of grid sizes times explicit runs (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), (a, b, r, reps) => {
        const p = expandSweep(
          sweep({
            grid: { 'communities.within': Array.from({ length: a }, (_, i) => 0.01 * i), 'privacyValues.0': Array.from({ length: b }, (_, i) => 0.5 + i) },
            runs: Array.from({ length: r }, (_, i) => ({ noiseVariance: 1 + i })),
            replicates: reps,
          }),
        );
        expect(p.runs).toHaveLength(a * b * Math.max(r, 1));
        expect(p.tasks).toHaveLength(a * b * Math.max(r, 1) * reps);
        const keys = new Set(p.runs.map((x) => JSON.stringify(x.overrides)));
        expect(keys.size).toBe(p.runs.length);
      }),
      { numRuns: 30 },
    );
  });

  it('ties several paths to one value with |', () => {
    const p = expandSweep(
      sweep({
        base: { name: 'two', model: 'leakage', covariance: [[1, 0], [0, 1]], privacyValues: [1, 1] },
        grid: { 'covariance.0.1|covariance.1.0': [0.3, 0.6], 'privacyValues.0|privacyValues.1': [1.5] },
      }),
    );
    const s = p.runs[1].scenario;
    if (s.model !== 'leakage' || s.structure.kind !== 'general') throw new Error('wrong model');
    expect(s.structure.Sigma).toEqual([[1, 0.6], [0.6, 1]]);
    expect(s.privacyValues).toEqual([1.5, 1.5]);
  });

  it('names a grid path that is not in the scenario', () => {
    const e = inputError(() => expandSweep(sweep({ grid: { 'communities.acros': [0.1] } })));
    expect(e.line()).toBe('error: grid.communities.acros: no such field in the scenario');
    expect(inputError(() => expandSweep(sweep({ runs: [{ 'privacyValues.2': 1 }] }))).line()).toBe('error: runs.0.privacyValues.2: no such field in the scenario');
    expect(inputError(() => expandSweep(sweep({ grid: { 'name.x': [1] } }))).line()).toBe('error: grid.name.x: no such field in the scenario');
  });

  it('allows an optional field the base leaves out', () => {
    const p = expandSweep(sweep({ grid: { noiseVariance: [0.5, 2] } }));
    expect(p.runs.map((r) => (r.scenario.model === 'leakage' ? r.scenario.noiseVariance : 0))).toEqual([0.5, 2]);
  });

  it('reports an invalid expanded scenario with its run', () => {
    // across = 0.9 with blocks of 3 and 2 is not positive semi-definite.
    const e = inputError(() => expandSweep(sweep({ grid: { 'communities.across': [0.02, 0.9] } })));
    expect(e.path).toBe('communities');
    expect(e.detail).toContain('run 1: communities.across=0.9');
  });

  it('refuses a path set both in runs and in the grid, and sweeping the model', () => {
    expect(inputError(() => expandSweep(sweep({ grid: { noiseVariance: [1] }, runs: [{ noiseVariance: 2 }] }))).path).toBe('runs.0.noiseVariance');
    expect(inputError(() => expandSweep(sweep({ grid: { model: ['intermediation'] } }))).path).toBe('grid.model');
  });

  it('refuses a path set by two keys however they overlap: a tie, two grid keys, parent and child, twice in one tie (review)', () => {
    const at = (over: Partial<ResolvedSweep>) => inputError(() => expandSweep(sweep(over))).path;
    // the later key wins, and the earlier key's column named a value never used: every case is an input error
    expect(at({ grid: { 'privacyValues.0|privacyValues.1': [1, 2] }, runs: [{ 'privacyValues.0': 3 }] })).toBe('runs.0.privacyValues.0');
    expect(at({ grid: { 'privacyValues.0': [1], 'privacyValues.0|privacyValues.1': [2] } })).toBe('grid.privacyValues.0|privacyValues.1');
    expect(at({ grid: { communities: [base.communities], 'communities.within': [0.01] } })).toBe('grid.communities.within');
    expect(at({ runs: [{ 'communities.within': 0.01, communities: base.communities }] })).toBe('runs.0.communities');
    expect(at({ grid: { 'noiseVariance|noiseVariance': [1] } })).toBe('grid.noiseVariance|noiseVariance');
    expect(inputError(() => expandSweep(sweep({ grid: { 'privacyValues.0': [1], 'privacyValues.0|privacyValues.1': [2] } }))).detail).toContain('privacyValues.0');
    // paths that only share a prefix of characters are distinct, and different runs may set the same path
    expect(() => expandSweep(sweep({ grid: { 'communities.within': [0.01] }, runs: [{ 'communities.across': 0.01 }, { 'communities.across': 0.02 }] }))).not.toThrow();
    expect(at({ grid: { 'a.__proto__': [1] } })).toBe('grid.a.__proto__');
    // an index is read as a number: 01 is 1 (review: both runs used 3 while the column said 1 and 2)
    expect(at({ grid: { 'privacyValues.01': [1, 2], 'privacyValues.1': [3] } })).toBe('grid.privacyValues.1');
  });

  it('names an override number that overflowed to Infinity where it stands (it was reported as null: review)', () => {
    const e = inputError(() => expandSweep(sweep({ grid: { noiseVariance: [1, Infinity] } })));
    expect(e.path).toBe('grid.noiseVariance.1');
    expect(e.detail).toContain('Infinity');
    expect(inputError(() => expandSweep(sweep({ runs: [{ privacyValues: [1, -Infinity] }] }))).path).toBe('runs.0.privacyValues.1');
  });

  it('validates the base scenario itself', () => {
    const e = inputError(() => expandSweep(sweep({ base: { ...base, privacyValues: [1] } })));
    expect(e.path).toBe('base.privacyValues');
  });
});

describe('validation of many expanded runs (the spectrum is memoised by exact entries)', () => {
  const general = { name: 'g', model: 'leakage', covariance: [[1, 0.5], [0.5, 1]], privacyValues: [1, 1] };

  it('refuses the first non-PSD run even after PSD runs with the same shape, and accepts later valid ones', () => {
    // [[1, ρ], [ρ, 1]] has eigenvalues 1 ± ρ: PSD iff |ρ| ≤ 1. ρ = 1.5 is run 2 → smallest eigenvalue −0.5.
    const e = inputError(() => expandSweep(sweep({ base: general, grid: { 'covariance.0.1|covariance.1.0': [0.5, 0.9, 1.5, 0.5] } })));
    expect(e.path).toBe('covariance');
    expect(e.detail).toMatch(/smallest eigenvalue -0\.500000 \(in run 2: /);
    // The same matrices in another order: the cached spectra of the valid ones do not leak into the others.
    const ok = expandSweep(sweep({ base: general, grid: { 'covariance.0.1|covariance.1.0': [0.5, -1, 1, 0.5, 0] } }));
    expect(ok.runs.map((r) => (r.scenario.model === 'leakage' && r.scenario.structure.kind === 'general' ? r.scenario.structure.Sigma[0][1] : null))).toEqual([0.5, -1, 1, 0.5, 0]);
    expect(inputError(() => expandSweep(sweep({ base: general, grid: { 'covariance.0.1|covariance.1.0': [0.5, -1.0000001] } }))).detail).toMatch(/in run 1/);
  });

  it('returns a fresh spectrum each time (callers may not corrupt the memo)', async () => {
    const { symmetricEigenvalues } = await import('../../src/scenario/validate.js');
    const S = [[2, 1], [1, 2]];
    const a = symmetricEigenvalues(S);
    a[0] = 99;
    // Eigenvalues of [[2, 1], [1, 2]] are 1 and 3.
    expect([...symmetricEigenvalues(S)].sort((x, y) => x - y).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([1, 3]);
  });
});
