// One numbered database: keys, their values, expiry times, and per-key
// access metadata (LRU clock or LFU counter) and accounted size. Pure: time
// comes in as `nowMs` from the Keyspace, which owns the clock.
//
// Values live in a DenseMap; two typed arrays run parallel to its slots (meta
// and bytes) so a key costs no wrapper object. Expiry times live in a second
// DenseMap, as Redis keeps a separate `expires` dict, so the active expire
// cycle and the volatile-* eviction policies look only at keys with a TTL.
//
// Expiry is lazy on every access path: a key whose time has passed is never
// returned. While expiry is paused (a replica waiting for its primary's DEL,
// CLIENT PAUSE WRITE) such a key is still hidden but not deleted, as in Redis.

import { DenseMap } from './dense-map.js';
import { type Value, valueBytes, stringBytes } from './values.js';
import { keySlot } from '../cluster/keyslot.js';
import { SLOT_COUNT } from '../cluster/types.js';

/** Starting capacity of the arrays parallel to a Database's dense slots. */
const INITIAL_SLOTS = 1024;

/** The capacity for `need` entries, doubling from `current` (0: no growth needed). */
function grownCapacity(current: number, need: number): number {
  if (need <= current) return 0;
  let cap = current * 2;
  while (cap < need) cap *= 2;
  return cap;
}

/** A copy of `a` with room for `cap` entries. */
function resized<T extends Int32Array | Uint16Array | Float64Array>(a: T, cap: number): T {
  const out = new (a.constructor as new (n: number) => T)(cap);
  out.set(a);
  return out;
}

/**
 * Cluster mode only: the keys of each hash slot, so CLUSTER COUNTKEYSINSLOT
 * and GETKEYSINSLOT do not scan the keyspace and a slot's keys can be
 * migrated later. Redis keeps the same index (slot_to_keys) only when
 * cluster-enabled, and so do we: a standalone node never computes a slot.
 *
 * Like Redis 7.0's, it is a list per slot threaded through the entries
 * themselves: here typed arrays parallel to the Database's dense slots
 * (next, prev, slot), so adding or removing a key is a CRC16 and a few array
 * writes. A Set per slot cost about 0.7 us per restored key (its growth and
 * rehashing), a visible share of a migration's CPU.
 */
export class SlotKeyIndex {
  private readonly head = new Int32Array(SLOT_COUNT).fill(-1);
  private readonly tail = new Int32Array(SLOT_COUNT).fill(-1);
  private readonly counts = new Int32Array(SLOT_COUNT);
  /** Per dense entry: the next and previous entry of its slot (-1: none) and its slot. */
  private next = new Int32Array(INITIAL_SLOTS);
  private prev = new Int32Array(INITIAL_SLOTS);
  private slotOf = new Uint16Array(INITIAL_SLOTS);

  private grow(need: number): void {
    const cap = grownCapacity(this.next.length, need);
    if (cap === 0) return;
    this.next = resized(this.next, cap);
    this.prev = resized(this.prev, cap);
    this.slotOf = resized(this.slotOf, cap);
  }

  /** The entry at dense index i (key) was added: appended to its slot's list. */
  add(i: number, key: string): void {
    this.grow(i + 1);
    const slot = keySlot(key);
    const t = this.tail[slot]!;
    this.slotOf[i] = slot;
    this.prev[i] = t;
    this.next[i] = -1;
    if (t >= 0) this.next[t] = i;
    else this.head[slot] = i;
    this.tail[slot] = i;
    this.counts[slot]!++;
  }

  /** The entry at dense index i was deleted. */
  remove(i: number): void {
    const slot = this.slotOf[i]!;
    const p = this.prev[i]!;
    const n = this.next[i]!;
    if (p >= 0) this.next[p] = n;
    else this.head[slot] = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail[slot] = p;
    this.counts[slot]!--;
  }

