/**
 * A map keyed by vectors of numbers, compared exactly (0 and −0 the same key, as `q.join()` had them). The E2
 * searches memoise millions of payoffs by their record vector; a string key cost a number-to-string conversion
 * per coordinate and ~100 bytes per entry (a five-type two-platform search: 1.8M entries, a fifth of its time in
 * the keys). Here a key is hashed from its coordinates' bits, and entries with the same hash are compared.
 */
export class VectorMap<T> {
  private readonly buckets = new Map<number, Array<{ key: Float64Array; value: T }>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: ArrayLike<number>): T | undefined {
    const bucket = this.buckets.get(hash(key));
    if (bucket) for (const e of bucket) if (same(e.key, key)) return e.value;
    return undefined;
  }

  /** Sets `key` (copied) to `value`. */
  set(key: ArrayLike<number>, value: T): void {
    const h = hash(key);
    const bucket = this.buckets.get(h);
    if (bucket) {
      for (const e of bucket) {
        if (same(e.key, key)) {
          e.value = value;
          return;
        }
      }
      bucket.push({ key: Float64Array.from(key), value });
    } else this.buckets.set(h, [{ key: Float64Array.from(key), value }]);
    this.count++;
  }
}

const word = new Float64Array(1);
const halves = new Uint32Array(word.buffer);

/** FNV-1a over the coordinates' 64 bits (−0 as 0, so that keys equal under === hash alike). */
function hash(key: ArrayLike<number>): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < key.length; k++) {
    word[0] = key[k] === 0 ? 0 : key[k];
    h = Math.imul(h ^ halves[0], 16777619);
    h = Math.imul(h ^ halves[1], 16777619);
  }
  return h;
}

function same(a: Float64Array, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
