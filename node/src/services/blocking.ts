// Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, ...): who waits for what,
// in arrival order, with deadlines; served when a key they wait on changes.
//
// API contract (used by the list and sorted-set commands):
//  - A blocking command that finds nothing to pop calls `block(req)` and
//    writes no reply; the dispatcher sees `s.blocked !== null` and the
//    connection pauses parsing until the client is served or times out.
//  - Writes call `keyModified` through the keyspace hooks; after each
//    command the dispatcher calls `serveReady()`, which offers each ready key
//    to its waiters in arrival order via `req.tryServe(key, writer)`.
//  - Inside MULTI/EXEC a blocking command never blocks: it replies as on timeout.
//
// How it is kept (Redis's blocking_keys / ready_keys / timeout table):
//  - `waiters` maps "db\0key" to the records blocked on it, in an insertion-
//    ordered Set: arrival order for serving and O(1) removal when a client is
//    served on another key, times out, is unblocked or disconnects.
//  - `ready` collects keys written since the last serveReady, in the order
//    they were first written, and only for keys someone waits on, so a write
//    costs one Map lookup while anybody is blocked and nothing otherwise.
//  - Deadlines live in a binary min-heap indexed by record, so the earliest
//    deadline is O(1) and removing any record is O(log n).

import type { Session } from '../commands/session.js';
import type { NodeState } from '../commands/node-state.js';
import type { ReplyWriter } from '../resp/writer.js';

export interface BlockRequest {
  readonly session: Session;
  readonly db: number;
  readonly keys: readonly string[];
  /** Absolute deadline in ms, Infinity for timeout 0. */
  readonly deadlineMs: number;
  /**
   * Tries to serve the client now that `key` may hold data: if it can, it
   * performs the operation (pop/move, notifications, propagation) and writes
   * the reply to `w`, returning true.
   */
  tryServe(key: string, w: ReplyWriter): boolean;
  /** Writes the timeout reply (null array in RESP2 for BLPOP, null for BLMOVE...). */
  onTimeout(w: ReplyWriter): void;
}

/** What CLIENT UNBLOCK ... ERROR replies with. */
export const UNBLOCKED_ERROR = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';

/** The registry's record of one blocked client; it is what `session.blocked` holds. */
export class BlockedClient {
  /** Position in the deadline heap, -1 when not in it (no timeout, or finished). */
  heapIndex = -1;
  /** Waiter ids ("db\0key"), one per distinct key. */
  readonly ids: string[] = [];

  constructor(
    readonly req: BlockRequest,
    /** Arrival order, the tie-break between equal deadlines. */
    readonly seq: number,
  ) {}
}

function waiterId(db: number, key: string): string {
  return `${db}\0${key}`;
}

interface ReadyKey {
  readonly db: number;
  readonly key: string;
}

export class BlockingRegistry {
  private readonly waiters = new Map<string, Set<BlockedClient>>();
  private ready = new Map<string, ReadyKey>();
  private readonly heap: BlockedClient[] = [];
  private count = 0;
  private seq = 0;
  private serving = false;
  /** Reused by serve(): the outcome of the tryServe run inside deliver(). */
  private served = false;
  private servingRecord: BlockedClient | null = null;
  private servingKey = '';
  private readonly serveInto = (w: ReplyWriter): void => {
    this.served = this.servingRecord!.req.tryServe(this.servingKey, w);
  };

  constructor(private readonly node: NodeState) {}

  /** Clients blocked on keys (INFO clients blocked_clients). */
  get blockedCount(): number {
    return this.count;
  }

  /** Blocked clients with a finite deadline (INFO clients clients_in_timeout_table). */
  get inTimeoutTable(): number {
    return this.heap.length;
  }

  /** Keys with at least one client blocked on them. */
  get blockingKeyCount(): number {
    return this.waiters.size;
  }

  /** Registers a blocked client (sets session.blocked). */
  block(req: BlockRequest): void {
    const s = req.session;
    if (s.blocked !== null) throw new Error('assertion failed: a session blocks twice');
    const rec = new BlockedClient(req, this.seq++);
    for (const key of req.keys) {
      const id = waiterId(req.db, key);
      // BLPOP k k waits once on k, as Redis's blockForKeys skips duplicates.
      if (rec.ids.includes(id)) continue;
      rec.ids.push(id);
      let set = this.waiters.get(id);
      if (!set) {
        set = new Set();
        this.waiters.set(id, set);
      }
      set.add(rec);
    }
    s.blocked = rec;
    this.count++;
    if (req.deadlineMs !== Infinity) {
      this.heapPush(rec);
      this.node.host.blockingChanged();
    }
  }

  /** A key was written: clients blocked on it may now be served. */
  keyModified(db: number, key: string): void {
    if (this.waiters.size === 0) return;
    const id = waiterId(db, key);
    if (!this.waiters.has(id) || this.ready.has(id)) return;
    this.ready.set(id, { db, key });
  }

