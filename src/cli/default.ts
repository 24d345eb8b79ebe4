import type { Command } from 'commander';
import { readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../scenario/errors.js';
import { loadScenario, type Scenario } from '../scenario/index.js';
import { toJson, writeFileAtomic } from '../report/atomic.js';
import { writeCombinedReport, writeReport } from '../report/report.js';
import { esc } from '../report/html.js';
import type { CliContext } from './context.js';
import { loadSweep } from '../batch/expand.js';
import { checkOutDir, outFlag, isPlainFolderName } from './outDir.js';
import { simulateScenario } from './simulate.js';
import { turnEventLoop } from '../engine/index.js';
import { VERSION } from './main.js';
import { parseWorkers, progressReporter, runSweepToDir } from './sweep.js';
import { Interrupted, onStopSignal, type StopSignal } from './interrupted.js';

/** The dynamics shown run by run (learned vs exact prices, participation) in the default report. */
const DYNAMICS = ['best-response', 'tatonnement', 'learning'] as const;

/**
 * The default job (`npm start`): every sims/sweep-*.json into out/<batch>/<sweep>/, one simulate folder
 * per dynamic on sims/<trajectory scenario>, and out/<batch>/report.html over all of them. The batch's
 * folder is rebuilt from scratch on every run.
 */
export function registerDefault(program: Command, ctx: CliContext): void {
  program
    .command('default')
    .description('run the default batch: the sweeps sims/sweep-*.json and a report at out/default/report.html')
    .option('--sims <dir>', 'folder of sweep and scenario files', 'sims')
    .option('--out <dir>', 'output root', 'out')
    .option('--batch <name>', 'batch name (folder under --out)', 'default')
    .option('--workers <k>', 'worker threads (default: number of cores)')
    .option('--trajectory <file>', 'scenario (in --sims) simulated once per dynamic for the trajectory plots', 'dynamics-six-users.json')
    .option('--unraveling <file>', 'intermediation scenario (in --sims) simulated without remedy (tatonnement) for the unraveling plot', 'glp-unraveling.json')
    .action(async (opts: { sims: string; out: string; batch: string; workers?: string; trajectory: string; unraveling: string }) => {
      const t0 = performance.now();
      const simsDir = resolve(ctx.cwd, opts.sims);
      // the batch folder is deleted and rewritten: its name must be one plain folder under --out (review: `--batch .`,
      // `""` or `..` deleted --out itself, or its parent)
      if (!isPlainFolderName(opts.batch)) {
        throw new InputError('--batch', `expected a folder name (letters, digits, '.', '_', '-'; not '.' or '..'), got ${JSON.stringify(opts.batch)}`);
      }
      const root = resolve(ctx.cwd, outFlag(opts.out), opts.batch);
      const workers = parseWorkers(opts.workers);
      let entries: string[];
      try {
        entries = readdirSync(simsDir);
      } catch {
        throw new InputError('--sims', `${simsDir}: no such folder`);
      }
      const sweeps = entries.filter((f) => /^sweep-.*\.json$/.test(f)).sort();
      const trajectoryScenario = loadOption(join(simsDir, opts.trajectory), '--trajectory');
      // The unregulated market (remedy none), whatever remedy the file studies: the figure shows it unravel.
      const unravelingScenario = loadOption(join(simsDir, opts.unraveling), '--unraveling');
      if (unravelingScenario.model !== 'intermediation') throw new InputError('--unraveling', `${opts.unraveling} is not an intermediation scenario`);
      const simulations = [
        ...DYNAMICS.map((kind) => ({ folder: `simulate-${kind}`, file: opts.trajectory, scenario: trajectoryScenario, kind })),
        { folder: 'simulate-unraveling', file: opts.unraveling, scenario: { ...unravelingScenario, remedy: 'none' as const }, kind: 'tatonnement' as const },
      ];
      // Validate every sweep before the previous batch is deleted: bad input must leave the old results.
      // the error names the sweep file too (review: with several, "privacyValues.0: … (in run 1: …)" did not say which)
      for (const f of sweeps) {
        try {
          loadSweep(join(simsDir, f));
        } catch (e) {
          if (e instanceof InputError) throw new InputError(e.path, `${e.detail} (in ${join(simsDir, f)})`);
          throw e;
        }
      }
      checkOutDir(root);
      rmSync(root, { recursive: true, force: true });
      const dirs: string[] = [];
      // Ctrl-C or SIGTERM: the sweep running stops and saves what it finished, nothing more starts, and the batch
      // says it is incomplete (review: killed mid-way, a sweep's manifest stayed "running", without a word)
      const controller = new AbortController();
      let stopped: StopSignal | null = null;
      const offStop = onStopSignal((sig) => {
        stopped = sig;
        controller.abort();
      });
      const interrupted = (): Interrupted => {
        ctx.stderr(`interrupted: the default batch in ${root} is incomplete (${dirs.length} folders done); run it again\n`);
        return new Interrupted(stopped ?? 'SIGINT');
      };
      try {
        for (const f of sweeps) {
          // a signal during the last report is handled here, before another sweep starts (review: one more began)
          await turnEventLoop();
          if (stopped) throw interrupted();
          const dir = join(root, basename(f, '.json').replace(/^sweep-/, ''));
          const t = performance.now();
          const progress = progressReporter(ctx, f);
          let result: Awaited<ReturnType<typeof runSweepToDir>>;
          try {
            result = await runSweepToDir(join(simsDir, f), { out: dir, workers, shard: null, resume: false, version: VERSION, signal: controller.signal, onProgress: progress.update, log: ctx.log });
          } finally {
            progress.stop();
          }
          if (result.interrupted || stopped) throw interrupted();
          await writeReport(dir);
          dirs.push(dir);
          ctx.stderr(`${f}: done in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
        }
        for (const { folder, file: simFile, scenario, kind } of simulations) {
          await turnEventLoop();
          if (stopped) throw interrupted();
          const dir = join(root, folder);
          const r = await simulateScenario(scenario, { dynamics: kind });
          writeFileAtomic(join(dir, 'summary.json'), toJson(r.summary));
          writeFileAtomic(join(dir, 'trajectory.csv'), r.trajectoryCsv);
          await writeReport(dir);
          dirs.push(dir);
          ctx.stderr(`simulate ${simFile} (${kind}): ${r.summary.rounds} rounds, converged ${r.summary.converged}\n`);
        }
        if (stopped) throw interrupted();
      } finally {
        offStop();
      }
      const seconds = (performance.now() - t0) / 1000;
      const intro = `<p>The default batch of datamarket ${esc(VERSION)}: ${sweeps.length} sweeps from <code>${esc(opts.sims)}/sweep-*.json</code> one simulation per dynamic of <code>${esc(opts.trajectory)}</code> and one of <code>${esc(opts.unraveling)}</code> without remedy (the market unraveling), run with ${workers} worker thread${workers === 1 ? '' : 's'} in ${seconds.toFixed(1)} s. Each folder holds results.csv, summary.csv, manifest.json and its own report.html.</p>`;
      const file = await writeCombinedReport(root, 'datamarket: figures and examples of the papers', intro, dirs);
      ctx.stdout(`wrote ${dirs.length} folders and ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    });
}

/**
 * A scenario file named by an option: its errors name the option and the file (review: a missing file said
 * `scenario`, an invalid one named only the scenario's field).
 */
function loadOption(file: string, option: string): Scenario {
  try {
    return loadScenario(file, option);
  } catch (e) {
    if (e instanceof InputError && e.path !== option) throw new InputError(option, `${file}: ${e.path}: ${e.detail}`);
    throw e;
  }
}
