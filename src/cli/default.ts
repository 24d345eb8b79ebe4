import type { Command } from 'commander';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadScenario } from '../scenario/index.js';
import { toCsv, type Cell } from '../report/csv.js';
import { toJson, writeFileAtomic } from '../report/atomic.js';
import type { CliContext } from './context.js';
import { solveScenario } from './solve.js';

/** The default job (`npm start`): solve every scenario in sims/ and write JSON + a CSV summary under out/. */
export function registerDefault(program: Command, ctx: CliContext): void {
  program
    .command('default')
    .description('run the default batch: solve every scenario in sims/ and write out/solve/')
    .option('--sims <dir>', 'folder of scenario files', 'sims')
    .option('--out <dir>', 'output folder', 'out')
    .action(async (opts: { sims: string; out: string }) => {
      const simsDir = resolve(ctx.cwd, opts.sims);
      const files = readdirSync(simsDir).filter((f) => f.endsWith('.json') && !f.startsWith('sweep-')).sort();
      const scenarios = files.map((f) => ({ file: f, s: loadScenario(join(simsDir, f)) }));
      const rows: Record<string, Cell>[] = [];
      const outDir = resolve(ctx.cwd, opts.out, 'solve');
      for (const { file, s } of scenarios) {
        const t0 = performance.now();
        const r = await solveScenario(s);
        const ms = performance.now() - t0;
        writeFileAtomic(join(outDir, file), toJson(r));
        rows.push({ scenario: s.name, file, model: s.model, ms, ...headline(r) });
        ctx.stderr(`solved ${file} in ${ms.toFixed(0)} ms\n`);
      }
      const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      writeFileAtomic(join(outDir, 'summary.csv'), toCsv(cols, rows));
      ctx.stdout(`wrote ${rows.length} solutions and summary.csv to ${outDir}\n`);
    });
}

/** Scalar results worth a CSV column. */
function headline(r: Record<string, unknown>): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  const eq = r.equilibrium as Record<string, unknown> | undefined;
  const fb = r.firstBest as Record<string, unknown> | undefined;
  if (eq) {
    for (const [k, v] of Object.entries(eq)) {
      if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    }
    if (Array.isArray(eq.sharers)) out.sharers = eq.sharers.length;
  }
  if (fb && typeof fb.socialSurplus === 'number') out.firstBestSurplus = fb.socialSurplus;
  if (typeof r.platformValue === 'number') out.platformValue = r.platformValue;
  return out;
}
