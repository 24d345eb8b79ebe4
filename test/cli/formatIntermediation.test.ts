/**
 * The "search NOT exhaustive" line of `solve`'s text: the exact search's own `limits` (maxTypes, maxFaces) carry no
 * reason, so a non-exact exact search printed "undefined; verified candidate search" (seen on a 4-type market whose
 * bilinear face went to the grid); the candidate search's reason is printed as it is.
 */
import { describe, expect, it } from 'vitest';
import { formatIntermediation } from '../../src/cli/formatIntermediation.js';

const base = { platformValue: 1, recordPrices: [{ lower: 1, upper: 1 }], equilibria: [] };

describe('formatIntermediation: why a search is not exhaustive', () => {
  it('the exact search with a grid face names the counters, never "undefined"', () => {
    const text = formatIntermediation({ ...base, equilibriumSearch: { exact: false, bilinearFaces: 1, limits: { maxTypes: 5, maxFaces: 20000 } } });
    expect(text).not.toMatch(/undefined/);
    expect(text).toMatch(/search NOT exhaustive: a face searched on a grid, or a failed re-check \(see equilibriumSearch: bilinearFaces/);
  });
  it('beyond the limits, the reason', () => {
    const text = formatIntermediation({ ...base, equilibriumSearch: { exact: false, limits: { exceeded: 'types', reason: 'at most 5 types' } } });
    expect(text).toMatch(/search NOT exhaustive: at most 5 types; verified candidate search, other equilibria may exist/);
  });
  it('an exact search says nothing', () => {
    expect(formatIntermediation({ ...base, equilibriumSearch: { exact: true, limits: { maxTypes: 5, maxFaces: 20000 } } })).not.toMatch(/NOT exhaustive/);
  });
});
