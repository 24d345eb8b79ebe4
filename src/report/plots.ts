/**
 * vega-lite specs for sweep and simulate folders. Data are embedded (the SVGs stand alone).
 *  - surface: a result over two swept parameters as a heat map, diverging at 0 for surplus and welfare,
 *    so the negative region stands out (AMMO Fig. 3 style: shaded (v_h, ρ) pairs with negative surplus);
 *  - lines: a result against one swept parameter, one line per value of a second;
 *  - byCategory: a result per category (convergence rounds by dynamic);
 *  - overRounds: trajectory columns against the round, with optional exact values as rules.
 */
import type { VlSpec } from './render.js';

type Datum = Record<string, string | number | boolean | null>;

/** vega-lite reads dots in field names as nesting: escape them. */
export function field(name: string): string {
  return name.replace(/([.[\]\\|])/g, '\\$1');
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const SIGNED = new Set(['socialSurplus', 'welfare', 'platformProfit', 'firstBestSurplus', 'uniformMixedSurplus', 'efficientWelfare']);

/** A closed-form curve drawn over a heat map: x(t), y(t) in vega's expression language (`datum.t`). */
export interface Curve {
  label: string;
  /** t from, to, step. */
  t: [number, number, number];
  x: string;
  y: string;
}

/** Cell edges halfway between neighbouring grid values (the end cells extend by half a step). */
function edges(values: number[]): Map<number, [number, number]> {
  const v = [...new Set(values)].sort((a, b) => a - b);
  const out = new Map<number, [number, number]>();
  v.forEach((x, i) => {
    const lo = i > 0 ? (v[i - 1] + x) / 2 : v.length > 1 ? x - (v[1] - x) / 2 : x - 0.5;
    const hi = i < v.length - 1 ? (x + v[i + 1]) / 2 : v.length > 1 ? x + (x - v[i - 1]) / 2 : x + 0.5;
    out.set(x, [lo, hi]);
  });
  return out;
}

/**
 * Heat map on quantitative axes (cells span halfway to the neighbouring grid values), so closed-form
 * curves can be drawn over it in the same coordinates. Replicates are averaged per cell.
 */
export function surface(data: Datum[], x: string, y: string, metric: string, labels: Record<string, string>, title: string, curves: Curve[] = []): VlSpec {
  const signed = SIGNED.has(metric) && data.some((d) => typeof d[metric] === 'number' && (d[metric] as number) < 0);
  const xs = edges(data.map((d) => d[x]).filter((v): v is number => typeof v === 'number'));
  const ys = edges(data.map((d) => d[y]).filter((v): v is number => typeof v === 'number'));
  const cells = new Map<string, { x: number; y: number; sum: number; n: number }>();
  for (const d of data) {
    const vx = d[x];
    const vy = d[y];
    const vm = d[metric];
    if (typeof vx !== 'number' || typeof vy !== 'number' || typeof vm !== 'number') continue;
    const k = `${vx}|${vy}`;
    const c = cells.get(k) ?? { x: vx, y: vy, sum: 0, n: 0 };
    c.sum += vm;
    c.n++;
    cells.set(k, c);
  }
  const values = [...cells.values()].map((c) => {
    const [x0, x1] = xs.get(c.x) as [number, number];
    const [y0, y1] = ys.get(c.y) as [number, number];
    return { x: c.x, y: c.y, x0, x1, y0, y1, value: c.sum / c.n };
  });
  const xDomain = [Math.min(...values.map((v) => v.x0)), Math.max(...values.map((v) => v.x1))];
  const yDomain = [Math.min(...values.map((v) => v.y0)), Math.max(...values.map((v) => v.y1))];
  const xTitle = labels[x] ?? x;
  const yTitle = labels[y] ?? y;
  const layers: object[] = [
    {
      data: { values },
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'x0', type: 'quantitative', title: xTitle, scale: { domain: xDomain, nice: false, zero: false } },
        x2: { field: 'x1' },
        y: { field: 'y0', type: 'quantitative', title: yTitle, scale: { domain: yDomain, nice: false, zero: false } },
        y2: { field: 'y1' },
        color: {
          field: 'value',
          type: 'quantitative',
          title: labels[metric] ?? metric,
          scale: signed ? { scheme: 'redblue', domainMid: 0 } : { scheme: 'viridis' },
          legend: { titleLimit: 260 },
        },
        tooltip: [
          { field: 'x', type: 'quantitative', title: xTitle },
          { field: 'y', type: 'quantitative', title: yTitle },
          { field: 'value', type: 'quantitative', title: labels[metric] ?? metric },
        ],
      },
    },
  ];
  for (const c of curves) {
    const curveData = {
      data: { sequence: { start: c.t[0], stop: c.t[1] + c.t[2] / 2, step: c.t[2], as: 't' } },
      transform: [
        { calculate: c.x, as: 'cx' },
        { calculate: c.y, as: 'cy' },
      ],
    };
    const at = { x: { field: 'cx', type: 'quantitative' }, y: { field: 'cy', type: 'quantitative' }, order: { field: 't', type: 'quantitative' } };
    // A white halo under a black dashed line reads on both ends of any colour scheme.
    layers.push({ ...curveData, mark: { type: 'line', color: 'white', strokeWidth: 4.5, clip: true }, encoding: at });
    layers.push({ ...curveData, mark: { type: 'line', color: 'black', strokeWidth: 2, strokeDash: [6, 3], clip: true }, encoding: at });
  }
  const subtitle = curves.length > 0 ? `dashed: ${curves.map((c) => c.label).join('; ')}` : undefined;
  return { $schema: SCHEMA, title: subtitle ? { text: title, subtitle } : title, width: 420, height: 300, layer: layers } as VlSpec;
}

