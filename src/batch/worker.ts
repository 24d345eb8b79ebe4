/**
 * Piscina worker (loaded from dist/): runs a chunk of a sweep's tasks in a worker thread. The modules
 * (checker, engine, HiGHS) load once per thread; a chunk carries each distinct scenario once, so the
 * replicates of a run cost one structured clone, and the rows come back in one message.
 */
import { workerData } from 'node:worker_threads';
import { InputError } from '../scenario/errors.js';
import type { Scenario } from '../scenario/validate.js';
import { runOne } from './runOne.js';
import type { SweepCommand, Value } from './types.js';

/** Code a sweep's tasks will need, loaded when the thread starts (see `preloadFor`). */
export type Preload = 'leakage' | 'intermediation' | 'engine';

const LOADERS: Record<Preload, () => Promise<unknown>> = {
  leakage: () => import('../checker/leakage/index.js'),
  intermediation: () => import('../checker/intermediation/index.js'),
  engine: () => import('../engine/index.js'),
};

/**
 * What the tasks of a sweep import, from its command and model (a sweep has one model). The pool is
 * started while the main thread still validates the expanded scenarios, and piscina reports a thread
 * ready only once this module has loaded, so parsing the checker (~0.2 s per thread) overlaps validation
 * instead of delaying the first task. `runOne` imports the same modules lazily; these are the same
 * module instances, so preloading changes only when the cost is paid.
 */
export function preloadFor(command: SweepCommand, model: unknown): Preload[] {
  if (command === 'simulate') return model === 'intermediation' ? ['engine', 'intermediation'] : ['engine', 'leakage'];
  return model === 'intermediation' ? ['intermediation'] : ['leakage'];
}

// A failed preload is ignored: the task's own import reports the error where it can be attributed.
const wanted = (workerData as { preload?: Preload[] } | null)?.preload ?? [];
await Promise.all(wanted.filter((k) => k in LOADERS).map((k) => LOADERS[k]().catch(() => undefined)));

export interface WorkerTask {
  command: SweepCommand;
  scenario: Scenario;
  seed: number;
}

/** Several tasks of one sweep: `items[k]` runs `scenarios[items[k].scenario]` with its seed. */
export interface WorkerChunk {
  command: SweepCommand;
  scenarios: Scenario[];
  items: { scenario: number; seed: number }[];
}

/** InputError does not survive the thread boundary as a class, so it travels as data. */
export type WorkerResult = { ok: true; cells: Record<string, Value> } | { ok: false; path: string; detail: string };

export async function runTask(task: WorkerTask): Promise<WorkerResult> {
  try {
    return { ok: true, cells: await runOne(task.command, task.scenario, task.seed) };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, path: e.path, detail: e.detail };
    throw e;
  }
}

/** Runs a chunk in order; stops at the first failure (its result is the last one returned). */
export async function runChunk(chunk: WorkerChunk): Promise<WorkerResult[]> {
  const out: WorkerResult[] = [];
  for (const it of chunk.items) {
    const r = await runTask({ command: chunk.command, scenario: chunk.scenarios[it.scenario], seed: it.seed });
    out.push(r);
    if (!r.ok) break;
  }
  return out;
}

export default runChunk;
