// The Keyspace owns the numbered databases, the clock they read, the access
// metadata policy (LRU or LFU, as Redis encodes it in 24 bits), memory
// accounting and the keyspace statistics. It is pure: the server sets
// `nowMs` before running commands or timers, and randomness is injected, so
// expiry and eviction are deterministic under test.

import { Database, type DatabaseHooks } from './database.js';

export interface KeyspaceEvents {
  /** A keyspace notification (class char as in notify-keyspace-events, event name). */
  keyEvent(cls: string, event: string, key: string, db: number): void;
  /** A key changed: WATCH invalidation, blocked-client wake-ups. */
  keyModified(db: number, key: string): void;
  /** A whole database was emptied. */
  dbFlushed(db: number): void;
}

export const NO_EVENTS: KeyspaceEvents = {
  keyEvent() {},
  keyModified() {},
  dbFlushed() {},
};

export interface KeyspaceStats {
  keyspaceHits: number;
  keyspaceMisses: number;
  expiredKeys: number;
  evictedKeys: number;
  expiredStalePerc: number;
  expiredTimeCapReachedCount: number;
}

export type MaxmemoryPolicy =
  | 'volatile-lru'
  | 'allkeys-lru'
  | 'volatile-lfu'
  | 'allkeys-lfu'
  | 'volatile-random'
  | 'allkeys-random'
  | 'volatile-ttl'
  | 'noeviction';

export const LRU_CLOCK_MAX = (1 << 24) - 1;
export const LFU_INIT_VAL = 5;

export interface KeyspaceOptions {
  databases: number;
  random: () => number;
  events?: KeyspaceEvents;
}

export class Keyspace {
  readonly dbs: Database[];
  /** The current time in ms; set by the runtime before each event is handled. */
  nowMs = 0;
  /** Accounted bytes of all keys and values (what INFO reports as used_memory_dataset). */
  dataBytes = 0;
  /** Writes since start (dirty counter in Redis). */
  dirty = 0;
  readonly stats: KeyspaceStats = {
    keyspaceHits: 0,
    keyspaceMisses: 0,
    expiredKeys: 0,
    evictedKeys: 0,
    expiredStalePerc: 0,
    expiredTimeCapReachedCount: 0,
  };
  maxmemoryPolicy: MaxmemoryPolicy = 'noeviction';
  lfuLogFactor = 10;
  lfuDecayTimeMin = 1;
  /** Suspends expiry (a replica waits for its primary's DELs; CLIENT PAUSE WRITE). */
  expiryPaused = false;
  events: KeyspaceEvents;
  readonly random: () => number;

  constructor(opts: KeyspaceOptions) {
    this.random = opts.random;
    this.events = opts.events ?? NO_EVENTS;
    this.dbs = [];
    for (let i = 0; i < opts.databases; i++) this.dbs.push(new Database(i, this.hooks));
  }

  get usesLfu(): boolean {
    return this.maxmemoryPolicy === 'allkeys-lfu' || this.maxmemoryPolicy === 'volatile-lfu';
  }

  /** Redis's LRU clock: seconds, 24 bits. */
  lruClock(): number {
    return Math.floor(this.nowMs / 1000) & LRU_CLOCK_MAX;
  }

  /** Seconds since the LRU stamp `meta` (OBJECT IDLETIME). */
  idleSeconds(meta: number): number {
    const now = this.lruClock();
    return now >= meta ? now - meta : LRU_CLOCK_MAX - meta + now;
  }

  /** Minutes clock used by LFU decay, 16 bits. */
  private lfuMinutes(): number {
    return Math.floor(this.nowMs / 60000) & 0xffff;
  }

  /** LFU counter of `meta` after decay for the time elapsed (OBJECT FREQ). */
  lfuDecayed(meta: number): number {
    const ldt = meta >>> 8;
    let counter = meta & 0xff;
    const now = this.lfuMinutes();
    const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
    const periods = this.lfuDecayTimeMin > 0 ? Math.floor(elapsed / this.lfuDecayTimeMin) : 0;
    if (periods) counter = periods > counter ? 0 : counter - periods;
    return counter;
  }

  private lfuIncr(counter: number): number {
    if (counter === 255) return 255;
    const r = this.random();
    let base = counter - LFU_INIT_VAL;
    if (base < 0) base = 0;
    const p = 1.0 / (base * this.lfuLogFactor + 1);
    return r < p ? counter + 1 : counter;
  }

  private readonly hooks: DatabaseHooks = {
    modified: (db, key) => {
      this.dirty++;
      this.events.keyModified(db.id, key);
    },
    flushed: (db) => {
      this.dirty++;
      this.events.dbFlushed(db.id);
    },
    expired: (db, key) => {
      this.stats.expiredKeys++;
      this.events.keyEvent('x', 'expired', key, db.id);
    },
    bytesChanged: (delta) => {
      this.dataBytes += delta;
    },
    touch: (meta) => {
      if (this.usesLfu) {
        const c = this.lfuIncr(this.lfuDecayed(meta));
        return ((this.lfuMinutes() << 8) | c) >>> 0;
      }
      return this.lruClock();
    },
    initialMeta: () => (this.usesLfu ? ((this.lfuMinutes() << 8) | LFU_INIT_VAL) >>> 0 : this.lruClock()),
    isExpiryPaused: () => this.expiryPaused,
  };

  db(index: number): Database {
    const d = this.dbs[index];
    if (!d) throw new Error(`no database ${index}`);
    return d;
  }

  /** Total keys across databases. */
  keyCount(): number {
    let n = 0;
    for (const d of this.dbs) n += d.size;
    return n;
  }

  flushAll(): number {
    let n = 0;
    for (const d of this.dbs) n += d.flush();
    return n;
  }

  /**
   * Redis's active expire cycle, bounded by `timeBudgetMs` of virtual work
   * measured in samples: per database, sample 20 keys with a TTL and repeat
   * while more than `stalePercent` of a sample had expired.
   */
  activeExpireCycle(maxSamplesTotal = 2000, stalePercent = 10): number {
    let expired = 0;
    let budget = maxSamplesTotal;
    let sampledAll = 0;
    let expiredAll = 0;
    for (const d of this.dbs) {
      for (;;) {
        if (budget <= 0) {
          this.stats.expiredTimeCapReachedCount++;
          break;
        }
        const [sampled, gone] = d.expireSample(this.nowMs, 20, this.random);
        budget -= Math.max(sampled, 1);
        sampledAll += sampled;
        expiredAll += gone;
        expired += gone;
        if (sampled === 0 || gone * 100 <= sampled * stalePercent) break;
      }
    }
    if (sampledAll > 0) {
      const perc = expiredAll / sampledAll;
      this.stats.expiredStalePerc = perc * 0.05 + this.stats.expiredStalePerc * 0.95;
    }
    return expired;
  }
}
