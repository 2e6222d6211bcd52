// The replica's side of Replication.Sync: one gRPC stream to the primary's
// bus port (client port + 10000). It says hello with our replication id and
// offset (PSYNC); then either loads a snapshot (full sync: flush, apply the
// snapshot's commands, then the queued stream) or continues from the backlog.
// Every command is applied through the dispatcher with a dedicated primary
// session (flag M, no replies), and the stream bytes are added to our own
// backlog (so our offset is the primary's and we can serve partial resyncs
// after a promotion) and forwarded to our own replicas. We acknowledge the
// applied offset after each batch (coalesced per turn) and every second.
//
// A broken link reconnects after a short delay and tries a partial resync.

import * as grpc from '@grpc/grpc-js';
import type { NodeState } from '../commands/node-state.js';
import { Session, type Transport } from '../commands/session.js';
import { ReplyWriter } from '../resp/writer.js';
import { RespParser, type CommandSink } from '../resp/parser.js';
import type { Logger } from '../core/log.js';
import type { ReplicationState } from '../replication/state.js';
import { setTimer, wallClockMs } from '../runtime/clock.js';
import { decodeFrame, encodeFrame, REPLICATION_SERVICE, ReplWireError, REPL_PROTOCOL_VERSION, SNAPSHOT_FORMAT, type ReplFrame } from './replication-wire.js';

const RECONNECT_MS = 500;
const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;

const SyncClient = grpc.makeGenericClientConstructor(REPLICATION_SERVICE, 'Replication');

export interface ReplicaOptions {
  readonly node: NodeState;
  readonly state: ReplicationState;
  readonly logger: Logger;
  /** Our client port and address as the primary should show them. */
  readonly announce: () => { ip: string; port: number };
  /** Stream bytes applied: forward them to our own replicas. */
  readonly onFed: (bytes: Buffer) => void;
  /** A full sync replaced our history: our own replicas must resync. */
  readonly onFullSync: () => void;
  /** The primary's acknowledged offset grew: relay it to our own replicas. */
  readonly onAckedOffset: () => void;
}

export class ReplicationReplica implements Transport, CommandSink {
  private client: grpc.Client | null = null;
  private call: grpc.ClientDuplexStream<Buffer, Buffer> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private ackScheduled = false;
  private stopped = false;
  private parser = new RespParser({ maxBulkBytes: 1 << 30, maxQueryBytes: 1 << 30 });
  private readonly out = new ReplyWriter(4096);
  /** The primary's commands run as this session (Redis's server.master client). */
  readonly session: Session;
  /** Snapshot bytes received in the current full sync (INFO master_sync_read_bytes). */
  syncReadBytes = 0;
  private expectSeq = 0;
  /** A full sync began and has not finished: our dataset matches no history, so never offer a partial resync. */
  private loadIncomplete = false;
  /** Commands that failed on apply (INFO would show them in Redis's logs only). */
  applyErrors = 0;
  readonly remoteAddress: string;
  readonly localAddress = '';
  readonly fd = -1;

  constructor(
    private readonly opts: ReplicaOptions,
    readonly host: string,
    readonly port: number,
    /** The primary's bus port, where it serves Replication (client port + 10000 unless its cluster-port says otherwise). */
    readonly busPort: number,
  ) {
    this.remoteAddress = `${host}:${port}`;
    const node = opts.node;
    this.session = new Session(node, this, this.out, node.clients.allocateId());
    this.session.kindFlags = 'M';
    this.session.authenticated = true;
  }

  /** Transport.write: replies to the primary's commands are discarded. */
  write(): void {}

  /** CLIENT KILL TYPE master: drop the link; it reconnects and resyncs (partially if it can). */
  close(): void {
    this.linkDown('killed by CLIENT KILL');
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.teardown();
    this.client?.close();
    this.client = null;
  }

  private connect(): void {
    if (this.stopped) return;
    const { state, logger, node } = this.opts;
    const p = state.primary;
    if (!p) return;
    p.state = 'connecting';
    if (!this.client) {
      this.client = new SyncClient(`${this.host}:${this.busPort}`, grpc.credentials.createInsecure(), {
        'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
        'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
        'grpc.keepalive_time_ms': 5000,
        'grpc.initial_reconnect_backoff_ms': 200,
        'grpc.max_reconnect_backoff_ms': 1000,
      });
    }
    logger.info('Connecting to MASTER', { master: `${this.host}:${this.port}`, busPort: this.busPort });
    const call = this.client.makeBidiStreamRequest(REPLICATION_SERVICE['Sync']!.path, (b: Buffer) => b, (b: Buffer) => b) as grpc.ClientDuplexStream<Buffer, Buffer>;
    this.call = call;
    this.parser = new RespParser({ maxBulkBytes: 1 << 30, maxQueryBytes: 1 << 30 });
    call.on('data', (buf: Buffer) => {
      if (this.call !== call) return;
      let f: ReplFrame;
      try {
        f = decodeFrame(buf);
      } catch (e) {
        this.linkDown(e instanceof ReplWireError ? e.message : String(e));
        return;
      }
      this.onFrame(f);
    });
    call.on('error', (e: Error) => {
      if (this.call === call) this.linkDown(e.message);
    });
    call.on('end', () => {
      if (this.call === call) this.linkDown('primary closed the stream');
    });
    const me = this.opts.announce();
    const offerHistory = !this.loadIncomplete && (state.synced || state.offset > 0);
    call.write(
      encodeFrame({
        kind: 'hello',
        protocolVersion: REPL_PROTOCOL_VERSION,
        replicaId: node.runId,
        ip: me.ip,
        port: me.port,
        replid: offerHistory ? state.replid : '?',
        offset: offerHistory ? state.offset : -1,
        zone: node.config.get('availability-zone') ?? '',
      }),
    );
  }

