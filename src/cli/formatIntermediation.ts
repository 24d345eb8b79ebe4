/**
 * Human-readable text of `solve` for an intermediation scenario (rounded to 6 significant digits; the JSON
 * keeps full precision). Reads the checker's result object; formatting for people lives in the CLI.
 */
import { EQUILIBRIUM_SELECTION } from '../checker/intermediation/index.js';
import { massUnit } from '../model/intermediation/massUnit.js';
import { platformNames, SEARCH_MAX_SPLIT_SLICES as MAX_SPLIT_SLICES, SEARCH_TWO_INTERIOR_MAX_TYPES as TWO_INTERIOR_MAX_TYPES } from '../scenario/index.js';

/** 6 significant digits; integers as they are; null (an unbounded price end) as ∞. */
const fmt = (x: unknown): string => (typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toPrecision(6)) : x === null ? '∞' : String(x));

/** A welfare within 1e-12 of 0 prints as 0 (on a cone W ≡ 0, computed as −2.22045e-16); the JSON keeps the float. */
/**
 * W with rounding noise shown as 0. σ: the masses' unit (model `massUnit`, a power of two): the checker's tolerances
 * are absolute in that unit, so are these — masses of 3e-9 printed "efficient: false (gap 0)" for a gap of 6e-10
 * with tolerances absolute in the scenario's own unit (review).
 */
const fmtW = (x: unknown, sigma: number): string => fmt(typeof x === 'number' && Math.abs(x) < 1e-12 * sigma ? 0 : x);

/** " (down to …)" when the equilibria an entry stands for reach lower welfare than its reported point (`welfareMin`). */
function glpWelfareMin(e: Record<string, unknown>, sigma: number): string {
  const w = e.welfare as number;
  const m = e.welfareMin;
  if (m === null) return ' (its least welfare over the equilibria it stands for is not known)';
  return typeof m === 'number' && m < w - 1e-9 * Math.max(sigma, Math.abs(w)) ? ` (down to ${fmtW(m, sigma)} over the equilibria it stands for)` : '';
}

/** Where a single-platform entry stands for a set of equilibria (`continuum`, `region`), which. */
function glpSet(e: Record<string, unknown>, sigma: number): string {
  const c = e.continuum as { type: number; from: number; to: number } | undefined;
  if (c) return `; a continuum: type ${c.type}'s records from ${fmt(c.from)} to ${fmt(c.to)}`;
  const r = e.region as { types: number[]; lower: number[]; upper: number[]; segment?: { from: number[]; to: number[]; cone: boolean } } | undefined;
  if (!r) return '';
  const seg = r.segment;
  if (seg) {
    // a segment of length 0 (a lifted face whose set is one point): a ray on a cone, else the point itself
    const q = (x: number[]) => `q = (${x.map(fmt).join(', ')})`;
    if (seg.from.every((x, w) => Math.abs(x - seg.to[w]) <= 1e-12 * Math.max(sigma, Math.abs(x)))) return seg.cone ? `; a set: the ray through ${q(seg.from)}` : '';
    return `; a set: ${seg.cone ? 'the cone over ' : ''}the segment ${q(seg.from)} … (${seg.to.map(fmt).join(', ')})`;
  }
  // the ranges are each type's projection of the set, not a box of equilibria (review)
  return `; a set whose records range over ${r.types.map((w, i) => `q(${w}) ∈ [${fmt(r.lower[i])}, ${fmt(r.upper[i])}]`).join(', ')} (each type's range, not a box)`;
}

/** What each false flag of E2's `searched` leaves out (docs/intermediation.md, E2). */
const E2_UNSEARCHED: Record<string, string> = {
  corners: 'allocations where every type sells all or nothing',
  oneInterior: 'one type selling part of its records',
  twoInterior: 'two types selling part of their records',
  severalInterior: 'three or more types selling part of their records',
  oneSplitType: 'one type split between two uses',
  twoSplitTypes: 'two types each split between two uses',
  threeWaySplits: 'a type split over three uses',
  fourWaySplits: 'a type split over four or more uses',
  severalSplitTypes: 'other allocations with two or more split types (as a split type next to a three-way one)',
};

/** What the text's first lines say about the scenario (solve's header; tests of the body leave it out). */
export interface IntermediationHeader {
  name: string;
  types: readonly number[];
  weights: { consumer: number; merchant: number };
  reservationUtility?: number;
  platforms?: ReadonlyArray<{ name?: string }>;
  /** The masses: their unit scales the text's rounding tolerances (`fmtW`). */
  mass?: readonly number[];
}

