/** Tidy CSV: one header row, RFC 4180 quoting, numbers at full precision (shortest round-trip form). */
export type Cell = string | number | boolean | null | undefined;

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'Inf' : v < 0 ? '-Inf' : 'NaN';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}

export function toCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, Cell>>): string {
  return csvLine(columns) + rows.map((r) => csvLine(columns.map((c) => r[c]))).join('');
}

