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

export class BlockingRegistry {
  constructor(private readonly node: NodeState) {}

  get blockedCount(): number {
    return 0;
  }

  /** Registers a blocked client (sets session.blocked). */
  block(req: BlockRequest): void {
    void req;
    void this.node;
  }

  /** A key was written: clients blocked on it may now be served. */
  keyModified(_db: number, _key: string): void {}

  /** Serves whatever became ready during the last command (Redis's handleClientsBlockedOnKeys). */
  serveReady(): void {}

  /** Times out blocked clients whose deadline passed. */
  expire(_nowMs: number): void {}

  /** Earliest deadline, or Infinity. */
  nextDeadlineMs(): number {
    return Infinity;
  }

  /** CLIENT UNBLOCK: ends the block with the timeout reply, or with an UNBLOCKED error if `withError`. */
  unblock(_s: Session, _withError: boolean): boolean {
    return false;
  }

  removeSession(_s: Session): void {}
}