export function formatIntermediation(result: Record<string, unknown>, header?: IntermediationHeader): string {
  const lines: string[] = [];
  const sigma = header?.mass ? massUnit([...header.mass]) : 1;
  if (header) {
    // what was solved and how (review: the leakage text said so, this one did not)
    const P = header.platforms?.length ?? 0;
    const several = P ? `; ${P} platform${P > 1 ? 's' : ''} (Galperti–Perego: E1, E2, E3 at the end)` : '';
    lines.push(`${header.name}: intermediation market, ${header.types.length} type${header.types.length > 1 ? 's' : ''}; single platform γ_u = ${header.weights.consumer}, γ_π = ${header.weights.merchant}, r̄ = ${header.reservationUtility ?? 0}${several}`);
    const method = (result.equilibriumSearch as { method?: string } | undefined)?.method;
    if (method) lines.push(`method: ${method}`, '');
  }
  lines.push(`platform value V(q̄) = ${fmt(result.platformValue)}`);
  const prices = result.recordPrices as Array<{ lower: number | null; upper: number | null }>;
  lines.push('record prices at q̄ (supergradients):');
  prices.forEach((p, w) => lines.push(`  type ${w}: [${fmt(p.lower)}, ${fmt(p.upper)}]`));
  const eqs = (result.equilibria as Array<Record<string, unknown>>) ?? [];
  lines.push(`equilibria found: ${eqs.length} (reported first: ${EQUILIBRIUM_SELECTION})`);
  const search = result.equilibriumSearch as { exact?: boolean; limits?: { reason?: string } } | undefined;
  // a reason only when a limit sent the market to the candidate search; the exact search's own limits have none
  const reason = search?.limits?.reason;
  if (search && search.exact === false) lines.push(`  search NOT exhaustive: ${reason ? `${reason}; verified candidate search, other equilibria may exist` : 'a face searched on a grid, a failed re-check or an off-path value not proved (see equilibriumSearch: bilinearFaces, liftMismatches, offPathMismatches, offPathUnproven, solverFailures)'}`);
  eqs.forEach((e, k) => {
    const arr = (key: string) => (e[key] as number[]).map(fmt).join(', ');
    lines.push(`  #${k + 1} ${e.outcome}: q* = (${arr('records')}), p* = (${arr('prices')}), G* = (${arr('privateGain')}), W = ${fmtW(e.welfare, sigma)}${glpWelfareMin(e, sigma)}${glpSet(e, sigma)}`);
  });
  const ce = result.constrainedEfficient as Record<string, unknown>;
  if (ce && Array.isArray(ce.records)) lines.push(`constrained efficient: q° = (${(ce.records as number[]).map(fmt).join(', ')}), Wo = ${fmt(ce.welfare)}`);
  const eff = result.efficiency as Record<string, unknown> | undefined;
  if (eff && typeof eff.efficient === 'boolean') {
    // an efficient verdict's gap within rounding of Wo (the verdict's own tolerance) prints as 0, not as −2.22045e-16;
    // an inefficient one's gap is printed as it is
    const gap = eff.welfareGap as number;
    const Wo = ce && typeof ce.welfare === 'number' ? ce.welfare : 0;
    lines.push(`reported equilibrium efficient: ${fmt(eff.efficient)} (gap ${fmt(eff.efficient && Math.abs(gap) <= 1e-9 * Math.max(sigma, Math.abs(Wo)) ? 0 : gap)})`);
    // the reported point is each set's welfare-best; other equilibria (other points, other supporting prices) can be worse
    if (typeof eff.allEquilibriaEfficient === 'boolean') lines.push(`every equilibrium efficient: ${fmt(eff.allEquilibriaEfficient)}`);
    else if (typeof eff.allFoundEfficient === 'boolean') lines.push(`every equilibrium found efficient: ${fmt(eff.allFoundEfficient)} (the search is not exhaustive)`);
    else if ('allEquilibriaEfficient' in eff) lines.push('every equilibrium efficient: not known (a least welfare is not known, or the search is not exhaustive)');
  }
  else if (eff && eff.reason) lines.push(`efficiency verdict: none (${String(eff.reason)})`);
  const rem = result.remedies as (Record<string, Record<string, unknown> | null> & { available?: false; reason?: string }) | undefined;
  // without the planner (beyond its type limit) remedies are { available: false, reason } (review: the text
  // read the reason as a remedy and stopped with an internal error)
  if (rem && rem.available === false) lines.push(`remedies: none (${eff && rem.reason === eff.reason ? 'the same reason' : String(rem.reason)})`);
  else if (rem) {
    lines.push('remedies (welfare W):');
    const vec = (x: unknown) => `(${(x as number[]).map(fmt).join(', ')})`;
    for (const [k, v] of Object.entries(rem)) {
      if (!v || typeof v !== 'object') continue;
      lines.push(`  ${k.padEnd(9)} W = ${fmt(v.welfare)}  records = ${vec(v.records)}`);
      // what each remedy pays or charges (the numbers a policy reads; --json has the rest)
      const pad = ' '.repeat(12);
      if (k === 'union' && Array.isArray(v.payments)) lines.push(`${pad}payments per member p_U = ${vec(v.payments)}`);
      if (k === 'tax' && Array.isArray(v.taxes)) {
        // each type's own range (∂V(q°) is not their box: at a kink the prices move together)
        const ranges = Array.isArray(v.priceIntervals) ? `; each p(ω) alone can range over ${(v.priceIntervals as Array<{ lower: number | null; upper: number | null }>).map((i) => (i.upper === null ? `[${fmt(i.lower)}, ∞)` : `[${fmt(i.lower)}, ${fmt(i.upper)}]`)).join(', ')}` : '';
        lines.push(`${pad}taxes τ* = ${vec(v.taxes)} at record prices p* = ${vec(v.prices)}${ranges}`);
      }
      if (k === 'complete' && Array.isArray(v.recordPrices)) lines.push(`${pad}record prices p** = ${vec(v.recordPrices)} (use prices p(a, ω) = p** − u(a, ω) in --json)`);
    }
  }
  const mp = result.multiPlatform as Record<string, Record<string, unknown>> | undefined;
  if (mp) {
    if (header?.platforms) lines.push('', `several platforms (Galperti–Perego; q1, q2, … in this order): ${platformNames(header.platforms).join(', ')}`);
    for (const d of (mp.designs as unknown as Array<Record<string, unknown> | null> | undefined) ?? []) {
      if (d) lines.push(`${String(d.name)} (${(d.merchants as string[]).length} merchants, ${String(d.competition)}): V(q̄) = ${fmt(d.value)}, record prices ${(d.recordPrices as Array<{ lower: number | null; upper: number | null }>).map((i) => `[${fmt(i.lower)}, ${fmt(i.upper)}]`).join(' × ')}`);
    }
    for (const k of ['E1', 'E3']) if (mp[k].available !== false) lines.push(`${k}: value ${fmt(mp[k].value)}, prices (${(mp[k].prices as number[]).map(fmt).join(', ')}), welfare ${fmt(mp[k].welfare)}`);
    const e2 = mp.E2 as Record<string, unknown>;
    if (e2.available) {
      const eqs2 = e2.equilibria as Array<{
        records: number[] | number[][];
        welfare: number;
        priceIntervals: Array<{ lower: number | null; upper: number | null }>;
        continuum?: { type: number };
        pair?: { ratios: [number, number | null]; from?: number[] };
        twoInterior?: { types: number[]; from?: number[]; to?: number[]; cell?: number[][] };
        threeInterior?: { face: number; from?: number[] | number[][]; to?: number[] | number[][]; cell?: unknown[]; rayFrom?: number[] | number[][] };
        manyInterior?: { types: number[]; face?: number; from?: number[] | number[][]; to?: number[] | number[][]; cell?: unknown[]; rayFrom?: number[] | number[][] };
        twoSplit?: { types: number[]; from?: number[][]; to?: number[][]; cell?: number[][][] };
        threeWay?: { type: number; from?: number[][]; to?: number[][]; cell?: number[][][] };
        sharedKink?: { platforms: number[]; region: number[][][] };
      }>;
      // where the entry stands for a set of equilibria (one platform), which
      const set = (e: (typeof eqs2)[number]): string => {
        const k = e.sharedKink;
        if (k) {
          const where = k.region.length === 1 ? 'a point' : k.region.length === 2 ? `the segment ${records(k.region[0])} … ${records(k.region[1])}` : `the polygon ${k.region.map(records).map((r) => `(${r})`).join(' … ')}`;
          return `; platforms ${k.platforms.map((i) => i + 1).join(' and ')} both hold records, on rays at a shared kink: ${where} (exact)`;
        }
        const w = e.threeWay;
        if (w?.from && w.to) return `; type ${w.type} split three ways along ${records(w.from)} … ${records(w.to)}`;
        if (w?.cell) return `; type ${w.type} split three ways, in a cell of ${w.cell.length} vertices`;
        if (w) return `; type ${w.type} split three ways`;
        const u = e.twoSplit;
        if (u?.from && u.to) return `; types ${u.types.join(' and ')} split along ${records(u.from)} … ${records(u.to)}`;
        if (u?.cell) return `; types ${u.types.join(' and ')} split, in a cell of ${u.cell.length} vertices`;
        if (u) return `; types ${u.types.join(' and ')} split`;
        const v = e.manyInterior;
        if (v) {
          const where = v.from && v.to ? ` along ${records(v.from)} … ${records(v.to)}` : v.cell ? `, in a polygon of ${v.cell.length} vertices` : '';
          if (v.face === undefined) return `; types ${v.types.join(', ')} interior${where}`;
          const entry = v.rayFrom ? `this point's ray from ${records(v.rayFrom)}` : 'where this point\'s ray enters the set is not located';
          return `; types ${v.types.join(', ')} interior: the rays through the points${where} (where type ${v.face} fills first), each from where it enters the set up to the box — ${entry}`;
        }
        const a = e.threeInterior;
        if (a) {
          const through = a.from && a.to ? `the rays through the segment ${records(a.from)} … ${records(a.to)}` : a.cell ? `the rays through a cell of ${a.cell.length} vertices` : 'the ray through this point';
          const entry = a.rayFrom ? `this point's ray from ${records(a.rayFrom)}` : 'where this point\'s ray enters the set is not located';
          return `; all three types interior: ${through} (where type ${a.face} fills first), each from where it enters the set up to the box — ${entry}`;
        }
        const t = e.twoInterior;
        if (t?.from && t.to) return `; types ${t.types.join(' and ')} interior along q = (${t.from.map(fmt).join(', ')}) … (${t.to.map(fmt).join(', ')})`;
        if (t?.cell) return `; types ${t.types.join(' and ')} interior, in a cell of ${t.cell.length} vertices`;
        if (t) return `; types ${t.types.join(' and ')} interior`;
        const p = e.pair;
        if (p) {
          // two types, both interior: a ray of ratio q(0)/q(1), or a cone of ratios (its upper end +∞ is null)
          const [lo, hi] = p.ratios;
          if (lo === hi) return `; types 0 and 1 interior on the ray q(0) = ${fmt(lo)}·q(1)${p.from ? `, from ${records(p.from)} up to the box` : ''}`;
          return `; types 0 and 1 interior: an up-set of the cone ${fmt(lo)} ≤ q(0)/q(1) ≤ ${hi === null ? '∞' : fmt(hi)} whose top is near this point`;
        }
        return e.continuum ? `; a continuum in type ${e.continuum.type}'s records` : '';
      };
      // one platform: q per type; several platforms: one vector per platform
      const records = (r: number[] | number[][]): string =>
        r.length > 0 && Array.isArray(r[0]) ? (r as number[][]).map((q, i) => `q${i + 1} = (${q.map(fmt).join(', ')})`).join(', ') : `q = (${(r as number[]).map(fmt).join(', ')})`;
      lines.push(`E2: ${eqs2.length} ${eqs2.length === 1 ? 'equilibrium' : 'equilibria'} found; SB = ${fmt((e2.secondBest as { welfare: number }).welfare)}`);
      const volumes = e2.manyInterior as { requested: boolean; complete: boolean } | undefined;
      // five types with the volumes searched: what is left are the four-dimensional sets
      const volumesDone = volumes?.requested === true && volumes.complete ? ', and three or four types selling part next to types at corners (the three-dimensional sets: manyInterior)' : '';
      const missing = Object.entries((e2.searched as Record<string, unknown> | undefined) ?? {})
        .filter(([k, v]) => v === false && k in E2_UNSEARCHED)
        // E2.threeInteriorUnsold: among those, three types selling part with every other type selling nothing are searched
        .map(([k]) => ((k === 'severalInterior' || k === 'severalSplitTypes') && e2.threeInteriorUnsold === true ? `${E2_UNSEARCHED[k]}, except three types selling part of their records while every other type sells nothing${volumesDone}` : E2_UNSEARCHED[k]));
      if (missing.length) lines.push(`  E2 search NOT exhaustive, not searched: ${missing.join('; ')} (E2.searched)`);
      if (volumes && !volumes.requested)
        lines.push(
          '  three or four types selling part of their records next to types at corners were not searched: equilibriumSearch.manyInterior is false with four types with records, or not true with five (true searches them: seconds per market with four, 2–11× the rest with five)',
        );
      if (volumes?.requested && !volumes.complete) lines.push(`  the search for three or four interior types skipped a volume (too many planes to search, or payoffs that did not resolve into linear pieces)`);
      const limit = e2.twoInteriorLimit as { types: number; maxTypes: number } | undefined;
      if (limit) {
        const hint = limit.types <= TWO_INTERIOR_MAX_TYPES ? `; set equilibriumSearch.twoInteriorMaxTypes to ${limit.types} to search them (slower)` : '';
        lines.push(`  two interior types are searched with at most ${limit.maxTypes} types with records (this market has ${limit.types})${hint}`);
      }
      const slices = e2.sliceLimit as { twoSplit: number; threeWay: number; maxSlices: number } | undefined;
      if (slices) {
        // only the kinds the limit left unsearched (a kind settled otherwise has its flag true)
        const flags = (e2.searched as Record<string, unknown> | undefined) ?? {};
        const kinds = [
          { n: slices.twoSplit, off: flags.twoSplitTypes !== true, what: 'two split types' },
          { n: slices.threeWay, off: flags.threeWaySplits !== true, what: 'one type split over three uses' },
        ].filter((k) => k.n > slices.maxSlices && k.off);
        const over = kinds.map((k) => `${k.what} (${k.n} slices)`);
        const need = Math.max(0, ...kinds.map((k) => k.n));
        const hint = need <= MAX_SPLIT_SLICES ? `; set equilibriumSearch.maxSplitSlices to ${need} to search them (slower: milliseconds per slice)` : '';
        if (over.length) lines.push(`  not searched, more slices than ${slices.maxSlices} (equilibriumSearch.maxSplitSlices): ${over.join(', ')}${hint}`);
      }
      // two types: where two platforms could both hold records (sharedKinks.ts)
      type Kink = { names: string[]; price: number[]; overlap?: { direction: number[]; to: number[] | null }; by: string; idleType?: number };
      const kinks = e2.sharedKinks as Kink[] | undefined;
      const stray = e2.strayTwoHolders === true ? ', yet an allocation with two holders away from them passed the exact test (within its tolerance): not claimed exhaustive' : '';
      // the exact test accepts a platform holding h records at prices up to ~1e-9/h inside its region, so "one holder"
      // holds up to holdings that small (review: unit masses, regions 1e-3 apart, a holder of 1e-7 records passed)
      const upTo = ' (up to the exact test\'s tolerance: a platform holding h records passes it at prices up to about 1e-9/h inside its region)';
      if (e2.regionsApart === true) lines.push(`  no two platforms' price regions meet${e2.strayTwoHolders === true ? ', yet an allocation with two holders passed the exact test (within its tolerance): not claimed exhaustive' : `: in every E2 equilibrium at most one platform holds records${upTo}`}`);
      if (kinks && kinks.length === 0 && !stray) lines.push(`  no two platforms' values kink at a common price: in every E2 equilibrium at most one platform holds records${upTo}`);
      else if (kinks && kinks.length === 0) lines.push(`  no two platforms' values kink at a common price${stray}`);
      else if (kinks) {
        const how: Record<string, (k: Kink) => string> = {
          crossingSearch: () => 'searched exactly',
          twoSplitSlice: () => 'each type with one of them: the two-split slices',
          threeWaySlices: (k) => `both hold type ${k.overlap?.direction[0] === 0 ? 1 : 0} only: the three-way splits`,
          sellsNothing: (k) => `type ${k.idleType} sells nothing there`,
          notSearched: () => 'not searched',
        };
        const price = (p: number[] | null) => (p ? `(${p.map(fmt).join(', ')})` : '(…, ∞)');
        const at = (k: Kink) =>
          `p ${k.overlap ? `from ${price(k.price)} to ${k.overlap.to ? price(k.overlap.to) : `∞ along ${k.overlap.direction[0] === 0 ? 'p(0)' : 'p(1)'}`}` : `= ${price(k.price)}`} (${k.names.join(', ')}: ${(how[k.by] ?? how.notSearched)(k)})`;
        lines.push(`  two platforms can both hold records only at prices where their values kink together: ${kinks.map(at).join('; ')}${stray.replace(/^,/, ';')}`);
      }
      for (const e of eqs2) lines.push(`  ${records(e.records)}, p ∈ ${e.priceIntervals.map((i) => `[${fmt(i.lower)}, ${fmt(i.upper)}]`).join(' × ')}, W = ${fmt(e.welfare)}${set(e)}`);
    } else lines.push(`E2: ${String(e2.reason)}`);
  }
  return `${lines.join('\n')}\n`;
}
