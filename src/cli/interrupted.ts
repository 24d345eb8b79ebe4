/** The signals a command stops on, cleanly: Ctrl-C, and what `kill`, `timeout`, SLURM and Kubernetes send. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * Thrown by a command after it has reported a stop itself (what was saved, how to resume); main maps it to the
 * shell's code for the signal, 130 for SIGINT and 143 for SIGTERM, and prints nothing more.
 */
export class Interrupted extends Error {
  readonly exitCode: number;
  constructor(signal: StopSignal = 'SIGINT') {
    super('interrupted');
    this.name = 'Interrupted';
    this.exitCode = signal === 'SIGTERM' ? 143 : 130;
  }
}

/**
 * Calls `stop(signal)` on the first SIGINT or SIGTERM until the returned function is called (it removes the
 * handlers). SIGTERM killed a run outright and left its hidden temporary files behind (review).
 */
export function onStopSignal(stop: (signal: StopSignal) => void): () => void {
  const handlers = STOP_SIGNALS.map((sig) => {
    const h = (): void => stop(sig);
    process.once(sig, h);
    return [sig, h] as const;
  });
  return () => handlers.forEach(([sig, h]) => process.removeListener(sig, h));
}
