import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../scenario/errors.js';

/**
 * An output folder must be a folder or not exist yet, and be creatable: checked before any work so that nothing is
 * written and no run is wasted. A folder that does not exist is created and removed again (with the parents this
 * created): a path under a regular file, or where creating is not allowed, failed only when the results were
 * written — after the whole simulation — as an internal error (review: ENOTDIR, EPERM).
 */
export function checkOutDir(dir: string, field = '--out'): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new InputError(field, `${dir} exists and is not a folder`);
    return;
  }
  // the folders this probe creates, deepest last, so they can be removed again
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) missing.unshift(d);
  const parent = dirname(missing[0]);
  if (!statSync(parent).isDirectory()) throw new InputError(field, `${parent} is not a folder`);
  try {
    // one level at a time: Node 20's recursive mkdir loops forever under /proc (review)
    for (const d of missing) mkdirSync(d);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(field, `${dir} cannot be created (${code})`);
  } finally {
    for (const d of missing.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        // not created (the mkdir failed before it) or not empty: left as it is
      }
    }
  }
}
