/**
 * docs/numerics.md: every checker result passes assertFinite. The intermediation result writes unbounded
 * price ends as null (JSON has no ±∞), including GP E2's price intervals: with mass [1, 0] nobody holds a
 * type-2 record, so any price above its lower end supports the equilibrium (upper end unbounded → null).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { validateScenario } from '../../src/scenario/index.js';
import { solveIntermediation } from '../../src/checker/intermediation/index.js';
import type { IntermediationScenario } from '../../src/scenario/validate.js';

/** Paths of non-finite numbers, written independently of src/checker/finite.ts. */
function nonFinite(v: unknown, path = ''): string[] {
  if (typeof v === 'number') return Number.isFinite(v) ? [] : [path];
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => nonFinite(x, `${path}.${k}`));
  return [];
}

describe('intermediation checker results are finite', () => {
  it('GP example with an empty type: E2 upper price end is null, no number is ±∞ or NaN', async () => {
    const base = JSON.parse(readFileSync('sims/gp-example.json', 'utf8'));
    const s = validateScenario({ ...base, mass: [1, 0] }) as IntermediationScenario;
    const r = await solveIntermediation(s);
    expect(nonFinite(r)).toEqual([]);
    const e2 = (r.multiPlatform as { E2: { equilibria: { priceIntervals: { upper: number | null }[] }[] } }).E2;
    expect(e2.equilibria.length).toBeGreaterThan(0);
    expect(e2.equilibria.some((e) => e.priceIntervals[1].upper === null)).toBe(true);
  });

  it('the single-platform record price intervals keep null for +∞ and pass', async () => {
    const s = validateScenario(JSON.parse(readFileSync('sims/glp-unraveling.json', 'utf8'))) as IntermediationScenario;
    const r = await solveIntermediation(s);
    expect(nonFinite(r)).toEqual([]);
    expect((r.recordPrices as { upper: number | null }[]).every((p) => p.upper === null || Number.isFinite(p.upper))).toBe(true);
  });
});