  /**
   * Every key of database `db` may have changed at once (SWAPDB, FLUSHDB):
   * each key someone waits on there is offered again, as Redis's
   * scanDatabaseForReadyKeys does after SWAPDB. Costs O(keys waited on).
   */
  databaseChanged(db: number): void {
    if (this.waiters.size === 0) return;
    const prefix = `${db}\0`;
    for (const id of this.waiters.keys()) {
      if (id.startsWith(prefix) && !this.ready.has(id)) this.ready.set(id, { db, key: id.slice(prefix.length) });
    }
  }

  /**
   * Serves whatever became ready during the last command (Redis's
   * handleClientsBlockedOnKeys): each ready key, in the order it was first
   * written, is offered to its waiters in arrival order. Serving can write
   * other keys (BLMOVE pushes), which are served in the next round.
   */
  serveReady(): void {
    if (this.ready.size === 0 || this.serving) return;
    this.serving = true;
    try {
      while (this.ready.size > 0) {
        const round = this.ready;
        this.ready = new Map();
        for (const [id, rk] of round) this.serveKey(id, rk);
      }
    } finally {
      this.serving = false;
    }
  }

  private serveKey(id: string, rk: ReadyKey): void {
    const set = this.waiters.get(id);
    if (!set) return;
    const ks = this.node.keyspace;
    const db = ks.dbs[rk.db];
    if (!db) return;
    // Deleting the current entry while iterating a Set is safe in JS.
    for (const rec of set) {
      // A missing key serves nobody; stop instead of asking every waiter.
      if (!db.exists(rk.key, ks.nowMs)) return;
      this.served = false;
      this.servingRecord = rec;
      this.servingKey = rk.key;
      this.node.deliver(rec.req.session, this.serveInto);
      this.servingRecord = null;
      if (this.served) this.finish(rec, true);
    }
  }

  /** Times out blocked clients whose deadline passed. */
  expire(nowMs: number): void {
    let any = false;
    while (this.heap.length > 0 && this.heap[0]!.req.deadlineMs <= nowMs) {
      const rec = this.heap[0]!;
      this.finish(rec, false);
      this.node.deliver(rec.req.session, (w) => rec.req.onTimeout(w));
      this.node.host.resume(rec.req.session);
      any = true;
    }
    if (any) this.node.host.blockingChanged();
  }

  /** Earliest deadline, or Infinity. */
  nextDeadlineMs(): number {
    return this.heap.length > 0 ? this.heap[0]!.req.deadlineMs : Infinity;
  }

  /** CLIENT UNBLOCK: ends the block with the timeout reply, or with an UNBLOCKED error if `withError`. */
  unblock(s: Session, withError: boolean): boolean {
    const rec = s.blocked;
    if (!(rec instanceof BlockedClient)) return false;
    this.finish(rec, false);
    if (withError) {
      this.node.deliver(s, (w) => w.error(UNBLOCKED_ERROR));
      this.node.stats.countError('UNBLOCKED');
    } else {
      this.node.deliver(s, (w) => rec.req.onTimeout(w));
    }
    this.node.host.resume(s);
    if (rec.req.deadlineMs !== Infinity) this.node.host.blockingChanged();
    return true;
  }

  /** A closing connection: forget its block without replying. */
  removeSession(s: Session): void {
    const rec = s.blocked;
    if (!(rec instanceof BlockedClient)) return;
    this.finish(rec, false);
    if (rec.req.deadlineMs !== Infinity) this.node.host.blockingChanged();
  }

  /** Removes rec from every index and clears session.blocked; `resume` after a served reply. */
  private finish(rec: BlockedClient, resume: boolean): void {
    for (const id of rec.ids) {
      const set = this.waiters.get(id);
      if (!set) continue;
      set.delete(rec);
      if (set.size === 0) {
        this.waiters.delete(id);
        this.ready.delete(id);
      }
    }
    const timed = rec.heapIndex >= 0;
    if (timed) this.heapRemove(rec);
    rec.req.session.blocked = null;
    this.count--;
    if (resume) {
      this.node.host.resume(rec.req.session);
      if (timed) this.node.host.blockingChanged();
    }
  }

  // Deadline heap ordered by (deadlineMs, seq).

  private less(a: BlockedClient, b: BlockedClient): boolean {
    const da = a.req.deadlineMs;
    const db = b.req.deadlineMs;
    return da < db || (da === db && a.seq < b.seq);
  }

  private place(rec: BlockedClient, i: number): void {
    this.heap[i] = rec;
    rec.heapIndex = i;
  }

  private heapPush(rec: BlockedClient): void {
    this.heap.push(rec);
    this.siftUp(this.heap.length - 1);
  }

  private heapRemove(rec: BlockedClient): void {
    const i = rec.heapIndex;
    const last = this.heap.pop()!;
    rec.heapIndex = -1;
    if (last === rec) return;
    this.place(last, i);
    this.siftUp(i);
    this.siftDown(last.heapIndex);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const rec = heap[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p]!;
      if (!this.less(rec, parent)) break;
      this.place(parent, i);
      i = p;
    }
    this.place(rec, i);
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const rec = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(heap[r]!, heap[l]!) ? r : l;
      const child = heap[c]!;
      if (!this.less(child, rec)) break;
      this.place(child, i);
      i = c;
    }
    this.place(rec, i);
  }
}
