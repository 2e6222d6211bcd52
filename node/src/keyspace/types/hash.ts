// A hash value: field -> value, in a DenseMap so HRANDFIELD picks in O(1)
// and HSCAN's cursor keeps Redis's guarantee. The listpack/hashtable split is
// only a reported encoding (OBJECT ENCODING, and HSCAN answering a compact
// hash in one call), tracked as Redis 7.0 would convert: a hash starts as a
// listpack and becomes a hashtable for good once it holds more than
// hash-max-listpack-entries fields or any field or value longer than
// hash-max-listpack-value bytes. While compact, deletions keep insertion
// order, which is the order Redis replies in for a listpack.

import { DenseMap } from '../dense-map.js';
import { stringBytes, type Container } from '../values.js';

export interface HashLimits {
  /** hash-max-listpack-entries */
  readonly maxListpackEntries: number;
  /** hash-max-listpack-value (bytes) */
  readonly maxListpackValue: number;
}

/**
 * redis-server 7.0's built-in defaults (config.c): 512 entries, although the
 * sample redis.conf sets 128; a server started without a file uses 512.
 */
export const DEFAULT_HASH_LIMITS: HashLimits = { maxListpackEntries: 512, maxListpackValue: 64 };

/** Object header plus the empty DenseMap (Map and two arrays). */
const BASE_BYTES = 200;
/** Per field: a Map entry and two array slots. */
const ENTRY_BYTES = 40;

export class HashValue implements Container {
  readonly type = 'hash' as const;
  snapshotHolds = 0;
  constructor(readonly map = new DenseMap<string>()) {}
  bytes = BASE_BYTES;
  /** False once Redis would have converted the listpack to a hashtable. */
  private listpack = true;

  get size(): number {
    return this.map.size;
  }

  /** True while Redis would hold this hash as a listpack. */
  get compact(): boolean {
    return this.listpack;
  }

  encoding(): string {
    return this.listpack ? 'listpack' : 'hashtable';
  }

  get(field: string): string | undefined {
    return this.map.get(field);
  }

  has(field: string): boolean {
    return this.map.has(field);
  }

  /** Sets field to value; true if the field is new. */
  set(field: string, value: string, limits: HashLimits = DEFAULT_HASH_LIMITS): boolean {
    if (this.listpack && (field.length > limits.maxListpackValue || value.length > limits.maxListpackValue)) {
      this.listpack = false;
    }
    const i = this.map.slot(field);
    if (i >= 0) {
      const old = this.map.vals[i]!;
      this.map.vals[i] = value;
      this.bytes += stringBytes(value.length) - stringBytes(old.length);
      return false;
    }
    this.map.set(field, value);
    this.bytes += ENTRY_BYTES + stringBytes(field.length) + stringBytes(value.length);
    if (this.listpack && this.map.size > limits.maxListpackEntries) this.listpack = false;
    return true;
  }

  /** Removes field; true if it was there. */
  delete(field: string): boolean {
    const i = this.map.slot(field);
    if (i < 0) return false;
    const old = this.map.vals[i]!;
    // A listpack keeps insertion order across deletions (HGETALL on a small
    // hash is ordered), so while compact we shift instead of swapping in the
    // last entry: O(n) for n <= hash-max-listpack-entries, like Redis.
    if (this.listpack) this.map.deleteInOrder(field);
    else this.map.delete(field);
    this.bytes -= ENTRY_BYTES + stringBytes(field.length) + stringBytes(old.length);
    return true;
  }

  clone(): HashValue {
    const c = new HashValue(this.map.clone());
    c.bytes = this.bytes;
    c.listpack = this.listpack;
    return c;
  }
}
