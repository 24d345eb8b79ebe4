/**
 * `merge`: joins shard folders of one sweep into one folder whose results.csv and summary.csv equal an
 * unsharded run's (rows sorted by (run, replicate)). Refuses shards of different sweeps, incomplete or
 * missing shards, and overlapping rows.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../scenario/errors.js';
import type { Manifest, Row } from '../batch/types.js';
import { FILES, readManifest, readResults, taskKey, writeFinalTables, writeManifest } from './sweepDir.js';

export function mergeSweepDirs(dirs: readonly string[], out: string): Manifest {
  if (dirs.length === 0) throw new InputError('dirs', 'give at least one shard folder');
  // as `sweep` does: a folder holding a sweep (one of the shards, or another sweep's results) is not overwritten
  if (readManifest(out, '--out') || existsSync(join(out, FILES.results))) throw new InputError('--out', `${out} already holds a sweep; choose another folder`);
  const manifests = dirs.map((d, i) => {
    const m = readManifest(d, `dirs.${i}`);
    if (!m) throw new InputError(`dirs.${i}`, `${d}: no manifest.json (not a sweep folder)`);
    if (m.status !== 'complete') throw new InputError(`dirs.${i}`, `${d}: sweep is ${m.status}; finish it with --resume first`);
    return m;
  });
  const first = manifests[0];
  manifests.forEach((m, i) => {
    if (m.sweepHash !== first.sweepHash) throw new InputError(`dirs.${i}`, `${dirs[i]}: from a different sweep file than ${dirs[0]}`);
    if (m.columns.join(',') !== first.columns.join(',')) throw new InputError(`dirs.${i}`, `${dirs[i]}: columns differ from ${dirs[0]}`);
  });
  const counts = new Set(manifests.map((m) => m.shard?.count ?? 1));
  if (counts.size > 1) throw new InputError('dirs', `shards of different splits (counts ${[...counts].join(', ')})`);
  const n = first.shard?.count ?? 1;
  const seen = new Map<number, string>();
  manifests.forEach((m, i) => {
    const idx = m.shard?.index ?? 1;
    const prev = seen.get(idx);
    if (prev !== undefined) throw new InputError(`dirs.${i}`, `${dirs[i]}: shard ${idx}/${n} given twice (also ${prev})`);
    seen.set(idx, dirs[i]);
  });
  const missing = Array.from({ length: n }, (_, k) => k + 1).filter((k) => !seen.has(k));
  if (missing.length > 0) throw new InputError('dirs', `missing shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${n}`).join(', ')}`);

  const rows: Row[] = [];
  const keys = new Set<string>();
  dirs.forEach((d, i) => {
    for (const r of readResults(d, `dirs.${i}`).rows) {
      const k = taskKey(String(r.run), String(r.replicate));
      if (keys.has(k)) throw new InputError(`dirs.${i}`, `${d}: run ${r.run} replicate ${r.replicate} also in another shard`);
      keys.add(k);
      rows.push(r);
    }
  });
  if (rows.length !== first.counts.tasks) throw new InputError('dirs', `shards hold ${rows.length} rows, the sweep has ${first.counts.tasks} runs`);
  const written = writeFinalTables(out, first.columns, first.overrideColumns, first.resultColumns, rows, first.textColumns);
  if (existsSync(join(dirs[0], FILES.sweep))) copyFileSync(join(dirs[0], FILES.sweep), join(out, FILES.sweep));
  const times = manifests.map((m) => m.startedAt).sort();
  const ends = manifests.map((m) => m.finishedAt ?? '').sort();
  const merged: Manifest = {
    ...first,
    shard: null,
    status: 'complete',
    startedAt: times[0],
    finishedAt: ends[ends.length - 1] || null,
    counts: { ...first.counts, tasksInShard: written, done: written, resumed: manifests.reduce((a, m) => a + m.counts.resumed, 0) },
    workers: Math.max(...manifests.map((m) => m.workers)),
    mergedFrom: [...dirs],
  };
  writeManifest(out, merged);
  return merged;
}
