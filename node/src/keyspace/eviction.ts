// Eviction decides which keys to drop when used memory is above maxmemory,
// the way Redis's evict.c does: exact LRU/LFU would need every key in a
// sorted structure, so Redis samples `maxmemory-samples` keys per database
// and keeps the 16 best candidates seen so far in an eviction pool that
// survives between calls. The pool is ordered by "idle" score, best victim
// last: LRU idle time, 255 minus the decayed LFU counter, or (volatile-ttl)
// how soon the key expires. The random policies pick a random key from the
// next database round-robin. Victims are evicted until used memory is back
// under the limit.
//
// Pure like the Keyspace: used memory and the limit are read through the
// functions given to the constructor, randomness is the keyspace's.

import type { Database } from './database.js';
import type { Keyspace, MaxmemoryPolicy } from './keyspace.js';

/** Size of the eviction pool (EVPOOL_SIZE). */
export const EVICTION_POOL_SIZE = 16;

interface PoolEntry {
  /** Higher means a better victim. */
  idle: number;
  /** null when the slot is empty. */
  key: string | null;
  db: number;
}

export interface EvictionMemory {
  /** Bytes counted against maxmemory (INFO used_memory minus what Redis does not count). */
  usedMemory(): number;
  /** The maxmemory limit in bytes; 0 means no limit. */
  maxmemory(): number;
}

export class Evictor {
  private readonly pool: PoolEntry[] = [];
  /** Round-robin database for the random policies (Redis's static next_db). */
  private nextDb = 0;
  /** Keys drawn per database by the last sampling, reused to avoid garbage. */
  private readonly sample: string[] = [];

  constructor(
    private readonly ks: Keyspace,
    private readonly memory: EvictionMemory,
  ) {
    for (let i = 0; i < EVICTION_POOL_SIZE; i++) this.pool.push({ idle: 0, key: null, db: 0 });
  }

  /** Whether used memory is above the limit (and a limit is set). */
  overLimit(): boolean {
    const max = this.memory.maxmemory();
    return max > 0 && this.memory.usedMemory() > max;
  }

  /**
   * Redis's performEvictions: evicts keys until used memory is under
   * maxmemory. Returns false when it could not get there (noeviction, or no
   * key the policy may evict), which makes the dispatcher refuse denyoom
   * commands with the OOM error.
   */
  performEvictions(): boolean {
    if (!this.overLimit()) return true;
    const policy = this.ks.maxmemoryPolicy;
    if (policy === 'noeviction') return false;
    while (this.overLimit()) {
      if (!this.evictOne(policy)) return false;
    }
    return true;
  }

  /** Evicts the best victim under `policy`; false if there is none. */
  evictOne(policy: MaxmemoryPolicy): boolean {
    const victim = policy === 'allkeys-random' || policy === 'volatile-random' ? this.pickRandom(policy) : this.pickFromPool(policy);
    if (victim === null) return false;
    const db = this.ks.db(victim.db);
    db.delete(victim.key);
    this.ks.stats.evictedKeys++;
    this.ks.events.keyEvent('e', 'evicted', victim.key, victim.db);
    return true;
  }

  private pickRandom(policy: MaxmemoryPolicy): { key: string; db: number } | null {
    const allKeys = policy === 'allkeys-random';
    const n = this.ks.dbs.length;
    for (let i = 0; i < n; i++) {
      this.nextDb = (this.nextDb + 1) % n;
      const db = this.ks.dbs[this.nextDb]!;
      const dict = allKeys ? db.map : db.expires;
      if (dict.size === 0) continue;
      return { key: dict.keys[Math.floor(this.ks.random() * dict.size)]!, db: this.nextDb };
    }
    return null;
  }

  private pickFromPool(policy: MaxmemoryPolicy): { key: string; db: number } | null {
    const allKeys = policy.startsWith('allkeys');
    for (;;) {
      let totalKeys = 0;
      for (const db of this.ks.dbs) {
        const n = allKeys ? db.size : db.expiresCount;
        if (n === 0) continue;
        this.populate(db, allKeys, policy);
        totalKeys += n;
      }
      if (totalKeys === 0) return null;
      // Best victims sit at the right end; entries may be ghosts of keys
      // deleted since they were sampled, which are dropped and skipped.
      for (let k = EVICTION_POOL_SIZE - 1; k >= 0; k--) {
        const e = this.pool[k]!;
        if (e.key === null) continue;
        const key = e.key;
        const dbIndex = e.db;
        e.key = null;
        e.idle = 0;
        const db = this.ks.dbs[dbIndex];
        if (!db) continue;
        if (allKeys ? db.map.has(key) : db.expires.has(key)) return { key, db: dbIndex };
      }
    }
  }

  /** Redis's evictionPoolPopulate for one database. */
  private populate(db: Database, allKeys: boolean, policy: MaxmemoryPolicy): void {
    const dict = allKeys ? db.map : db.expires;
    const keys = this.sample;
    keys.length = 0;
    const samples = this.ks.maxmemorySamples;
    const n = dict.size;
    if (n <= samples) {
      for (let i = 0; i < n; i++) keys.push(dict.keys[i]!);
    } else {
      for (let i = 0; i < samples; i++) keys.push(dict.keys[Math.floor(this.ks.random() * n)]!);
    }
    for (let j = 0; j < keys.length; j++) {
      const key = keys[j]!;
      let idle: number;
      if (policy === 'volatile-ttl') {
        // Sooner expiry scores higher: Redis uses ULLONG_MAX - expire time.
        idle = -(db.expires.get(key) ?? Infinity);
      } else {
        const meta = db.getMeta(key);
        if (meta === undefined) continue;
        idle = this.ks.usesLfu ? 255 - this.ks.lfuDecayed(meta) : this.ks.idleSeconds(meta);
      }
      this.insert(key, idle, db.id);
    }
  }

  private insert(key: string, idle: number, dbIndex: number): void {
    const pool = this.pool;
    const last = EVICTION_POOL_SIZE - 1;
    let k = 0;
    while (k < EVICTION_POOL_SIZE && pool[k]!.key !== null && pool[k]!.idle < idle) k++;
    if (k === 0 && pool[last]!.key !== null) {
      // Worse than every candidate of a full pool.
      return;
    } else if (k < EVICTION_POOL_SIZE && pool[k]!.key === null) {
      // An empty slot: nothing to shift.
    } else if (pool[last]!.key === null) {
      // Room on the right: shift [k, last) one step right, reusing the freed object.
      const spare = pool[last]!;
      for (let i = last; i > k; i--) pool[i] = pool[i - 1]!;
      pool[k] = spare;
    } else {
      // Full: drop the worst (leftmost) and insert just before position k.
      k--;
      const spare = pool[0]!;
      for (let i = 0; i < k; i++) pool[i] = pool[i + 1]!;
      pool[k] = spare;
    }
    const e = pool[k]!;
    e.key = key;
    e.idle = idle;
    e.db = dbIndex;
  }

  /** Pool contents, best victim last (for tests and DEBUG-style introspection). */
  poolSnapshot(): { key: string; idle: number; db: number }[] {
    const out: { key: string; idle: number; db: number }[] = [];
    for (const e of this.pool) if (e.key !== null) out.push({ key: e.key, idle: e.idle, db: e.db });
    return out;
  }
}
