/** Where tasks run: in this thread (`--workers 0`, tests) or in a piscina pool of worker threads. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { InputError } from '../scenario/errors.js';
import { runTask, type WorkerResult, type WorkerTask } from './worker.js';
import type { Value } from './types.js';

export interface Executor {
  /** Worker threads (0: in-process). */
  readonly threads: number;
  run(task: WorkerTask, signal?: AbortSignal): Promise<Record<string, Value>>;
  close(): Promise<void>;
}

function unwrap(r: WorkerResult): Record<string, Value> {
  if (r.ok) return r.cells;
  throw new InputError(r.path, r.detail);
}

export function inProcessExecutor(): Executor {
  return {
    threads: 0,
    run: async (task) => unwrap(await runTask(task)),
    close: async () => undefined,
  };
}

/**
 * The compiled worker module. Workers need JavaScript: next to this file when running from dist/, else
 * (tests running TypeScript sources) the build output in dist/.
 */
export function workerFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = resolve(here, 'worker.js');
  if (existsSync(beside)) return beside;
  const built = resolve(here, '../../dist/src/batch/worker.js');
  if (existsSync(built)) return built;
  throw new Error(`worker module not found (looked for ${beside} and ${built}); run \`npm run build\``);
}

export function poolExecutor(threads: number): Executor {
  const pool = new Piscina<WorkerTask, WorkerResult>({
    filename: workerFile(),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
  });
  return {
    threads,
    run: async (task, signal) => unwrap(await pool.run(task, signal ? { signal } : {})),
    close: () => pool.destroy(),
  };
}

export function makeExecutor(workers: number): Executor {
  return workers <= 0 ? inProcessExecutor() : poolExecutor(workers);
}
