import type { Command } from 'commander';
import { InputError } from '../scenario/errors.js';
import type { CliContext } from './context.js';

/** Placeholder: replaced when the `report` command lands. */
export function registerReport(program: Command, _ctx: CliContext): void {
  program
    .command('report')
    .description('report (not available yet)')
    .allowUnknownOption()
    .argument('[args...]')
    .action(() => {
      throw new InputError('command', 'report is not available yet');
    });
}
