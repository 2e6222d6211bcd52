// What commands (REPLICAOF, ROLE, WAIT, INFO) reach of replication: the pure
// state to read, and the few actions the server side carries out. The server
// adapter implements it; NodeState holds it (null in unit tests that do not
// wire replication).

import type { Session } from '../commands/session.js';
import type { ReplicationState } from './state.js';

export interface ReplicationHost {
  readonly state: ReplicationState;
  /**
   * REPLICAOF host port: starts (or retargets) the link; returns the status
   * reply text. `busPort` defaults to port + 10000 (cluster mode passes the
   * primary's announced bus port).
   */
  replicaOf(host: string, port: number, busPort?: number): string;
  /** REPLICAOF NO ONE: stops replicating and becomes a primary. */
  promote(): void;
  /** WAIT: replies now or blocks `s` until enough replicas acknowledged its last write. */
  wait(s: Session, numReplicas: number, timeoutMs: number): void;
  /** INFO replication lines. */
  infoLines(): string[];
  /** Closes the link to the primary so it reconnects (CLIENT KILL TYPE master). */
  dropPrimaryLink(): number;
}
