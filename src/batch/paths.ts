/**
 * Dotted paths into a raw (not yet validated) scenario object: `communities.across`, `privacyValues.1`.
 * Numeric segments index arrays. Overrides are applied to a deep copy before validation.
 */

export type Json = unknown;

export function splitPath(path: string): string[] {
  return path.split('.');
}

/** Segments of `key` that exist in `obj`; `missingAt` is the first segment index that does not exist. */
export function probePath(obj: Json, path: string): { exists: boolean; missingAt: number; parentIsArray: boolean } {
  const segs = splitPath(path);
  let cur: Json = obj;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if (Array.isArray(cur)) {
      const k = Number(s);
      if (!/^\d+$/.test(s) || k >= cur.length) return { exists: false, missingAt: i, parentIsArray: true };
      cur = cur[k];
    } else if (cur !== null && typeof cur === 'object') {
      if (!Object.prototype.hasOwnProperty.call(cur, s)) return { exists: false, missingAt: i, parentIsArray: false };
      cur = (cur as Record<string, Json>)[s];
    } else {
      return { exists: false, missingAt: i, parentIsArray: false };
    }
  }
  return { exists: true, missingAt: -1, parentIsArray: false };
}

/**
 * Sets `path` in `obj` (mutating it), creating missing object levels. Returns false when a segment runs
 * into a scalar or past the end of an array (no such field).
 */
export function setPath(obj: Json, path: string, value: Json): boolean {
  const segs = splitPath(path);
  let cur: Json = obj;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const last = i === segs.length - 1;
    if (Array.isArray(cur)) {
      const k = Number(s);
      if (!/^\d+$/.test(s) || k >= cur.length) return false;
      if (last) cur[k] = clone(value);
      else cur = cur[k];
    } else if (cur !== null && typeof cur === 'object') {
      const o = cur as Record<string, Json>;
      if (last) o[s] = clone(value);
      else {
        if (!Object.prototype.hasOwnProperty.call(o, s)) o[s] = {};
        cur = o[s];
      }
    } else {
      return false;
    }
  }
  return true;
}

export function clone<T>(x: T): T {
  return x === undefined ? x : (JSON.parse(JSON.stringify(x)) as T);
}
