import { parse } from 'csv-parse/sync';
/** Tidy CSV: one header row, RFC 4180 quoting, numbers at full precision (shortest round-trip form). */
export type Cell = string | number | boolean | null | undefined;

export function csvCell(v: Cell): string {
  const s = cellText(v);
  return typeof v === 'string' && /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The text of a cell as a CSV reader gives it back (`csvCell` without the quoting): '' for empty, numbers
 * in shortest round-trip form, `Inf`/`-Inf`/`NaN`, `true`/`false`, strings as they are.
 */
export function cellText(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'Inf' : v < 0 ? '-Inf' : 'NaN';
  return String(v);
}

export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}

export function toCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, Cell>>): string {
  return csvLine(columns) + rows.map((r) => csvLine(columns.map((c) => r[c]))).join('');
}


/** A parsed CSV: its header and rows of strings (empty cells are ''). */
export interface CsvTable {
  columns: string[];
  rows: Record<string, string>[];
}

/** Reads CSV text with csv-parse (RFC 4180 quoting, CRLF or LF); every row must have the header's width. */
export function parseCsv(text: string): CsvTable {
  const records = parse(text, { relax_column_count: false, skip_empty_lines: true }) as string[][];
  if (records.length === 0) return { columns: [], rows: [] };
  const [columns, ...body] = records;
  return {
    columns,
    rows: body.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))),
  };
}

/** Typed value of a CSV cell written by `csvCell`: '' → null, true/false, numbers (Inf/NaN too), else text. */
export function typedCell(s: string): Cell {
  if (s === '') return null;
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  if (/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Number(s);
  return s;
}
