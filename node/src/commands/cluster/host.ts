// What the CLUSTER commands and the routing gate reach besides the pure core:
// the server side of cluster mode (nodes.conf on disk, the bus's links and
// counters, fresh identities). cluster-setup.ts implements it for a real
// process; unit tests implement it with an in-memory core.

import type { ClusterCoreApi, MyselfIdentity } from '../../cluster/api.js';

/** One bus link as CLUSTER LINKS reports it. */
export interface ClusterLinkInfo {
  readonly direction: 'to' | 'from';
  readonly nodeId: string;
  readonly createTimeMs: number;
  /** 'r', 'w' or 'rw': what the link is waiting for. */
  readonly events: string;
  readonly sendBufferAllocated: number;
  readonly sendBufferUsed: number;
}

export interface ClusterHost {
  readonly core: ClusterCoreApi;
  /**
   * Carries out what an admin command made the core queue (messages, a
   * nodes.conf save, the view swap) before the reply is written, as Redis
   * saves the config before answering.
   */
  afterAdmin(): void;
  /** Writes nodes.conf now (CLUSTER SAVECONFIG): null, or the error reply. */
  saveConfig(): string | null;
  links(): readonly ClusterLinkInfo[];
  /** A new node id and shard id for CLUSTER RESET HARD, keeping the addresses. */
  newIdentity(): MyselfIdentity;
  /** The cluster_stats_messages_* lines of CLUSTER INFO, in Redis's order. */
  messageStatsLines(): readonly string[];
  /** INFO failover: role, promotions, the failover timeline, sync-mode counters. */
  failoverInfoLines?(): readonly string[];
}
