/**
 * findE2Multi's flags when a sub-search does not resolve: with one platform and four types, every allocation with
 * two or more split types is searched only if the three-interior slices of every triple (threeInteriorMulti) and the
 * volume search are complete. A market whose three-interior slices fail while its volumes resolve is hard to build,
 * so the failure is injected (vi.mock of e2MultiPairs.js, as the LP failures of test/reliability are).
 * Market: γ = 0, only type 0's buyer values records, types 1–3 keep theirs at value 1 — a cheap market whose every
 * slice and volume resolves (under a second).
 */
import { describe, expect, it, vi } from 'vitest';
import { highsSolver } from '../../src/lp/index.js';
import { findE2Multi } from '../../src/model/intermediation/e2Multi.js';
import { designOf } from '../../src/model/intermediation/multiPlatform.js';

// switched on by the second test: threeInteriorMulti then reports a slice that did not resolve
const fault = vi.hoisted(() => ({ incomplete: false }));
vi.mock('../../src/model/intermediation/e2MultiPairs.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../src/model/intermediation/e2MultiPairs.js')>();
  return {
    ...mod,
    threeInteriorMulti: (...args: Parameters<typeof mod.threeInteriorMulti>) => {
      const r = mod.threeInteriorMulti(...args);
      return fault.incomplete ? { ...r, complete: false } : r;
    },
  };
});

describe('findE2Multi, one platform, four types: an unresolved three-interior slice voids the flags that rest on it', () => {
  const types = [1, 2, 3, 4];
  const game = { types, fees: types, gammaU: 0, gammaPi: 0 };
  const buyerWeights = [1, 0, 0, 0];
  const market = async () => ({
    solver: await highsSolver(),
    m: { designs: [designOf({ game, buyerWeights, merchants: { types, merchantFees: [types], competition: 'separate', gammaU: 0, gammaPi: 0 } })], qBar: [1, 0.5, 0.8, 0.6], keepValue: [0, 1, 1, 1] },
  });

  it('everything resolves: every allocation searched with the volume search', async () => {
    const { solver, m } = await market();
    fault.incomplete = false;
    const r = findE2Multi(solver, m, { manyInterior: true });
    expect(r.manyInterior).toEqual({ requested: true, complete: true });
    expect(r.threeInteriorUnsold).toBe(true);
    expect(r.searched.severalSplitTypes).toBe(true);
  }, 60_000);

  it('a three-interior slice unresolved: severalSplitTypes and threeInteriorUnsold false, the volumes still complete', async () => {
    const { solver, m } = await market();
    fault.incomplete = true;
    try {
      const r = findE2Multi(solver, m, { manyInterior: true });
      expect(r.manyInterior).toEqual({ requested: true, complete: true });
      expect(r.threeInteriorUnsold).toBe(false);
      expect(r.searched.severalSplitTypes).toBe(false);
      expect(r.searched.twoSplitTypes).toBe(true);
    } finally {
      fault.incomplete = false;
    }
  }, 60_000);
});
