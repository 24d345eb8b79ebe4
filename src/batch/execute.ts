/**
 * Runs a sweep's tasks on an executor and hands each finished row to `onRow` as soon as it completes
 * (completion order; the final files are sorted by the report layer). A bounded window of tasks is in
 * flight so that an interrupt or a failure stops quickly.
 */
import { overrideCell, type SweepPlan, type Task } from './expand.js';
import type { Executor } from './executor.js';
import type { Row, Value } from './types.js';

export interface ExecuteHooks {
  onRow: (row: Row) => void;
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

export async function executeTasks(
  plan: SweepPlan,
  tasks: readonly Task[],
  executor: Executor,
  resultCols: readonly string[],
  hooks: ExecuteHooks,
): Promise<ExecuteResult> {
  const window = Math.max(2, executor.threads * 4);
  const inner = new AbortController();
  const onAbort = (): void => inner.abort();
  hooks.signal?.addEventListener('abort', onAbort);
  let next = 0;
  let done = 0;
  let failure: unknown = null;
  const stopped = (): boolean => failure !== null || inner.signal.aborted;
  hooks.onProgress?.(0, tasks.length);
  const lane = async (): Promise<void> => {
    while (!stopped() && next < tasks.length) {
      const task = tasks[next++];
      try {
        const cells = await executor.run({ command: plan.sweep.command, scenario: plan.runs[task.run].scenario, seed: task.seed }, inner.signal);
        if (inner.signal.aborted) return;
        hooks.onRow(makeRow(plan, task, cells, resultCols));
        done++;
        hooks.onProgress?.(done, tasks.length);
      } catch (e) {
        if (inner.signal.aborted) return;
        if (failure === null) failure = e;
        inner.abort();
        return;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(window, tasks.length) }, lane));
  } finally {
    hooks.signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== null) throw failure;
  return { done, interrupted: hooks.signal?.aborted ?? false };
}
