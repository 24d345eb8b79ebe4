import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Logger } from 'pino';
import { InputError } from '../scenario/errors.js';
import { existsSync, rmSync } from 'node:fs';
import { countTasks, expandSweep, readSweep, type SweepPlan, type Task } from '../batch/expand.js';
import { checkOutDir, outFlag } from './outDir.js';
import { Interrupted, onStopSignal, type StopSignal } from './interrupted.js';
import { executeTasks, sweepColumns } from '../batch/execute.js';
import { makeExecutor, type Executor } from '../batch/executor.js';
import { preflightPlan } from '../batch/preflight.js';
import { resultColumns } from '../batch/runOne.js';
import { inShard, parseShard, shardFromEnv, tasksInShard } from '../batch/shard.js';
import { preloadFor } from '../batch/worker.js';
import type { Manifest, Shard } from '../batch/types.js';
import { finalizeSweepDir, openSweepDir, readManifest, readResults, taskKey, writeManifest } from '../report/sweepDir.js';
import { ResultsLog } from '../report/results.js';
import { checkCurves } from '../report/report.js';
import type { CliContext } from './context.js';
import { VERSION } from './main.js';

export interface SweepRunOptions {
  out: string;
  /** Worker threads; 0 runs in this thread. */
  workers: number;
  shard: Shard | null;
  resume: boolean;
  version: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  log?: Logger;
}

export interface SweepRunResult {
  manifest: Manifest;
  /** Tasks run by this process (not counting those found done on resume). */
  ran: number;
  interrupted: boolean;
  /** Wall milliseconds of each phase (bench/sweep.ts reports them); see `SweepTimings`. */
  timings: SweepTimings;
}

/**
 * Where a sweep's wall time went, in milliseconds from the call, each the time at the end of its phase:
 * `read` (sweep file), `validate` (expand, validate and preflight every scenario), `open` (output
 * folder), `firstRow` (first row back: worker start-up not hidden by validation, plus one task), `run`
 * (all rows back), `finalize` (sorted results.csv, results.json, summary.csv, manifest), `close` (worker
 * threads shut down, which overlaps `finalize`).
 */
export interface SweepTimings {
  read: number;
  validate: number;
  open: number;
  firstRow: number | null;
  run: number;
  finalize: number;
  close: number;
}

/**
 * Loads and validates the whole sweep (nothing is written before that), opens or resumes the output
 * folder, runs the pending tasks of this shard, and writes the final sorted tables.
 *
 * A fresh sweep starts its worker threads as soon as the sweep file itself has been read, so they load
 * the checker while this thread validates the expanded scenarios; they get no task until validation has
 * passed and the folder is open, and an invalid sweep shuts them down having written nothing. (On
 * `--resume` the pool waits until the pending tasks are known, as they may be fewer than the threads.)
 */
export async function runSweepToDir(file: string, opts: SweepRunOptions): Promise<SweepRunResult> {
  const t0 = performance.now();
  const clock = (): number => performance.now() - t0;
  const { sweep, hash } = readSweep(file);
  // curves the report could not draw are bad input now, before any folder (review: 10⁹ points, exit 0 at report time)
  checkCurves(sweep.report?.curves ?? []);
  const timings: SweepTimings = { read: clock(), validate: 0, open: 0, firstRow: null, run: 0, finalize: 0, close: 0 };
  const preload = preloadFor(sweep.command, sweep.base.model);
  const early = opts.resume ? 0 : Math.min(opts.workers, tasksInShard(countTasks(sweep), opts.shard));
  const executor = early > 0 ? makeExecutor(early, preload) : null;
  try {
    // expanding and validating every run comes first and takes ~20 s at 10⁶ tasks, with nothing shown before (review)
    opts.log?.info({ sweep: sweep.name, tasks: countTasks(sweep) }, 'validating the runs');
    const plan = expandSweep(sweep, hash);
    preflightPlan(plan);
    timings.validate = clock();
    const resultCols = resultColumns(plan.sweep.command, plan.runs.map((r) => r.scenario));
    const columns = sweepColumns(plan, resultCols);
    const mine = plan.tasks.filter((t) => inShard(t.index, opts.shard));
    checkOutDir(opts.out);
    const old = opts.resume ? readManifest(opts.out) : null;
    const fresh = !existsSync(opts.out);
    try {
      return await runPlan(plan, columns, resultCols, mine, old, opts, { executor, preload, timings, clock });
    } catch (e) {
      // A run refused as bad input (e.g. an enumeration limit the checker applies) before any row was written:
      // leave no half-created folder behind (DESIGN.md §4).
      if (e instanceof InputError && fresh && existsSync(opts.out) && noRows(opts.out)) rmSync(opts.out, { recursive: true, force: true });
      throw e;
    }
  } finally {
    await executor?.close();
  }
}

