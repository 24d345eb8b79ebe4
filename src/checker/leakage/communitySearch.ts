/**
 * Exact maximisation over sharer-count vectors 0 ≤ m ≤ sizes by best-first branch and bound.
 *
 * Boxes lo ≤ m ≤ hi are kept in a max-heap keyed by an upper bound `upper(lo, hi)` valid for every point of
 * the box (community.ts proves the bounds used for Φ and SS). The box with the highest bound is split in
 * half along its widest side; boxes of at most LEAF points are enumerated with `value`, the very function
 * the plain enumeration uses, so every value compared is bit-for-bit the enumeration's value.
 *
 * Exactness, ties included. Let F be the final maximum and floor(F) = F − TIE_TOL·max(1, |F|) (select.ts).
 * A box is discarded only when upper < floor(best) − margin, where best ≤ F is the running maximum, so
 * upper < floor(F) − margin. `margin` covers round-off in the bound, so every point whose computed value
 * is ≥ floor(F) lies in a box that was enumerated: the maximum, the tie count and the preferred tied
 * vector are exactly those of the plain enumeration. Points probed more than once are deduplicated.
 */
import { TIE_TOL, MAX_TIES_KEPT, preferCounts } from './select.js';

/** Boxes with at most this many points are enumerated. */
const LEAF = 16;

export interface CountSearch {
  /** Maximum value. */
  max: number;
  /** Number of count vectors tied with the maximum. */
  count: number;
  /** Tied count vectors, preferred first (at most MAX_TIES_KEPT). */
  sets: number[][];
  /** Points evaluated and boxes bounded (work measures for docs/performance.md). */
  evaluated: number;
  bounded: number;
}

export interface SearchOptions {
  /** Absolute slack added to the tie floor before a box is discarded (round-off in the bounds). */
  margin: number;
  /** Give up (return undefined) after this many point evaluations, or with budget/4 boxes queued. */
  budget: number;
}

const tolOf = (x: number): number => TIE_TOL * Math.max(1, Math.abs(x));

