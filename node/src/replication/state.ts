// Replication bookkeeping of one node, as a pure state machine: who we are in
// the replication history (replication id, the previous id and where it
// ended, the stream offset), the backlog, the replicas attached to us and
// what each acknowledged, the WAIT waiters, and — on a replica — the state of
// our link to the primary. The gRPC adapters feed events in (a hello, an ack,
// stream bytes, a link change) with `nowMs`, and read decisions out (full or
// partial sync, which WAITs are satisfied). No I/O, no clock, no randomness:
// new replication ids come from an injected generator.
//
// Offsets are absolute byte positions in the replication stream, 0-based:
// `offset` is master_repl_offset, the number of stream bytes ever produced
// (on a primary) or applied (on a replica, which keeps a backlog of what it
// applied, as Redis does, so it can serve partial resyncs after a promotion).

import { strict as assert } from 'node:assert';
import { Backlog } from './backlog.js';

/** The replication id a node that never took part in replication sends ("?" in PSYNC). */
export const NO_REPLID = '?';
export const ZERO_REPLID = '0000000000000000000000000000000000000000';

export type SyncDecision =
  | { readonly kind: 'continue'; readonly replid: string; readonly offset: number }
  | { readonly kind: 'full'; readonly replid: string; readonly offset: number; readonly reason: string };

/** Redis's replica states as INFO shows them. */
export type ReplicaLinkState = 'wait_bgsave' | 'send_bulk' | 'online';

export interface ReplicaRecord {
  readonly key: string;
  readonly ip: string;
  readonly port: number;
  state: ReplicaLinkState;
  /** Highest offset the replica acknowledged (REPLCONF ACK). */
  ackOffset: number;
  ackTimeMs: number;
  readonly connectedMs: number;
  /** availability-zone from its hello ('' when not configured): sync mode counts acks from other zones. */
  readonly zone: string;
}

/** A WAIT in progress: satisfied once `needed` replicas acknowledged `offset`. */
export interface WaitRecord {
  readonly token: number;
  readonly offset: number;
  readonly needed: number;
}

/** On a replica: the link to our primary (Redis's repl_state, simplified to what INFO shows). */
export type PrimaryLinkState = 'connect' | 'connecting' | 'sync' | 'connected';

export interface PrimaryLink {
  readonly host: string;
  readonly port: number;
  state: PrimaryLinkState;
  /** Last time bytes arrived from the primary (master_last_io_seconds_ago). */
  lastIoMs: number;
  /** When the link went down, for master_link_down_since_seconds; -1 while up. */
  downSinceMs: number;
  /** Offset received from the primary, maybe not yet applied (slave_read_repl_offset). */
  readOffset: number;
  /**
   * Highest offset the primary told us a replica in another zone than its
   * own acknowledged (sync mode: every write it acknowledged to a client is
   * at or below it). Never decreases while we follow this primary.
   */
  ackedOffset: number;
}

export interface ReplicationStats {
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
}

export class ReplicationState {
  replid: string;
  replid2 = ZERO_REPLID;
  /** Offset up to which replid2's history is shared with ours; -1 when none (second_repl_offset). */
  secondReplidOffset = -1;
  /** master_repl_offset while there is no backlog (the backlog's endOffset otherwise). */
  private bareOffset = 0;
  backlog: Backlog | null = null;
  backlogBytes: number;
  readonly replicas = new Map<string, ReplicaRecord>();
  private readonly waits = new Map<number, WaitRecord>();
  private nextToken = 1;
  /** Non-null on a replica. */
  primary: PrimaryLink | null = null;
  /** A replica has loaded at least one full sync since it started (it may serve reads). */
  synced = false;
  readonly stats: ReplicationStats = { syncFull: 0, syncPartialOk: 0, syncPartialErr: 0 };

  constructor(
    private readonly newReplid: () => string,
    backlogBytes: number,
  ) {
    assert(backlogBytes > 0, 'backlog size must be positive');
    this.replid = newReplid();
    this.backlogBytes = backlogBytes;
  }

