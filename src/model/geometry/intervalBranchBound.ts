/**
 * Spatial branch and bound for max f(x) over x ∈ [from, to], given
 *  - `relax(a, b)`: an upper bound on f over [a, b] (null: no feasible point there) and a point `at` ∈ [a, b]
 *    where the relaxation is attained, and
 *  - `value(x)`: f(x) exactly (null: x infeasible).
 * Intervals are split (at the relaxation's point when it is well inside, else at the middle) and those whose bound
 * is within tol·max(1, |best|) of the best value found are dropped. Returns the best point, its value, and the
 * largest bound left (= value when the search finished; larger when `maxNodes` relaxations were reached), so
 * value ≤ max f ≤ bound whenever `relax` is a valid bound. Null when no point was feasible or from > to (or NaN).
 */
export interface IntervalMax {
  x: number;
  value: number;
  bound: number;
  nodes: number;
}

export function maximiseOnInterval(
  relax: (a: number, b: number) => { bound: number; at: number } | null,
  value: (x: number) => number | null,
  from: number,
  to: number,
  opts: { seeds?: readonly number[]; tol?: number; maxNodes?: number } = {},
): IntervalMax | null {
  if (!(from <= to)) return null;
  const tol = opts.tol ?? 1e-9;
  const maxNodes = opts.maxNodes ?? 400;
  const best = { x: NaN, value: -Infinity };
  const evaluate = (x: number) => {
    const c = Math.min(to, Math.max(from, x));
    const v = value(c);
    if (v !== null && v > best.value) Object.assign(best, { x: c, value: v });
  };
  for (const x of [from, to, ...(opts.seeds ?? [])]) if (x >= from && x <= to) evaluate(x);
  type Node = { a: number; b: number; bound: number; at: number };
  const open: Node[] = [];
  let nodes = 0;
  // the largest bound of a dropped interval: the returned bound covers them too
  let dropped = -Infinity;
  const push = (a: number, b: number) => {
    nodes++;
    const r = relax(a, b);
    // a non-finite bound is no bound: the interval stays open at +∞ (never pruned, so the result says so)
    if (r) open.push({ a, b, bound: Number.isNaN(r.bound) ? Infinity : r.bound, at: Number.isFinite(r.at) ? r.at : (a + b) / 2 });
  };
  // with best = −∞ the test is NaN-safe: −∞ + ∞ is NaN and the comparison is false
  const done = (bound: number) => bound <= best.value + tol * Math.max(1, Math.abs(best.value));
  if (maxNodes > 0) push(from, to);
  while (open.length) {
    open.sort((x, y) => y.bound - x.bound);
    const node = open[0];
    if (done(node.bound) || nodes >= maxNodes || node.b - node.a <= 1e-15 * Math.max(1, Math.abs(node.b))) break;
    open.shift();
    evaluate(node.at);
    if (done(node.bound)) {
      dropped = Math.max(dropped, node.bound);
      continue;
    }
    const w = node.b - node.a;
    const mid = node.at - node.a > 0.1 * w && node.b - node.at > 0.1 * w ? node.at : (node.a + node.b) / 2;
    push(node.a, mid);
    push(mid, node.b);
  }
  if (!Number.isFinite(best.value)) return null;
  return { x: best.x, value: best.value, bound: Math.max(best.value, dropped, ...open.map((n) => n.bound)), nodes };
}
