/**
 * `datamarket report DIR`: report.html (self-contained, SVGs inline and also written beside it in
 * plots/) for a sweep folder (manifest.json + results.csv) or a simulate folder (summary.json +
 * trajectory.csv). Plots are chosen from the columns; a sweep file's `report` field can pick them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseExpression } from 'vega';
import { InputError } from '../scenario/errors.js';
import type { Row } from '../batch/types.js';
import { writeFileAtomic } from './atomic.js';
import { esc, figureHtml, pageHtml, tableHtml, type Section } from './html.js';
import { byCategory, lines, overRounds, surface, type Curve } from './plots.js';
import { distancePanels, participationPanels, pricePanel, type SimulateSummary } from './trajectory.js';
import { renderSvg, type VlSpec } from './render.js';
import { FILES, readCsvFile, readManifest, readResults, typeRow } from './sweepDir.js';
import { readJsonFile } from '../scenario/json.js';
import { checkResultsTable, checkShape, checkTrajectoryTable, simulateSummarySchema } from './schemas.js';

interface ReportOptions {
  title?: string;
  x?: string;
  y?: string;
  metrics?: string[];
  labels?: Record<string, string>;
  description?: string;
  curves?: Curve[];
}

const DEFAULT_LABELS: Record<string, string> = {
  socialSurplus: 'equilibrium social surplus',
  platformProfit: 'platform profit',
  sharers: 'number of sharers',
  firstBestSurplus: 'first-best surplus',
  welfare: 'equilibrium welfare W',
  recordsSold: 'records sold Σ q*(ω)',
  rounds: 'rounds',
  priceDistance: 'max |learned − exact price|',
};

export type FolderKind = 'sweep' | 'simulate';

export function folderKind(dir: string): FolderKind {
  if (existsSync(join(dir, FILES.manifest)) && existsSync(join(dir, FILES.results))) return 'sweep';
  if (existsSync(join(dir, 'summary.json')) && existsSync(join(dir, 'trajectory.csv'))) return 'simulate';
  throw new InputError('dir', `${dir}: neither a sweep folder (manifest.json, results.csv) nor a simulate folder (summary.json, trajectory.csv)`);
}

async function figure(dir: string, base: string, name: string, spec: VlSpec, caption: string): Promise<string> {
  const svg = await renderSvg(spec);
  const file = join(dir, 'plots', `${name}.svg`);
  writeFileAtomic(file, svg);
  return figureHtml(svg, caption, relative(base, file));
}

function isNumeric(rows: readonly Row[], col: string): boolean {
  return rows.length > 0 && rows.every((r) => typeof r[col] === 'number');
}

function distinct(rows: readonly Row[], col: string): number {
  return new Set(rows.map((r) => String(r[col]))).size;
}

/**
 * Most points of a report curve (t = from, from + step, …, to): every point is a row of the figure's data, and
 * 10⁷ of them ran a report out of memory (10⁹: vega's stack traces and the curve dropped, exit 0 — review).
 */
export const MAX_CURVE_POINTS = 10_000;

/**
 * Curves a report can draw: `t` with from ≤ to and at most MAX_CURVE_POINTS points, x and y vega expressions; else
 * an InputError naming the field. `sweep` calls it before running (cli/sweep.ts), `report` again (a folder's
 * sweep.json may predate it, or be edited).
 */
export function checkCurves(curves: readonly Curve[]): void {
  curves.forEach((c, i) => {
    const [from, to, step] = c.t;
    if (!(from <= to && (to - from) / step + 1 <= MAX_CURVE_POINTS)) {
      throw new InputError(`report.curves.${i}.t`, `[from, to, step] must have from ≤ to and at most ${MAX_CURVE_POINTS} points ((to − from)/step + 1)`);
    }
    for (const k of ['x', 'y'] as const) {
      try {
        parseExpression(c[k]);
      } catch (e) {
        throw new InputError(`report.curves.${i}.${k}`, `not a vega expression: ${(e as Error).message}`);
      }
    }
  });
}

