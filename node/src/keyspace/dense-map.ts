// DenseMap is a string-keyed map whose entries also live in a dense array, so
// a uniformly random entry is O(1) (RANDOMKEY, SRANDMEMBER, eviction and
// expiry sampling) and SCAN has a stateless cursor with Redis's guarantee.
//
// Deletion moves the last entry into the hole. SCAN walks indices downward:
// a cursor k means "indices [0, k) are still to visit". A moved entry comes
// from the top index, which is either already visited (so moving it anywhere
// is harmless) or, if the map shrank below the cursor, moves within the
// unvisited range. Hence every entry present for the whole scan is returned
// at least once; entries added during the scan land on top and may be missed,
// exactly what Redis promises. The slots never depend on how the key -> slot
// index is laid out, so the split below does not touch this argument.
//
// The index is one JS Map while small. A V8 Map doubles by rehashing every
// entry inside the one insert that overflows it: 40-70 ms at 1M entries, a
// stall for every client (the keyspace, or a big hash restored during a slot
// migration). Past SPLIT_ENTRIES the index is split over SHARDS sub-Maps
// chosen by a cheap hash of the key, so a single insert rehashes at most one
// sub-Map: a 64th of the whole map's size. The split itself is one
// synchronous move of every entry: 7-18 ms at 64K entries in isolation, and
// a 60-71 ms event-loop turn on a reshard target (its keyspace, then the 1M-
// field hash being restored, crossed the old 64K threshold mid-migration,
// the longest stalls of a traced run). So it happens early, at 8K entries
// (~1-2 ms); the way back, at a quarter of that size, leaves room so a map
// that hovers around the threshold does not move back and forth.

export const SPLIT_ENTRIES = 1 << 13;
export const JOIN_ENTRIES = 1 << 11;
const SHARD_BITS = 6;
export const SHARDS = 1 << SHARD_BITS;

/**
 * Stable, cheap and weak: the length and three chars (the last two, where
 * ids and counters usually vary, and the middle one), each in its own byte
 * lane, then a multiplicative mix whose top bits depend on all of them. It
 * runs on every lookup in a split map, so it reads as few chars as it can; a
 * key set that varies only elsewhere just makes some sub-Maps bigger, which
 * is never worse than the single Map.
 */
export function shardOf(key: string): number {
  const n = key.length;
  const h = n === 0 ? 0 : key.charCodeAt(n - 1) ^ (key.charCodeAt(n >> 1) << 16) ^ (n > 1 ? key.charCodeAt(n - 2) << 8 : 0);
  return Math.imul(h ^ Math.imul(n, 0x85ebca6b), 0x9e3779b1) >>> (32 - SHARD_BITS);
}

function copyIndex(m: Map<string, number>): Map<string, number> {
  const c = new Map<string, number>();
  m.forEach((i, k) => c.set(k, i));
  return c;
}