/** The pool started before validation (or null), what its threads preload, and the phase clock. */
interface RunContext {
  executor: Executor | null;
  preload: ReturnType<typeof preloadFor>;
  timings: SweepTimings;
  clock: () => number;
}

function noRows(dir: string): boolean {
  try {
    return readResults(dir).rows.length === 0;
  } catch {
    return true;
  }
}

/** The override columns whose every value set in the sweep is a string (`Manifest.textColumns`). */
function textColumns(plan: SweepPlan): string[] {
  return plan.overrideColumns.filter((c) => {
    const values = plan.runs.map((r) => r.overrides[c]).filter((v) => v !== undefined);
    return values.length > 0 && values.every((v) => typeof v === 'string');
  });
}

async function runPlan(plan: SweepPlan, columns: string[], resultCols: string[], mine: Task[], old: Manifest | null, opts: SweepRunOptions, ctx: RunContext): Promise<SweepRunResult> {
  const { timings, clock } = ctx;
  const manifest: Manifest = {
    kind: 'sweep',
    name: plan.sweep.name,
    command: plan.sweep.command,
    sweepHash: plan.sweepHash,
    version: opts.version,
    shard: opts.shard,
    status: 'running',
    startedAt: old?.startedAt ?? new Date().toISOString(),
    finishedAt: null,
    counts: { runs: plan.runs.length, replicates: plan.sweep.replicates, tasks: plan.tasks.length, tasksInShard: mine.length, done: 0, resumed: 0 },
    columns,
    overrideColumns: plan.overrideColumns,
    resultColumns: resultCols,
    textColumns: textColumns(plan),
    workers: opts.workers,
  };
  // sweep.json must run again as it stands: without the runs list when there is none (the schema refuses [])
  const { runs, ...rest } = plan.sweep;
  const opened = openSweepDir(opts.out, manifest, runs.length ? plan.sweep : rest, opts.resume);
  const pending = mine.filter((t) => !opened.done.has(taskKey(t.run, t.replicate)));
  manifest.counts.resumed = mine.length - pending.length;
  manifest.counts.done = manifest.counts.resumed;
  writeManifest(opts.out, manifest);
  timings.open = clock();
  opts.log?.info({ sweep: plan.sweep.name, tasks: mine.length, pending: pending.length, workers: opts.workers }, 'sweep start');
  const executor = ctx.executor ?? makeExecutor(pending.length === 0 ? 0 : Math.min(opts.workers, pending.length), ctx.preload);
  const perRun = new Map<number, number>();
  for (const t of pending) perRun.set(t.run, (perRun.get(t.run) ?? 0) + 1);
  let closing: Promise<void> = Promise.resolve();
  const log = new ResultsLog(opened.appender, { columns, overrideColumns: plan.overrideColumns, resultColumns: resultCols, textColumns: manifest.textColumns ?? [] }, perRun);
  let ran = 0;
  try {
    const r = await executeTasks(plan, pending, executor, resultCols, {
      onRows: (rows) => {
        log.append(rows);
        if (ran === 0) timings.firstRow = clock();
        ran += rows.length;
      },
      onProgress: (d) => opts.onProgress?.(manifest.counts.resumed + d, mine.length),
      signal: opts.signal,
    });
    timings.run = clock();
    manifest.counts.done = manifest.counts.resumed + r.done;
    if (r.interrupted) {
      manifest.status = 'interrupted';
      return { manifest, ran, interrupted: true, timings };
    }
  } catch (e) {
    manifest.status = 'failed';
    manifest.counts.done = manifest.counts.resumed + ran;
    throw e;
  } finally {
    opened.appender.close();
    // After a complete run the threads shut down while the final tables are written (they do no I/O).
    closing = executor.close();
    if (manifest.status !== 'running') {
      await closing;
      writeManifest(opts.out, manifest);
    }
  }
  // With no rows in results.csv when it was opened, the file holds exactly the rows logged here; a resumed
  // folder also holds earlier ones, so it is read back as before.
  if (!(opened.done.size === 0 && log.writeFinalTables(opts.out))) finalizeSweepDir(opts.out, manifest);
  manifest.status = 'complete';
  manifest.finishedAt = new Date().toISOString();
  writeManifest(opts.out, manifest);
  timings.finalize = clock();
  await closing;
  timings.close = clock();
  opts.log?.info({ sweep: plan.sweep.name, ran }, 'sweep complete');
  return { manifest, ran, interrupted: false, timings };
}

/** Worker threads per process (each holds a V8 isolate and a HiGHS instance); more machines: --shard. */
export const MAX_WORKERS = 256;

