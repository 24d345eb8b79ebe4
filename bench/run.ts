/**
 * `npm run bench [area …]`: runs every benchmark area, each in a fresh child process so its peak resident
 * set size (getrusage maxRSS) belongs to that area alone, and writes out/bench/<area>.json (figures, machine
 * info, versions, load average at start and end, peak RSS). Each child prints its own table; at the end the
 * parent reads every out/bench/*.json present and prints one table of headline figures against the targets
 * of issue 8 (ratio ≥ 1 = met), also written to out/bench/summary.json. Speed targets live here, never in
 * tests.
 *
 * Headlines: an area may return `headline: [{ figure, value, unit, target, better: 'lower' | 'higher' }]`;
 * for areas that do not, HEADLINES below reads the figures from their JSON (undefined = not measured).
 */
import { spawnSync, execSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSvg, type VlSpec } from '../src/report/render.js';

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
  { name: 'search', module: './search.js', fn: 'benchSearch' },
  { name: 'e2', module: './e2.js', fn: 'benchE2' },
];

interface Headline {
  figure: string;
  value: number | undefined;
  unit: string;
  target: number;
  better: 'lower' | 'higher';
}

type Json = Record<string, unknown>;
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const rows = (x: unknown): Json[] => (Array.isArray(x) ? (x as Json[]) : []);

/** Headline extractors for areas whose JSON has no `headline` field (their current output shapes). */
const HEADLINES: Record<string, (j: Json) => Headline[]> = {
  lp: (j) => {
    const r50 = rows(j.results).find((r) => r.types === 50);
    const highs = (r50?.highs ?? {}) as Json;
    const ms = num(highs.withExactPriceIntervalsMs) ?? num(highs.withDualsMs);
    return [{ figure: 'information-design LP, N = 50 types, with duals', value: ms === undefined ? undefined : ms / 1000, unit: 's', target: 1, better: 'lower' }];
  },
  engine: (j) => [{ figure: 'engine: consumer share decisions per second', value: num(j.decisionsPerSecond), unit: '/s', target: 1e6, better: 'higher' }],
  sweep: (j) => [{ figure: 'sweep 1,000 × 10: speed-up 2 workers vs 1', value: num(j.speedup), unit: '×', target: 1.8, better: 'higher' }],
};

const here = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);

function machineInfo(): Json {
  let commit: string | undefined;
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    commit = undefined;
  }
  let deps: Json = {};
  try {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies?: Json };
    deps = pkg.dependencies ?? {};
  } catch {
    deps = {};
  }
  return {
    node: process.version,
    v8: process.versions.v8,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryBytes: totalmem(),
    platform: process.platform,
    commit,
    dependencies: deps,
    date: new Date().toISOString(),
  };
}

