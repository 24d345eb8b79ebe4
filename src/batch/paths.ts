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

/**
 * `setPath` on a copy-on-write tree: every container along `path` that is not yet in `fresh` is
 * shallow-copied (and the copy added to `fresh`) before it is changed, so the original tree is never
 * mutated and subtrees off the path stay shared with it. `root` must itself be in `fresh`. Same result
 * and same refusals as `setPath` on a deep copy; a sweep of 1,000 runs over a 10 × 10 covariance thus
 * copies one short array per run instead of the whole scenario.
 */
export function setPathShared(root: Json, path: string, value: Json, fresh: WeakSet<object>): boolean {
  const segs = splitPath(path);
  let cur: Json = root;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const last = i === segs.length - 1;
    let child: Json;
    if (Array.isArray(cur)) {
      const k = Number(s);
      if (!/^\d+$/.test(s) || k >= cur.length) return false;
      if (last) {
        cur[k] = clone(value);
        return true;
      }
      child = ownCopy(cur[k], fresh);
      cur[k] = child;
    } else if (cur !== null && typeof cur === 'object') {
      const o = cur as Record<string, Json>;
      if (last) {
        o[s] = clone(value);
        return true;
      }
      if (!Object.prototype.hasOwnProperty.call(o, s)) {
        child = {};
        fresh.add(child as object);
      } else child = ownCopy(o[s], fresh);
      o[s] = child;
    } else {
      return false;
    }
    cur = child;
  }
  return true;
}

/** A container this tree may change: itself when already copied, else a shallow copy; scalars as they are. */
function ownCopy(x: Json, fresh: WeakSet<object>): Json {
  if (x === null || typeof x !== 'object' || fresh.has(x)) return x;
  const copy = Array.isArray(x) ? x.slice() : { ...(x as Record<string, Json>) };
  fresh.add(copy);
  return copy;
}
