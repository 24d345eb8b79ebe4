/**
 * `datamarket simulate <scenario.json> [--rounds N] [--seed S] [--dynamics NAME] [--out DIR] [--json]`
 * (DESIGN.md §4): agents play rounds; writes DIR/trajectory.csv, DIR/events.jsonl and DIR/summary.json
 * (default DIR: out/simulate/<scenario name>). The trajectory and the event log are streamed round by round
 * into hidden temporary files in DIR and renamed into place only after the run succeeded (then
 * summary.json, atomically); a run that fails removes them, so bad input leaves nothing behind.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../scenario/errors.js';
import { loadScenario } from '../scenario/index.js';
import type { Scenario } from '../scenario/validate.js';
import {
  eventLine,
  turnEventLoop,
  simulateScenario as runSimulation,
  type Cell,
  type ProgressStage,
  type RoundSink,
  type SimulateOptions,
  type SimulationSummary,
  type Trajectory,
} from '../engine/index.js';
import { preflightSimulate } from '../engine/preflight.js';
import { csvLine, toCsv } from '../report/csv.js';
import type { DynamicsKind } from '../engine/options.js';
import { toJson, writeFileAtomic } from '../report/atomic.js';
import { highsSolver } from '../lp/index.js';
import type { CliContext } from './context.js';
import { checkOutDir, outFlag, isPlainFolderName, missingFolders, removeEmptyFolders } from './outDir.js';
import { progressReporter } from './sweep.js';
import { Interrupted, onStopSignal, type StopSignal } from './interrupted.js';
import { fmt, ranges } from './format.js';

const KINDS: readonly DynamicsKind[] = ['best-response', 'tatonnement', 'learning'];

/** trajectory.csv text of an engine trajectory (the engine emits rows; report's writer renders them). */
export const renderTrajectory = (t: Trajectory): string => toCsv(t.columns, t.rows);

/** The options with the process's LP backend added for an intermediation scenario (HiGHS, loaded once). */
async function withSolver(scenario: Scenario, options: SimulateOptions): Promise<SimulateOptions> {
  return scenario.model === 'intermediation' && !options.lp ? { ...options, lp: await highsSolver() } : options;
}

/** One run held in memory: summary object and trajectory.csv text, no I/O. */
export async function simulateScenario(
  scenario: Scenario,
  options: SimulateOptions = {},
): Promise<{ summary: SimulationSummary; trajectoryCsv: string }> {
  const r = await runSimulation(scenario, await withSolver(scenario, options));
  return { summary: r.summary, trajectoryCsv: renderTrajectory(r.trajectory) };
}

/** A file written in chunks to a hidden temporary name, renamed over the target on commit. */
class StreamedFile {
  private fd = -1;
  private buffer = '';
  private readonly tmp: string;
  constructor(
    private readonly dir: string,
    private readonly name: string,
  ) {
    this.tmp = join(dir, `.${name}.${process.pid}.tmp`);
  }
  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= 1 << 16) this.flush();
  }
  private flush(): void {
    if (this.fd < 0) {
      mkdirSync(this.dir, { recursive: true });
      this.fd = openSync(this.tmp, 'w');
    }
    const data = Buffer.from(this.buffer, 'utf8');
    let off = 0;
    while (off < data.length) off += writeSync(this.fd, data, off, data.length - off);
    this.buffer = '';
  }
  commit(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmp, join(this.dir, this.name));
  }
  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.tmp, { force: true });
  }
}

/**
 * Streams trajectory.csv and events.jsonl while the run goes: memory stays flat in the number of rounds. After
 * `stop()` (Ctrl-C) its next row throws `Interrupted`, which ends the run where it stands (the engine's loop
 * lets the event loop turn every 100 ms, so the handler runs: sink.ts `Breather`).
 */
