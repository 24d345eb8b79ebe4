/**
 * Which trajectory.csv columns a simulate folder's figures show, and the checker's exact value for each
 * (from summary.json's `checker`), so learned and exact values can be drawn together.
 *
 * Column conventions of the engine (src/engine/*Sim.ts):
 *  - leakage, general Σ: `price_i` per user; communities: `meanPrice_cG` (mean price over the users of
 *    community G the platform targets, 0 when it targets none) and `sharers_cG`; `sharers` in total;
 *  - duopoly joining: `sharers1`, `sharers2`, `onPlatform1`;
 *  - intermediation: `price_w`, `records_w` per type, `traded` = Σ_w records_w.
 */
import type { RoundPanel } from './plots.js';

export interface SimulateSummary {
  scenario?: string;
  model?: string;
  dynamics?: { kind?: string };
  converged?: boolean;
  rounds?: number;
  checker?: { prices?: number[]; sharers?: number[]; sharersByCommunity?: number[]; records?: number[] };
  distance?: { prices?: number | null; sharers?: number | null };
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * The checker's mean price over its sharers in each community. Users are numbered community by community
 * (community 0 first), so the sorted exact sharers split into consecutive runs of `sharersByCommunity`
 * users; a community with no exact sharer gets 0, as the engine writes for a community it does not target.
 */
export function exactCommunityMeanPrices(prices: readonly number[], sharers: readonly number[], byCommunity: readonly number[]): number[] | null {
  const sorted = [...sharers].sort((a, b) => a - b);
  if (byCommunity.reduce((a, b) => a + b, 0) !== sorted.length) return null;
  let k = 0;
  return byCommunity.map((count) => {
    const ps = sorted.slice(k, k + count).map((i) => prices[i]);
    k += count;
    return ps.length === 0 ? 0 : ps.reduce((a, b) => a + b, 0) / ps.length;
  });
}

function label(model: string | undefined, c: string): string {
  let m: RegExpMatchArray | null;
  if ((m = /^meanPrice_c(\d+)$/.exec(c))) return `community ${m[1]}`;
  if ((m = /^sharers_c(\d+)$/.exec(c))) return `sharers, community ${m[1]}`;
  if ((m = /^price_(\d+)$/.exec(c))) return model === 'intermediation' ? `type ${m[1]}` : `user ${m[1]}`;
  if ((m = /^records_(\d+)$/.exec(c))) return `records, type ${m[1]}`;
  if (c === 'sharers') return 'sharers, all users';
  if (c === 'traded') return 'records, all types';
  if ((m = /^sharers(\d)$/.exec(c))) return `sharers on platform ${m[1]}`;
  if (c === 'onPlatform1') return 'users on platform 1';
  return c;
}

const names = (model: string | undefined, cols: string[]): Record<string, string> => Object.fromEntries(cols.map((c) => [c, label(model, c)]));

/** Learned prices with the exact prices (per user, per type, or per community mean). */
export function pricePanel(columns: readonly string[], s: SimulateSummary): RoundPanel | null {
  const cols = columns.filter((c) => /^price_\d+$/.test(c) || /^meanPrice_c\d+$/.test(c));
  if (cols.length === 0) return null;
  const exact: Record<string, number> = {};
  const prices = s.checker?.prices ?? [];
  const community = s.checker?.sharers && s.checker.sharersByCommunity ? exactCommunityMeanPrices(prices, s.checker.sharers, s.checker.sharersByCommunity) : null;
  for (const c of cols) {
    const i = Number(c.replace(/^\D+/, ''));
    const v = c.startsWith('price_') ? prices[i] : community?.[i];
    if (isNum(v)) exact[c] = v;
  }
  const yTitle = cols[0].startsWith('meanPrice') ? 'mean price offered to targeted users' : 'price';
  return { columns: cols, yTitle, exact, names: names(s.model, cols) };
}

/** Participation (sharers or records), one panel per series, each with its exact value. */
export function participationPanels(columns: readonly string[], s: SimulateSummary): RoundPanel[] {
  const cols = columns.filter((c) => c === 'sharers' || /^sharers_c\d+$/.test(c) || /^sharers\d$/.test(c) || c === 'onPlatform1' || c === 'traded' || /^records_\d+$/.test(c));
  const ch = s.checker ?? {};
  const exact: Record<string, number> = {};
  for (const c of cols) {
    let v: number | undefined;
    let m: RegExpMatchArray | null;
    if (c === 'sharers' && Array.isArray(ch.sharers)) v = ch.sharers.length;
    else if ((m = /^sharers_c(\d+)$/.exec(c))) v = ch.sharersByCommunity?.[Number(m[1])];
    else if ((m = /^records_(\d+)$/.exec(c))) v = ch.records?.[Number(m[1])];
    else if (c === 'traded' && Array.isArray(ch.records) && ch.records.every(isNum)) v = ch.records.reduce((a, b) => a + b, 0);
    if (isNum(v)) exact[c] = v;
  }
  const n = names(s.model, cols);
  const yTitle = s.model === 'intermediation' ? 'records' : 'users';
  return cols.map((c) => ({ columns: [c], yTitle, exact: c in exact ? { [c]: exact[c] } : {}, names: n }));
}

/** Distances to the checker: continuous ones on a log axis, the sharer-set distance (a count) linear. */
export function distancePanels(columns: readonly string[]): RoundPanel[] {
  const cont = columns.filter((c) => c === 'priceDistance' || c === 'recordDistance');
  const counts = columns.filter((c) => c === 'sharerDistance' || c === 'distanceToEquilibrium');
  const panels: RoundPanel[] = [];
  const n: Record<string, string> = {
    priceDistance: 'price distance',
    recordDistance: 'record distance',
    sharerDistance: 'sharer-set distance',
    distanceToEquilibrium: 'distance to equilibrium',
  };
  if (cont.length > 0) panels.push({ columns: cont, yTitle: 'distance', log: true, names: n });
  for (const c of counts) panels.push({ columns: [c], yTitle: c === 'sharerDistance' ? 'users' : 'distance', exact: {}, names: n });
  return panels;
}
