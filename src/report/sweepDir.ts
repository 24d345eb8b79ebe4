/**
 * A sweep's output folder:
 *   sweep.json     the sweep with `base` inlined (what was run)
 *   manifest.json  hash of the sweep file, package version, shard, status, start/end times, counts
 *   results.csv    one tidy row per (run, replicate); appended line by line while the sweep runs
 *                  (completion order), rewritten sorted by (run, replicate) when it completes
 *   results.json   the same rows as a JSON array (typed values)
 *   summary.csv    statistics across replicates per (run, metric)
 * Resume reads results.csv back (dropping a torn last line), skips the finished (run, replicate) pairs and
 * keeps appending; completion dedupes and sorts, so a resumed sweep ends byte-identical to an unbroken one.
 */
import { existsSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { checkManifest } from './schemas.js';
import { InputError } from '../scenario/errors.js';
import { readJsonFile } from '../scenario/json.js';
import { compareRows, summarize, summaryColumns } from './summary.js';
import type { Manifest, Row } from '../batch/types.js';
import { LineAppender, toJson, truncatePartialLine, writeFileAtomic } from './atomic.js';
import { csvLine, parseCsv, toCsv, typedCell, type CsvTable } from './csv.js';

export const FILES = {
  sweep: 'sweep.json',
  manifest: 'manifest.json',
  results: 'results.csv',
  resultsJson: 'results.json',
  summary: 'summary.csv',
} as const;

export function taskKey(run: number | string, replicate: number | string): string {
  return `${run}:${replicate}`;
}

/**
 * manifest.json of a sweep folder, or null when there is none. A file that is not JSON or not a sweep
 * manifest (hand-edited, truncated by a full disk) is bad input naming `field`, not a crash.
 */
export function readManifest(dir: string, field = '--out'): Manifest | null {
  const f = join(dir, FILES.manifest);
  if (!existsSync(f)) return null;
  return checkManifest(readJsonFile(f, field), f, field);
}

/** A CSV file of an output folder; unreadable or malformed CSV is bad input naming `field`. */
export function readCsvFile(file: string, field: string): ReturnType<typeof parseCsv> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(field, `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read'}`);
  }
  try {
    return parseCsv(text);
  } catch (e) {
    throw new InputError(field, `${file}: malformed CSV: ${(e as Error).message.split('\n')[0]}`);
  }
}

export function writeManifest(dir: string, m: Manifest): void {
  writeFileAtomic(join(dir, FILES.manifest), toJson(m));
}

/**
 * results.csv as rows of the strings read back by csv-parse: rewriting them reproduces the same bytes
 * (numbers were written in shortest round-trip form); `typeRow` gives typed values.
 */
export function readResults(dir: string, field = 'dir'): { columns: string[]; rows: Row[] } {
  const t = readCsvFile(join(dir, FILES.results), field);
  return { columns: t.columns, rows: t.rows };
}

export function typeRow(r: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) {
    const t = typeof v === 'string' ? typedCell(v) : v;
    out[k] = t === undefined ? null : t;
  }
  return out;
}

export interface OpenedSweepDir {
  /** (run, replicate) keys already in results.csv. */
  done: Set<string>;
  appender: LineAppender;
}

/**
 * The rows of a results.csv being resumed (its torn last line already cut at the last line break). A row torn inside a
 * quoted field that holds a line break (a swept name with "\n") still ends in an open quote after that cut: its lines
 * are cut back until the text parses (a complete row cut is run again: every row is reproducible from its seed).
 * Any other damage (a row of the wrong width) is bad input naming the file — it was an internal error, exit 1 (review).
 */
function resumableResults(file: string): CsvTable {
  for (let cuts = 0; ; cuts++) {
    const text = readFileSync(file, 'utf8');
    try {
      return parseCsv(text);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
      if (code !== 'CSV_QUOTE_NOT_CLOSED' || cuts >= 1000) throw new InputError('--resume', `${file} is damaged (${message}); remove the bad lines, or run into a new folder`);
      truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1)));
    }
  }
}

/**
 * Creates the folder for a new sweep, or reopens it with `resume`. Refuses to overwrite an existing sweep
 * without `resume`, and to resume a different sweep file, shard or column set.
 */