  get isReplica(): boolean {
    return this.primary !== null;
  }

  /** master_repl_offset. */
  get offset(): number {
    return this.backlog ? this.backlog.endOffset : this.bareOffset;
  }

  /**
   * Appends stream bytes. A primary without a backlog (no replica ever
   * attached) keeps no history and, like Redis, does not advance its offset.
   */
  feed(bytes: Buffer): void {
    if (this.backlog) this.backlog.append(bytes);
  }

  /** Whether anything reads the stream (a backlog exists): propagation is skipped otherwise. */
  get streaming(): boolean {
    return this.backlog !== null;
  }

  /**
   * Creates the backlog if missing. Starting history from nothing takes a new
   * replication id and forgets the previous one (Redis's createReplicationBacklog
   * on a primary), because no replica can share history we never kept.
   */
  ensureBacklog(freshHistory: boolean): Backlog {
    if (this.backlog) return this.backlog;
    if (freshHistory) {
      this.replid = this.newReplid();
      this.replid2 = ZERO_REPLID;
      this.secondReplidOffset = -1;
    }
    this.backlog = new Backlog(this.backlogBytes, this.bareOffset);
    return this.backlog;
  }

  resizeBacklog(bytes: number): void {
    this.backlogBytes = bytes;
    this.backlog?.resize(bytes);
  }

  /**
   * A replica asks to continue from (replid, offset) — PSYNC. A partial
   * resync is possible when the replica's history is ours (same id, or our
   * previous id up to where we forked from it) and the backlog still holds
   * everything from its offset. Counts sync_full / sync_partial_ok /
   * sync_partial_err as Redis does (a replica that sends "?" is not an error).
   */
  decideSync(replid: string, offset: number): SyncDecision {
    const sameHistory = replid === this.replid || (replid === this.replid2 && offset <= this.secondReplidOffset);
    let reason = '';
    if (replid === NO_REPLID) reason = 'the replica has no replication history';
    else if (!sameHistory) reason = `replication id mismatch (replica ${replid}, ours ${this.replid})`;
    else if (!this.backlog) reason = 'no backlog';
    else if (!this.backlog.canServeFrom(offset)) reason = `offset ${offset} is outside the backlog ${this.backlog.startOffset}..${this.backlog.endOffset}`;
    if (reason === '') {
      this.stats.syncPartialOk++;
      return { kind: 'continue', replid: this.replid, offset };
    }
    if (replid !== NO_REPLID) this.stats.syncPartialErr++;
    this.stats.syncFull++;
    this.ensureBacklog(this.replicas.size === 0 && !this.isReplica);
    return { kind: 'full', replid: this.replid, offset: this.offset, reason };
  }

  // ---------------------------------------------------------------------------
  // Replicas attached to this node

  addReplica(key: string, ip: string, port: number, state: ReplicaLinkState, offset: number, nowMs: number, zone = ''): ReplicaRecord {
    const rec: ReplicaRecord = { key, ip, port, state, ackOffset: offset, ackTimeMs: nowMs, connectedMs: nowMs, zone };
    this.replicas.set(key, rec);
    return rec;
  }

  removeReplica(key: string): void {
    this.replicas.delete(key);
  }

  /**
   * REPLCONF ACK: records the replica's offset and returns the WAITs it
   * satisfied (tokens), which the adapter answers.
   */
  ack(key: string, offset: number, nowMs: number): number[] {
    const rec = this.replicas.get(key);
    if (!rec) return [];
    rec.ackTimeMs = nowMs;
    if (offset <= rec.ackOffset) return [];
    rec.ackOffset = offset;
    if (this.waits.size === 0) return [];
    const done: number[] = [];
    for (const w of this.waits.values()) {
      if (w.offset <= offset && this.ackedCount(w.offset) >= w.needed) done.push(w.token);
    }
    for (const t of done) this.waits.delete(t);
    return done;
  }

