import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/report/summary.js';
import { studentTQuantileTwoSided, studentTTwoSided } from '../../src/report/tQuantile.js';

describe('Student-t quantiles', () => {
  it('match printed t tables (two-sided 95%)', () => {
    const table: [number, number][] = [[1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [10, 2.228], [20, 2.086], [30, 2.042]];
    for (const [nu, t] of table) expect(studentTQuantileTwoSided(0.95, nu)).toBeCloseTo(t, 3);
    expect(studentTQuantileTwoSided(0.95, 100000)).toBeCloseTo(1.959964, 4);
  });
  it('has the closed forms of ν = 1 (Cauchy) and ν = 2', () => {
    for (const t of [0.3, 1, 4]) {
      expect(studentTTwoSided(t, 1)).toBeCloseTo((2 / Math.PI) * Math.atan(t), 12);
      expect(studentTTwoSided(t, 2)).toBeCloseTo(t / Math.sqrt(2 + t * t), 12);
    }
  });
});

describe('summaries across replicates', () => {
  it('computes mean, sd, quartiles and the t interval', () => {
    const rows = [1, 2, 3, 4].map((x, k) => ({ run: 0, replicate: k, 'a.b': 0.5, y: x, ok: k % 2 === 0 }));
    const s = summarize(rows, ['a.b'], ['y', 'ok']);
    expect(s).toHaveLength(2);
    const y = s[0];
    expect(y).toMatchObject({ run: 0, 'a.b': 0.5, metric: 'y', n: 4, mean: 2.5, min: 1, max: 4, median: 2.5 });
    const sd = Math.sqrt(((1.5 ** 2 + 0.5 ** 2) * 2) / 3);
    expect(y.sd as number).toBeCloseTo(sd, 14);
    expect(y.ci95Low as number).toBeCloseTo(2.5 - (3.182446305 * sd) / 2, 8);
    expect(y.ci95High as number).toBeCloseTo(2.5 + (3.182446305 * sd) / 2, 8);
    expect(s[1]).toMatchObject({ metric: 'ok', mean: 0.5 });
  });
  it('leaves sd and the interval empty for a single replicate', () => {
    const s = summarize([{ run: 3, replicate: 0, y: '1.25' }], [], ['y']);
    expect(s[0]).toMatchObject({ run: 3, n: 1, mean: 1.25, sd: null, ci95Low: null });
  });
});