/** The figures and tables of one sweep folder; links are relative to `base` (where the HTML goes). */
export async function sweepSection(dir: string, base: string = dir): Promise<Section> {
  const m = readManifest(dir, 'dir');
  if (!m) throw new InputError('dir', `${dir}: no manifest.json`);
  if (m.status !== 'complete') throw new InputError('dir', `${dir}: sweep is ${m.status}; finish it with --resume before reporting`);
  const sweep = readJsonFile(join(dir, FILES.sweep), 'dir') as { report?: ReportOptions; base?: unknown } | null;
  if (typeof sweep !== 'object' || sweep === null) throw new InputError('dir', `${join(dir, FILES.sweep)}: not a sweep file`);
  const opts: ReportOptions = sweep.report ?? {};
  const labels = { ...DEFAULT_LABELS, ...(opts.labels ?? {}) };
  const table = readResults(dir, 'dir');
  checkResultsTable(table, m, join(dir, FILES.results), 'dir');
  // read before any plot is written: a missing or malformed summary.csv leaves nothing behind
  const summary = readCsvFile(join(dir, FILES.summary), 'dir');
  const raw = table.rows;
  const rows = raw.map(typeRow);
  const numericOverrides = m.overrideColumns.filter((c) => isNumeric(rows, c) && distinct(rows, c) > 1);
  const categorical = m.overrideColumns.filter((c) => !isNumeric(rows, c) && distinct(rows, c) > 1);
  const available = m.resultColumns.filter((c) => rows.some((r) => typeof r[c] === 'number' || typeof r[c] === 'boolean'));
  // intermediation rows carry W in `welfare` (socialSurplus is leakage's): both, whichever the rows fill
  // a name that is no column was dropped without a word, and the plot went against another axis (review); `sweep`
  // refuses such a file before running (batch checkReportColumns), this guards folders written before that
  const known = new Set([...m.overrideColumns, ...m.resultColumns]);
  const unknown = (['x', 'y'] as const).find((k) => opts[k] !== undefined && !known.has(opts[k] as string)) ?? (opts.metrics ?? []).map((c, i) => (known.has(c) ? null : `metrics.${i}`)).find((k) => k !== null);
  if (unknown) throw new InputError(`report.${unknown}`, 'names no column of results.csv');
  const defaults = m.command === 'simulate' ? ['rounds', 'priceDistance', 'socialSurplus', 'welfare'] : ['socialSurplus', 'sharers', 'welfare', 'recordsSold', 'platformProfit'];
  const metrics = (opts.metrics ?? defaults).filter((c) => available.includes(c));
  const x = opts.x ?? numericOverrides[numericOverrides.length - 1];
  const y = opts.y ?? numericOverrides.find((c) => c !== x);
  const data = rows.map((r) => Object.fromEntries([...m.overrideColumns, ...metrics].map((c) => [c, typeof r[c] === 'boolean' ? Number(r[c]) : r[c]])));
  const figs: string[] = [];
  const slug = m.name.replace(/[^A-Za-z0-9_-]+/g, '-');
  const curves = opts.curves ?? [];
  checkCurves(curves);
  const curveNote = curves.length > 0 ? `; dashed: ${curves.map((c) => c.label).join('; ')}` : '';
  for (const metric of metrics) {
    const label = labels[metric] ?? metric;
    if (x && y && isNumeric(rows, x) && isNumeric(rows, y)) {
      figs.push(await figure(dir, base, `${slug}-${metric}-surface`, surface(data, x, y, metric, labels, `${label}`, curves), `${label} over (${labels[x] ?? x}, ${labels[y] ?? y}), mean over replicates${metric === 'socialSurplus' ? '; red cells have negative surplus' : ''}${curveNote}`));
      figs.push(await figure(dir, base, `${slug}-${metric}-lines`, lines(data, y, x, metric, labels, `${label} vs ${labels[y] ?? y}`), `${label} against ${labels[y] ?? y}, one line per ${labels[x] ?? x}`));
    } else if (x && isNumeric(rows, x)) {
      figs.push(await figure(dir, base, `${slug}-${metric}-lines`, lines(data, x, categorical[0] ?? null, metric, labels, `${label} vs ${labels[x] ?? x}`), `${label} against ${labels[x] ?? x}`));
    }
    for (const c of categorical) {
      figs.push(await figure(dir, base, `${slug}-${metric}-by-${c.replace(/[^A-Za-z0-9_-]+/g, '-')}`, byCategory(data, c, metric, labels, `${label} by ${labels[c] ?? c}`), `${label} by ${labels[c] ?? c} (box: quartiles, whiskers: min–max over runs and replicates)`));
    }
  }
  const rel = (f: string): string => esc(relative(base, join(dir, f)));
  const html = [
    opts.description ? `<p>${esc(opts.description)}</p>` : '',
    `<dl><dt>command</dt><dd>${esc(m.command)}</dd><dt>runs × replicates</dt><dd>${m.counts.runs} × ${m.counts.replicates} = ${m.counts.tasks}</dd><dt>swept</dt><dd>${esc(m.overrideColumns.join(', ') || '(nothing)')}</dd><dt>sweep file sha256</dt><dd><code>${esc(m.sweepHash)}</code></dd><dt>version</dt><dd>${esc(m.version)}</dd><dt>started / finished</dt><dd>${esc(m.startedAt)} / ${esc(m.finishedAt ?? '')}</dd></dl>`,
    figs.join('\n') || '<p class="note">no numeric swept parameter to plot against.</p>',
    `<h3>Summary across replicates</h3><p class="note">${rel(FILES.summary)}; full results in <a href="${rel(FILES.results)}">${rel(FILES.results)}</a> and ${rel(FILES.resultsJson)}.</p>`,
    tableHtml(summary.columns, summary.rows),
    `<h3>Results</h3>`,
    tableHtml(m.columns, raw),
    `<h3>Sweep file (base scenario inlined)</h3><pre>${esc(readFileSync(join(dir, FILES.sweep), 'utf8'))}</pre>`,
  ].join('\n');
  return { title: opts.title ?? m.name, html };
}

