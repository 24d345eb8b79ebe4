import type { Logger } from 'pino';

/** What a command needs from the process; the CLI is the only layer that touches `process`. */
export interface CliContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  log: Logger;
  /** True when stderr is a terminal (progress bars). */
  isTty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}