/** Child: runs one area and writes its JSON. */
async function runChild(area: Area): Promise<void> {
  const loadStart = loadavg();
  const mod = (await import(area.module)) as Record<string, () => Promise<Json>>;
  const t0 = performance.now();
  const figures = await mod[area.fn]();
  const result = {
    area: area.name,
    machine: machineInfo(),
    seconds: (performance.now() - t0) / 1000,
    ...figures,
    loadAverage: { start: loadStart, end: loadavg() },
    processPeakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  writeFileSync(`out/bench/${area.name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`${area.name}: wrote out/bench/${area.name}.json`);
  const summary = figures.summary;
  if (summary && typeof summary === 'object') console.table(summary);
}

const fmt = (x: number, unit: string): string =>
  unit === '/s' ? `${x.toExponential(2)} /s` : unit === '×' ? `${x.toFixed(1)}×` : `${x < 0.1 ? x.toPrecision(2) : x.toFixed(2)} ${unit}`;

/** Parent: the final table of headline figures vs targets, from every out/bench/*.json present. */
function headlineTable(): void {
  const out: Json[] = [];
  for (const area of AREAS) {
    const file = `out/bench/${area.name}.json`;
    if (!existsSync(file)) continue;
    const j = JSON.parse(readFileSync(file, 'utf8')) as Json;
    const heads: Headline[] = Array.isArray(j.headline) ? (j.headline as Headline[]) : (HEADLINES[area.name]?.(j) ?? []);
    const la = j.loadAverage as { start?: number[]; end?: number[] } | undefined;
    const load = la?.start && la.end ? `${la.start[0].toFixed(1)}/${la.end[0].toFixed(1)}` : 'n/a';
    const rss = num(j.processPeakRssBytes);
    const date = ((j.machine as Json | undefined)?.date as string | undefined)?.slice(0, 16) ?? '';
    const rssText = rss === undefined ? 'n/a (run before per-area RSS)' : `${(rss / 2 ** 20).toFixed(0)} MiB`;
    if (heads.length === 0) out.push({ area: area.name, figure: '(no target)', measured: '', target: '', ratio: '', status: '', load, 'peak RSS': rssText, date });
    for (const h of heads) {
      const v = num(h.value);
      const ratio = v === undefined ? undefined : h.better === 'lower' ? h.target / v : v / h.target;
      out.push({
        area: area.name,
        figure: h.figure,
        measured: v === undefined ? 'not measured' : fmt(v, h.unit),
        target: `${h.better === 'lower' ? '<' : '≥'} ${fmt(h.target, h.unit)}`,
        ratio: ratio === undefined ? '' : ratio.toFixed(2),
        status: ratio === undefined ? 'not measured' : ratio >= 1 ? 'met' : `gap ×${(1 / ratio).toFixed(2)}`,
        load,
        'peak RSS': rssText,
        date,
      });
    }
  }
  writeFileSync('out/bench/summary.json', `${JSON.stringify({ machine: machineInfo(), headlines: out }, null, 2)}\n`);
  console.log('\nHeadline figures vs issue-8 targets (ratio ≥ 1 = met; load = 1-min load average at start/end of the area)');
  console.table(out);
}

/**
 * out/bench/leakage-scaling.svg: exact-solver time against n (log scale) next to the straightforward
 * method, measured (n ≤ 16) or extrapolated from a random sample of subsets (n ≥ 18). docs/performance.md
 * shows a copy.
 */
async function scalingPlot(): Promise<void> {
  const file = 'out/bench/leakage.json';
  if (!existsSync(file)) return;
  const j = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const data: Json[] = [];
  for (const g of rows(j.general)) {
    const n = num(g.n);
    const exact = num(g.exactSeconds);
    const naive = num(g.naiveSeconds);
    if (n === undefined) continue;
    const basis = String(g.naiveNote).startsWith('timed') ? 'measured' : 'extrapolated';
    if (exact !== undefined) data.push({ n, seconds: exact, method: 'exact: Kalman walk (every 3rd user v = 0.6: Lemma 3 prunes Φ)', basis: 'measured' });
    if (naive !== undefined) data.push({ n, seconds: naive, method: 'straightforward: Cholesky solve per user', basis });
    const shared = num(g.sharedFactorSeconds);
    if (shared !== undefined) data.push({ n, seconds: shared, method: 'straightforward: one factorisation per subset', basis });
  }
  for (const g of rows(j.generalWithoutLemma3Pruning)) {
    const n = num(g.n);
    const exact = num(g.exactSeconds);
    if (n !== undefined && exact !== undefined) data.push({ n, seconds: exact, method: 'exact, all v ≥ 1 (no Lemma 3 pruning)', basis: 'measured' });
  }
  const spec: VlSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Exact monopoly equilibrium + first best, general Σ (all 2ⁿ sets)',
      subtitle: 'CPU seconds, one core; dashed = extrapolated from 20,000 random subsets',
    },
    width: 420,
    height: 260,
    background: 'white',
    data: { values: data },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'n', type: 'quantitative', title: 'users n', scale: { zero: false } },
      y: { field: 'seconds', type: 'quantitative', title: 'seconds (log scale)', scale: { type: 'log' } },
      color: { field: 'method', type: 'nominal', title: null, legend: { orient: 'top-left', labelLimit: 400 } },
      strokeDash: {
        field: 'basis',
        type: 'nominal',
        title: null,
        scale: { domain: ['measured', 'extrapolated'], range: [[1, 0], [6, 4]] },
        legend: null,
      },
      detail: { field: 'basis', type: 'nominal' },
    },
  };
  writeFileSync('out/bench/leakage-scaling.svg', await renderSvg(spec));
  console.log('wrote out/bench/leakage-scaling.svg');
}

mkdirSync('out/bench', { recursive: true });
const args = process.argv.slice(2);
if (args[0] === '--child') {
  const area = AREAS.find((a) => a.name === args[1]);
  if (!area) throw new Error(`unknown bench area ${args[1]}`);
  await runChild(area);
} else if (args[0] === '--table') {
  headlineTable();
  await scalingPlot();
} else {
  for (const area of AREAS) {
    if (args.length > 0 && !args.includes(area.name)) continue;
    if (!existsSync(join(here, area.module))) {
      console.log(`${area.name}: no benchmark module yet`);
      continue;
    }
    const r = spawnSync(process.execPath, [self, '--child', area.name], { stdio: 'inherit' });
    if (r.status !== 0) console.log(`${area.name}: benchmark failed (exit ${r.status ?? r.signal})`);
  }
  headlineTable();
  await scalingPlot();
}
