import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { LineAppender, writeFileAtomic } from '../../src/report/atomic.js';
import { csvLine, parseCsv } from '../../src/report/csv.js';
import { ResultsLog } from '../../src/report/results.js';
import { readResults } from '../../src/report/sweepDir.js';
import type { Row } from '../../src/batch/types.js';

const cell = fc.oneof(
  fc.double(),
  fc.constantFrom(Infinity, -Infinity, NaN, -0, 0, 1e-300),
  fc.boolean(),
  fc.constant(null),
  fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', '1', '.', 'e', '-') }),
);

describe('results log (rows kept in memory for the final tables)', () => {
  it('keeps exactly what csv-parse reads back from results.csv, in append order, one write per batch', () => {
    const columns = ['run', 'replicate', 'x', 'y|z'];
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(cell, cell), { maxLength: 4 }), { maxLength: 5 }), (batches) => {
        const dir = mkdtempSync(join(tmpdir(), 'dm-log-'));
        const file = join(dir, 'results.csv');
        writeFileAtomic(file, csvLine(columns));
        const appender = new LineAppender(file);
        const writes = vi.spyOn(appender, 'append');
        const log = new ResultsLog(appender, columns);
        let n = 0;
        for (const b of batches) log.append(b.map(([x, y]): Row => ({ run: n, replicate: n++ % 3, x, 'y|z': y })));
        appender.close();
        expect(writes).toHaveBeenCalledTimes(batches.filter((b) => b.length > 0).length);
        expect(log.count).toBe(n);
        // An independent reader of the file (csv-parse) decides what the final tables would have seen.
        expect(log.rows()).toEqual(readResults(dir).rows);
        expect(parseCsv(readFileSync(file, 'utf8')).rows).toHaveLength(n);
      }),
      { numRuns: 200 },
    );
  });
});