export function lines(data: Datum[], x: string, color: string | null, metric: string, labels: Record<string, string>, title: string): VlSpec {
  return {
    $schema: SCHEMA,
    title,
    width: 420,
    height: 260,
    data: { values: data },
    mark: { type: 'line', point: true },
    config: { legend: { titleLimit: 300 } },
    encoding: {
      x: { field: field(x), type: 'quantitative', title: labels[x] ?? x },
      y: { field: field(metric), type: 'quantitative', aggregate: 'mean', title: labels[metric] ?? metric },
      ...(color ? { color: colourEncoding(data, color, labels), detail: { field: field(color) } } : {}),
    },
  } as VlSpec;
}

/** Few values: one legend entry each; many numeric values: a gradient (15 swatches are unreadable). */
function colourEncoding(data: Datum[], color: string, labels: Record<string, string>): object {
  const values = new Set(data.map((d) => d[color]));
  const numeric = [...values].every((v) => typeof v === 'number');
  const legend = { titleLimit: 260, labelLimit: 200 };
  if (numeric && values.size > 6) return { field: field(color), type: 'quantitative', title: labels[color] ?? color, scale: { scheme: 'viridis' }, legend: { ...legend, type: 'gradient', titleLimit: 300 } };
  return { field: field(color), type: numeric ? 'ordinal' : 'nominal', title: labels[color] ?? color, scale: numeric ? { scheme: 'viridis' } : { scheme: 'category10' }, legend };
}

