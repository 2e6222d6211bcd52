// One numbered database: keys, their values, expiry times, and per-key
// access metadata (LRU clock or LFU counter) and accounted size. Pure: time
// comes in as `nowMs` from the Keyspace, which owns the clock.
//
// Values live in a DenseMap; two typed arrays run parallel to its slots (meta
// and bytes) so a key costs no wrapper object. Expiry times live in a second
// DenseMap, as Redis keeps a separate `expires` dict, so the active expire
// cycle samples only keys that have a TTL.

import { DenseMap } from './dense-map.js';
import { type Value, valueBytes, stringBytes } from './values.js';

/** Fixed per-key overhead: Map entry, two array slots, typed-array slots. */
const KEY_OVERHEAD_BYTES = 64;
/** Per-key overhead of an expiry entry (second map + number). */
export const EXPIRE_OVERHEAD_BYTES = 56;

export interface DatabaseHooks {
  /** A key's value changed (or it was deleted): WATCH invalidation, dirty counter. */
  modified(db: Database, key: string): void;
  /** Every key of the database was removed (FLUSHDB/FLUSHALL/SWAPDB). */
  flushed(db: Database): void;
  /** A key expired (lazily or in the active cycle). */
  expired(db: Database, key: string): void;
  /** Memory accounting changed by `delta` bytes. */
  bytesChanged(delta: number): void;
  /** Called on each access to stamp the LRU clock / LFU counter; returns the new meta. */
  touch(meta: number): number;
  /** Meta for a newly created key. */
  initialMeta(): number;
  /** Whether expiry is suspended (e.g. a replica, or a paused client set). */
  isExpiryPaused(): boolean;
}

export class Database {
  readonly map = new DenseMap<Value>();
  readonly expires = new DenseMap<number>();
  private meta = new Int32Array(1024);
  private sizes = new Float64Array(1024);
  /** Average TTL stats for INFO keyspace (avg_ttl), updated by the expire cycle. */
  avgTtlMs = 0;

  constructor(
    readonly id: number,
    private readonly hooks: DatabaseHooks,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get expiresCount(): number {
    return this.expires.size;
  }

  private grow(need: number): void {
    if (need <= this.meta.length) return;
    let cap = this.meta.length * 2;
    while (cap < need) cap *= 2;
    const m = new Int32Array(cap);
    m.set(this.meta);
    this.meta = m;
    const s = new Float64Array(cap);
    s.set(this.sizes);
    this.sizes = s;
  }

  /** True if key has a TTL that has passed (and expiry is not paused). */
  private isExpired(key: string, nowMs: number): boolean {
    if (this.expires.size === 0) return false;
    const at = this.expires.get(key);
    return at !== undefined && at <= nowMs && !this.hooks.isExpiryPaused();
  }

  /**
   * The value at key, or undefined. Expires the key lazily if its time has
   * passed. Does not touch the access metadata (use `read` for that).
   */
  peek(key: string, nowMs: number): Value | undefined {
    const i = this.map.slot(key);
    if (i < 0) return undefined;
    if (this.isExpired(key, nowMs)) {
      this.expireNow(key);
      return undefined;
    }
    return this.map.vals[i];
  }

  /** Like peek, but stamps the LRU/LFU metadata as an access. */
  read(key: string, nowMs: number): Value | undefined {
    const i = this.map.slot(key);
    if (i < 0) return undefined;
    if (this.expires.size !== 0 && this.isExpired(key, nowMs)) {
      this.expireNow(key);
      return undefined;
    }
    this.meta[i] = this.hooks.touch(this.meta[i]!);
    return this.map.vals[i];
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
      const n = this.map.size;
      this.grow(n + 1);
      this.map.set(key, value);
      this.meta[n] = this.hooks.initialMeta();
      this.sizes[n] = 0;
      this.account(n, key, value);
    }
    this.hooks.modified(this, key);
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

  /** Removes every key; returns how many there were. */
  flush(): number {
    const n = this.map.size;
    let freed = 0;
    for (let i = 0; i < n; i++) freed += this.sizes[i]!;
    freed += this.expires.size * EXPIRE_OVERHEAD_BYTES;
    this.map.clear();
    this.expires.clear();
    this.meta = new Int32Array(1024);
    this.sizes = new Float64Array(1024);
    this.hooks.bytesChanged(-freed);
    this.hooks.flushed(this);
    return n;
  }

  /** A uniformly random live key, or undefined (expired keys met on the way are removed). */
  randomKey(nowMs: number, random: () => number): string | undefined {
    for (let tries = 0; tries < 100 && this.map.size > 0; tries++) {
      const k = this.map.keys[Math.floor(random() * this.map.size)]!;
      if (this.isExpired(k, nowMs)) {
        this.expireNow(k);
        continue;
      }
      return k;
    }
    // Mostly-expired database: fall back to a linear walk.
    for (const k of this.map.keys) if (!this.isExpired(k, nowMs)) return k;
    return undefined;
  }

  /**
   * One step of Redis's active expire cycle for this database: sample up to
   * `samples` keys with a TTL, delete those past due; returns [sampled, expired].
   */
  expireSample(nowMs: number, samples: number, random: () => number): [number, number] {
    const n = this.expires.size;
    if (n === 0 || this.hooks.isExpiryPaused()) return [0, 0];
    let expired = 0;
    const take = Math.min(samples, n);
    let ttlSum = 0;
    let ttlCount = 0;
    for (let s = 0; s < take && this.expires.size > 0; s++) {
      const i = Math.floor(random() * this.expires.size);
      const key = this.expires.keys[i]!;
      const at = this.expires.vals[i]!;
      if (at <= nowMs) {
        this.expireNow(key);
        expired++;
      } else {
        ttlSum += at - nowMs;
        ttlCount++;
      }
    }
    if (ttlCount > 0) {
      const avg = ttlSum / ttlCount;
      // Redis smooths avg_ttl the same way: 2% of the new sample each cycle.
      this.avgTtlMs = this.avgTtlMs === 0 ? avg : (this.avgTtlMs / 50) * 49 + avg / 50;
    }
    return [take, expired];
  }
}
