import { InputError } from '../scenario/errors.js';

/**
 * Numerical safety net: a checker result must contain only finite numbers. A non-finite one means the
 * input's magnitudes exceed what double precision can carry, which is reported as bad input rather than
 * printed as a number.
 */
export function assertFinite<T>(value: T, field: string): T {
  const bad = findNonFinite(value, '');
  if (bad !== null) {
    throw new InputError(field, `the result is not finite at ${bad || '(root)'}: magnitudes too large or too small for double precision`);
  }
  return value;
}

function findNonFinite(v: unknown, path: string): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : path;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = findNonFinite(v[i], `${path}.${i}`);
      if (r !== null) return r;
    }
    return null;
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const r = findNonFinite(x, path ? `${path}.${k}` : k);
      if (r !== null) return r;
    }
  }
  return null;
}
