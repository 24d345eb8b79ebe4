import { existsSync, mkdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../scenario/errors.js';

/** A name that is one plain path component: letters, digits, `.`, `_`, `-`, and not `.` or `..` (nor dots alone). */
export function isPlainFolderName(name: string): boolean {
  return /^[A-Za-z0-9._-]+$/.test(name) && !/^\.+$/.test(name);
}

/** The folders on the way to `dir` that do not exist yet, outermost first. */
export function missingFolders(dir: string): string[] {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) missing.unshift(d);
  return missing;
}

/** Removes `folders` (as `missingFolders` lists them) deepest first, each only if empty. */
export function removeEmptyFolders(folders: readonly string[]): void {
  for (const d of [...folders].reverse()) {
    try {
      rmdirSync(d);
    } catch {
      // not created, or not empty: left as it is
    }
  }
}

/**
 * The value of an `--out` flag, refused when empty: `resolve(cwd, "")` is the working folder itself, and
 * `--out ""` wrote summary.json or results.csv over files of those names there (review).
 */
export function outFlag(value: string, field = '--out'): string {
  if (value.trim() === '') throw new InputError(field, 'is empty; name an output folder');
  return value;
}

/**
 * An output folder must be a folder or not exist yet, and be writable: checked before any work so that nothing is
 * written and no run is wasted. A folder that does not exist is created and removed again (with the parents this
 * created); one that exists gets a probe file, removed again. A path under a regular file, where creating is not
 * allowed, or a read-only folder failed only when the results were written — after the whole run — as an internal
 * error (review: ENOTDIR, EPERM, EROFS).
 */
export function checkOutDir(dir: string, field = '--out'): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new InputError(field, `${dir} exists and is not a folder`);
    const probe = join(dir, `.datamarket-probe.${process.pid}.tmp`);
    try {
      writeFileSync(probe, '');
    } catch (e) {
      throw new InputError(field, `${dir} cannot be written (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    } finally {
      rmSync(probe, { force: true });
    }
    return;
  }
  const missing = missingFolders(dir);
  const parent = dirname(missing[0]);
  if (!statSync(parent).isDirectory()) throw new InputError(field, `${parent} is not a folder`);
  try {
    // one level at a time: Node 20's recursive mkdir loops forever under /proc (review)
    for (const d of missing) mkdirSync(d);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(field, `${dir} cannot be created (${code})`);
  } finally {
    removeEmptyFolders(missing);
  }
}
