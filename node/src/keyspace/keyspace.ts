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
/** Keys with a TTL checked per round of the active expire cycle (effort 1). */
export const ACTIVE_EXPIRE_KEYS_PER_LOOP = 20;
/** Databases visited per call of the active expire cycle. */
export const CRON_DBS_PER_CALL = 16;
/** Deterministic cost charged per key checked when no clock is given. */
export const EXPIRE_CHECK_COST_US = 1;
/**
 * What used_memory starts at: redis-server 7.0 reports used_memory_startup of
 * about 876 KB (server structures, shared objects); we account the same so
 * INFO and maxmemory read as they do on Redis.
 */
export const STARTUP_BYTES = 876_064;

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
  /** Highest dataBytes seen since start or resetPeak (INFO used_memory_peak). */
  dataBytesPeak = 0;
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
  private policy: MaxmemoryPolicy = 'noeviction';
  private lfu = false;
  /** Keys sampled per database when choosing an eviction victim (maxmemory-samples). */
  maxmemorySamples = 5;
  lfuLogFactor = 10;
  lfuDecayTimeMin = 1;
  /** serverCron frequency (hz): the active expire cycle's time budget is a share of its period. */
  cronHz = 10;
  /** active-expire-effort, 1..10. */
  activeExpireEffort = 1;
  /** Active expire cycle state carried between calls, as Redis keeps it static. */
  private expireNextDb = 0;
  private expireTimeLimitExit = false;
  /** Suspends expiry (a replica waits for its primary's DELs; CLIENT PAUSE WRITE). */
  expiryPaused = false;
  /**
   * Set while a replica applies its primary's commands: a key past its TTL
   * still exists for them, since the primary (whose DEL will follow) saw it
   * alive (Redis's expireIfNeeded for the master client).
   */
  expiredKeysLive = false;
  events: KeyspaceEvents;
  readonly random: () => number;

  constructor(opts: KeyspaceOptions) {
    this.random = opts.random;
    this.events = opts.events ?? NO_EVENTS;
    this.dbs = [];
    for (let i = 0; i < opts.databases; i++) this.dbs.push(new Database(i, this.hooks));
  }

  get maxmemoryPolicy(): MaxmemoryPolicy {
    return this.policy;
  }

  /** Switching policy does not convert existing stamps; Redis warns that LRU/LFU data takes time to adjust. */
  set maxmemoryPolicy(p: MaxmemoryPolicy) {
    this.policy = p;
    this.lfu = p === 'allkeys-lfu' || p === 'volatile-lfu';
  }

  /** Whether access metadata is an LFU counter (read on every key access, hence cached). */
  get usesLfu(): boolean {
    return this.lfu;
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
    created: (db, key) => {
      this.events.keyEvent('n', 'new', key, db.id);
    },
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
      if (this.dataBytes > this.dataBytesPeak) this.dataBytesPeak = this.dataBytes;
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
    expiredKeysLive: () => this.expiredKeysLive,
  };

  /** CONFIG RESETSTAT: the peak restarts from the current usage. */
  resetPeak(): void {
    this.dataBytesPeak = this.dataBytes;
  }

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
   * Redis's active expire cycle (the slow one serverCron runs `hz` times a
   * second). Databases are visited round-robin, up to 16 per call (all of
   * them when the previous call ran out of time); in each, rounds of
   * `keysPerLoop` TTL keys are checked, continuing the database's cursor, and
   * repeated while more than `acceptableStale` percent of a round had expired.
   * The time budget is Redis's: `25 + 2 * effort` percent of a cron period.
   * Elapsed time is measured with `opts.elapsedUs` when the runtime gives a
   * clock, else charged at EXPIRE_CHECK_COST_US per key checked, which keeps
   * the cycle deterministic under test. Returns the number of keys expired.
   */
  activeExpireCycle(opts: { hz?: number; elapsedUs?: () => number } = {}): number {
    if (this.expiryPaused) return 0;
    const effort = Math.min(9, Math.max(0, this.activeExpireEffort - 1));
    const keysPerLoop = ACTIVE_EXPIRE_KEYS_PER_LOOP + (ACTIVE_EXPIRE_KEYS_PER_LOOP / 4) * effort;
    const slowTimePerc = 25 + 2 * effort;
    const acceptableStale = 10 - effort;
    const hz = Math.max(1, opts.hz ?? this.cronHz);
    const timeLimitUs = Math.max(1, (slowTimePerc * 1_000_000) / hz / 100);
    const dbCount = this.dbs.length;
    const dbsPerCall = this.expireTimeLimitExit || dbCount < CRON_DBS_PER_CALL ? dbCount : CRON_DBS_PER_CALL;
    const start = opts.elapsedUs ? opts.elapsedUs() : 0;
    let checked = 0;
    let iteration = 0;
    let totalSampled = 0;
    let totalExpired = 0;
    this.expireTimeLimitExit = false;
    for (let j = 0; j < dbsPerCall && !this.expireTimeLimitExit; j++) {
      const d = this.dbs[this.expireNextDb % dbCount]!;
      this.expireNextDb = (this.expireNextDb + 1) % dbCount;
      for (;;) {
        if (d.expires.size === 0) {
          d.avgTtlMs = 0;
          break;
        }
        iteration++;
        const [sampled, expired] = d.expireRound(this.nowMs, keysPerLoop);
        checked += sampled;
        totalSampled += sampled;
        totalExpired += expired;
        // Redis looks at the clock every 16 rounds only: it is not free.
        if ((iteration & 0xf) === 0) {
          const elapsedUs = opts.elapsedUs ? opts.elapsedUs() - start : checked * EXPIRE_CHECK_COST_US;
          if (elapsedUs > timeLimitUs) {
            this.expireTimeLimitExit = true;
            this.stats.expiredTimeCapReachedCount++;
            break;
          }
        }
        if (sampled === 0 || Math.floor((expired * 100) / sampled) <= acceptableStale) break;
      }
    }
    if (totalSampled > 0) {
      const perc = totalExpired / totalSampled;
      this.stats.expiredStalePerc = perc * 0.05 + this.stats.expiredStalePerc * 0.95;
    }
    return totalExpired;
  }
}