export class DenseMap<V> {
  /** The whole index while unsplit; empty once split. */
  private one = new Map<string, number>();
  private shards: Map<string, number>[] | null = null;
  keys: string[] = [];
  vals: V[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** True while the index is split over sub-Maps (for tests and benches). */
  get split(): boolean {
    return this.shards !== null;
  }

  private indexOf(key: string): Map<string, number> {
    const s = this.shards;
    return s === null ? this.one : s[shardOf(key)]!;
  }

  has(key: string): boolean {
    return this.indexOf(key).has(key);
  }

  get(key: string): V | undefined {
    const i = this.indexOf(key).get(key);
    return i === undefined ? undefined : this.vals[i];
  }

  /** Position of key in the dense arrays, or -1. Valid until the next delete. */
  slot(key: string): number {
    const i = this.indexOf(key).get(key);
    return i === undefined ? -1 : i;
  }

  /** Sets key; returns whether it was newly added. */
  set(key: string, val: V): boolean {
    let index = this.indexOf(key);
    const i = index.get(key);
    if (i !== undefined) {
      this.vals[i] = val;
      return false;
    }
    if (this.shards === null && this.keys.length >= SPLIT_ENTRIES) {
      this.splitIndex();
      index = this.indexOf(key);
    }
    index.set(key, this.keys.length);
    this.keys.push(key);
    this.vals.push(val);
    return true;
  }

  /**
   * Adds a key the caller knows is absent (it just missed a lookup): one hash
   * operation instead of set()'s two. Adding a present key corrupts the map.
   */
  add(key: string, val: V): void {
    if (this.shards === null && this.keys.length >= SPLIT_ENTRIES) this.splitIndex();
    this.indexOf(key).set(key, this.keys.length);
    this.keys.push(key);
    this.vals.push(val);
  }

  /**
   * Deletes key. Returns the slot that was vacated and refilled from the top
   * (so parallel arrays can mirror the move), or -1 if key was absent.
   */
  delete(key: string): number {
    const index = this.indexOf(key);
    const i = index.get(key);
    if (i === undefined) return -1;
    index.delete(key);
    const last = this.keys.length - 1;
    if (i !== last) {
      const movedKey = this.keys[last]!;
      this.keys[i] = movedKey;
      this.vals[i] = this.vals[last]!;
      this.indexOf(movedKey).set(movedKey, i);
    }
    this.keys.pop();
    this.vals.pop();
    if (this.shards !== null && last < JOIN_ENTRIES) this.joinIndex();
    return i;
  }

  /**
   * Deletes key and shifts the entries above it down one slot, so insertion
   * order survives (a listpack-encoded hash is ordered). O(size): only for
   * small maps. Returns the vacated slot, or -1 if key was absent.
   */
  deleteInOrder(key: string): number {
    const index = this.indexOf(key);
    const i = index.get(key);
    if (i === undefined) return -1;
    index.delete(key);
    this.keys.splice(i, 1);
    this.vals.splice(i, 1);
    for (let j = i; j < this.keys.length; j++) {
      const k = this.keys[j]!;
      this.indexOf(k).set(k, j);
    }
    if (this.shards !== null && this.keys.length < JOIN_ENTRIES) this.joinIndex();
    return i;
  }

  /**
   * An independent copy. Each index Map is copied by its own forEach (no
   * re-hash into a shard, no entry arrays; faster here than `new Map(m)`):
   * about 150 ms at 1M entries instead of 600 for a set() per key.
   */
  clone(): DenseMap<V> {
    const c = new DenseMap<V>();
    c.keys = this.keys.slice();
    c.vals = this.vals.slice();
    if (this.shards === null) c.one = copyIndex(this.one);
    else c.shards = this.shards.map(copyIndex);
    return c;
  }

  clear(): void {
    this.one = new Map();
    this.shards = null;
    this.keys = [];
    this.vals = [];
  }

  keyAt(i: number): string | undefined {
    return this.keys[i];
  }

  valAt(i: number): V | undefined {
    return this.vals[i];
  }

  /**
   * One SCAN step without a callback: appends the keys of up to `count`
   * slots below `cursor` (0 = start) to `out` and returns the next cursor
   * (0 when the scan is complete).
   */
  scanKeys(cursor: number, count: number, out: string[]): number {
    let k = cursor <= 0 || cursor > this.keys.length ? this.keys.length : cursor;
    const stop = Math.max(0, k - Math.max(1, count));
    while (k > stop) out.push(this.keys[--k]!);
    return k;
  }

  /**
   * One SCAN step. Visits up to `count` slots below `cursor` (0 = start) and
   * returns the next cursor (0 when the scan is complete).
   */
  scan(cursor: number, count: number, visit: (key: string, val: V) => void): number {
    let k = cursor <= 0 || cursor > this.keys.length ? this.keys.length : cursor;
    const stop = Math.max(0, k - Math.max(1, count));
    while (k > stop) {
      k--;
      visit(this.keys[k]!, this.vals[k]!);
    }
    return k;
  }

  private splitIndex(): void {
    const shards: Map<string, number>[] = [];
    for (let s = 0; s < SHARDS; s++) shards.push(new Map());
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      shards[shardOf(k)]!.set(k, i);
    }
    this.shards = shards;
    this.one = new Map();
  }

  private joinIndex(): void {
    const one = new Map<string, number>();
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) one.set(keys[i]!, i);
    this.one = one;
    this.shards = null;
  }
}