  private onFrame(f: ReplFrame): void {
    const { state, logger, node } = this.opts;
    const p = state.primary;
    if (!p) return;
    p.lastIoMs = wallClockMs();
    switch (f.kind) {
      case 'helloReply':
        return;
      case 'fullSyncBegin': {
        if (f.format !== SNAPSHOT_FORMAT) {
          this.linkDown(`unsupported snapshot format ${f.format}`);
          return;
        }
        logger.info('Full resync from master', { replid: f.replid, offset: f.offset });
        this.opts.onFullSync();
        p.state = 'sync';
        this.syncReadBytes = 0;
        this.expectSeq = 0;
        state.synced = false;
        this.loadIncomplete = true;
        // Loading replaces the dataset (Redis's emptyData before rdbLoad).
        node.keyspace.flushAll();
        this.session.select(0);
        state.beginFullSync(f.replid, f.offset);
        return;
      }
      case 'snapshotChunk':
        if (p.state !== 'sync' || f.seq !== this.expectSeq++) {
          this.linkDown(`snapshot chunk ${f.seq} out of order`);
          return;
        }
        this.syncReadBytes += f.data.length;
        this.apply(f.data);
        return;
      case 'fullSyncEnd':
        logger.info('MASTER <-> REPLICA sync: Finished with success', { bytes: this.syncReadBytes, keys: node.keyspace.keyCount() });
        state.synced = true;
        this.loadIncomplete = false;
        this.linkUp();
        return;
      case 'continueSync':
        logger.info('Successful partial resynchronization with master', { replid: f.replid, offset: f.offset });
        state.continueSync(f.replid);
        this.linkUp();
        return;
      case 'commandBatch': {
        if (f.startOffset !== state.offset) {
          this.linkDown(`stream offset mismatch: got ${f.startOffset}, expected ${state.offset}`);
          return;
        }
        p.readOffset = f.endOffset;
        this.apply(f.payload);
        state.feed(f.payload);
        this.opts.onFed(f.payload);
        this.scheduleAck();
        this.noteAcked(f.ackedOffset);
        return;
      }
      case 'acked':
        this.noteAcked(f.offset);
        return;
      case 'ping':
        this.scheduleAck();
        return;
      case 'error':
        this.linkDown(`${f.code} ${f.message}`);
        return;
      default:
        return;
    }
  }

  private noteAcked(offset: number): void {
    if (this.opts.state.noteAckedOffset(offset)) this.opts.onAckedOffset();
  }

  /** Applies RESP commands from the primary through the dispatcher, as the primary session. */
  private apply(bytes: Buffer): void {
    const ks = this.opts.node.keyspace;
    ks.expiredKeysLive = true;
    try {
      this.parser.feed(bytes, this);
    } finally {
      ks.expiredKeysLive = false;
    }
    this.out.take();
  }

  onCommand(args: string[]): boolean {
    const node = this.opts.node;
    const errors = node.stats.totalErrorReplies;
    node.dispatcher.execute(this.session, args);
    if (node.stats.totalErrorReplies !== errors) {
      this.applyErrors++;
      if (this.applyErrors <= 10) this.opts.logger.warn('Command from the master failed on the replica', { command: args[0] ?? '' });
    }
    return true;
  }

  onProtocolError(reason: string): void {
    this.linkDown(`protocol error in the replication stream: ${reason}`);
  }

  private linkUp(): void {
    const p = this.opts.state.primary;
    if (!p) return;
    p.state = 'connected';
    p.downSinceMs = -1;
    this.sendAck();
  }

  private scheduleAck(): void {
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    setImmediate(() => {
      this.ackScheduled = false;
      this.sendAck();
    });
  }

  /** REPLCONF ACK offset. */
  sendAck(): void {
    const p = this.opts.state.primary;
    if (!this.call || !p || p.state !== 'connected') return;
    this.call.write(encodeFrame({ kind: 'ack', offset: this.opts.state.offset }));
  }

  /** The link broke (or was cut): mark it down and reconnect soon. */
  linkDown(reason: string): void {
    const p = this.opts.state.primary;
    if (this.call === null && this.reconnectTimer !== null) return;
    this.opts.logger.warn('Connection with master lost', { reason });
    this.teardown();
    if (p) {
      if (p.state === 'sync') this.opts.state.synced = false;
      if (p.state === 'connected') p.downSinceMs = wallClockMs();
      p.state = 'connect';
    }
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimer(() => {
      this.reconnectTimer = null;
      this.connect();
    }, RECONNECT_MS);
  }

  private teardown(): void {
    const call = this.call;
    this.call = null;
    if (call) {
      call.removeAllListeners('data');
      call.on('error', () => {});
      call.cancel();
    }
  }

  /** Replica cron: a silent primary past repl-timeout is a broken link. */
  checkTimeout(nowMs: number, timeoutMs: number): void {
    const p = this.opts.state.primary;
    if (p && this.call && (p.state === 'connected' || p.state === 'sync') && nowMs - p.lastIoMs > timeoutMs) this.linkDown('timeout');
  }
}
