/**
 * Runs a sweep's tasks on an executor and hands the finished rows of each chunk to `onRows` as soon as
 * it completes (completion order; the final files are sorted by the report layer). A bounded number of chunks is in
 * flight so that an interrupt or a failure stops quickly.
 */
import { overrideCell, type SweepPlan, type Task } from './expand.js';
import type { Executor } from './executor.js';
import type { WorkerChunk } from './worker.js';
import type { Row, Value } from './types.js';

export interface ExecuteHooks {
  /** Finished rows, a chunk at a time (so the caller can write them in one go). */
  onRows: (rows: Row[]) => void;
  onProgress?: (done: number, total: number) => void;
  /** Aborting stops scheduling; tasks in flight are abandoned (their rows are not written). */
  signal?: AbortSignal;
}

export interface ExecuteResult {
  done: number;
  interrupted: boolean;
}

/** Columns of results.csv: `run`, `replicate`, `seed`, overrides, results (DESIGN.md §4). */
export function sweepColumns(plan: SweepPlan, results: readonly string[]): string[] {
  return ['run', 'replicate', 'seed', ...plan.overrideColumns, ...results];
}

export function makeRow(plan: SweepPlan, task: Task, cells: Record<string, Value>, resultCols: readonly string[]): Row {
  const row: Row = { run: task.run, replicate: task.replicate, seed: task.seed };
  const ov = plan.runs[task.run].overrides;
  for (const c of plan.overrideColumns) row[c] = overrideCell(ov[c]);
  for (const c of resultCols) row[c] = cells[c] ?? null;
  return row;
}

/** Chunk sizing: aim for this much work per message, within [1, MAX_CHUNK] tasks. */
const TARGET_CHUNK_MS = 100;
const MAX_CHUNK = 512;

/**
 * Runs `tasks` in chunks of consecutive tasks (a run's replicates travel together with their scenario
 * once). Chunks start at one task and grow until one takes about TARGET_CHUNK_MS, so per-message cost
 * (structured clone, thread hand-off, promise turns) is amortised over cheap runs while long runs still
 * go one at a time; a chunk is never larger than the remaining work split over twice the lanes, so the
 * threads finish together. Two lanes per thread keep a chunk queued while another runs.
 */
export async function executeTasks(
  plan: SweepPlan,
  tasks: readonly Task[],
  executor: Executor,
  resultCols: readonly string[],
  hooks: ExecuteHooks,
): Promise<ExecuteResult> {
  const lanes = Math.max(1, executor.threads * 2);
  const inner = new AbortController();
  const onAbort = (): void => inner.abort();
  hooks.signal?.addEventListener('abort', onAbort);
  // a signal already aborted fires no event: it ran every task and then said "interrupted" (review)
  if (hooks.signal?.aborted) inner.abort();
  let next = 0;
  let done = 0;
  let size = 1;
  let failure: unknown = null;
  const stopped = (): boolean => failure !== null || inner.signal.aborted;
  hooks.onProgress?.(0, tasks.length);
  const emit = (chunk: readonly Task[], cells: Record<string, Value>[]): void => {
    if (cells.length > 0) hooks.onRows(cells.map((c, k) => makeRow(plan, chunk[k], c, resultCols)));
    done += cells.length;
    hooks.onProgress?.(done, tasks.length);
  };
  const lane = async (): Promise<void> => {
    while (!stopped() && next < tasks.length) {
      const fair = Math.max(1, Math.ceil((tasks.length - next) / (2 * lanes)));
      const chunk = tasks.slice(next, next + Math.min(size, fair));
      next += chunk.length;
      const t0 = performance.now();
      try {
        const cells = await executor.runChunk(toChunk(plan, chunk), inner.signal, (partial) => {
          if (!inner.signal.aborted) emit(chunk, partial);
        });
        if (inner.signal.aborted) return;
        emit(chunk, cells);
      } catch (e) {
        if (inner.signal.aborted) return;
        if (failure === null) failure = e;
        inner.abort();
        return;
      }
      const perTask = (performance.now() - t0) / chunk.length;
      size = Math.max(1, Math.min(MAX_CHUNK, 2 * size, Math.floor(TARGET_CHUNK_MS / Math.max(perTask, 1e-3))));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(lanes, tasks.length) }, lane));
  } finally {
    hooks.signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== null) throw failure;
  return { done, interrupted: hooks.signal?.aborted ?? false };
}

/** A chunk message: each distinct run's scenario once, tasks pointing at it. */
export function toChunk(plan: SweepPlan, chunk: readonly Task[]): WorkerChunk {
  const index = new Map<number, number>();
  const scenarios: WorkerChunk['scenarios'] = [];
  const items = chunk.map((t) => {
    let k = index.get(t.run);
    if (k === undefined) {
      k = scenarios.length;
      index.set(t.run, k);
      scenarios.push(plan.runs[t.run].scenario);
    }
    return { scenario: k, seed: t.seed };
  });
  return { command: plan.sweep.command, scenarios, items };
}
