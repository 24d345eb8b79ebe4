/**
 * `npm run bench`: runs every benchmark area and writes out/bench/<area>.json (figures, machine info,
 * versions), then prints a table of the headline ratios. Speed targets live here, never in tests.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Area {
  name: string;
  module: string;
  fn: string;
}

const AREAS: Area[] = [
  { name: 'leakage', module: './leakage.js', fn: 'benchLeakage' },
  { name: 'lp', module: './lp.js', fn: 'benchLp' },
  { name: 'engine', module: './engine.js', fn: 'benchEngine' },
  { name: 'sweep', module: './sweep.js', fn: 'benchSweep' },
  { name: 'competition', module: './competition.js', fn: 'benchCompetition' },
];

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const machine = {
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  memoryBytes: totalmem(),
  platform: process.platform,
  date: new Date().toISOString(),
};
mkdirSync('out/bench', { recursive: true });
for (const area of AREAS) {
  if (only.length > 0 && !only.includes(area.name)) continue;
  if (!existsSync(join(here, area.module))) {
    console.log(`${area.name}: no benchmark module yet`);
    continue;
  }
  const mod = (await import(area.module)) as Record<string, () => Promise<Record<string, unknown>>>;
  const t0 = performance.now();
  const figures = await mod[area.fn]();
  const result = { area: area.name, machine, seconds: (performance.now() - t0) / 1000, peakRssBytes: process.memoryUsage().rss, ...figures };
  writeFileSync(`out/bench/${area.name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`${area.name}: wrote out/bench/${area.name}.json`);
  const summary = figures.summary;
  if (summary && typeof summary === 'object') console.table(summary);
}
