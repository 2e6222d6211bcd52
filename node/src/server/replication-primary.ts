// The primary's side of Replication.Sync (gRPC, on the bus port): one stream
// per replica. The first frame is the replica's hello (PSYNC replid offset);
// the pure ReplicationState decides between a partial resync (send the
// backlog from the replica's offset) and a full sync (stream a point-in-time
// snapshot in chunks across event-loop turns, queueing the live stream for
// that replica meanwhile, then send the queue). Online replicas get every
// propagated byte as CommandBatch frames, flushed once per event-loop turn.
// Replica acks update the ack table and wake WAITs. The acknowledged offset
// (what a replica in another zone acked: sync mode's promise) goes back to
// every replica, on the next CommandBatch or, when no batch goes out that
// turn, in one ReplAcked frame per replica: replicas need it to decide
// whether they may run for election.
//
// Each replica also appears as a client session (flag S) so CLIENT LIST and
// CLIENT KILL TYPE replica see it, as in Redis.

import type * as grpc from '@grpc/grpc-js';
import type { NodeState } from '../commands/node-state.js';
import { Session, type Transport } from '../commands/session.js';
import { ReplyWriter } from '../resp/writer.js';
import type { Logger } from '../core/log.js';
import type { ReplicationState, ReplicaRecord } from '../replication/state.js';
import { KeyspaceSnapshot } from '../replication/snapshot.js';
import { wallClockMs } from '../runtime/clock.js';
import { decodeFrame, encodeFrame, ReplWireError, REPL_ACKED_FRAME_VERSION, REPL_PROTOCOL_VERSION, SNAPSHOT_FORMAT, SNAPSHOT_FORMAT_VERSION, type ReplFrame } from './replication-wire.js';

/** Snapshot bytes per chunk frame. */
const CHUNK_BYTES = 256 * 1024;
/** Time a snapshot may hold the event loop per turn before yielding to clients. */
const SNAPSHOT_SLICE_MS = 8;
/** Bytes per CommandBatch frame when the stream queued during a full sync is sent. */
const CATCHUP_FRAME_BYTES = 1024 * 1024;
/** Redis's client-output-buffer-limit for replicas (hard limit): a replica further behind is dropped. */
const OUTPUT_LIMIT_BYTES = 256 * 1024 * 1024;

type Call = grpc.ServerDuplexStream<Buffer, Buffer>;

class ReplicaLink implements Transport {
  phase: 'hello' | 'snapshot' | 'online' | 'closed' = 'hello';
  rec: ReplicaRecord | null = null;
  session: Session | null = null;
  /** The snapshot being sent (phase 'snapshot'): released if the link closes first. */
  snapshot: KeyspaceSnapshot | null = null;
  /**
   * Stream bytes produced while the snapshot is being sent (from offset
   * queuedFrom), in one buffer grown by doubling: kept as one small Buffer
   * per turn, a 20 s sync under load took 48 ms to concatenate at the end.
   */
  queue: Buffer = Buffer.alloc(0);
  queuedBytes = 0;
  queuedFrom = 0;
  /** Offset up to which the stream was written to this replica. */
  sentOffset = 0;
  /** From its hello: whether it understands ReplAcked frames. */
  protocolVersion = 0;
  /** The acknowledged offset last sent to it. */
  sentAcked = 0;
  readonly remoteAddress: string;
  readonly localAddress = '';
  readonly fd = -1;

  constructor(
    readonly key: string,
    readonly call: Call,
    private readonly onClose: (l: ReplicaLink) => void,
  ) {
    this.remoteAddress = call.getPeer().replace(/^ipv[46]:/, '');
  }

  write(): void {}

  /** CLIENT KILL on the replica's session: end the stream. */
  close(): void {
    this.onClose(this);
  }

  send(f: ReplFrame): boolean {
    if (this.phase === 'closed') return false;
    return this.call.write(encodeFrame(f));
  }

  enqueue(payload: Buffer): void {
    const need = this.queuedBytes + payload.length;
    if (need > this.queue.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.queue.length * 2, 64 * 1024));
      this.queue.copy(grown, 0, 0, this.queuedBytes);
      this.queue = grown;
    }
    payload.copy(this.queue, this.queuedBytes);
    this.queuedBytes = need;
  }

  get bufferedBytes(): number {
    return this.call.writableLength;
  }
}

