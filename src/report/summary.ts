/**
 * Summaries across replicates of a sweep's results.csv (simple-statistics): for each run and each numeric result column, the
 * count, mean, sample sd, min, quartiles, max and the 95% confidence interval of the mean
 * (mean ± t₀.₉₇₅,ₙ₋₁ · sd/√n). Booleans count as 0/1 (the mean of `converged` is the share that converged).
 * Tidy long format: one row per (run, metric).
 */
import { mean, quantileSorted, sampleStandardDeviation } from 'simple-statistics';
import { studentTQuantileTwoSided } from './tQuantile.js';
import type { Row, Value } from '../batch/types.js';

export const SUMMARY_STATS = ['n', 'mean', 'sd', 'min', 'q25', 'median', 'q75', 'max', 'ci95Low', 'ci95High'] as const;

export function summaryColumns(overrideColumns: readonly string[]): string[] {
  return ['run', ...overrideColumns, 'metric', ...SUMMARY_STATS];
}

function asNumber(v: Value): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v !== '') {
    if (v === 'true') return 1;
    if (v === 'false') return 0;
    const x = Number(v);
    return Number.isFinite(x) ? x : null;
  }
  return null;
}

/** Rows must be sorted by (run, replicate); the output is in (run, metric column order). */
export function summarize(rows: readonly Row[], overrideColumns: readonly string[], resultColumns: readonly string[]): Row[] {
  const byRun = new Map<string, Row[]>();
  for (const r of rows) {
    const k = String(r.run);
    const list = byRun.get(k);
    if (list) list.push(r);
    else byRun.set(k, [r]);
  }
  const out: Row[] = [];
  for (const group of byRun.values()) {
    for (const metric of resultColumns) {
      const xs = group.map((r) => asNumber(r[metric])).filter((x): x is number => x !== null);
      if (xs.length === 0) continue;
      const sorted = [...xs].sort((a, b) => a - b);
      const n = xs.length;
      const m = mean(xs);
      const sd = n >= 2 ? sampleStandardDeviation(xs) : null;
      const half = sd === null ? null : (tQuantile95(n - 1) * sd) / Math.sqrt(n);
      const row: Row = { run: group[0].run };
      for (const c of overrideColumns) row[c] = group[0][c];
      Object.assign(row, {
        metric,
        n,
        mean: m,
        sd,
        min: sorted[0],
        q25: quantileSorted(sorted, 0.25),
        median: quantileSorted(sorted, 0.5),
        q75: quantileSorted(sorted, 0.75),
        max: sorted[n - 1],
        ci95Low: half === null ? null : m - half,
        ci95High: half === null ? null : m + half,
      });
      out.push(row);
    }
  }
  return out;
}

/**
 * t₀.₉₇₅,ν memoised by ν: every run of a sweep has the same replicate count, and the bisection (~50 CDF
 * evaluations) is the same pure computation each time.
 */
function tQuantile95(nu: number): number {
  let t = tQuantiles.get(nu);
  if (t === undefined) {
    t = studentTQuantileTwoSided(0.95, nu);
    tQuantiles.set(nu, t);
  }
  return t;
}
const tQuantiles = new Map<number, number>();

/** Sort key of results rows: (run, replicate) numerically. */
export function compareRows(a: Row, b: Row): number {
  return Number(a.run) - Number(b.run) || Number(a.replicate) - Number(b.replicate);
}