class FileSink implements RoundSink {
  private stopped: StopSignal | null = null;
  stop(signal: StopSignal = 'SIGINT'): void {
    this.stopped = signal;
  }
  private cols: readonly string[] = [];
  readonly trajectory: StreamedFile;
  readonly events: StreamedFile;
  /** The stage whose progress is shown (a bar on a terminal after 2 s, else log lines at each tenth: `solve`'s). */
  private shown: { stage: ProgressStage; reporter: ReturnType<typeof progressReporter> } | undefined;
  constructor(dir: string, private readonly ctx: CliContext) {
    this.trajectory = new StreamedFile(dir, 'trajectory.csv');
    this.events = new StreamedFile(dir, 'events.jsonl');
  }
  progress(stage: ProgressStage, done: number, total: number): void {
    if (this.shown?.stage !== stage) {
      this.shown?.reporter.stop();
      this.shown = { stage, reporter: progressReporter(this.ctx, stage, { unit: PROGRESS_UNITS[stage], delayMs: 2000 }) };
    }
    this.shown.reporter.update(done, total);
  }
  /** Ends the progress bar (before the summary is printed, or the run fails). */
  endProgress(): void {
    this.shown?.reporter.stop();
    this.shown = undefined;
  }
  columns(cols: readonly string[]): void {
    this.cols = cols;
    this.trajectory.write(csvLine(cols));
  }
  row(cells: Record<string, Cell>): void {
    if (this.stopped) throw new Interrupted(this.stopped);
    this.trajectory.write(csvLine(this.cols.map((c) => cells[c])));
  }
  event(e: object): void {
    this.events.write(eventLine(e));
  }
  commit(): void {
    // a Ctrl-C handled only after the last row (a run whose rounds took less than the Breather's 100 ms, after a
    // long solve: review) still stops it before anything is written
    if (this.stopped) throw new Interrupted(this.stopped);
    this.trajectory.commit();
    this.events.commit();
  }
  abort(): void {
    this.trajectory.abort();
    this.events.abort();
  }
}

const PROGRESS_UNITS: Record<ProgressStage, string> = { 'equilibrium search': 'patterns', 'E2 search': 'lines and slices', rounds: 'rounds' };

interface Flags {
  rounds?: string;
  seed?: string;
  dynamics?: string;
  out?: string;
  json?: boolean;
}

/**
 * The default output folder's name for a scenario name: one path component (separators and anything outside
 * letters, digits, `.`, `_`, `-` become `_`; a name of dots alone is not `.` or `..`). The name went into the path
 * as it was, so `"name": "../../x"` wrote outside out/simulate (review).
 */
export function folderName(name: string): string {
  // at most 100 characters: a valid 300-character name made a path the file system refuses (review)
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100);
  return isPlainFolderName(safe) ? safe : `_${safe}`;
}

function parseInteger(field: string, text: string, min: number): number {
  if (!/^-?\d+$/.test(text.trim())) throw new InputError(field, `must be an integer, got ${JSON.stringify(text)}`);
  const x = Number(text);
  if (x < min) throw new InputError(field, `must be an integer ≥ ${min}, got ${text}`);
  // beyond 2^53 − 1 a seed or a round count is no longer exact (review: this read "must be ≥ −9007199254740991")
  if (!Number.isSafeInteger(x)) throw new InputError(field, `must be an integer of at most ${Number.MAX_SAFE_INTEGER} in size, got ${text}`);
  return x;
}

export function parseSimulateFlags(f: Flags): SimulateOptions {
  const o: SimulateOptions = {};
  // flags are named as typed (review: "dynamics" is also a scenario field)
  if (f.rounds !== undefined) o.rounds = parseInteger('--rounds', f.rounds, 1);
  if (f.seed !== undefined) o.seed = parseInteger('--seed', f.seed, Number.MIN_SAFE_INTEGER);
  if (f.dynamics !== undefined) {
    if (!KINDS.includes(f.dynamics as DynamicsKind)) {
      throw new InputError('--dynamics', `unknown dynamics ${JSON.stringify(f.dynamics)} (expected one of ${KINDS.join(', ')})`);
    }
    o.dynamics = f.dynamics as DynamicsKind;
  }
  return o;
}

