// Transaction state changes shared by EXEC, DISCARD and RESET.

import type { Session } from '../session.js';

/** Leaves MULTI, drops the queue and every WATCH (Redis's discardTransaction). */
export function discardTransaction(s: Session): void {
  s.inMulti = false;
  s.multiQueue = [];
  s.multiError = false;
  s.node.watches.unwatchAll(s);
}

/**
 * A watched key whose TTL has passed but which nothing has deleted yet still
 * fails the transaction, as Redis 7.0's isWatchedKeyExpired does; looking it
 * up deletes it, and the deletion dirties the watchers.
 */
export function expireWatchedKeys(s: Session): void {
  const ks = s.node.keyspace;
  for (const w of [...s.watched]) {
    const sep = w.indexOf('\0');
    const db = ks.dbs[Number(w.slice(0, sep))];
    if (db) db.peek(w.slice(sep + 1), ks.nowMs);
  }
}
