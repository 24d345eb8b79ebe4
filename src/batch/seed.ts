import * as crypto from 'node:crypto';

/**
 * One-shot sha256 (`crypto.hash`, Node ≥ 20.12) is ~2.5× faster than a Hash object for these short
 * strings, which matters when a sweep derives millions of seeds; older Node falls back to createHash.
 * Both give the same digest.
 */
const sha256: (text: string) => Buffer =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'buffer') : (text) => crypto.createHash('sha256').update(text).digest();

/**
 * Seed of one (run, replicate): the first 4 bytes (big-endian, unsigned) of
 * sha256("datamarket-seed:<sweepSeed>:<run>:<replicate>"). Deterministic, independent of worker count,
 * shard split and execution order, and spread so that neighbouring runs get unrelated streams.
 */
export function deriveSeed(sweepSeed: number, run: number, replicate: number): number {
  return sha256(`datamarket-seed:${sweepSeed}:${run}:${replicate}`).readUInt32BE(0);
}
