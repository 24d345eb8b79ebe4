import { InputError } from '../scenario/errors.js';
import type { Shard } from './types.js';

/**
 * Task k (0-based, in (run, replicate) order) belongs to shard (k mod N) + 1. Round-robin keeps the shards
 * balanced whether the cost varies along the grid or the sweep is one run with many replicates.
 */
export function inShard(taskIndex: number, shard: Shard | null): boolean {
  return shard === null || taskIndex % shard.count === shard.index - 1;
}

/** How many of tasks 0 … total−1 belong to `shard` (all of them without one). */
export function tasksInShard(total: number, shard: Shard | null): number {
  if (shard === null) return total;
  return total < shard.index ? 0 : Math.floor((total - shard.index) / shard.count) + 1;
}

/** Parses `I/N` (1-based). */
export function parseShard(text: string, field = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new InputError(field, `expected I/N with 1 ≤ I ≤ N (e.g. 2/8), got ${JSON.stringify(text)}`);
  return checkShard(Number(m[1]), Number(m[2]), { index: field, count: field });
}

/**
 * `fields`: the input each number came from, named in the error; `given` says how the index was read (from a
 * 0-based variable the 1-based index is not the value the user set: "got 6" for SLURM_ARRAY_TASK_ID=5 misled, review).
 */
function checkShard(index: number, count: number, fields: { index: string; count: string }, given = `got ${index}`): Shard {
  if (!(Number.isSafeInteger(count) && count >= 1)) throw new InputError(fields.count, `shard count must be a positive integer, got ${count}`);
  if (!(Number.isSafeInteger(index) && index >= 1 && index <= count)) {
    throw new InputError(fields.index, `shard index must be in 1..${count}, ${given}`);
  }
  return { index, count };
}

function intEnv(env: Record<string, string | undefined>, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v.trim() === '') return undefined;
  if (!/^\s*\d+\s*$/.test(v)) throw new InputError(name, `expected a non-negative integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

/**
 * The shard when `--shard` is absent, from the cluster's environment:
 * - Slurm job arrays: `SLURM_ARRAY_TASK_ID` and `SLURM_ARRAY_TASK_COUNT`, offset by `SLURM_ARRAY_TASK_MIN`
 *   (so `--array=0-9` and `--array=1-10` both give shards 1..10);
 * - Kubernetes Indexed Jobs: `JOB_COMPLETION_INDEX` (0-based), with the count from `--shard-count` or
 *   `DATAMARKET_SHARD_COUNT` (Kubernetes does not export `completions`).
 * Returns null when none applies (the whole sweep).
 */
export function shardFromEnv(env: Record<string, string | undefined>, shardCount?: number): Shard | null {
  const slurmId = intEnv(env, 'SLURM_ARRAY_TASK_ID');
  if (slurmId !== undefined) {
    const count = shardCount ?? intEnv(env, 'SLURM_ARRAY_TASK_COUNT');
    if (count === undefined) throw new InputError('SLURM_ARRAY_TASK_COUNT', 'missing (needed with SLURM_ARRAY_TASK_ID; or pass --shard-count)');
    const min = intEnv(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    const countField = shardCount !== undefined ? '--shard-count' : 'SLURM_ARRAY_TASK_COUNT';
    return checkShard(slurmId - min + 1, count, { index: 'SLURM_ARRAY_TASK_ID', count: countField }, `got SLURM_ARRAY_TASK_ID ${slurmId} − SLURM_ARRAY_TASK_MIN ${min} + 1 = ${slurmId - min + 1}`);
  }
  const k8s = intEnv(env, 'JOB_COMPLETION_INDEX');
  if (k8s !== undefined) {
    const count = shardCount ?? intEnv(env, 'DATAMARKET_SHARD_COUNT');
    if (count === undefined) throw new InputError('--shard-count', 'needed with JOB_COMPLETION_INDEX (or set DATAMARKET_SHARD_COUNT)');
    const countField = shardCount !== undefined ? '--shard-count' : 'DATAMARKET_SHARD_COUNT';
    return checkShard(k8s + 1, count, { index: 'JOB_COMPLETION_INDEX', count: countField }, `got JOB_COMPLETION_INDEX ${k8s} (0-based) + 1 = ${k8s + 1}`);
  }
  if (shardCount !== undefined) throw new InputError('--shard-count', 'given without --shard, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX');
  return null;
}
