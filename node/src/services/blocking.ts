// Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, ...): who waits for what,
// in arrival order, with deadlines; served when a key they wait on changes.

import type { Session } from '../commands/session.js';
import type { NodeState } from '../commands/node-state.js';

export class BlockingRegistry {
  constructor(private readonly node: NodeState) {}

  get blockedCount(): number {
    return 0;
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

  removeSession(_s: Session): void {
    void this.node;
  }
}