  /** Online replicas whose acknowledged offset reached `offset` (Redis's replicationCountAcksByOffset). */
  ackedCount(offset: number): number {
    let n = 0;
    for (const r of this.replicas.values()) if (r.state === 'online' && r.ackOffset >= offset) n++;
    return n;
  }

  /**
   * Highest offset acknowledged by an online replica outside `zone` (any
   * replica when zones are not configured), and how many such replicas are
   * online: what sync mode waits for.
   */
  otherZoneAcks(zone: string): { offset: number; online: number } {
    let offset = 0;
    let online = 0;
    for (const r of this.replicas.values()) {
      if (r.state !== 'online' || (zone !== '' && r.zone === zone)) continue;
      online++;
      if (r.ackOffset > offset) offset = r.ackOffset;
    }
    return { offset, online };
  }

  /**
   * The acknowledged offset this node knows of (`zone` is ours): on a
   * primary, what its replicas in other zones acknowledged; on a replica,
   * what its primary told it. A replica must hold at least this much to run
   * for election in sync mode, and relays it to its own replicas.
   */
  knownAckedOffset(zone: string): number {
    return this.primary ? this.primary.ackedOffset : this.otherZoneAcks(zone).offset;
  }

  /** On a replica: the primary sent its acknowledged offset. Returns whether our knowledge grew. */
  noteAckedOffset(offset: number): boolean {
    const p = this.primary;
    if (p === null || offset <= p.ackedOffset) return false;
    p.ackedOffset = offset;
    return true;
  }

  /** Registers a WAIT for `needed` replicas at `offset`; returns its token. */
  addWait(offset: number, needed: number): number {
    const token = this.nextToken++;
    this.waits.set(token, { token, offset, needed });
    return token;
  }

  /** A WAIT ended (timeout, client gone, answered): forget it. */
  removeWait(token: number): void {
    this.waits.delete(token);
  }

  get waitCount(): number {
    return this.waits.size;
  }

  // ---------------------------------------------------------------------------
  // Role changes

  /**
   * REPLICAOF host port. Our own history becomes what we offer the new
   * primary for a partial resync (Redis's replicationCacheMasterUsingMyself).
   */
  becomeReplica(host: string, port: number, nowMs: number): void {
    // Never linked yet: Redis shows master_link_down_since_seconds:-1 until a link is lost.
    // A new primary's acknowledged offset is learnt from it: another primary's
    // may belong to another history (a full sync can take offsets back).
    this.primary = { host, port, state: 'connect', lastIoMs: nowMs, downSinceMs: -1, readOffset: this.offset, ackedOffset: 0 };
  }

  /**
   * REPLICAOF NO ONE: the history so far stays valid under our old id up to
   * here (replid2, second offset) so former siblings can continue from us;
   * new writes are a new history with a new id (Redis's shiftReplicationId).
   */
  becomePrimary(): void {
    this.primary = null;
    this.replid2 = this.replid;
    this.secondReplidOffset = this.offset;
    this.replid = this.newReplid();
    // A promoted replica serves reads and writes whatever it holds.
    this.synced = true;
  }

  /**
   * A full sync began on this replica: our history is replaced by the
   * primary's from `offset`, with a fresh backlog.
   */
  beginFullSync(replid: string, offset: number): void {
    assert(this.primary !== null, 'full sync on a primary');
    this.replid = replid;
    this.replid2 = ZERO_REPLID;
    this.secondReplidOffset = -1;
    this.bareOffset = offset;
    this.backlog = new Backlog(this.backlogBytes, offset);
    this.primary.readOffset = offset;
  }

  /**
   * A partial resync was accepted. If the primary's id changed (it was
   * promoted), our history continues under the new id and the old one
   * becomes replid2, as Redis does on +CONTINUE with a new id.
   */
  continueSync(replid: string): void {
    assert(this.primary !== null, 'partial resync on a primary');
    if (replid !== this.replid) {
      this.replid2 = this.replid;
      this.secondReplidOffset = this.offset;
      this.replid = replid;
    }
    if (!this.backlog) this.backlog = new Backlog(this.backlogBytes, this.bareOffset);
  }
}