export class ReplicationPrimary {
  private readonly links = new Set<ReplicaLink>();
  private nextLinkId = 1;
  /** Stream bytes fed since the last flush, and where they start. */
  private unsent: Buffer[] = [];
  private unsentFrom = 0;
  private flushScheduled = false;
  private readonly discard = new ReplyWriter(256);
  /** Called after every replica ack (sync-mode holds wait on them). */
  onAck: (() => void) | null = null;
  /** Called whenever our offset moves (cluster mode feeds it to the core). */
  onOffsetChanged: (() => void) | null = null;
  /**
   * Non-null: refuse every replica with this reason (cluster mode: a primary
   * restarted without its data must not full-sync its empty dataset onto them).
   */
  refuseSync: string | null = null;

  constructor(
    private readonly node: NodeState,
    private readonly state: ReplicationState,
    private readonly logger: Logger,
    /** WAITs satisfied by an ack (tokens). */
    private readonly onWaitsSatisfied: (tokens: number[]) => void,
    /** On a replica: the database its primary's stream is in (what a relayed stream continues from). */
    private readonly relayedStreamDb: () => number | null,
  ) {}

  get replicaCount(): number {
    return this.links.size;
  }

  /** New stream bytes (already in the backlog): queue them for every replica. */
  fed(bytes: Buffer): void {
    this.onOffsetChanged?.();
    if (this.links.size === 0) return;
    if (this.unsent.length === 0) this.unsentFrom = this.state.offset - bytes.length;
    this.unsent.push(bytes);
    this.scheduleFlush();
  }