/** Values all below 1e-3 in size (e.g. distances after convergence): tick labels in exponent form. */
function tiny(data: Datum[], metric: string): boolean {
  const v = data.map((d) => d[metric]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return v.length > 0 && v.some((x) => x !== 0) && v.every((x) => Math.abs(x) < 1e-3);
}

export function byCategory(data: Datum[], category: string, metric: string, labels: Record<string, string>, title: string): VlSpec {
  // the two columns under plain names: vega-lite's boxplot tooltip writes an escaped field name (`dynamics\.kind`)
  // into an expression vega cannot parse (review: `report` ended "internal: Expression parse error")
  const values = data.map((d) => ({ category: d[category], value: d[metric] }));
  return {
    $schema: SCHEMA,
    title,
    width: 360,
    height: 240,
    data: { values },
    mark: { type: 'boxplot', extent: 'min-max' },
    encoding: {
      x: { field: 'category', type: 'nominal', title: labels[category] ?? category, axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: labels[metric] ?? metric, ...(tiny(data, metric) ? { axis: { format: '.1e' } } : {}) },
      color: { field: 'category', type: 'nominal', legend: null },
    },
  } as VlSpec;
}

/** One panel of a trajectory figure: some columns against `round`. */
export interface RoundPanel {
  columns: string[];
  yTitle: string;
  /** The checker's exact value per column, drawn as a dashed rule in the column's colour. */
  exact?: Record<string, number>;
  /** Legend text per column (default: the column name). */
  names?: Record<string, string>;
  /** Log y-axis: values ≤ 0 (exact agreement) are drawn at `floor`, which the axis title states. */
  log?: boolean;
}

/** Where a log panel draws zeros: one decade below the smallest positive value (1e-12 if none). */
export function logFloor(values: number[]): number {
  const pos = values.filter((v) => v > 0);
  if (pos.length === 0) return 1e-12;
  return 10 ** (Math.floor(Math.log10(Math.min(...pos))) - 1);
}

/**
 * Trajectory columns against the round: one panel per entry of `panels`, stacked, each with its own
 * colour legend; solid lines are the simulation, dashed rules the checker's exact values.
 */
export function overRounds(data: Datum[], panels: RoundPanel[], title: string, subtitle?: string): VlSpec {
  const notes: string[] = subtitle ? [subtitle] : [];
  const long = data.length > SMOOTH_ABOVE;
  if (long) notes.push(`pale: every round; dark: ${SMOOTH_WINDOW}-round moving average`);
  const charts = panels.map((p) => {
    const name = (c: string): string => p.names?.[c] ?? c;
    let points = data.flatMap((d) => p.columns.filter((c) => typeof d[c] === 'number').map((c) => ({ round: d.round, series: name(c), value: d[c] as number })));
    // A single series is named by its y-axis title; several share a legend.
    const single = p.columns.length === 1;
    let yTitle = single ? name(p.columns[0]) : p.yTitle;
    let yScale: object = {};
    if (p.log) {
      const floor = logFloor(points.map((d) => d.value));
      points = points.map((d) => ({ ...d, value: Math.max(d.value, floor) }));
      const top = Math.max(1, ...points.map((d) => d.value));
      const lo = Math.round(Math.log10(floor));
      const hi = Math.ceil(Math.log10(top));
      const step = Math.max(1, Math.ceil((hi - lo) / 6));
      const ticks = Array.from({ length: Math.floor((hi - lo) / step) + 1 }, (_, k) => 10 ** (lo + k * step));
      yTitle = `${yTitle} (log)`;
      yScale = { scale: { type: 'log', domain: [floor, 10 ** hi] }, axis: { values: ticks, format: '.0e', grid: true } };
      notes.push(`log axes: 0 drawn at ${floor.toExponential(0)}`);
    }
    const exact = Object.entries(p.exact ?? {})
      .filter(([c]) => p.columns.includes(c))
      .map(([c, value]) => ({ series: name(c), value }));
    const domain = p.columns.map(name);
    const color = { field: 'series', type: 'nominal', title: null, scale: { domain, scheme: 'category10' }, legend: single ? null : { labelLimit: 220 } };
    const x = { field: 'round', type: 'quantitative', title: 'round' };
    const y = { field: 'value', type: 'quantitative', title: yTitle, ...yScale };
    const layers: object[] = [
      {
        data: { values: points },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: long ? 1 : 1.5, ...(long ? { opacity: 0.3 } : {}) },
        encoding: { x, y, color },
      },
    ];
    if (long) {
      // Thousands of rounds that flip every round fill the panel solid; a moving average shows the trend.
      const half = Math.floor(SMOOTH_WINDOW / 2);
      layers.push({
        data: { values: points },
        transform: [{ window: [{ op: 'mean', field: 'value', as: 'smooth' }], frame: [-half, half], groupby: ['series'], sort: [{ field: 'round' }] }],
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: { x, y: { ...y, field: 'smooth' }, color },
      });
    }
    if (exact.length > 0) {
      layers.push({
        data: { values: exact },
        mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 2, opacity: 0.9 },
        encoding: { y: { field: 'value', type: 'quantitative' }, color },
      });
    }
    return { width: 460, height: panels.length > 1 ? 120 : 240, layer: layers };
  });
  const uniqueNotes = [...new Set(notes)];
  const t = uniqueNotes.length > 0 ? { text: title, subtitle: uniqueNotes } : title;
  if (charts.length === 1) return { $schema: SCHEMA, title: t, ...charts[0] } as VlSpec;
  return { $schema: SCHEMA, title: t, vconcat: charts, resolve: { scale: { color: 'independent', y: 'independent' }, legend: { color: 'independent' } } } as VlSpec;
}

/** Trajectories longer than this many rounds get a moving average over the raw lines. */
const SMOOTH_ABOVE = 300;
const SMOOTH_WINDOW = 25;
