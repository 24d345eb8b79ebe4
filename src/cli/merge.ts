import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mergeSweepDirs } from '../report/merge.js';
import { FILES } from '../report/sweepDir.js';
import type { CliContext } from './context.js';
import { checkOutDir, outFlag } from './outDir.js';

/** `datamarket merge DIR… --out DIR`: joins the shard folders of one sweep (DESIGN.md §4). */
export function registerMerge(program: Command, ctx: CliContext): void {
  program
    .command('merge')
    .description('merge the shard folders of one sweep into one folder (results.csv sorted by run, replicate)')
    .argument('<dirs...>', 'shard output folders')
    .requiredOption('--out <dir>', 'output folder')
    .action((dirs: string[], opts: { out: string }) => {
      checkOutDir(resolve(ctx.cwd, outFlag(opts.out)));
      const m = mergeSweepDirs(
        dirs.map((d) => resolve(ctx.cwd, d)),
        resolve(ctx.cwd, opts.out),
      );
      // sweep.json is copied from the first shard when it has one (folders from before it was written have not)
      const sweepJson = existsSync(join(resolve(ctx.cwd, opts.out), FILES.sweep)) ? ', sweep.json' : '';
      ctx.stdout(`${m.name}: merged ${dirs.length} shard folder${dirs.length > 1 ? 's' : ''}, ${m.counts.done} tasks (runs × replicates); wrote results.csv, summary.csv, results.json${sweepJson}, manifest.json to ${opts.out}\n`);
    });
}