export function openSweepDir(dir: string, manifest: Manifest, sweepJson: unknown, resume: boolean): OpenedSweepDir {
  const old = readManifest(dir);
  const resultsFile = join(dir, FILES.results);
  if (old && resume) {
    if (old.sweepHash !== manifest.sweepHash) {
      throw new InputError('--resume', `${dir} holds a sweep from a different sweep file (hash ${old.sweepHash.slice(0, 12)}…, now ${manifest.sweepHash.slice(0, 12)}…: the hash is of the sweep file's bytes and its base file's, so any edit of either counts, a reformat too); use a new --out folder`);
    }
    const shardText = (s: Manifest['shard']): string => (s ? `${s.index}/${s.count}` : 'none');
    if (shardText(old.shard) !== shardText(manifest.shard)) {
      throw new InputError('--shard', `${dir} was started as shard ${shardText(old.shard)}, now ${shardText(manifest.shard)}`);
    }
    if (existsSync(resultsFile)) {
      truncatePartialLine(resultsFile);
      const t = resumableResults(resultsFile);
      if (t.columns.join(',') !== manifest.columns.join(',')) {
        throw new InputError('--resume', `${resultsFile} has columns that differ from this sweep's`);
      }
      const done = new Set(t.rows.map((r) => taskKey(r.run, r.replicate)));
      return { done, appender: new LineAppender(resultsFile) };
    }
  } else if (old || existsSync(resultsFile)) {
    throw new InputError('--out', `${dir} already holds a sweep; add --resume to continue it, or choose another folder`);
  }
  writeFileAtomic(join(dir, FILES.sweep), toJson(sweepJson));
  writeManifest(dir, manifest);
  writeFileAtomic(resultsFile, csvLine(manifest.columns));
  return { done: new Set(), appender: new LineAppender(resultsFile) };
}

/** Appends one finished row (a single write). */
export function appendRow(appender: LineAppender, columns: readonly string[], row: Row): void {
  appender.append(csvLine(columns.map((c) => row[c])));
}

/**
 * Writes the final tables from rows: results.csv sorted by (run, replicate) with duplicates dropped
 * (first kept), results.json and summary.csv. Returns the number of rows.
 */
export function writeFinalTables(dir: string, columns: readonly string[], overrideColumns: readonly string[], resultColumns: readonly string[], rows: readonly Row[], textColumns: readonly string[] = []): number {
  const seen = new Set<string>();
  const unique: Row[] = [];
  for (const r of rows) {
    const k = taskKey(String(r.run), String(r.replicate));
    if (seen.has(k)) continue;
    seen.add(k);
    unique.push(r);
  }
  unique.sort(compareRows);
  writeFileAtomic(join(dir, FILES.results), toCsv(columns, unique));
  const text = new Set(textColumns);
  writeFileAtomic(join(dir, FILES.resultsJson), `[${unique.map((r) => jsonRow(columns, r, text)).join(',')}]\n`);
  const summary = summarize(unique, overrideColumns, resultColumns);
  writeFileAtomic(join(dir, FILES.summary), toCsv(summaryColumns(overrideColumns), summary));
  return unique.length;
}

/**
 * One element of results.json: the row's typed values (as `typeRow` reads a CSV cell) by column, except the
 * `text` columns, whose non-empty cells stay strings. results.json is these joined by `,` inside `[` `]` (what
 * JSON.stringify writes for the array).
 */
export function jsonRow(columns: readonly string[], r: Row, text: ReadonlySet<string> = new Set()): string {
  let keys = jsonKeys.get(columns);
  if (keys === undefined) {
    // JSON.stringify writes an object's keys in property order (integer-like keys first), not column order.
    const order = Object.keys(Object.fromEntries(columns.map((c) => [c, null])));
    keys = order.map((c) => ({ column: c, prefix: `${JSON.stringify(c)}:` }));
    jsonKeys.set(columns, keys);
  }
  // The same text as JSON.stringify(Object.fromEntries(...)) of the typed cells, without building the
  // object (this runs once per row of a sweep).
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const v = r[keys[i].column];
    const typed = typeof v === 'string' ? (v !== '' && text.has(keys[i].column) ? v : (typedCell(v) ?? null)) : (v ?? null);
    out += `${i > 0 ? ',' : ''}${keys[i].prefix}${JSON.stringify(jsonSafe(typed))}`;
  }
  return `${out}}`;
}

const jsonKeys = new WeakMap<readonly string[], { column: string; prefix: string }[]>();

/** JSON has no Infinity/NaN: write them as strings, as the CSV does. */
function jsonSafe(v: Row[string]): Row[string] {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : '-Inf';
  return v ?? null;
}

/** Reads the streamed results.csv back and writes the final sorted tables. */
export function finalizeSweepDir(dir: string, m: Manifest): number {
  const { rows } = readResults(dir);
  return writeFinalTables(dir, m.columns, m.overrideColumns, m.resultColumns, rows, m.textColumns);
}