export function registerSimulate(program: Command, ctx: CliContext): void {
  program
    .command('simulate')
    .description('agents play rounds of the market; compares the outcome with the exact equilibrium')
    .argument('<scenario>', 'scenario JSON file')
    .option('--rounds <N>', 'round limit (default per dynamics: docs/dynamics.md)')
    .option('--seed <S>', 'seed (default: the scenario seed, else 1)')
    .option('--dynamics <NAME>', `dynamics: ${KINDS.join(' | ')} (default: the scenario's, else best-response; with a platforms array tatonnement, its only one)`)
    .option('--out <DIR>', 'output folder (default out/simulate/<scenario name>)')
    .option('--json', 'print summary.json on stdout instead of a table')
    .action(async (file: string, flags: Flags) => {
      const options = parseSimulateFlags(flags);
      const s = loadScenario(resolve(ctx.cwd, file));
      preflightSimulate(s, options);
      const dir = resolve(ctx.cwd, flags.out !== undefined ? outFlag(flags.out) : `out/simulate/${folderName(s.name)}`);
      checkOutDir(dir);
      const t0 = performance.now();
      const sink = new FileSink(dir, ctx);
      // the folders the run will create (the output folder and any parents missing): removed again if it is stopped
      const created = missingFolders(dir);
      const offStop = onStopSignal((signal) => sink.stop(signal));
      let summary: SimulationSummary;
      try {
        ({ summary } = await runSimulation(s, await withSolver(s, options), sink));
        // one turn of the event loop, so that a Ctrl-C that came during a long solve and a short run is handled now
        await turnEventLoop();
        sink.commit();
      } catch (e) {
        sink.abort();
        // the bar first: a message written under it was lost (line wrapping is off while it is drawn: review)
        sink.endProgress();
        if (e instanceof Interrupted) {
          // nothing of the run is kept: its hidden temporary files are gone, and so are the folders it made (review:
          // the parents of a new nested --out were left)
          removeEmptyFolders(created);
          ctx.stderr(`interrupted: nothing written${created.length ? '' : ` to ${dir}`} (a run's files are written when it ends)\n`);
        }
        throw e;
      } finally {
        sink.endProgress();
        offStop();
      }
      ctx.log.info({ scenario: s.name, rounds: summary.rounds, ms: performance.now() - t0 }, 'simulated');
      writeFileAtomic(resolve(dir, 'summary.json'), toJson(summary));
      if (flags.json) ctx.stdout(`${JSON.stringify(summary)}\n`);
      else ctx.stdout(formatSummary(summary, dir));
    });
}

interface DuopolyState {
  assignment: number[] | null;
  sharers: number[][] | null;
  socialSurplus: number;
}

/** A duopoly run's users by platform and sellers per platform, next to the checker's equilibrium or mix. */
function formatDuopoly(f: DuopolyState, c: DuopolyState & { kind?: string }): string {
  const show = (x: DuopolyState): string => {
    if (!x.assignment || !x.sharers) return '';
    // users on k (an empty platform prints {}, not {(none)}: review)
    const on = (k: number) => {
      const users = x.assignment!.flatMap((b, i) => (b === k ? [i] : []));
      return users.length ? ranges(users) : '';
    };
    const out = x.assignment.includes(0) ? `, outside {${on(0)}}` : '';
    return `platform 1 {${on(1)}} sells ${ranges(x.sharers[0])}, platform 2 {${on(2)}} sells ${ranges(x.sharers[1])}${out}`;
  };
  let out = `agents: ${show(f)}
`;
  out += c.assignment ? `checker: ${show(c)}
` : `checker: ${c.kind === 'uniform-mixed' ? 'no pure joining equilibrium; the uniform ½ mix over joining profiles' : c.kind ?? 'none'}
`;
  out += `social surplus: agents ${fmt(f.socialSurplus)}; checker ${fmt(c.socialSurplus)}${c.assignment ? '' : ' (expected, under the mix)'}
`;
  return out;
}

