/** Piscina worker (loaded from dist/): runs one task of a sweep in a worker thread. */
import { InputError } from '../scenario/errors.js';
import type { Scenario } from '../scenario/validate.js';
import { runOne } from './runOne.js';
import type { SweepCommand, Value } from './types.js';

export interface WorkerTask {
  command: SweepCommand;
  scenario: Scenario;
  seed: number;
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

export default runTask;
