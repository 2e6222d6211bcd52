// WATCH bookkeeping: which sessions watch which keys, so a write to a key
// marks exactly those transactions dirty (Redis's touchWatchedKey).

import type { Session } from '../commands/session.js';

function watchKey(db: number, key: string): string {
  return `${db}\0${key}`;
}

export class WatchRegistry {
  private readonly byKey = new Map<string, Set<Session>>();

  get isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  watch(s: Session, db: number, key: string): void {
    const k = watchKey(db, key);
    if (s.watched.has(k)) return;
    s.watched.add(k);
    let set = this.byKey.get(k);
    if (!set) {
      set = new Set();
      this.byKey.set(k, set);
    }
    set.add(s);
  }

  unwatchAll(s: Session): void {
    for (const k of s.watched) {
      const set = this.byKey.get(k);
      if (!set) continue;
      set.delete(s);
      if (set.size === 0) this.byKey.delete(k);
    }
    s.watched.clear();
    s.watchDirty = false;
  }

  touched(db: number, key: string): void {
    if (this.byKey.size === 0) return;
    const set = this.byKey.get(watchKey(db, key));
    if (set) for (const s of set) s.watchDirty = true;
  }

  /** FLUSHDB/FLUSHALL/SWAPDB: every watcher of a key in db is dirtied. */
  flushed(db: number): void {
    const prefix = `${db}\0`;
    for (const [k, set] of this.byKey) if (k.startsWith(prefix)) for (const s of set) s.watchDirty = true;
  }
}
