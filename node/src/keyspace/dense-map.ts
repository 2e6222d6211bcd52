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
// exactly what Redis promises.

export class DenseMap<V> {
  readonly index = new Map<string, number>();
  keys: string[] = [];
  vals: V[] = [];

  get size(): number {
    return this.keys.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get(key: string): V | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.vals[i];
  }

  /** Position of key in the dense arrays, or -1. Valid until the next delete. */
  slot(key: string): number {
    const i = this.index.get(key);
    return i === undefined ? -1 : i;
  }

  /** Sets key; returns its slot and whether it was newly added (in `added`). */
  set(key: string, val: V): boolean {
    const i = this.index.get(key);
    if (i !== undefined) {
      this.vals[i] = val;
      return false;
    }
    this.index.set(key, this.keys.length);
    this.keys.push(key);
    this.vals.push(val);
    return true;
  }

  /**
   * Deletes key. Returns the slot that was vacated and refilled from the top
   * (so parallel arrays can mirror the move), or -1 if key was absent.
   */
  delete(key: string): number {
    const i = this.index.get(key);
    if (i === undefined) return -1;
    this.index.delete(key);
    const last = this.keys.length - 1;
    if (i !== last) {
      const movedKey = this.keys[last]!;
      this.keys[i] = movedKey;
      this.vals[i] = this.vals[last]!;
      this.index.set(movedKey, i);
    }
    this.keys.pop();
    this.vals.pop();
    return i;
  }

  clear(): void {
    this.index.clear();
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
}
