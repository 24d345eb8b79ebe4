import { existsSync, statSync } from 'node:fs';
import { InputError } from '../scenario/errors.js';

/** An output folder must be a folder or not exist yet; checked before any work so nothing is written. */
export function checkOutDir(dir: string, field = '--out'): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError(field, `${dir} exists and is not a folder`);
}
