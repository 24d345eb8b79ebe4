/**
 * Equilibrium selection among candidates with the same value (docs/numerics.md).
 * Values within TIE_TOL·max(1, |best|) of the best are ties. Among ties we report, in this order:
 * the larger sharer set (AMMO fn 10: an indifferent platform still buys; it also makes a^E the greatest
 * user equilibrium at p^E, MODEL.md B.3), then the lexicographically smallest sorted list of user indices.
 * All tied candidates are counted and reported, never hidden.
 */
export const TIE_TOL = 1e-9;
/** At most this many tied candidates are kept for reporting (all are counted). */
export const MAX_TIES_KEPT = 64;

export interface Ties {
  max: number;
  /** Indices of tied candidates (at most MAX_TIES_KEPT·4; the preferred ones when `prefer` is given). */
  indices: number[];
  /** How many candidates are tied with the best. */
  count: number;
}

const tolOf = (x: number): number => TIE_TOL * Math.max(1, Math.abs(x));

/**
 * Maximum over candidates 0..size−1 and every index tied with it. Two passes (the maximum, then the ties),
 * so the count is exact; `valueAt` must be cheap and deterministic (the solvers read stored arrays). With
 * `prefer`, the kept indices are the preferred ones, so the reported optimum obeys the tie rule even when
 * more than MAX_TIES_KEPT·4 candidates tie (e.g. SS ≡ 0 when every v_i = 1).
 */
export function maxWithTies(size: number, valueAt: (index: number) => number, prefer?: (a: number, b: number) => number): Ties {
  // Small candidate lists are evaluated once and cached (callers such as the duopoly compute values on the fly).
  const cache = size <= 1 << 16 ? new Float64Array(size) : undefined;
  let max = -Infinity;
  for (let i = 0; i < size; i++) {
    const v = valueAt(i);
    if (cache) cache[i] = v;
    if (v > max) max = v;
  }
  const floor = max - tolOf(max);
  let kept: number[] = [];
  let count = 0;
  for (let i = 0; i < size; i++) {
    if (!((cache ? cache[i] : valueAt(i)) >= floor)) continue;
    count++;
    kept = keepTie(kept, i, prefer);
  }
  return { max, indices: kept, count };
}

/** Adds tied index i to the kept list: the first MAX_TIES_KEPT·4, or with `prefer` the preferred ones. */
function keepTie(kept: number[], i: number, prefer?: (a: number, b: number) => number): number[] {
  if (kept.length < MAX_TIES_KEPT * 4) {
    kept.push(i);
    return kept;
  }
  if (!prefer) return kept;
  kept.push(i);
  return kept.sort(prefer).slice(0, MAX_TIES_KEPT * 2);
}

/**
 * maxWithTies over a stored array (the 2ⁿ set values of the general solver): the same two passes and the same
 * kept indices, without a callback per element or a cache copy.
 */
export function maxWithTiesIn(values: Float64Array, prefer?: (a: number, b: number) => number): Ties {
  const size = values.length;
  let max = -Infinity;
  for (let i = 0; i < size; i++) if (values[i] > max) max = values[i];
  const floor = max - tolOf(max);
  let kept: number[] = [];
  let count = 0;
  for (let i = 0; i < size; i++) {
    if (!(values[i] >= floor)) continue;
    count++;
    kept = keepTie(kept, i, prefer);
  }
  return { max, indices: kept, count };
}

/** Larger sets first, then lexicographically smaller sorted index lists. */
export function preferSets(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return b.length - a.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Community counts: larger total first, then more sharers in earlier blocks (= smaller user indices). */
export function preferCounts(a: readonly number[], b: readonly number[]): number {
  const ta = a.reduce((s, x) => s + x, 0);
  const tb = b.reduce((s, x) => s + x, 0);
  if (ta !== tb) return tb - ta;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i] - a[i];
  return 0;
}
