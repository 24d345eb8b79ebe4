import { createHash } from 'node:crypto';

/**
 * Seed of one (run, replicate): the first 4 bytes (big-endian, unsigned) of
 * sha256("datamarket-seed:<sweepSeed>:<run>:<replicate>"). Deterministic, independent of worker count,
 * shard split and execution order, and spread so that neighbouring runs get unrelated streams.
 */
export function deriveSeed(sweepSeed: number, run: number, replicate: number): number {
  const h = createHash('sha256').update(`datamarket-seed:${sweepSeed}:${run}:${replicate}`).digest();
  return h.readUInt32BE(0);
}
