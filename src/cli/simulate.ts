import type { Command } from 'commander';
import { InputError } from '../scenario/errors.js';
import type { CliContext } from './context.js';

/** Placeholder: replaced when the `simulate` command lands. */
export function registerSimulate(program: Command, _ctx: CliContext): void {
  program
    .command('simulate')
    .description('simulate (not available yet)')
    .allowUnknownOption()
    .argument('[args...]')
    .action(() => {
      throw new InputError('command', 'simulate is not available yet');
    });
}
