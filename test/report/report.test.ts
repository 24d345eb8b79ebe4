import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSweepToDir } from '../../src/cli/sweep.js';
import { writeReport } from '../../src/report/report.js';
import { simulateScenario } from '../../src/engine/index.js';
import { validateScenario } from '../../src/scenario/index.js';
import { renderTrajectory } from '../../src/cli/simulate.js';

/** Checks tags balance (a light well-formedness test: no XML parser in the dependencies). */
function balanced(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self) continue;
    if (['meta', 'br', 'hr', 'img', 'link', 'input'].includes(name.toLowerCase()) && !close) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name);
  }
  return stack.length === 0;
}

describe('report options that name no column', () => {
  it('sweep refuses report.x, report.y or a metric naming no column before any run; report refuses such a folder (review)', async () => {
    const { InputError } = await import('../../src/scenario/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'dm-report-bad-'));
    const file = join(dir, 'sweep.json');
    const base = { name: 'b', model: 'leakage', covariance: [[1, 0.5], [0.5, 1]], privacyValues: [0.5, 1] };
    const pathOf = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof InputError ? e.path : String(e)));
    for (const [report, field] of [[{ x: 'privacyValues.O' }, 'report.x'], [{ y: 'nope' }, 'report.y'], [{ metrics: ['sharers', 'welfre'] }, 'report.metrics.1']] as const) {
      writeFileSync(file, JSON.stringify({ name: 'bad', base, grid: { 'privacyValues.0': [0.5, 1] }, report }));
      const out = join(dir, `out-${field}`);
      expect(await pathOf(runSweepToDir(file, { out, workers: 0, shard: null, resume: false, version: 'test' }))).toBe(field);
      expect(existsSync(out)).toBe(false);
    }
    // a folder whose sweep.json was written otherwise (an older version, or edited): report says so too
    writeFileSync(file, JSON.stringify({ name: 'ok', base, grid: { 'privacyValues.0': [0.5, 1] } }));
    const out = join(dir, 'out-ok');
    await runSweepToDir(file, { out, workers: 0, shard: null, resume: false, version: 'test' });
    const written = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(out, 'sweep.json'), JSON.stringify({ ...written, report: { metrics: ['welfre'] } }));
    expect(await pathOf(writeReport(out))).toBe('report.metrics.0');
  });
});

describe('report', () => {
  it('writes a self-contained report.html with SVG plots for a sweep folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dm-report-'));
    const file = join(dir, 'sweep.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'fig3-small',
        base: { name: 'b', model: 'leakage', communities: { sizes: [4, 4], variance: 1, within: 0.05, across: 0.02 }, privacyValues: [0.9, 3] },
        grid: { 'communities.across': [0, 0.1], 'privacyValues.1': [1.5, 6] },
        report: { metrics: ['socialSurplus'], description: 'a <small> test' },
      }),
    );
    const out = join(dir, 'out');
    await runSweepToDir(file, { out, workers: 0, shard: null, resume: false, version: 'test' });
    const html = readFileSync(await writeReport(out), 'utf8');
    const svgs = readdirSync(join(out, 'plots')).filter((f) => f.endsWith('.svg'));
    expect(svgs.length).toBe(2); // surface + lines for the one metric
    for (const f of svgs) {
      const svg = readFileSync(join(out, 'plots', f), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(balanced(svg)).toBe(true);
      expect(html).toContain(svg); // inline
    }
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(balanced(html)).toBe(true);
    expect(html).toContain('a &lt;small&gt; test');
    expect(html).not.toMatch(/<script|src="http/);
    // The table carries every run, and the axis titles name the swept paths.
    expect((html.match(/<tr>/g) ?? []).length).toBeGreaterThanOrEqual(4 + 1);
    expect(html).toContain('communities.across');
  });

  it('draws box plots over a categorical swept path with a dot in its name (review: "internal: Expression parse error")', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dm-report-'));
    const file = join(dir, 'sweep.json');
    const base = { name: 's', model: 'intermediation', types: [1], mass: [1], weights: { consumer: 0.5, merchant: 0 }, reservationUtility: 0.2 };
    writeFileSync(file, JSON.stringify({ name: 'rd', command: 'solve', base, grid: { 'dynamics.kind': ['tatonnement', 'learning'] }, report: { metrics: ['welfare'] } }));
    const out = join(dir, 'out');
    await runSweepToDir(file, { out, workers: 0, shard: null, resume: false, version: 'test' });
    const html = readFileSync(await writeReport(out), 'utf8');
    const svgs = readdirSync(join(out, 'plots')).filter((f) => f.endsWith('.svg'));
    expect(svgs.length).toBeGreaterThan(0);
    for (const f of svgs) expect(balanced(readFileSync(join(out, 'plots', f), 'utf8'))).toBe(true);
    // the axis is titled with the swept path, and each category appears as a tick label
    expect(html).toContain('dynamics.kind');
    expect(html).toContain('tatonnement');
    expect(html).toContain('learning');
  });

  it('plots learned vs exact prices and participation for a simulate folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dm-report-sim-'));
    const s = validateScenario({ name: 'two', model: 'leakage', covariance: [[1, 0.5], [0.5, 1]], privacyValues: [0.6, 0.8] });
    const r = await simulateScenario(s, { dynamics: 'tatonnement', seed: 1 });
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(r.summary));
    writeFileSync(join(dir, 'trajectory.csv'), renderTrajectory(r.trajectory));
    const html = readFileSync(await writeReport(dir), 'utf8');
    const plots = readdirSync(join(dir, 'plots'));
    expect(plots.some((f) => f.endsWith('-prices.svg'))).toBe(true);
    expect(plots.some((f) => f.endsWith('-participation.svg'))).toBe(true);
    expect(balanced(html)).toBe(true);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });

  it('refuses a folder that is neither kind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dm-report-empty-'));
    await expect(writeReport(dir)).rejects.toThrow(/neither a sweep folder/);
  });
});
