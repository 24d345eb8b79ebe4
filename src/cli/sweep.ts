import type { Command } from 'commander';
import { InputError } from '../scenario/errors.js';
import type { CliContext } from './context.js';

/** Placeholder: replaced when the `sweep` command lands. */
export function registerSweep(program: Command, _ctx: CliContext): void {
  program
    .command('sweep')
    .description('sweep (not available yet)')
    .allowUnknownOption()
    .argument('[args...]')
    .action(() => {
      throw new InputError('command', 'sweep is not available yet');
    });
}
