// The contract between the pure cluster core and its two callers: the node
// (CLUSTER commands, routing, the bus adapter) and the in-memory simulator.
// Run to completion: every method applies one event whole and returns; what
// must be sent or done is collected and taken with drain().

import type { BusMessage, BusTarget, ClusterEffect, ClusterView, Outgoing, SlotRange } from './types.js';

export interface MyselfIdentity {
  readonly id: string;
  readonly shardId: string;
  readonly ip: string;
  readonly port: number;
  readonly busPort: number;
  readonly hostname: string;
  readonly zone: string;
}

/** What nodes.conf holds: enough to rejoin with the same id, epochs and slots. */
export interface PersistedNode {
  readonly id: string;
  readonly ip: string;
  readonly port: number;
  readonly busPort: number;
  readonly hostname: string;
  readonly flags: readonly string[];
  readonly primaryId: string;
  readonly pingSentMs: number;
  readonly pongRecvMs: number;
  readonly configEpoch: number;
  readonly linkConnected: boolean;
  readonly slots: readonly SlotRange[];
  readonly shardId: string;
  readonly zone: string;
}

export interface PersistedClusterConfig {
  readonly nodes: readonly PersistedNode[]; // includes myself (flag 'myself')
  readonly currentEpoch: number;
  readonly lastVoteEpoch: number;
  readonly migrating: ReadonlyMap<number, string>;
  readonly importing: ReadonlyMap<number, string>;
}

export interface ReplicationState {
  /** Replication offset applied by this node (primary: master_repl_offset). */
  readonly offset: number;
  /** On a replica: since when the link to its primary is down (ms), or null while up. */
  readonly primaryLinkDownSinceMs: number | null;
  /** Highest offset this node knows to be acknowledged by a replica in another zone (sync mode). */
  readonly primaryAckedOffset: number;
}

export interface ClusterCoreOptions {
  readonly myself: MyselfIdentity;
  readonly nodeTimeoutMs: number;
  readonly requireFullCoverage: boolean;
  readonly random: () => number;
  readonly nowMs: number;
  /** Loaded from nodes.conf; absent for a fresh node. */
  readonly persisted?: PersistedClusterConfig;
}

export interface Drained {
  readonly out: Outgoing[];
  readonly effects: ClusterEffect[];
}

/** Admin operations return null on success or the exact Redis error reply. */
export type AdminResult = string | null;

export interface ClusterCoreApi {
  readonly view: ClusterView;

  /** A message arrived from the bus. */
  receive(msg: BusMessage, nowMs: number): void;
  /** Periodic work (probing, timeouts, state); the adapter calls it every ~100 ms. */
  tick(nowMs: number): void;
  /** The adapter's link to a peer came up or went down. */
  linkChanged(target: BusTarget, connected: boolean, nowMs: number): void;

  meet(ip: string, port: number, busPort: number, nowMs: number): AdminResult;
  addSlots(slots: readonly number[]): AdminResult;
  delSlots(slots: readonly number[]): AdminResult;
  flushSlots(): AdminResult;
  /** CLUSTER SETSLOT <slot> IMPORTING|MIGRATING|NODE|STABLE [id] (resharding issue). */
  setSlot(slot: number, action: 'importing' | 'migrating' | 'node' | 'stable', nodeId: string | null): AdminResult;
  forget(nodeId: string, nowMs: number): AdminResult;
  reset(hard: boolean, newIdentity: MyselfIdentity | null): AdminResult;
  bumpEpoch(): { bumped: boolean; epoch: number };
  setConfigEpoch(epoch: number): AdminResult;
  /** CLUSTER REPLICATE (failover issue). */
  replicate(primaryId: string): AdminResult;
  /**
   * The replication adapter reports this node's replication state on every
   * offset change (election rank, manual failover catch-up, sync-mode eligibility).
   */
  setReplicationState(state: ReplicationState, nowMs: number): void;
  /** CLUSTER FAILOVER [FORCE|TAKEOVER] on a replica. */
  manualFailover(mode: 'default' | 'force' | 'takeover', nowMs: number): AdminResult;
  /** When the core next needs a tick (an election start); Infinity if only the periodic tick. */
  nextWakeMs(): number;
  /** Failure reports about nodeId still valid (CLUSTER COUNT-FAILURE-REPORTS). */
  failureReportCount(nodeId: string, nowMs: number): number;
  /** Sends a PUBLISH to every node (cluster-wide Pub/Sub) or to the shard (sharded). */
  publish(channel: string, message: string, sharded: boolean): void;

  /** Snapshot for nodes.conf. */
  persisted(): PersistedClusterConfig;
  /** Takes the messages to send and the effects to carry out since the last drain. */
  drain(): Drained;
}