function formatSummary(s: SimulationSummary, dir: string): string {
  const stop = s.stopReason === 'cycle' ? `cycle of period ${s.cyclePeriod}` : s.stopReason;
  let out = `${s.scenario}: ${s.dynamics.kind} dynamics, seed ${s.seed}\n`;
  out += `${s.converged ? 'converged' : 'did not converge'} after ${s.rounds} rounds (stop: ${stop})\n`;
  const f = s.final as { sharers?: number[]; sharersByCommunity?: number[]; socialSurplus?: number; welfare?: number; outcome?: string; value?: number; prices?: number[] };
  const c = s.checker as typeof f;
  const duo = s.final as { assignment?: number[] | null; sharers?: unknown };
  if (duo.assignment) {
    // two platforms: where each user joined and who sells on each (review: the sharers were flattened, "1,0", and
    // without a pure joining equilibrium the checker's uniform mix fell through to "outcome: undefined")
    out += formatDuopoly(s.final as DuopolyState, s.checker as DuopolyState & { kind?: string });
  } else if (f.sharers && c.sharers) {
    const show = (x: typeof f): string => (x.sharersByCommunity ? `per community ${x.sharersByCommunity.join(', ')}` : ranges(x.sharers ?? []));
    out += `sharers: agents ${show(f)}; checker ${show(c)}\n`;
    out += `social surplus: agents ${fmt(f.socialSurplus ?? NaN)}; checker ${fmt(c.socialSurplus ?? NaN)}\n`;
  } else if (f.value !== undefined) {
    // several platforms (GP): record prices, the platforms' joint value, and the outcome with E1's welfare W
    out += `record prices: agents ${(f.prices ?? []).map((x) => fmt(x)).join(', ')}; checker ${(c.prices ?? []).map((x) => fmt(x)).join(', ')}\n`;
    out += `value: agents ${fmt(f.value)}; checker ${fmt(c.value ?? NaN)}\n`;
    if (f.outcome !== undefined) out += `outcome: agents ${f.outcome}; checker ${c.outcome}; welfare W: agents ${fmt(f.welfare ?? NaN)}; checker ${fmt(c.welfare ?? NaN)}\n`;
  } else {
    out += `outcome: agents ${f.outcome}; checker ${c.outcome}; welfare: agents ${fmt(f.welfare ?? NaN)}; checker ${fmt(c.welfare ?? NaN)}\n`;
    // which of solve's listed equilibria (numbered as solve's text) the run is compared with, and which point of it
    const listed = s.checker as { listedEntry?: number; nearestPoint?: boolean };
    if (listed.listedEntry !== undefined) out += `compared with: equilibrium #${listed.listedEntry + 1} of the checker's list, ${listed.nearestPoint ? 'the point of its set nearest the run (verified by the fixed-q support LP)' : 'its reported point'}\n`;
  }
  // every distance the model reports (review: with several platforms "sharers -" was printed, while the records and
  // value distances that decided the mismatch were not)
  const d = s.distance;
  const parts = [`prices ${fmt(d.prices)}`, ...(d.sharers !== null ? [`sharers ${d.sharers}`] : []), ...(['records', 'outcome', 'welfare', 'value'] as const).flatMap((k) => (d[k] !== undefined ? [`${k} ${fmt(d[k] as number)}`] : []))];
  out += `distance to the checker: ${parts.join(', ')} (${s.matchesChecker ? 'matches' : 'does not match'} within ${fmt(s.priceTolerance)})\n`;
  out += `wrote ${dir}/trajectory.csv, events.jsonl and summary.json\n`;
  return out;
}