/** `--workers` (default: the number of cores). */
export function parseWorkers(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  if (!/^\d+$/.test(text)) throw new InputError('--workers', `expected a non-negative integer, got ${JSON.stringify(text)}`);
  if (Number(text) > MAX_WORKERS) throw new InputError('--workers', `${text} exceeds the limit of ${MAX_WORKERS} worker threads; use --shard to spread a sweep over processes or machines`);
  return Number(text);
}

/** The shard from `--shard`, else from Slurm / Kubernetes environment variables, else none. */
export function resolveShard(flag: string | undefined, countFlag: string | undefined, env: NodeJS.ProcessEnv): Shard | null {
  let count: number | undefined;
  if (countFlag !== undefined) {
    if (!/^\d+$/.test(countFlag) || Number(countFlag) < 1) throw new InputError('--shard-count', `expected a positive integer, got ${JSON.stringify(countFlag)}`);
    count = Number(countFlag);
  }
  if (flag !== undefined) {
    if (count !== undefined) throw new InputError('--shard-count', 'not used with --shard I/N');
    return parseShard(flag);
  }
  return shardFromEnv(env, count);
}

/**
 * Progress on a TTY (bar with ETA), else a log line every 10%. With `delayMs`, nothing is shown until that much
 * time has passed (short jobs stay quiet).
 */
export function progressReporter(ctx: CliContext, label: string, opts: { unit?: string; delayMs?: number } = {}): { update: (done: number, total: number) => void; stop: () => void } {
  const unit = opts.unit ?? 'tasks';
  const since = performance.now();
  const quiet = () => opts.delayMs !== undefined && performance.now() - since < opts.delayMs;
  if (ctx.isTty) {
    const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} ${unit} | {percentage}% | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
    let started = false;
    let total = 0;
    return {
      update: (d, t) => {
        if (!started) {
          if (quiet()) return;
          bar.start(t, d);
          started = true;
          total = t;
          return;
        }
        // a new total (solve: the candidate search after the exact one stopped at its limits) is taken (review)
        if (t !== total) {
          bar.setTotal(t);
          total = t;
        }
        bar.update(d);
      },
      stop: () => {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let lastDecile = -1;
  return {
    update: (d, t) => {
      if (quiet()) return;
      const decile = t === 0 ? 10 : Math.floor((10 * d) / t);
      if (decile !== lastDecile) {
        lastDecile = decile;
        ctx.log.info({ [unit === 'tasks' ? 'sweep' : 'task']: label, done: d, total: t, unit }, 'progress');
      }
    },
    stop: () => undefined,
  };
}

export function registerSweep(program: Command, ctx: CliContext): void {
  program
    .command('sweep')
    .description('run a sweep file (grid × runs × replicates) in parallel; writes results.csv, summary.csv, results.json, sweep.json, manifest.json')
    .argument('<sweep>', 'sweep JSON file')
    .requiredOption('--out <dir>', 'output folder (required)')
    .option('--workers <k>', 'worker threads (default: number of cores; 0 runs in the main thread)')
    .option('--shard <i/n>', 'run only shard I of N (1-based); default from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX')
    .option('--shard-count <n>', 'number of shards when the index comes from JOB_COMPLETION_INDEX (Kubernetes)')
    .option('--resume', 'continue a sweep in --out without redoing finished runs')
    .action(async (file: string, opts: { out: string; workers?: string; shard?: string; shardCount?: string; resume?: boolean }) => {
      const workers = parseWorkers(opts.workers);
      const shard = resolveShard(opts.shard, opts.shardCount, ctx.env);
      const out = resolve(ctx.cwd, outFlag(opts.out));
      const controller = new AbortController();
      let signal: StopSignal = 'SIGINT';
      const offStop = onStopSignal((sig) => {
        signal = sig;
        controller.abort();
      });
      const progress = progressReporter(ctx, 'sweep');
      let result: SweepRunResult;
      try {
        result = await runSweepToDir(resolve(ctx.cwd, file), { out, workers, shard, resume: Boolean(opts.resume), version: VERSION, signal: controller.signal, onProgress: progress.update, log: ctx.log });
      } finally {
        progress.stop();
        offStop();
      }
      const m = result.manifest;
      const shardFlag = shard ? ` --shard ${shard.index}/${shard.count}` : '';
      if (result.interrupted) {
        ctx.stderr(`interrupted: ${m.counts.done} of ${m.counts.tasksInShard} tasks done and saved in ${opts.out}\nresume with: datamarket sweep ${file} --out ${opts.out}${shardFlag} --resume\n`);
        throw new Interrupted(signal);
      }
      ctx.stdout(`${m.name}: ${m.counts.tasksInShard} tasks (runs × replicates)${shard ? ` (shard ${shard.index}/${shard.count} of ${m.counts.tasks})` : ''}, ${result.ran} run now, ${m.counts.resumed} already done; wrote results.csv, summary.csv, results.json, sweep.json, manifest.json to ${opts.out}\n`);
    });
}

