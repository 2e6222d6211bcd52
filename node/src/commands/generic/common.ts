// Shared lookups of the generic commands, with Redis's side effects: a read
// lookup (lookupKeyRead) counts a keyspace hit or miss, and touches the
// key's LRU/LFU stamp unless the command asked not to (LOOKUP_NOTOUCH).
// Expiry is lazy in all of them (Database.peek/read).

import type { Session } from '../session.js';
import type { Value } from '../../keyspace/values.js';
import { cloneStringValue } from '../../keyspace/types/strings.js';

export { lookupRead } from '../lookup.js';

/** lookupKeyReadWithFlags(LOOKUP_NOTOUCH): counts a hit or a miss, leaves the stamp alone. */
export function lookupReadNoTouch(s: Session, key: string): Value | undefined {
  const ks = s.node.keyspace;
  const v = s.db.peek(key, ks.nowMs);
  if (v === undefined) ks.stats.keyspaceMisses++;
  else ks.stats.keyspaceHits++;
  return v;
}

/** A copy of a value for COPY: JS strings are immutable and shared; Buffers and containers are copied. */
export function copyValue(v: Value): Value {
  if (typeof v === 'string' || Buffer.isBuffer(v)) return cloneStringValue(v);
  return v.clone();
}
