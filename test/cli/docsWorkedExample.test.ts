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
  });
});
