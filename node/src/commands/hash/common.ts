// Shared by the hash commands: typed lookups with Redis's read/write
// semantics (hits and misses are counted only on reads, as lookupKeyRead
// does) and the listpack thresholds taken from the configuration.

import { readTyped, writeTypedIn } from '../lookup.js';
import type { Config } from '../../config/config.js';
import { DEFAULT_HASH_LIMITS, HashValue, type HashLimits } from '../../keyspace/types/hash.js';
import type { Session } from '../session.js';

interface MutableHashLimits {
  maxListpackEntries: number;
  maxListpackValue: number;
}

const limitsByConfig = new WeakMap<Config, MutableHashLimits>();

function configNumber(config: Config, name: string, fallback: number): number {
  const v = config.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? n : fallback;
}

/**
 * The hash encoding thresholds of this node. Cached per Config and refreshed
 * on CONFIG SET, so the hot path pays one WeakMap lookup instead of parsing.
 */
export function hashLimits(config: Config): HashLimits {
  let l = limitsByConfig.get(config);
  if (l === undefined) {
    const limits: MutableHashLimits = { ...DEFAULT_HASH_LIMITS };
    const refresh = (): void => {
      limits.maxListpackEntries = configNumber(config, 'hash-max-listpack-entries', DEFAULT_HASH_LIMITS.maxListpackEntries);
      limits.maxListpackValue = configNumber(config, 'hash-max-listpack-value', DEFAULT_HASH_LIMITS.maxListpackValue);
    };
    refresh();
    config.onChange((name) => {
      if (name.startsWith('hash-max-')) refresh();
    });
    limitsByConfig.set(config, limits);
    l = limits;
  }
  return l;
}

/** lookupKeyRead + checkType: undefined if missing; throws WRONGTYPE. */
export function readHash(s: Session, key: string): HashValue | undefined {
  return readTyped(s, key, HashValue);
}

/** lookupKeyWrite + checkType: no hit/miss counting. */
export function writeHash(s: Session, key: string): HashValue | undefined {
  return writeTypedIn(s.db, key, s.node.keyspace.nowMs, HashValue);
}

/**
 * After mutating `h` (created when `isNew`): stores a new hash, deletes an
 * emptied one (with the "del" event), or signals the in-place change.
 */
export function commitHash(s: Session, key: string, h: HashValue, isNew: boolean): void {
  if (h.size === 0) {
    if (!isNew) {
      s.db.delete(key);
      s.notify('g', 'del', key);
    }
  } else if (isNew) s.db.set(key, h);
  else s.db.changed(key);
}
