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

/**
 * The failover directives (CONFIG SET-able, as in Redis). The core takes them
 * at construction (ClusterCoreOptions) and again whenever one changes
 * (ClusterCore.setFailoverSettings): the election reads them on every tick,
 * so a change applies to the next decision, a running election included.
 */
export interface FailoverSettings {
  /** cluster-replica-validity-factor (0 = a replica with any data age may run). */
  readonly validityFactor: number;
  /** repl-ping-replica-period in ms: part of the data-age bound. */
  readonly replPingPeriodMs: number;
  /** cluster-migration-barrier. */
  readonly migrationBarrier: number;
  /** cluster-allow-replica-migration. */
  readonly allowReplicaMigration: boolean;
  /** cluster-sync-replication: elect only a replica holding every acknowledged write. */
  readonly syncReplication: boolean;
}

/**
 * Failover settings left out take their defaults: validity factor 10, ping
 * period 10000 ms, barrier 1, replica migration allowed (Redis 7), sync off.
 */
export interface ClusterCoreOptions extends Partial<FailoverSettings> {
  readonly myself: MyselfIdentity;
  readonly nodeTimeoutMs: number;
  readonly requireFullCoverage: boolean;
  readonly random: () => number;
  readonly nowMs: number;
  /** Loaded from nodes.conf; absent for a fresh node. */
  readonly persisted?: PersistedClusterConfig;
}

/** One failover as this node saw it (ms on the adapter's clock; null = phase not seen here). */
export interface FailoverTimelineEntry {
  /** The primary that failed (or handed over, in a manual failover). */
  readonly failedPrimaryId: string;
  /** The replica that took its slots, once known. */
  readonly newPrimaryId: string | null;
  readonly manual: boolean;
  readonly pfailMs: number | null;
  readonly failMs: number | null;
  /** This node's election start (only on the replica that ran). */
  readonly electionStartMs: number | null;
  readonly epoch: number | null;
  /** Votes received (on the replica that ran) and when the last one came. */
  readonly votes: number;
  readonly lastVoteMs: number | null;
  /** Promotion: on the winner when it won, elsewhere when the new claim arrived. */
  readonly promotedMs: number | null;
  /** Reported by the adapter (noteFirstWriteAccepted) on the new primary. */
  readonly firstWriteMs: number | null;
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
  /**
   * Recomputes cluster_state if an event changed what it depends on. Redis
   * does this before sleeping, after every turn of its event loop; the
   * adapter calls it once per turn after admin commands and bus messages, so
   * DELSLOTS followed by SETSLOT NODE is never seen as a down cluster for
   * the ~100 ms until the next tick.
   */
  settleState(nowMs: number): void;
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
  /** The last failovers this node saw, oldest first (INFO / CLUSTER subcommands print them). */
  failoverTimeline(): readonly FailoverTimelineEntry[];
  /**
   * The adapter accepted a write on this node; the core records it as the
   * 'first write accepted' phase when this node was promoted and has not yet
   * recorded one. Cheap: call it on every write, or only after role-changed.
   */
  noteFirstWriteAccepted(nowMs: number): void;
  /** Failure reports about nodeId still valid (CLUSTER COUNT-FAILURE-REPORTS). */
  failureReportCount(nodeId: string, nowMs: number): number;
  /** Sends a PUBLISH to every node (cluster-wide Pub/Sub) or to the shard (sharded). */
  publish(channel: string, message: string, sharded: boolean): void;

  /** Snapshot for nodes.conf. */
  persisted(): PersistedClusterConfig;
  /** Takes the messages to send and the effects to carry out since the last drain. */
  drain(): Drained;
}
