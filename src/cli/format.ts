/** Tables for people (rounded); JSON outputs are never rounded. */
export function fmt(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return String(x);
  const r = Number(x.toPrecision(digits));
  return Object.is(r, -0) ? '0' : String(r);
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => c.padStart(widths[i])).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

/** Compact index list: 0-3,7,9-10. */
export function ranges(xs: readonly number[]): string {
  if (xs.length === 0) return '(none)';
  const out: string[] = [];
  let start = xs[0];
  let prev = xs[0];
  for (const x of [...xs.slice(1), NaN]) {
    if (x === prev + 1) {
      prev = x;
      continue;
    }
    out.push(start === prev ? String(start) : `${start}-${prev}`);
    start = x;
    prev = x;
  }
  return out.join(',');
}
