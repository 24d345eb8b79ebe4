import type { Command } from 'commander';
import { InputError } from '../scenario/errors.js';
import type { CliContext } from './context.js';

/** Placeholder: replaced when the `merge` command lands. */
export function registerMerge(program: Command, _ctx: CliContext): void {
  program
    .command('merge')
    .description('merge (not available yet)')
    .allowUnknownOption()
    .argument('[args...]')
    .action(() => {
      throw new InputError('command', 'merge is not available yet');
    });
}
