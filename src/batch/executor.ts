/** Where tasks run: in this thread (`--workers 0`, tests) or in a piscina pool of worker threads. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { InputError } from '../scenario/errors.js';
import { runChunk, type Preload, type WorkerChunk, type WorkerResult } from './worker.js';
import type { Value } from './types.js';

export interface Executor {
  /** Worker threads (0: in-process). */
  readonly threads: number;
  /**
   * Runs a chunk of tasks and returns their cells in order. A failing task throws (InputError for bad
   * input); the tasks before it are reported through `done` first, so their rows are kept.
   */
  runChunk(chunk: WorkerChunk, signal?: AbortSignal, done?: (cells: Record<string, Value>[]) => void): Promise<Record<string, Value>[]>;
  close(): Promise<void>;
}

function unwrapAll(rs: WorkerResult[], done?: (cells: Record<string, Value>[]) => void): Record<string, Value>[] {
  const cells: Record<string, Value>[] = [];
  for (const r of rs) {
    if (r.ok) cells.push(r.cells);
    else {
      done?.(cells);
      throw new InputError(r.path, r.detail);
    }
  }
  return cells;
}

export function inProcessExecutor(): Executor {
  return {
    threads: 0,
    runChunk: async (chunk, _signal, done) => unwrapAll(await runChunk(chunk), done),
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

/** A pool of `threads` workers, started at once; each loads `preload` before it takes a task. */
export function poolExecutor(threads: number, preload: Preload[] = []): Executor {
  const pool = new Piscina<WorkerChunk, WorkerResult[]>({
    filename: workerFile(),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    workerData: { preload },
  });
  let closed: Promise<void> | undefined;
  return {
    threads,
    runChunk: async (chunk, signal, done) => unwrapAll(await pool.run(chunk, signal ? { signal } : {}), done),
    close: () => (closed ??= pool.destroy()),
  };
}

export function makeExecutor(workers: number, preload: Preload[] = []): Executor {
  return workers <= 0 ? inProcessExecutor() : poolExecutor(workers, preload);
}
