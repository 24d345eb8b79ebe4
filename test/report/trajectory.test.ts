import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSweepToDir } from '../../src/cli/sweep.js';
import { exactCommunityMeanPrices, participationPanels, pricePanel } from '../../src/report/trajectory.js';
import { logFloor } from '../../src/report/plots.js';
import { writeReport } from '../../src/report/report.js';
import { intermediationCells } from '../../src/batch/runOne.js';

describe('exact values beside the learned ones', () => {
  it('averages the exact prices over the exact sharers of each community (users numbered block by block)', () => {
    // Sizes [3, 2, 2]: users 0–2, 3–4, 5–6. Sharers 1, 2 (community 0) and 5, 6 (community 2).
    const prices = [0, 0.2, 0.4, 0, 0, 1, 3];
    const got = exactCommunityMeanPrices(prices, [6, 1, 5, 2], [2, 0, 2]) ?? [];
    [0.3, 0, 2].forEach((v, g) => expect(got[g]).toBeCloseTo(v, 14));
    expect(exactCommunityMeanPrices(prices, [1], [2, 0, 0])).toBeNull(); // inconsistent counts
  });

  it('pairs each price and participation column with the checker value', () => {
    const s = { model: 'intermediation', checker: { prices: [0.7, 0.5], records: [0.1, 0.25] } };
    const cols = ['round', 'traded', 'records_0', 'price_0', 'records_1', 'price_1'];
    expect(pricePanel(cols, s)?.exact).toEqual({ price_0: 0.7, price_1: 0.5 });
    const panels = participationPanels(cols, s);
    expect(panels.map((p) => p.exact)).toEqual([{ traded: 0.35 }, { records_0: 0.1 }, { records_1: 0.25 }]);
    const leak = { model: 'leakage', checker: { prices: [0.3, 0.3, 0, 0], sharers: [0, 1], sharersByCommunity: [2, 0] } };
    expect(pricePanel(['meanPrice_c0', 'meanPrice_c1'], leak)?.exact).toEqual({ meanPrice_c0: 0.3, meanPrice_c1: 0 });
    expect(participationPanels(['sharers', 'sharers_c0', 'sharers_c1'], leak).map((p) => p.exact)).toEqual([{ sharers: 2 }, { sharers_c0: 2 }, { sharers_c1: 0 }]);
  });

  it('draws zeros on a log axis one decade below the smallest positive value', () => {
    expect(logFloor([0, 3.9e-7, 0.5])).toBeCloseTo(1e-8, 20);
    expect(logFloor([0, 0])).toBe(1e-12);
  });
});

describe('closed-form curves over heat maps', () => {
  const sweep = (curves: unknown): string => {
    const dir = mkdtempSync(join(tmpdir(), 'dm-curve-'));
    const file = join(dir, 'sweep.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'thr',
        base: { name: 'two', model: 'leakage', covariance: [[1, 0.5], [0.5, 1]], privacyValues: [1, 1] },
        grid: { 'covariance.0.1|covariance.1.0': [0, 0.5], 'privacyValues.0|privacyValues.1': [0.5, 1.5] },
        report: { metrics: ['sharers'], curves },
      }),
    );
    return file;
  };

  it('draws the curve (a dashed path) and names it', async () => {
    const file = sweep([{ label: 'v = 4/(2−ρ²)²', t: [0, 0.5, 0.05], x: '4 / pow(2 - datum.t * datum.t, 2)', y: 'datum.t' }]);
    const out = join(file, '..', 'out');
    await runSweepToDir(file, { out, workers: 0, shard: null, resume: false, version: 'test' });
    await writeReport(out);
    const svg = readFileSync(join(out, 'plots', 'thr-sharers-surface.svg'), 'utf8');
    expect(svg).toContain('stroke-dasharray="6,3"');
    expect(svg).toContain('v = 4/(2−ρ²)²');
  });

  it('refuses a curve that is not a vega expression, naming the field: when the sweep is read, before any folder, and at report time (a folder written before that check)', async () => {
    const file = sweep([{ label: 'bad', t: [0, 1, 0.1], x: '4 / (', y: 'datum.t' }]);
    const out = join(file, '..', 'out');
    await expect(runSweepToDir(file, { out, workers: 0, shard: null, resume: false, version: 'test' })).rejects.toThrow(/report\.curves\.0\.x/);
    expect(existsSync(out)).toBe(false);
    // an older folder: the sweep ran with a good curve, then sweep.json was edited
    const good = sweep([{ label: 'ok', t: [0, 1, 0.1], x: 'datum.t', y: 'datum.t' }]);
    const older = join(good, '..', 'out');
    await runSweepToDir(good, { out: older, workers: 0, shard: null, resume: false, version: 'test' });
    const written = JSON.parse(readFileSync(join(older, 'sweep.json'), 'utf8')) as { report: { curves: Array<{ x: string; t: number[] }> } };
    written.report.curves[0].x = '4 / (';
    writeFileSync(join(older, 'sweep.json'), JSON.stringify(written));
    await expect(writeReport(older)).rejects.toThrow(/report\.curves\.0\.x/);
    written.report.curves[0] = { ...written.report.curves[0], x: 'datum.t', t: [0, 1e9, 1e-9] };
    writeFileSync(join(older, 'sweep.json'), JSON.stringify(written));
    await expect(writeReport(older)).rejects.toThrow(/report\.curves\.0\.t/);
  });

  it('refuses a curve of more than 10,000 points at sweep time, naming the field, before any folder (review: 10⁹ gave stack traces and exit 0, 10⁷ ran out of memory)', async () => {
    for (const t of [[0, 1e9, 1e-9], [0, 0.95, 1e-7], [1, 0, 0.1]]) {
      const file = sweep([{ label: 'many', t, x: 'datum.t', y: 'datum.t' }]);
      const out = join(file, '..', 'out');
      await expect(runSweepToDir(file, { out, workers: 0, shard: null, resume: false, version: 'test' })).rejects.toThrow(/report\.curves\.0\.t: .*at most 10000 points/);
      expect(existsSync(out)).toBe(false);
    }
    // 10,000 points exactly pass: t = 0, 1, …, 9999
    const ok = sweep([{ label: 'edge', t: [0, 9999, 1], x: 'datum.t', y: 'datum.t' }]);
    await runSweepToDir(ok, { out: join(ok, '..', 'out'), workers: 0, shard: null, resume: false, version: 'test' });
  });
});

describe('intermediation cells under a remedy', () => {
  it('reports the regulated market for a remedy and the unregulated equilibrium otherwise', () => {
    const r = {
      platformValue: 0.18,
      equilibrium: { outcome: 'no-trade', records: [0, 0], welfare: 0 },
      constrainedEfficient: { welfare: 0.06 },
      remedies: { none: { records: [0, 0], welfare: 0 }, tax: { records: [0.3, 0.3], welfare: 0.06 } },
    };
    expect(intermediationCells(r, 'none')).toEqual({ platformValue: 0.18, outcome: 'no-trade', welfare: 0, efficientWelfare: 0.06, recordsSold: 0 });
    expect(intermediationCells(r, 'tax')).toEqual({ platformValue: 0.18, outcome: 'trade', welfare: 0.06, efficientWelfare: 0.06, recordsSold: 0.6 });
  });
});
