/**
 * Thrown by a command after it has reported a Ctrl-C itself (what was saved, how to resume); main maps it to
 * exit code 130, the shell's code for SIGINT, and prints nothing more.
 */
export class Interrupted extends Error {
  readonly exitCode = 130;
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}
