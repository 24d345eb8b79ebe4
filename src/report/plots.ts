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

export function surface(data: Datum[], x: string, y: string, metric: string, labels: Record<string, string>, title: string): VlSpec {
  const signed = SIGNED.has(metric) && data.some((d) => typeof d[metric] === 'number' && (d[metric] as number) < 0);
  return {
    $schema: SCHEMA,
    title,
    width: 420,
    height: 300,
    data: { values: data },
    mark: { type: 'rect' },
    encoding: {
      x: { field: field(x), type: 'ordinal', title: labels[x] ?? x, axis: { labelAngle: 0, labelOverlap: 'parity' } },
      y: { field: field(y), type: 'ordinal', title: labels[y] ?? y, sort: 'descending' },
      color: {
        field: field(metric),
        type: 'quantitative',
        aggregate: 'mean',
        title: labels[metric] ?? metric,
        scale: signed ? { scheme: 'redblue', domainMid: 0 } : { scheme: 'viridis' },
      },
      tooltip: [{ field: field(x) }, { field: field(y) }, { field: field(metric), aggregate: 'mean' }],
    },
  } as VlSpec;
}

export function lines(data: Datum[], x: string, color: string | null, metric: string, labels: Record<string, string>, title: string): VlSpec {
  return {
    $schema: SCHEMA,
    title,
    width: 420,
    height: 260,
    data: { values: data },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: field(x), type: 'quantitative', title: labels[x] ?? x },
      y: { field: field(metric), type: 'quantitative', aggregate: 'mean', title: labels[metric] ?? metric },
      ...(color ? { color: { field: field(color), type: 'ordinal', title: labels[color] ?? color, scale: { scheme: 'viridis' } } } : {}),
    },
  } as VlSpec;
}

export function byCategory(data: Datum[], category: string, metric: string, labels: Record<string, string>, title: string): VlSpec {
  return {
    $schema: SCHEMA,
    title,
    width: 360,
    height: 240,
    data: { values: data },
    mark: { type: 'boxplot', extent: 'min-max' },
    encoding: {
      x: { field: field(category), type: 'nominal', title: labels[category] ?? category, axis: { labelAngle: 0 } },
      y: { field: field(metric), type: 'quantitative', title: labels[metric] ?? metric },
      color: { field: field(category), type: 'nominal', legend: null },
    },
  } as VlSpec;
}

/** Columns against `round` in long form; `exact` draws the checker's values as dashed rules. */
export function overRounds(
  data: Datum[],
  columns: string[],
  title: string,
  yTitle: string,
  exact: { series: string; value: number }[] = [],
  logY = false,
): VlSpec {
  const long = data.flatMap((d) => columns.filter((c) => typeof d[c] === 'number').map((c) => ({ round: d.round, series: c, value: d[c] })));
  const layers: object[] = [
    {
      data: { values: long },
      mark: { type: 'line' },
      encoding: {
        x: { field: 'round', type: 'quantitative', title: 'round' },
        y: { field: 'value', type: 'quantitative', title: yTitle, ...(logY ? { scale: { type: 'symlog', constant: 1e-6 } } : {}) },
        color: { field: 'series', type: 'nominal', title: null },
      },
    },
  ];
  if (exact.length > 0) {
    layers.push({
      data: { values: exact },
      mark: { type: 'rule', strokeDash: [4, 3] },
      encoding: { y: { field: 'value', type: 'quantitative' }, color: { field: 'series', type: 'nominal' } },
    });
  }
  return { $schema: SCHEMA, title, width: 460, height: 260, layer: layers } as VlSpec;
}