export function maximiseOverCounts(
  sizes: readonly number[],
  value: (m: Int32Array) => number,
  upper: (lo: Int32Array, hi: Int32Array) => number,
  opts: SearchOptions & { lo?: readonly number[] },
): CountSearch | undefined {
  const K = sizes.length;
  const stride: number[] = new Array<number>(K);
  for (let g = K - 1, s = 1; g >= 0; g--) {
    stride[g] = s;
    s *= sizes[g] + 1;
  }
  let max = -Infinity;
  let evaluated = 0;
  let bounded = 0;
  // Candidates at or above the running tie floor: mixed-radix index and value, compacted as the floor rises.
  let candIdx: number[] = [];
  let candVal: number[] = [];
  let compactAt = 4096;
  const m = new Int32Array(K);

  const evalPoint = (): void => {
    const val = value(m);
    evaluated++;
    if (val > max) max = val;
    if (val >= max - tolOf(max)) {
      let idx = 0;
      for (let g = 0; g < K; g++) idx += m[g] * stride[g];
      candIdx.push(idx);
      candVal.push(val);
      if (candIdx.length >= compactAt) {
        const floor = max - tolOf(max);
        const keepI: number[] = [];
        const keepV: number[] = [];
        for (let k = 0; k < candIdx.length; k++) {
          if (candVal[k] >= floor) {
            keepI.push(candIdx[k]);
            keepV.push(candVal[k]);
          }
        }
        candIdx = keepI;
        candVal = keepV;
        compactAt = Math.max(4096, 2 * candIdx.length);
      }
    }
  };

  // Box pool: box b has lo at corners[2Kb …], hi at corners[2Kb + K …] and bound ub[b]; freed ids are reused.
  let cap = 1024;
  let corners = new Int32Array(2 * K * cap);
  let ub = new Float64Array(cap);
  let heap = new Int32Array(cap); // max-heap of box ids by ub
  let heapLen = 0;
  const free: number[] = [];
  let nextId = 0;
  const lo = new Int32Array(K);
  const hi = new Int32Array(K);
  const alloc = (): number => {
    const id = free.pop();
    if (id !== undefined) return id;
    if (nextId === cap) {
      cap *= 2;
      const c2 = new Int32Array(2 * K * cap);
      c2.set(corners);
      corners = c2;
      const u2 = new Float64Array(cap);
      u2.set(ub);
      ub = u2;
      const h2 = new Int32Array(cap);
      h2.set(heap);
      heap = h2;
    }
    return nextId++;
  };
  const push = (id: number): void => {
    let i = heapLen++;
    heap[i] = id;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (ub[heap[p]] >= ub[heap[i]]) break;
      const t = heap[p];
      heap[p] = heap[i];
      heap[i] = t;
      i = p;
    }
  };
  const pop = (): number => {
    const top = heap[0];
    heap[0] = heap[--heapLen];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let b = i;
      if (l < heapLen && ub[heap[l]] > ub[heap[b]]) b = l;
      if (r < heapLen && ub[heap[r]] > ub[heap[b]]) b = r;
      if (b === i) break;
      const t = heap[b];
      heap[b] = heap[i];
      heap[i] = t;
      i = b;
    }
    return top;
  };
  const discard = (bound: number): boolean => bound < max - tolOf(max) - opts.margin;
  /** Bounds the box (lo, hi) held in the scratch arrays and queues it unless it is already beaten. */
  const offer = (): void => {
    bounded++;
    const bound = upper(lo, hi);
    if (discard(bound)) return;
    const id = alloc();
    corners.set(lo, 2 * K * id);
    corners.set(hi, 2 * K * id + K);
    ub[id] = bound;
    push(id);
  };

  for (let g = 0; g < K; g++) {
    lo[g] = opts.lo ? opts.lo[g] : 0;
    hi[g] = sizes[g];
  }
  offer();
  while (heapLen > 0) {
    const id = pop();
    free.push(id);
    if (discard(ub[id])) break; // every remaining box has a lower bound still
    const base = 2 * K * id;
    let volume = 1;
    let wide = 0;
    for (let g = 0; g < K; g++) {
      lo[g] = corners[base + g];
      hi[g] = corners[base + K + g];
      volume *= hi[g] - lo[g] + 1;
      if (hi[g] - lo[g] > hi[wide] - lo[wide]) wide = g;
    }
    if (volume <= LEAF) {
      // Enumerate the box (odometer, last block fastest).
      for (let g = 0; g < K; g++) m[g] = lo[g];
      for (;;) {
        evalPoint();
        let g = K - 1;
        while (g >= 0 && m[g] === hi[g]) {
          m[g] = lo[g];
          g--;
        }
        if (g < 0) break;
        m[g]++;
      }
      if (evaluated > opts.budget) return undefined;
      continue;
    }
    if (heapLen > opts.budget / 4) return undefined;
    // Probe the box's centre: a good incumbent early makes the bounds bite (duplicates are removed below).
    for (let g = 0; g < K; g++) m[g] = (lo[g] + hi[g]) >> 1;
    evalPoint();
    const mid = (lo[wide] + hi[wide]) >> 1;
    const top = hi[wide];
    hi[wide] = mid;
    offer();
    hi[wide] = top;
    lo[wide] = mid + 1;
    offer();
  }

  const floor = max - tolOf(max);
  const seen = new Set<number>();
  const tied: number[] = [];
  for (let k = 0; k < candIdx.length; k++) {
    if (candVal[k] >= floor && !seen.has(candIdx[k])) {
      seen.add(candIdx[k]);
      tied.push(candIdx[k]);
    }
  }
  const toCounts = (idx: number): number[] => stride.map((s, g) => Math.floor(idx / s) % (sizes[g] + 1));
  const sets = tied.map(toCounts).sort(preferCounts);
  return { max, count: tied.length, sets: sets.slice(0, MAX_TIES_KEPT), evaluated, bounded };
}
