// The vocabulary shared by the cluster core (pure), the gRPC bus adapter and
// the CLUSTER commands: node identity, flags, slot ranges, the bus messages
// and the immutable view that routing reads. Nothing here does I/O.

export const SLOT_COUNT = 16384;

/** Inclusive slot range [start, end]. Ownership is kept as sorted, disjoint ranges. */
export type SlotRange = readonly [number, number];

/** Node flags, spelled as CLUSTER NODES spells them. */
export type NodeFlag = 'myself' | 'master' | 'slave' | 'pfail' | 'fail' | 'handshake' | 'noaddr' | 'nofailover';

/** Where to reach a node: client port, bus port, announced address. */
export interface NodeAddress {
  readonly ip: string;
  readonly port: number;
  readonly busPort: number;
  /** cluster-announce-hostname; '' when unset. */
  readonly hostname: string;
}

/** What a node says about itself in every message header. */
export interface NodeHeader extends NodeAddress {
  readonly id: string; // 40 hex chars
  readonly currentEpoch: number;
  readonly configEpoch: number;
  /** 'master' or 'slave' plus 'nofailover' etc.; never 'myself'/'pfail'/'fail'. */
  readonly flags: readonly NodeFlag[];
  /** For a replica, its primary's id; '' for a primary. */
  readonly primaryId: string;
  readonly shardId: string; // 40 hex chars
  readonly zone: string;
  /** Replication offset (for election ranking; 0 until replication lands). */
  readonly replOffset: number;
  /**
   * Digest of (configEpoch, slots) the sender holds for itself. Receivers keep
   * the digest of what they know and ask for the ranges when it differs.
   */
  readonly slotsDigest: number;
  /** The sender's slots, present only when it believes the receiver may not know them. */
  readonly slots?: readonly SlotRange[];
  /** The digest the sender holds for the *receiver* (so the receiver learns whether to resend). */
  readonly seenReceiverDigest?: number;
  /**
   * XOR of the sender's per-node fingerprints (id, address, role, primary,
   * FAIL, configEpoch, slots) over every node it knows. A receiver whose own
   * value differs asks for what it lacks (tableSummary): anti-entropy.
   */
  readonly membersDigest?: number;
}

/** One gossip entry: what the sender knows about a third node. */
export interface GossipEntry extends NodeAddress {
  readonly id: string;
  readonly flags: readonly NodeFlag[];
  /** Sender's last ping sent to / pong received from that node (ms, sender clock). */
  readonly pingSentMs: number;
  readonly pongRecvMs: number;
  readonly configEpoch: number;
  readonly primaryId: string;
  readonly shardId: string;
  readonly zone: string;
  /**
   * That node's slots as the sender knows them, present only while the entry
   * is news (recently changed), so slot changes spread epidemically without
   * being carried in every message. Applied with the entry's configEpoch.
   */
  readonly slots?: readonly SlotRange[];
}

/**
 * Bus messages. PING/PONG/MEET carry the header and a bounded gossip section;
 * the others are events. Failover messages (issue: replication and failover)
 * have their kinds reserved here so the wire keeps room for them.
 *
 * probeFor / probeReply: a ping with probeFor=X asks the receiver to probe X
 * for the sender (SWIM's indirect probe); the receiver, once X answers, sends
 * the requester a pong with probeReply=X. A MEET carries in probeFor the
 * temporary handshake id the sender gave the receiver, and the answering pong
 * echoes it in probeReply, so the handshake resolves even when the address
 * the receiver announces differs from the one it was met at. On a MEET back
 * (the sender knows the receiver, which has not yet shown it knows the
 * sender) probeFor is the receiver's own id.
 * tableSummary (anti-entropy request, on a ping): the uint32 fingerprints
 * of every node the sender knows; the receiver answers with a pong whose
 * gossip holds its entries with a fingerprint not in the list.
 * fullTable: the gossip section is such an answer, or the whole table sent
 * in reply to a MEET; what it teaches is not re-announced as news.
 */
