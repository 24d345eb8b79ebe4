import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { LineAppender, writeFileAtomic } from '../../src/report/atomic.js';
import { csvLine } from '../../src/report/csv.js';
import { ResultsLog } from '../../src/report/results.js';
import { FILES, readResults, writeFinalTables } from '../../src/report/sweepDir.js';
import type { Row, Value } from '../../src/batch/types.js';

const cell: fc.Arbitrary<Value> = fc.oneof(
  fc.double(),
  fc.constantFrom(Infinity, -Infinity, NaN, -0, 0, 1e-300, 7),
  fc.boolean(),
  fc.constant(null),
  fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', '1', '.', 'e', '-') }),
);

const columns = ['run', 'replicate', 'seed', 'p|q', 'm1', 'm2'];
const spec = { columns, overrideColumns: ['p|q'], resultColumns: ['m1', 'm2'] };

function fresh(prefix: string): { dir: string; appender: LineAppender } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileAtomic(join(dir, FILES.results), csvLine(columns));
  return { dir, appender: new LineAppender(join(dir, FILES.results)) };
}

const read = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');

describe('results log (final tables built while rows arrive)', () => {
  it('writes the same bytes as the final tables computed from results.csv read back, for any arrival order', () => {
    const sweep = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).chain(([runs, reps]) =>
      fc.record({
        overrides: fc.array(cell, { minLength: runs, maxLength: runs }),
        metrics: fc.array(fc.tuple(cell, cell), { minLength: runs * reps, maxLength: runs * reps }),
        order: fc.shuffledSubarray(Array.from({ length: runs * reps }, (_, i) => i), { minLength: runs * reps }),
        cuts: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: runs * reps, maxLength: runs * reps }),
        reps: fc.constant(reps),
      }),
    );
    fc.assert(
      fc.property(sweep, ({ overrides, metrics, order, cuts, reps }) => {
        const rows: Row[] = order.map((i) => {
          const run = Math.floor(i / reps);
          return { run, replicate: i % reps, seed: 1000 + i, 'p|q': overrides[run], m1: metrics[i][0], m2: metrics[i][1] };
        });
        const expected = new Map<number, number>();
        for (const r of rows) expected.set(r.run as number, (expected.get(r.run as number) ?? 0) + 1);
        const a = fresh('dm-log-');
        const writes = vi.spyOn(a.appender, 'append');
        const log = new ResultsLog(a.appender, spec, expected);
        let batches = 0;
        for (let k = 0, c = 0; k < rows.length; c++) {
          log.append(rows.slice(k, k + cuts[c]));
          k += cuts[c];
          batches++;
        }
        a.appender.close();
        expect(writes).toHaveBeenCalledTimes(batches);
        expect(log.count).toBe(rows.length);
        // Reference: the generic path (csv-parse reads the streamed file back, then writeFinalTables).
        const b = fresh('dm-log-ref-');
        b.appender.close();
        writeFinalTables(b.dir, columns, spec.overrideColumns, spec.resultColumns, readResults(a.dir).rows);
        expect(log.writeFinalTables(a.dir)).toBe(true);
        for (const f of [FILES.results, FILES.resultsJson, FILES.summary]) expect(read(a.dir, f)).toBe(read(b.dir, f));
      }),
      { numRuns: 150 },
    );
  });

  it('refuses (writes nothing) when a row repeats or a run gets more rows than expected', () => {
    const row = (run: number, replicate: number): Row => ({ run, replicate, seed: 1, 'p|q': 0, m1: 1, m2: 2 });
    const a = fresh('dm-log-dup-');
    const twice = new ResultsLog(a.appender, spec, new Map([[0, 2]]));
    twice.append([row(0, 0), row(0, 0)]);
    expect(twice.writeFinalTables(a.dir)).toBe(false);
    const extra = new ResultsLog(a.appender, spec, new Map([[0, 1]]));
    extra.append([row(0, 0), row(0, 1)]);
    expect(extra.writeFinalTables(a.dir)).toBe(false);
    a.appender.close();
    expect(() => read(a.dir, FILES.summary)).toThrow();
  });
});

describe('results.json element', () => {
  it('is JSON.stringify of the typed cells in property order (integer-like column names first)', async () => {
    const { jsonRow } = await import('../../src/report/sweepDir.js');
    // The reading of a cell written by csvCell, restated: '' → null, true/false, Inf/-Inf/NaN stay text in
    // JSON, decimal numbers → numbers, anything else → the text.
    const typed = (s: string): unknown => {
      if (s === '') return null;
      if (s === 'true' || s === 'false') return s === 'true';
      if (s === 'Inf' || s === '-Inf' || s === 'NaN') return s;
      return /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) ? Number(s) : s;
    };
    const cols = ['run', 'replicate', '10', 'b', '2', 'm'];
    fc.assert(
      fc.property(fc.array(cell, { minLength: cols.length, maxLength: cols.length }), (cells) => {
        const texts: Row = {};
        cols.forEach((c, i) => (texts[c] = cells[i] === null ? '' : typeof cells[i] === 'number' && !Number.isFinite(cells[i]) ? (Number.isNaN(cells[i]) ? 'NaN' : (cells[i] as number) > 0 ? 'Inf' : '-Inf') : String(cells[i])));
        const reference = JSON.stringify(Object.fromEntries(cols.map((c) => [c, typed(texts[c] as string)])));
        expect(jsonRow(cols, texts)).toBe(reference);
        expect(Object.keys(JSON.parse(jsonRow(cols, texts)) as object)).toEqual(['2', '10', 'run', 'replicate', 'b', 'm']);
      }),
      { numRuns: 300 },
    );
  });
});
