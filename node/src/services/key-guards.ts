// Guards on keys a MIGRATE has serialised and not yet deleted: a write to a
// guarded key (or a flush of its database) marks the guard dirty, and MIGRATE
// re-sends the key instead of deleting it. Client WATCH (services/watch.ts)
// keeps a session, a Set per key and a "db\0key" string per key; a reshard
// guards about a hundred keys per MIGRATE, thousands of times a second, and
// that bookkeeping was about 2 us per migrated key. Here a batch is one
// object, and a key costs one entry in its database's Map.

/** One MIGRATE batch's (or one key's) guard: dirty once any of its keys may have changed. */
export class KeyGuard {
  dirty = false;
  /** The keys guarded, so that release() finds its Map entries. */
  readonly keys: string[] = [];

  constructor(readonly db: number) {}
}

export class KeyGuards {
  /** Per database: key -> its guard, or its guards when two MIGRATEs hold it (rare). */
  private readonly byDb: Map<string, KeyGuard | KeyGuard[]>[] = [];
  /** Guards holding at least one key, so that a write with none live costs one comparison. */
  private live = 0;

  get isEmpty(): boolean {
    return this.live === 0;
  }

  /** Starts guarding key with g (again is a no-op). */
  guard(g: KeyGuard, key: string): void {
    let m = this.byDb[g.db];
    if (m === undefined) {
      m = new Map();
      this.byDb[g.db] = m;
    }
    const held = m.get(key);
    if (held === undefined) m.set(key, g);
    else if (held === g) return;
    else if (Array.isArray(held)) {
      if (held.includes(g)) return;
      held.push(g);
    } else m.set(key, [held, g]);
    if (g.keys.length === 0) this.live++;
    g.keys.push(key);
  }

  /** Stops guarding g's keys; g stays as dirty as it was. */
  release(g: KeyGuard): void {
    if (g.keys.length === 0) return;
    const m = this.byDb[g.db]!;
    for (const key of g.keys) {
      const held = m.get(key);
      if (held === g) m.delete(key);
      else if (Array.isArray(held)) {
        const i = held.indexOf(g);
        if (i >= 0) held.splice(i, 1);
        if (held.length === 1) m.set(key, held[0]!);
      }
    }
    g.keys.length = 0;
    this.live--;
  }

  /** A write to key in db (the keyspace's keyModified hook). */
  touched(db: number, key: string): void {
    if (this.live === 0) return;
    const held = this.byDb[db]?.get(key);
    if (held === undefined) return;
    if (Array.isArray(held)) for (const g of held) g.dirty = true;
    else held.dirty = true;
  }

  /** FLUSHDB / FLUSHALL / SWAPDB: every guard of db is dirtied. */
  flushed(db: number): void {
    if (this.live === 0) return;
    const m = this.byDb[db];
    if (m === undefined) return;
    for (const held of m.values()) {
      if (Array.isArray(held)) for (const g of held) g.dirty = true;
      else held.dirty = true;
    }
  }
}