  /** The entry at dense index `from` now lives at `to` (a delete filled its hole from the top). */
  move(from: number, to: number): void {
    const slot = this.slotOf[from]!;
    const p = this.prev[from]!;
    const n = this.next[from]!;
    this.slotOf[to] = slot;
    this.prev[to] = p;
    this.next[to] = n;
    if (p >= 0) this.next[p] = to;
    else this.head[slot] = to;
    if (n >= 0) this.prev[n] = to;
    else this.tail[slot] = to;
  }

  count(slot: number): number {
    return this.counts[slot]!;
  }

  /** Up to `max` keys of the slot, in insertion order; `keys` are the Database's dense keys. */
  keys(slot: number, max: number, keys: readonly string[]): string[] {
    const out: string[] = [];
    for (let i = this.head[slot]!; i >= 0 && out.length < max; i = this.next[i]!) out.push(keys[i]!);
    return out;
  }
}

/**
 * Fixed per-key overhead in V8 (Node 20, x64, no pointer compression):
 * the index Map entry, the key and value slots of the dense arrays and the
 * typed-array slots, with the slack of their doubling growth. Measured by
 * loading 0.1M-1.5M keys and dividing heapUsed growth (after GC) minus the
 * key and value strings by the key count: 50-62 bytes depending on where
 * the tables sit in their growth cycle.
 */
export const KEY_OVERHEAD_BYTES = 60;
/** Per-key overhead of an expiry entry (second Map entry, key slot, double slot), measured the same way. */
export const EXPIRE_OVERHEAD_BYTES = 60;

export interface DatabaseHooks {
  /** A key's value changed (or it was deleted): WATCH invalidation, dirty counter. */
  modified(db: Database, key: string): void;
  /** Every key of the database was removed (FLUSHDB/FLUSHALL) or replaced (SWAPDB). */
  flushed(db: Database): void;
  /** A key expired (lazily or in the active cycle). */
  expired(db: Database, key: string): void;
  /** Memory accounting changed by `delta` bytes. */
  bytesChanged(delta: number): void;
  /** Called on each access to stamp the LRU clock / LFU counter; returns the new meta. */
  touch(meta: number): number;
  /** Meta for a newly created key. */
  initialMeta(): number;
  /** A key was created (Redis's dbAdd): the 'new' keyspace event. */
  created(db: Database, key: string): void;
  /** Whether expiry is suspended (e.g. a replica, or a paused client set). */
  isExpiryPaused(): boolean;
  /** Whether keys past their TTL still count as existing (a replica applying its primary's stream). */
  expiredKeysLive?(): boolean;
}

export class Database {
  map = new DenseMap<Value>();
  expires = new DenseMap<number>();
  private meta = new Int32Array(INITIAL_SLOTS);
  private sizes = new Float64Array(INITIAL_SLOTS);
  /** Average TTL stats for INFO keyspace (avg_ttl), updated by the expire cycle. */
  avgTtlMs = 0;
  /** Where the active expire cycle resumes in `expires` (a DenseMap SCAN cursor). */
  expireCursor = 0;
  /** Keys by hash slot; null unless cluster mode turned it on (enableSlotIndex). */
  slotIndex: SlotKeyIndex | null = null;