/** Learned vs exact prices, participation and distance over rounds for one simulate folder. */
export async function simulateSection(dir: string, base: string = dir): Promise<Section> {
  const summaryFile = join(dir, 'summary.json');
  const summary: SimulateSummary = checkShape(simulateSummarySchema, readJsonFile(summaryFile, 'dir'), summaryFile, 'dir', 'not a simulate summary');
  const traj = readCsvFile(join(dir, 'trajectory.csv'), 'dir');
  checkTrajectoryTable(traj, join(dir, 'trajectory.csv'), 'dir');
  const rows = traj.rows.map((r) => typeRow(r));
  const name = `${summary.scenario ?? 'simulation'}${summary.dynamics?.kind ? ` (${summary.dynamics.kind})` : ''}`;
  const slug = name.replace(/[^A-Za-z0-9_-]+/g, '-');
  const figs: string[] = [];
  const dashed = 'solid: simulation; dashed: the checker’s exact equilibrium';
  const prices = pricePanel(traj.columns, summary);
  if (prices) {
    const what = summary.model === 'intermediation' ? 'record prices p(ω)' : traj.columns.some((c) => c.startsWith('meanPrice_c')) ? 'mean price per community (over the users the platform targets)' : 'prices per user';
    figs.push(await figure(dir, base, `${slug}-prices`, overRounds(rows, [prices], `learned prices: ${name}`, dashed), `learned ${what} over rounds; dashed: the checker’s exact values`));
  }
  const participation = participationPanels(traj.columns, summary);
  if (participation.length > 0) {
    const what = summary.model === 'intermediation' ? 'records sold per type and in total (the market unravels when they fall to 0)' : 'sharers in total and per group';
    figs.push(await figure(dir, base, `${slug}-participation`, overRounds(rows, participation, `participation: ${name}`, dashed), `participation over rounds: ${what}; dashed: the checker’s exact values`));
  }
  const dist = distancePanels(traj.columns);
  if (dist.length > 0) {
    figs.push(await figure(dir, base, `${slug}-distance`, overRounds(rows, dist, `distance to the exact equilibrium: ${name}`), 'distance to the checker’s equilibrium over rounds: price distance max |learned − exact price| (and record distance for intermediation) on a log axis, sharer-set distance = size of the symmetric difference of the learned and exact sharing sets'));
  }
  const html = [
    `<dl><dt>dynamics</dt><dd>${esc(summary.dynamics?.kind ?? '')}</dd><dt>converged</dt><dd>${esc(String(summary.converged))} after ${esc(String(summary.rounds))} rounds</dd><dt>distance</dt><dd>prices ${esc(String(summary.distance?.prices))}, sharers ${esc(String(summary.distance?.sharers))}</dd></dl>`,
    figs.join('\n'),
    `<h3>summary.json</h3><pre>${esc(readFileSync(join(dir, 'summary.json'), 'utf8'))}</pre>`,
  ].join('\n');
  return { title: name, html };
}

export async function folderSection(dir: string, base: string): Promise<Section> {
  return folderKind(dir) === 'sweep' ? sweepSection(dir, base) : simulateSection(dir, base);
}

/** Writes DIR/report.html for one folder and returns its path. */
export async function writeReport(dir: string): Promise<string> {
  const section = await folderSection(dir, dir);
  const file = join(dir, 'report.html');
  writeFileAtomic(file, pageHtml(section.title, '', [section]));
  return file;
}

/** One report over several folders (the default batch). */
export async function writeCombinedReport(out: string, title: string, intro: string, dirs: readonly string[], extra: readonly Section[] = []): Promise<string> {
  const sections: Section[] = [];
  for (const d of dirs) sections.push(await folderSection(d, out));
  const file = join(out, 'report.html');
  writeFileAtomic(file, pageHtml(title, intro, [...sections, ...extra]));
  return file;
}
