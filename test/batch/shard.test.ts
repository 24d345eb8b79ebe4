import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inShard, parseShard, shardFromEnv, tasksInShard } from '../../src/batch/shard.js';
import { InputError } from '../../src/scenario/errors.js';

describe('shard partition', () => {
  it('puts every task in exactly one shard, sizes within one of each other', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 20 }), (tasks, n) => {
        const sizes = new Array<number>(n).fill(0);
        for (let k = 0; k < tasks; k++) {
          const owners = Array.from({ length: n }, (_, i) => i + 1).filter((i) => inShard(k, { index: i, count: n }));
          expect(owners).toHaveLength(1);
          sizes[owners[0] - 1]++;
        }
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(tasks);
        // The closed-form count (used to size the worker pool before expansion) matches the filter.
        sizes.forEach((size, i) => expect(tasksInShard(tasks, { index: i + 1, count: n })).toBe(size));
        expect(tasksInShard(tasks, null)).toBe(tasks);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
    expect(inShard(5, null)).toBe(true);
  });

  it('parses I/N and refuses nonsense', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '3']) expect(() => parseShard(bad)).toThrow(InputError);
  });

  it('reads Slurm arrays (offset by the array minimum) and Kubernetes indexed jobs', () => {
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 1, count: 4 });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' })).toEqual({ index: 4, count: 4 });
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '2' }, 5)).toEqual({ index: 3, count: 5 });
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '2', DATAMARKET_SHARD_COUNT: '3' })).toEqual({ index: 3, count: 3 });
    expect(shardFromEnv({})).toBeNull();
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '2' })).toThrow(/shard-count/);
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '3' }, 3)).toThrow(InputError);
  });

  it('names the variable that is wrong, and how the index was read (review)', () => {
    const err = (env: Record<string, string>, count?: number) => {
      try {
        shardFromEnv(env, count);
      } catch (e) {
        if (e instanceof InputError) return `${e.path}: ${e.detail}`;
        throw e;
      }
      throw new Error('expected an InputError');
    };
    // a zero count is the count variable's fault, not the index's
    expect(err({ JOB_COMPLETION_INDEX: '0', DATAMARKET_SHARD_COUNT: '0' })).toMatch(/^DATAMARKET_SHARD_COUNT: shard count must be a positive integer, got 0$/);
    expect(err({ JOB_COMPLETION_INDEX: '0' }, 0)).toMatch(/^--shard-count: /);
    // "got 6" for SLURM_ARRAY_TASK_ID=5 left the user guessing: the arithmetic is spelled out
    expect(err({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '2' })).toBe('SLURM_ARRAY_TASK_ID: shard index must be in 1..2, got SLURM_ARRAY_TASK_ID 5 − SLURM_ARRAY_TASK_MIN 0 + 1 = 6');
    expect(err({ JOB_COMPLETION_INDEX: '3', DATAMARKET_SHARD_COUNT: '3' })).toBe('JOB_COMPLETION_INDEX: shard index must be in 1..3, got JOB_COMPLETION_INDEX 3 (0-based) + 1 = 4');
  });
});