  /** On a replica: our primary's acknowledged offset grew; our own replicas learn it (chained replication). */
  ackedOffsetChanged(): void {
    if (this.links.size > 0) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private knownAckedOffset(): number {
    return this.state.knownAckedOffset(this.node.config.get('availability-zone') ?? '');
  }

  /**
   * ReplAcked frames only in sync mode, where the figure decides who may be
   * elected; otherwise the batches carry it at no cost and an async primary
   * sends nothing more than before.
   */
  private get ackedFramesWanted(): boolean {
    return this.node.config.syncReplication();
  }

  /**
   * Sends what this turn produced: one CommandBatch per online replica (a
   * queue entry per syncing one) carrying the acknowledged offset, and (sync
   * mode) a ReplAcked frame to each online replica no batch told of it.
   */
  flush(): void {
    this.flushScheduled = false;
    const acked = this.knownAckedOffset();
    if (this.unsent.length > 0) this.flushStream(acked);
    if (!this.ackedFramesWanted) return;
    for (const l of this.links) {
      if (l.phase !== 'online' || l.sentAcked >= acked || l.protocolVersion < REPL_ACKED_FRAME_VERSION) continue;
      l.send({ kind: 'acked', offset: acked });
      l.sentAcked = acked;
    }
  }

  private flushStream(acked: number): void {
    const payload = this.unsent.length === 1 ? this.unsent[0]! : Buffer.concat(this.unsent);
    const from = this.unsentFrom;
    const to = from + payload.length;
    this.unsent = [];
    let frame: Buffer | null = null;
    for (const l of this.links) {
      if (l.phase === 'snapshot') {
        l.enqueue(payload);
        if (l.queuedBytes > OUTPUT_LIMIT_BYTES) this.drop(l, 'output buffer limit reached during full sync');
      } else if (l.phase === 'online') {
        if (l.sentOffset !== from) {
          // Cannot happen: every online link is sent every flush. Resync rather than corrupt.
          this.drop(l, `stream gap (sent ${l.sentOffset}, next batch at ${from})`);
          continue;
        }
        frame ??= encodeFrame({ kind: 'commandBatch', startOffset: from, endOffset: to, payload, ackedOffset: acked });
        l.call.write(frame);
        l.sentOffset = to;
        l.sentAcked = Math.max(l.sentAcked, acked);
        if (l.bufferedBytes > OUTPUT_LIMIT_BYTES) this.drop(l, 'output buffer limit reached');
      }
    }
  }

  /** gRPC handler of Replication.Sync. */
  accept(call: Call): void {
    const link = new ReplicaLink(`r${this.nextLinkId++}`, call, (l) => this.drop(l, 'killed'));
    this.links.add(link);
    call.on('data', (buf: Buffer) => {
      let f: ReplFrame;
      try {
        f = decodeFrame(buf);
      } catch (e) {
        this.drop(link, e instanceof ReplWireError ? e.message : String(e));
        return;
      }
      this.onFrame(link, f);
    });
    call.on('error', () => this.closed(link));
    call.on('close', () => this.closed(link));
    call.on('end', () => this.closed(link));
  }

  private onFrame(link: ReplicaLink, f: ReplFrame): void {
    const nowMs = wallClockMs();
    switch (f.kind) {
      case 'hello':
        if (link.phase !== 'hello') return;
        link.protocolVersion = f.protocolVersion;
        this.onHello(link, f.replid, f.offset, f.ip || link.remoteAddress.replace(/:\d+$/, ''), f.port, f.zone, nowMs);
        return;
      case 'ack': {
        if (!link.rec) return;
        const done = this.state.ack(link.key, f.offset, nowMs);
        if (done.length > 0) this.onWaitsSatisfied(done);
        this.onAck?.();
        // The acknowledged offset may have moved: the replicas hear of it this turn.
        if (this.ackedFramesWanted) this.scheduleFlush();
        return;
      }
      case 'ping':
        if (link.rec) link.rec.ackTimeMs = nowMs;
        return;
      default:
        return;
    }
  }

  private onHello(link: ReplicaLink, replid: string, offset: number, ip: string, port: number, zone: string, nowMs: number): void {
    const st = this.state;
    if (this.refuseSync !== null) {
      link.send({ kind: 'error', code: 'NOMASTERLINK', message: this.refuseSync });
      this.drop(link, this.refuseSync);
      return;
    }
    if (st.isReplica && !st.synced) {
      // A replica that has not loaded its primary's data has nothing to give (Redis: NOMASTERLINK).
      link.send({ kind: 'error', code: 'NOMASTERLINK', message: "Can't SYNC while not connected with my master" });
      this.drop(link, 'not synced with our own primary');
      return;
    }
    link.send({ kind: 'helloReply', protocolVersion: REPL_PROTOCOL_VERSION, primaryId: this.node.runId });
    const decision = st.decideSync(replid, offset);
    const session = new Session(this.node, link, this.discard, this.node.clients.allocateId());
    session.kindFlags = 'S';
    session.authenticated = true;
    link.session = session;
    this.node.clients.add(session);
    if (decision.kind === 'continue') {
      // Everything fed up to now is in the backlog; later bytes arrive through flush().
      this.flush();
      link.rec = st.addReplica(link.key, ip, port, 'online', offset, nowMs, zone);
      link.send({ kind: 'continueSync', replid: decision.replid, offset: decision.offset });
      const missing = st.backlog!.readFrom(offset);
      if (missing.length > 0) this.sendCatchUp(link, offset, missing);
      link.sentOffset = st.offset;
      link.phase = 'online';
      // Tells it the acknowledged offset if no catch-up batch did.
      this.scheduleFlush();
      this.logger.info('Partial resynchronization request accepted', { replica: `${ip}:${port}`, offset, sending: missing.length });
      return;
    }
    this.logger.info('Starting a full sync', { replica: `${ip}:${port}`, reason: decision.reason, offset: decision.offset });
    // Bytes fed before the copy belong to the snapshot, not to this replica's queue.
    this.flush();
    // The stream after a snapshot must re-select its database (Redis resets slaveseldb).
    this.node.propagation.reset();
    this.attachSink();
    link.rec = st.addReplica(link.key, ip, port, 'wait_bgsave', decision.offset, nowMs, zone);
    link.phase = 'snapshot';
    link.queuedFrom = decision.offset;
    const t0 = performance.now();
    const snap = new KeyspaceSnapshot(this.node.keyspace.dbs, this.relayedStreamDb());
    link.snapshot = snap;
    this.logger.info('Snapshot copy taken', { keys: snap.keyCount, copyMs: Math.round(performance.now() - t0) });
    link.send({ kind: 'fullSyncBegin', replid: decision.replid, offset: decision.offset, format: SNAPSHOT_FORMAT, formatVersion: SNAPSHOT_FORMAT_VERSION });
    link.rec.state = 'send_bulk';
    this.pumpSnapshot(link, snap, 0);
  }

  /** Sends snapshot chunks for a slice of time or until gRPC's buffer fills, then yields. */
  private pumpSnapshot(link: ReplicaLink, snap: KeyspaceSnapshot, seq: number): void {
    if (link.phase !== 'snapshot') return;
    const until = performance.now() + SNAPSHOT_SLICE_MS;
    for (;;) {
      const data = snap.nextChunk(CHUNK_BYTES);
      if (data === null) break;
      const more = link.send({ kind: 'snapshotChunk', seq: seq++, data });
      if (!more) {
        link.call.once('drain', () => this.pumpSnapshot(link, snap, seq));
        return;
      }
      if (performance.now() >= until) {
        setImmediate(() => this.pumpSnapshot(link, snap, seq));
        return;
      }
    }
    link.snapshot = null;
    link.send({ kind: 'fullSyncEnd', chunks: seq, snapshotBytes: snap.bytesProduced });
    // Whatever this turn fed goes into the queue first, so the queue is complete.
    this.flush();
    const queued = link.queue.subarray(0, link.queuedBytes);
    const from = link.queuedFrom;
    link.queue = Buffer.alloc(0);
    link.queuedBytes = 0;
    for (let at = 0; at < queued.length; at += CATCHUP_FRAME_BYTES) this.sendCatchUp(link, from + at, queued.subarray(at, Math.min(queued.length, at + CATCHUP_FRAME_BYTES)));
    link.sentOffset = from + queued.length;
    link.phase = 'online';
    if (link.rec) link.rec.state = 'online';
    this.scheduleFlush();
    this.logger.info('Synchronization with replica succeeded', { replica: `${link.rec?.ip}:${link.rec?.port}`, bytes: snap.bytesProduced, keys: snap.keyCount });
  }

  /** Stream bytes a replica missed (backlog, or queued during its full sync), as one batch. */
  private sendCatchUp(link: ReplicaLink, from: number, payload: Buffer): void {
    const acked = this.knownAckedOffset();
    link.send({ kind: 'commandBatch', startOffset: from, endOffset: from + payload.length, payload, ackedOffset: acked });
    link.sentAcked = acked;
  }

  /** Starts feeding propagated commands into the state and to us (first replica ever). */
  attachSink(): void {
    const st = this.state;
    // A replica re-sends its primary's stream as it arrives (ReplicationReplica), never its own executions.
    if (this.node.propagation.sink !== null || st.isReplica) return;
    this.node.propagation.sink = {
      feed: (bytes) => {
        st.feed(bytes);
        this.fed(bytes);
      },
      get offset() {
        return st.offset;
      },
    };
  }

  /** Closes one replica's stream. */
  drop(link: ReplicaLink, reason: string): void {
    if (link.phase === 'closed') return;
    this.logger.info('Closing replica link', { replica: link.rec ? `${link.rec.ip}:${link.rec.port}` : link.remoteAddress, reason });
    try {
      link.call.end();
    } catch {
      // Already gone.
    }
    this.closed(link);
  }

  private closed(link: ReplicaLink): void {
    if (link.phase === 'closed') return;
    link.phase = 'closed';
    link.snapshot?.release();
    link.snapshot = null;
    this.links.delete(link);
    this.state.removeReplica(link.key);
    if (link.session) this.node.clients.remove(link.session);
    // Redis: "Connection with replica ... lost."
    if (link.rec) this.logger.info('Connection with replica lost', { replica: `${link.rec.ip}:${link.rec.port}` });
  }

  /** Drops every replica (our history changed: they must resync, partially if they can). */
  dropAll(reason: string): void {
    for (const l of [...this.links]) this.drop(l, reason);
  }

  /** Asks every online replica for an ack now (Redis's REPLCONF GETACK before a WAIT blocks). */
  requestAcks(): void {
    const frame = encodeFrame({ kind: 'ping', offset: this.state.offset });
    for (const l of this.links) if (l.phase === 'online') l.call.write(frame);
  }

  /** Liveness: PING in the stream every repl-ping-replica-period, as Redis's replicationCron. */
  pingReplicas(): void {
    if (this.links.size > 0 && !this.state.isReplica) this.node.propagation.emitRaw(['ping']);
  }

  /** Drops replicas silent for longer than repl-timeout. */
  checkTimeouts(nowMs: number, timeoutMs: number): void {
    for (const l of [...this.links]) {
      if (l.phase === 'online' && l.rec && nowMs - l.rec.ackTimeMs > timeoutMs) this.drop(l, 'timeout');
    }
  }
}
