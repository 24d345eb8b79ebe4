/**
 * docs/intermediation.md's worked example prints `solve --json` of sims/glp-unraveling.json (without `scenario` and
 * `equilibria`): the block must be that output, so that the docs cannot drift from the checker (a docs review found
 * its search counters stale).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('docs/intermediation.md worked example', () => {
  it('is the current `solve --json` output of sims/glp-unraveling.json', async () => {
    const doc = readFileSync('docs/intermediation.md', 'utf8');
    const at = doc.indexOf('## Worked example (`sims/glp-unraveling.json`');
    expect(at).toBeGreaterThan(0);
    const block = /```json\n([\s\S]*?)\n```/.exec(doc.slice(at));
    expect(block).not.toBeNull();
    const shown = JSON.parse(block?.[1] ?? '') as Record<string, unknown>;
    const run = await runCli(['solve', 'sims/glp-unraveling.json', '--json']);
    expect(run.code).toBe(0);
    const { scenario, equilibria, ...rest } = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(scenario).toBeDefined();
    expect(equilibria).toBeDefined();
    expect(rest).toEqual(shown);
    // and what the docs derive by hand there (types 1, 2, γ_u = 0.6, γ_π = 0, q̄ = (0.3, 0.7), r̄ = 0.7): the BBM
    // consumer-optimal split pools the 0.3 lows with 0.3 highs at fee 1 (the highs gain 1 each), so V(q̄) = 0.6·0.3 =
    // 0.18; one more low pools one more high (price 0.6), highs are in excess (price 0); no trade is the only
    // equilibrium; Wo = (1.6 − 1.4)·0.3 = 0.06 at q° = (0.3, 0.3)
    expect(shown.platformValue).toBeCloseTo(0.18, 12);
    expect(shown.recordPrices).toEqual([{ lower: 0.6, upper: 0.6 }, { lower: 0, upper: 0 }]);
    expect((shown.equilibrium as { outcome: string }).outcome).toBe('no-trade');
    const ce = shown.constrainedEfficient as { welfare: number; records: number[] };
    expect(ce.welfare).toBeCloseTo((1.6 - 1.4) * 0.3, 12);
    expect(ce.records).toEqual([0.3, 0.3]);
  });
});