export type BusMessage =
  | { readonly kind: 'ping' | 'pong' | 'meet'; readonly header: NodeHeader; readonly gossip: readonly GossipEntry[]; readonly probeFor?: string; readonly probeReply?: string; readonly fullTable?: boolean; readonly tableSummary?: readonly number[] }
  | { readonly kind: 'fail'; readonly header: NodeHeader; readonly failedId: string }
  | { readonly kind: 'update'; readonly header: NodeHeader; readonly nodeId: string; readonly configEpoch: number; readonly slots: readonly SlotRange[] }
  | { readonly kind: 'publish'; readonly header: NodeHeader; readonly channel: string; readonly message: string; readonly sharded: boolean }
  | { readonly kind: 'failover-auth-request'; readonly header: NodeHeader; readonly force: boolean }
  | { readonly kind: 'failover-auth-ack'; readonly header: NodeHeader }
  | { readonly kind: 'mfstart'; readonly header: NodeHeader };

/** A destination on the bus: a known node id, or only an address (MEET handshake). */
export interface BusTarget {
  readonly id: string | null;
  readonly ip: string;
  readonly busPort: number;
}

export interface Outgoing {
  readonly to: BusTarget;
  readonly msg: BusMessage;
}

/** A node as the view shows it (CLUSTER NODES/SLOTS/SHARDS, routing). */
export interface NodeView extends NodeAddress {
  readonly id: string;
  readonly flags: readonly NodeFlag[];
  readonly primaryId: string;
  readonly pingSentMs: number;
  readonly pongRecvMs: number;
  readonly configEpoch: number;
  readonly linkConnected: boolean;
  readonly zone: string;
  readonly shardId: string;
  readonly slots: readonly SlotRange[];
  readonly replOffset: number;
}

/** An immutable snapshot of the cluster as this node sees it. */
export interface ClusterView {
  readonly myId: string;
  readonly currentEpoch: number;
  readonly lastVoteEpoch: number;
  readonly state: 'ok' | 'fail';
  readonly nodes: ReadonlyMap<string, NodeView>;
  /** Owner of each slot (index = slot), or null. Views built by the core make this array on its first read: per slot, prefer slotOwner. */
  readonly slotOwners: readonly (NodeView | null)[];
  /**
   * Owner of one slot, without the 16384-entry array. Optional so that a
   * hand-built view (tests, fakes) may give slotOwners alone: read through
   * slotOwnerOf() in view.ts, which falls back to the array.
   */
  slotOwner?(slot: number): NodeView | null;
  /** Slots this node is migrating, to the target node id. */
  readonly migrating: ReadonlyMap<number, string>;
  /** Slots this node is importing, from the source node id. */
  readonly importing: ReadonlyMap<number, string>;
  /** Monotonic counter, bumped on every change (cheap staleness check). */
  readonly version: number;
}

/** Side effects the core asks its adapter to carry out. */
export type ClusterEffect =
  /**
   * Write nodes.conf before the drained messages leave. `fsync` asks for a
   * durable write; the adapter also makes it durable whenever currentEpoch,
   * lastVoteEpoch or a configEpoch differs from the last durable write (a
   * vote is on disk before its ack is sent), and otherwise only writes it,
   * as Redis 7.0 fsyncs nodes.conf only for CLUSTER_TODO_FSYNC_CONFIG.
   */
  | { readonly kind: 'save-config'; readonly fsync?: boolean }
  | { readonly kind: 'view-changed' }
  | { readonly kind: 'deliver-publish'; readonly channel: string; readonly message: string; readonly sharded: boolean }
  | { readonly kind: 'event'; readonly name: string; readonly fields: Readonly<Record<string, string | number>> }
  /** This node's role changed: replicate `primaryId` (its address is in the view), or stop replicating (null = primary now). */
  | { readonly kind: 'role-changed'; readonly primaryId: string | null }
  /** Manual failover on a primary: hold client writes until `untilMs` (or resume-writes) so the replica catches up. */
  | { readonly kind: 'pause-writes'; readonly untilMs: number }
  | { readonly kind: 'resume-writes' }
  /**
   * This primary lost these slots to a claim with a higher configEpoch and
   * stays a primary: delete the keys it still holds in them (Redis's dirty
   * slots in clusterUpdateSlotsConfigWith), replicating the deletions.
   */
  | { readonly kind: 'slots-lost'; readonly slots: readonly number[] };