  constructor(
    readonly id: number,
    private readonly hooks: DatabaseHooks,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** Up to `max` keys of a hash slot, oldest first (cluster mode; none without the index). */
  keysInSlot(slot: number, max: number): string[] {
    return this.slotIndex === null ? [] : this.slotIndex.keys(slot, max, this.map.keys);
  }

  /** Cluster mode: starts keeping the per-slot key index (indexing the keys already present). */
  enableSlotIndex(): SlotKeyIndex {
    if (this.slotIndex === null) {
      const index = new SlotKeyIndex();
      for (let i = 0; i < this.map.size; i++) index.add(i, this.map.keys[i]!);
      this.slotIndex = index;
    }
    return this.slotIndex;
  }

  get expiresCount(): number {
    return this.expires.size;
  }

  private grow(need: number): void {
    const cap = grownCapacity(this.meta.length, need);
    if (cap === 0) return;
    this.meta = resized(this.meta, cap);
    this.sizes = resized(this.sizes, cap);
  }

  /** True if key has a TTL that has passed (whether or not expiry is paused). */
  isExpired(key: string, nowMs: number): boolean {
    if (this.expires.size === 0 || this.hooks.expiredKeysLive?.() === true) return false;
    const at = this.expires.get(key);
    return at !== undefined && at <= nowMs;
  }

  /**
   * Redis's expireIfNeeded: true if key is logically expired, in which case
   * it is deleted unless expiry is paused.
   */
  expireIfNeeded(key: string, nowMs: number): boolean {
    if (!this.isExpired(key, nowMs)) return false;
    if (!this.hooks.isExpiryPaused()) this.expireNow(key);
    return true;
  }

  /**
   * The value at key, or undefined. Expires the key lazily if its time has
   * passed. Does not touch the access metadata (use `read` for that).
   */
  peek(key: string, nowMs: number): Value | undefined {
    const i = this.map.slot(key);
    if (i < 0) return undefined;
    if (this.expires.size !== 0 && this.expireIfNeeded(key, nowMs)) return undefined;
    return this.map.vals[i];
  }

  /** Like peek, but stamps the LRU/LFU metadata as an access. */
  read(key: string, nowMs: number): Value | undefined {
    const i = this.touchedSlot(key, nowMs);
    return i < 0 ? undefined : this.map.vals[i];
  }

  /** The slot of a live key, its access stamped (read's lookup), or -1. */
  private touchedSlot(key: string, nowMs: number): number {
    const i = this.map.slot(key);
    if (i < 0) return -1;
    if (this.expires.size !== 0 && this.expireIfNeeded(key, nowMs)) return -1;
    this.meta[i] = this.hooks.touch(this.meta[i]!);
    return i;
  }

  /**
   * `read` for a command that will mutate the value in place (Redis's
   * lookupKeyWrite, but stamping the access as `read` does): a container a
   * replication snapshot still holds is first replaced by a private clone,
   * and the clone is returned, so the snapshot keeps the value as it was.
   */
  readForWrite(key: string, nowMs: number): Value | undefined {
    const i = this.touchedSlot(key, nowMs);
    if (i < 0) return undefined;
    const v = this.map.vals[i]!;
    if (typeof v === 'string' || Buffer.isBuffer(v) || v.snapshotHolds === 0) return v;
    const own = v.clone();
    this.map.vals[i] = own;
    return own;
  }

  /** Whether key exists (honouring expiry), without touching it. */
  exists(key: string, nowMs: number): boolean {
    return this.peek(key, nowMs) !== undefined;
  }

  /**
   * Stores value at key. A new key gets fresh metadata; an existing key keeps
   * its TTL only if keepTtl (SET KEEPTTL), else the TTL is removed, as SET does.
   */
  set(key: string, value: Value, keepTtl = false): void {
    const i = this.map.slot(key);
    if (i >= 0) {
      this.map.vals[i] = value;
      this.meta[i] = this.hooks.touch(this.meta[i]!);
      if (!keepTtl && this.expires.size !== 0) this.removeExpire(key);
      this.account(i, key, value);
    } else {
      this.insert(key, value, this.hooks.initialMeta());
    }
    this.hooks.modified(this, key);
  }

  /**
   * Adds a key that must not exist, with the given access metadata: RENAME,
   * MOVE and SWAPDB carry the object's LRU/LFU stamp along, as Redis moves the
   * object itself. Signals the modification.
   */
  add(key: string, value: Value, meta: number): void {
    if (this.map.has(key)) throw new Error(`assertion failed: add of existing key`);
    this.insert(key, value, meta);
    this.hooks.modified(this, key);
  }

  /**
   * Adds key, which peek() reported absent earlier in this same turn (RESTORE
   * checks BUSYKEY first), without a second lookup. A key that peek() hid
   * because paused expiry keeps it (it has a TTL) is replaced as set() would.
   */
  create(key: string, value: Value): void {
    if (this.expires.size !== 0 && this.expires.has(key)) return this.set(key, value);
    this.insert(key, value, this.hooks.initialMeta());
    this.hooks.modified(this, key);
  }

  /** Adds a key known to be absent. */
  private insert(key: string, value: Value, meta: number): void {
    const n = this.map.size;
    this.grow(n + 1);
    this.map.add(key, value);
    if (this.slotIndex !== null) this.slotIndex.add(n, key);
    this.meta[n] = meta;
    this.sizes[n] = 0;
    this.account(n, key, value);
    this.hooks.created(this, key);
  }

  /**
   * Replaces the value of an existing key in place, keeping TTL and metadata
   * (used by in-place string mutations like APPEND and SETRANGE).
   */
  replace(key: string, value: Value): void {
    const i = this.map.slot(key);
    if (i < 0) {
      this.set(key, value);
      return;
    }
    this.map.vals[i] = value;
    this.account(i, key, value);
    this.hooks.modified(this, key);
  }

  /**
   * Swaps in an equal-content representation of an existing key's value
   * (e.g. a string turned into a private Buffer, as Redis unshares a value
   * without changing it): refreshes the accounting but signals nothing, since
   * the value did not change for any observer (WATCH, dirty, notifications).
   */
  replaceQuietly(key: string, value: Value): void {
    const i = this.map.slot(key);
    if (i < 0) return;
    this.map.vals[i] = value;
    this.account(i, key, value);
  }

  /**
   * Must be called after a container value was mutated in place: refreshes
   * its accounted size and signals the modification (WATCH, dirty).
   */
  changed(key: string): void {
    const i = this.map.slot(key);
    if (i >= 0) this.account(i, key, this.map.vals[i]!);
    this.hooks.modified(this, key);
  }

  private account(i: number, key: string, value: Value): void {
    const bytes = KEY_OVERHEAD_BYTES + stringBytes(key.length) + valueBytes(value);
    const delta = bytes - this.sizes[i]!;
    this.sizes[i] = bytes;
    if (delta !== 0) this.hooks.bytesChanged(delta);
  }

  /** Deletes key (no expiry check); true if it existed. */
  delete(key: string): boolean {
    const i = this.map.delete(key);
    if (i < 0) return false;
    const last = this.map.size;
    if (this.slotIndex !== null) {
      this.slotIndex.remove(i);
      if (i !== last) this.slotIndex.move(last, i);
    }
    const freed = this.sizes[i]!;
    if (i !== last) {
      this.meta[i] = this.meta[last]!;
      this.sizes[i] = this.sizes[last]!;
    }
    this.hooks.bytesChanged(-freed);
    if (this.expires.size !== 0) this.removeExpire(key);
    this.hooks.modified(this, key);
    return true;
  }

  /** Removes key because its TTL passed, and tells the hooks. */
  expireNow(key: string): void {
    this.delete(key);
    this.hooks.expired(this, key);
  }

  getExpire(key: string): number | undefined {
    return this.expires.size === 0 ? undefined : this.expires.get(key);
  }

  /** Sets an absolute expiry time in ms on an existing key. */
  setExpire(key: string, atMs: number): void {
    if (this.expires.set(key, atMs)) this.hooks.bytesChanged(EXPIRE_OVERHEAD_BYTES);
  }

  /** Removes the TTL; true if there was one. */
  removeExpire(key: string): boolean {
    if (this.expires.delete(key) < 0) return false;
    this.hooks.bytesChanged(-EXPIRE_OVERHEAD_BYTES);
    return true;
  }

  /** Access metadata (LRU clock or LFU counter) of key, or undefined. */
  getMeta(key: string): number | undefined {
    const i = this.map.slot(key);
    return i < 0 ? undefined : this.meta[i];
  }

  setMeta(key: string, meta: number): void {
    const i = this.map.slot(key);
    if (i >= 0) this.meta[i] = meta;
  }

  metaAt(i: number): number {
    return this.meta[i]!;
  }

  /** Accounted bytes of key (MEMORY USAGE), or undefined. */
  bytesOf(key: string): number | undefined {
    const i = this.map.slot(key);
    return i < 0 ? undefined : this.sizes[i];
  }

  /** Sum of the accounted bytes of this database's keys, values and TTLs. */
  accountedBytes(): number {
    let total = this.expires.size * EXPIRE_OVERHEAD_BYTES;
    for (let i = 0, n = this.map.size; i < n; i++) total += this.sizes[i]!;
    return total;
  }

  /** Removes every key; returns how many there were. */
  flush(): number {
    const n = this.map.size;
    const freed = this.accountedBytes();
    this.map = new DenseMap<Value>();
    this.expires = new DenseMap<number>();
    this.meta = new Int32Array(INITIAL_SLOTS);
    this.sizes = new Float64Array(INITIAL_SLOTS);
    this.avgTtlMs = 0;
    this.expireCursor = 0;
    if (this.slotIndex !== null) this.slotIndex = new SlotKeyIndex();
    this.hooks.bytesChanged(-freed);
    this.hooks.flushed(this);
    return n;
  }

  /**
   * SWAPDB: exchanges the whole contents with `other`. Sessions keep their
   * Database object and so see the other data set, as Redis's clients do.
   * Memory accounting is unchanged (both are in the same keyspace).
   */
  swapWith(other: Database): void {
    [this.map, other.map] = [other.map, this.map];
    [this.expires, other.expires] = [other.expires, this.expires];
    [this.meta, other.meta] = [other.meta, this.meta];
    [this.sizes, other.sizes] = [other.sizes, this.sizes];
    [this.avgTtlMs, other.avgTtlMs] = [other.avgTtlMs, this.avgTtlMs];
    [this.expireCursor, other.expireCursor] = [other.expireCursor, this.expireCursor];
    [this.slotIndex, other.slotIndex] = [other.slotIndex, this.slotIndex];
    this.hooks.flushed(this);
    this.hooks.flushed(other);
  }

  /**
   * A uniformly random live key, or undefined. Expired keys met on the way
   * are deleted, as Redis's dbRandomKey does.
   */
  randomKey(nowMs: number, random: () => number): string | undefined {
    for (let tries = 0; tries < 100 && this.map.size > 0; tries++) {
      const k = this.map.keys[Math.floor(random() * this.map.size)]!;
      if (this.expires.size !== 0 && this.expireIfNeeded(k, nowMs)) continue;
      return k;
    }
    // Almost every key is expired: one pass finds a live one (or proves there
    // is none) instead of sampling forever.
    const live: string[] = [];
    for (let i = 0; i < this.map.size; i++) {
      const k = this.map.keys[i]!;
      if (!this.isExpired(k, nowMs)) live.push(k);
    }
    if (live.length === 0) return undefined;
    return live[Math.floor(random() * live.length)];
  }

  /**
   * One round of Redis's active expire cycle for this database: checks up to
   * `keys` entries of `expires`, continuing from `expireCursor` so that
   * successive rounds walk the whole table (as Redis 7 walks its buckets),
   * and deletes those past due. Returns [sampled, expired].
   */
  expireRound(nowMs: number, keys: number): [number, number] {
    const n = this.expires.size;
    if (n === 0) {
      this.avgTtlMs = 0;
      return [0, 0];
    }
    const take = Math.min(keys, n);
    let k = this.expireCursor <= 0 || this.expireCursor > n ? n : this.expireCursor;
    let sampled = 0;
    let expired = 0;
    let ttlSum = 0;
    let ttlCount = 0;
    while (sampled < take) {
      if (k === 0) k = this.expires.size; // wrapped: start the next pass from the top
      if (k === 0) break;
      k--;
      const key = this.expires.keys[k]!;
      const at = this.expires.vals[k]!;
      sampled++;
      // Deleting slot k refills it from the top, which this pass already saw.
      if (at <= nowMs) {
        this.expireNow(key);
        expired++;
      } else {
        ttlSum += at - nowMs;
        ttlCount++;
      }
    }
    this.expireCursor = k;
    if (ttlCount > 0) {
      const avg = ttlSum / ttlCount;
      // Redis smooths avg_ttl the same way: 2% of the new sample each round.
      if (this.avgTtlMs === 0) this.avgTtlMs = avg;
      this.avgTtlMs = (this.avgTtlMs / 50) * 49 + avg / 50;
    }
    return [sampled, expired];
  }
}
