// Redis's key lookups for commands, in one place: lookupKeyRead counts a
// keyspace hit or miss and stamps the key's LRU/LFU metadata;
// lookupKeyWrite does neither; both expire the key lazily. The typed forms
// add checkType: a key of another type is refused with WRONGTYPE.

import type { Session } from './session.js';
import type { Database } from '../keyspace/database.js';
import type { Value } from '../keyspace/values.js';
import { Err, ReplyError } from '../core/errors.js';

/** A container class (HashValue, SetValue, ListValue, ZSetValue...) to check a value against. */
export type ValueClass<T> = abstract new (...args: never[]) => T;

/** lookupKeyRead: touches the key and counts a hit or a miss. */
export function lookupRead(s: Session, key: string): Value | undefined {
  const ks = s.node.keyspace;
  const v = s.db.read(key, ks.nowMs);
  if (v === undefined) ks.stats.keyspaceMisses++;
  else ks.stats.keyspaceHits++;
  return v;
}

/** lookupKeyRead + checkType: undefined if missing; throws WRONGTYPE. */
export function readTyped<T>(s: Session, key: string, cls: ValueClass<T>): T | undefined {
  const v = lookupRead(s, key);
  if (v === undefined) return undefined;
  if (!(v instanceof cls)) throw new ReplyError(Err.wrongType);
  return v;
}

/**
 * lookupKeyWrite + checkType on any database: no hit/miss counting. The
 * value may be mutated in place (a snapshot's copy-on-write is done).
 */
export function writeTypedIn<T>(db: Database, key: string, nowMs: number, cls: ValueClass<T>): T | undefined {
  const v = db.readForWrite(key, nowMs);
  if (v === undefined) return undefined;
  if (!(v instanceof cls)) throw new ReplyError(Err.wrongType);
  return v;
}
