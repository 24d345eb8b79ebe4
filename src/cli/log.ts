import { pino, type Logger } from 'pino';

/** Structured logs on stderr (fd 2); stdout carries only results. Level from --log-level or LOG_LEVEL. */
export function makeLogger(level?: string): Logger {
  return pino({ level: level ?? process.env.LOG_LEVEL ?? 'warn', base: undefined }, pino.destination(2));
}
