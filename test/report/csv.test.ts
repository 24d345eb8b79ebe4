import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCsv, toCsv, typedCell, type Cell } from '../../src/report/csv.js';

describe('CSV round trip', () => {
  it('reads back what it writes: quoting, full precision, empties, booleans', () => {
    const rows: Record<string, Cell>[] = [
      { a: 'plain', b: 0.1 + 0.2, c: true, 'd.e|f': null },
      { a: 'comma, "quote"\nnewline', b: 1e-300, c: false, 'd.e|f': '[1,2]' },
      { a: '', b: -123456789.12345679, c: null, 'd.e|f': 'x' },
    ];
    const cols = ['a', 'b', 'c', 'd.e|f'];
    const t = parseCsv(toCsv(cols, rows));
    expect(t.columns).toEqual(cols);
    expect(t.rows).toHaveLength(3);
    expect(t.rows[1].a).toBe('comma, "quote"\nnewline');
    t.rows.forEach((r, i) => {
      expect(typedCell(r.b)).toBe(rows[i].b);
      expect(typedCell(r.c)).toBe(rows[i].c ?? null);
      expect(r['d.e|f']).toBe(rows[i]['d.e|f'] ?? '');
    });
    // Rewriting the strings read back gives the same bytes.
    expect(toCsv(cols, t.rows)).toBe(toCsv(cols, rows));
  });

  it('keeps every finite double exactly (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 20 }), (xs) => {
        const t = parseCsv(toCsv(['x'], xs.map((x) => ({ x }))));
        t.rows.forEach((r, i) => expect(typedCell(r.x)).toBe(Object.is(xs[i], -0) ? 0 : xs[i]));
      }),
    );
  });

  it('refuses a ragged row', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow();
  });
});
