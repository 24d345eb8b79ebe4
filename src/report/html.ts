/** Self-contained HTML: inline SVG figures, tables, the scenario text; no scripts, no external assets. */

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface Section {
  title: string;
  html: string;
}

export function tableHtml(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>, limit = 200): string {
  const head = `<tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const body = rows
    .slice(0, limit)
    .map((r) => `<tr>${columns.map((c) => `<td>${esc(cellText(r[c]))}</td>`).join('')}</tr>`)
    .join('\n');
  const more = rows.length > limit ? `<p class="note">first ${limit} of ${rows.length} rows; the full table is in the CSV file.</p>` : '';
  return `<div class="table"><table>${head}\n${body}</table></div>${more}`;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (typeof v === 'string' && /^-?\d*\.\d{7,}(e[+-]?\d+)?$/i.test(v)) return String(Number(Number(v).toPrecision(6)));
  return String(v);
}

export function figureHtml(svg: string, caption: string, file?: string): string {
  return `<figure>${svg}<figcaption>${esc(caption)}${file ? ` (<a href="${esc(file)}">SVG</a>)` : ''}</figcaption></figure>`;
}

export function pageHtml(title: string, intro: string, sections: readonly Section[]): string {
  const toc = sections.length > 1 ? `<nav><ul>${sections.map((s, i) => `<li><a href="#s${i}">${esc(s.title)}</a></li>`).join('')}</ul></nav>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
figure{display:inline-block;margin:.5em 1em .5em 0;vertical-align:top}figcaption{font-size:.85em;color:#555;max-width:480px}
.table{overflow-x:auto;max-height:28em;overflow-y:auto;border:1px solid #ddd}
table{border-collapse:collapse;font-size:.8em}th,td{padding:2px 6px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
th{position:sticky;top:0;background:#f4f4f4}pre{background:#f7f7f7;padding:.8em;overflow-x:auto;font-size:.8em;max-height:24em}
.note{color:#666;font-size:.85em}dl{display:grid;grid-template-columns:max-content auto;gap:.1em 1em}dt{font-weight:600}
</style></head><body>
<h1>${esc(title)}</h1>
${intro}
${toc}
${sections.map((s, i) => `<section id="s${i}"><h2>${esc(s.title)}</h2>\n${s.html}\n</section>`).join('\n')}
</body></html>
`;
}
