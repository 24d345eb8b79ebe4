import type { Command } from 'commander';
import { resolve } from 'node:path';
import { writeReport } from '../report/report.js';
import type { CliContext } from './context.js';

/** `datamarket report DIR`: report.html with SVG plots for a sweep or simulate folder (DESIGN.md §4). */
export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description('write DIR/report.html (self-contained, SVG plots in DIR/plots/) for a sweep or simulate folder')
    .argument('<dir>', 'sweep or simulate output folder')
    .action(async (dir: string) => {
      const file = await writeReport(resolve(ctx.cwd, dir));
      ctx.stdout(`wrote ${file}\n`);
    });
}
