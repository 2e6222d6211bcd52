// Replication for one node: the composition of the pure ReplicationState with
// its adapters (the Replication gRPC service for our replicas, the stream to
// our primary when we are a replica), plus what commands see through
// ReplicationHost: REPLICAOF/SLAVEOF, ROLE, WAIT, INFO replication.
//
// Ports: a standalone node serves Replication on its bus port (client port +
// 10000, or cluster-port) with a gRPC server of its own; in cluster mode the
// bus's gRPC server hosts the service instead (addReplicationService), so
// one port carries gossip and replication as DESIGN.md says. A replica
// dials its primary's client port + 10000.
//
// Role rules carried out here (Redis's):
//  - a replica refuses writes from normal clients (READONLY) when
//    replica-read-only is yes, answers LOADING while a full sync loads, and
//    MASTERDOWN for commands without the stale flag while its link is down
//    and replica-serve-stale-data is no — or before it ever synced since
//    start (it has no persistence: its empty dataset is not data);
//  - a replica never expires keys (the primary's DELs do it) and ignores
//    maxmemory when replica-ignore-maxmemory is yes;
//  - REPLICAOF NO ONE keeps the data and the history (replid2) so former
//    siblings continue from us with a partial resync.

import * as grpc from '@grpc/grpc-js';
import type { NodeState } from '../commands/node-state.js';
import type { Session } from '../commands/session.js';
import type { CompiledCommand } from '../commands/registry.js';
import { hasFlag } from '../commands/spec.js';
import type { Logger } from '../core/log.js';
import type { ReplicationHost } from '../replication/host.js';
import { replicationInfoLines } from '../replication/info.js';
import { ReplicationState } from '../replication/state.js';
import { bindAddresses } from '../bus/grpc-bus.js';
import { randomHexId, setRepeating, wallClockMs } from '../runtime/clock.js';
import type { BlockRequest } from '../services/blocking.js';
import type { ReplyWriter } from '../resp/writer.js';
import { ReplicationPrimary } from './replication-primary.js';
import { ReplicationReplica } from './replication-replica.js';
import { REPLICATION_SERVICE } from './replication-wire.js';

export const READONLY_ERROR = "READONLY You can't write against a read only replica.";
export const LOADING_ERROR = 'LOADING Redis is loading the dataset in memory';
export const MASTERDOWN_ERROR = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;

/** A client in WAIT: parked through the blocking registry (no keys), answered with the ack count. */
class WaitBlock implements BlockRequest {
  readonly keys: readonly string[] = [];
  constructor(
    readonly session: Session,
    readonly db: number,
    readonly deadlineMs: number,
    private readonly repl: NodeReplication,
    readonly token: number,
    private readonly offset: number,
  ) {}

  tryServe(): boolean {
    return false;
  }

  /** Timeout, or woken by enough acks (through BlockingRegistry.unblock): the count either way. */
  onTimeout(w: ReplyWriter): void {
    this.repl.state.removeWait(this.token);
    w.int(this.repl.state.ackedCount(this.offset));
  }
}

export class NodeReplication implements ReplicationHost {
  readonly state: ReplicationState;
  readonly primarySide: ReplicationPrimary;
  replica: ReplicationReplica | null = null;
  private server: grpc.Server | null = null;
  private cron: NodeJS.Timeout | null = null;
  private readonly waiting = new Map<number, WaitBlock>();
  private cronTicks = 0;

  constructor(
    readonly node: NodeState,
    private readonly logger: Logger,
    /** Our client port as replicas and primaries should see it. */
    private readonly tcpPort: () => number,
  ) {
    const cfg = node.config;
    this.state = new ReplicationState(randomHexId, cfg.getNumber('repl-backlog-size'));
    this.primarySide = new ReplicationPrimary(
      node,
      this.state,
      logger,
      (tokens) => this.wakeWaiters(tokens),
      () => (this.replica ? this.replica.session.dbIndex : null),
    );
    node.replication = this;
    node.dispatcher.gates.push((s, cmd) => this.gate(s, cmd));
    const evict = node.dispatcher.evictor;
    node.dispatcher.evictor = () => (this.state.isReplica && cfg.getBool('replica-ignore-maxmemory') ? true : evict());
    cfg.onChange((name) => {
      if (name === 'repl-backlog-size') this.state.resizeBacklog(cfg.getNumber('repl-backlog-size'));
    });
  }

  /** Starts the standalone gRPC server (unless cluster mode hosts the service) and the replication cron. */
  async start(opts: { ownServer: boolean }): Promise<void> {
    const cfg = this.node.config;
    if (opts.ownServer) {
      const port = cfg.getNumber('cluster-port') || this.tcpPort() + 10000;
      const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': MAX_MESSAGE_BYTES, 'grpc.keepalive_permit_without_calls': 1 });
      addReplicationService(server, this);
      let bound = 0;
      for (const { host, optional } of bindAddresses(cfg.get('bind') ?? '')) {
        try {
          await new Promise<number>((resolve, reject) => server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${port}`, grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
          bound++;
        } catch (e) {
          // '-::*' in the default bind is optional: IPv6 may be absent or already covered by 0.0.0.0.
          if (!optional) this.logger.warn('Replication: cannot bind the bus port; this node cannot serve replicas', { host, port, error: (e as Error).message });
        }
      }
      if (bound > 0) {
        this.server = server;
        this.logger.info('Replication service listening', { port });
      } else server.forceShutdown();
    }
    this.cron = setRepeating(() => this.tick(), 100);
    this.cron.unref();
    const directive = (cfg.get('replicaof') ?? '').trim();
    if (directive !== '') {
      const [host, port] = directive.split(/\s+/);
      if (host && port) this.replicaOf(host, Number(port));
    }
  }

  async stop(): Promise<void> {
    if (this.cron) clearInterval(this.cron);
    this.replica?.stop();
    this.primarySide.dropAll('shutdown');
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  }

  /** Every 100 ms: acks and liveness every second, pings every repl-ping-replica-period, timeouts. */
  private tick(): void {
    const node = this.node;
    const cfg = node.config;
    const nowMs = wallClockMs();
    this.cronTicks++;
    // CLIENT PAUSE's end turns expiry back on; a replica must keep it off.
    if (this.state.isReplica) node.keyspace.expiryPaused = true;
    if (this.cronTicks % 10 !== 0) return;
    const timeoutMs = cfg.getNumber('repl-timeout') * 1000;
    if (this.replica) {
      this.replica.sendAck();
      this.replica.checkTimeout(nowMs, timeoutMs);
    }
    const seconds = this.cronTicks / 10;
    if (seconds % cfg.getNumber('repl-ping-replica-period') === 0) this.primarySide.pingReplicas();
    this.primarySide.checkTimeouts(nowMs, timeoutMs);
  }

  /** READONLY / LOADING / MASTERDOWN on a replica, in Redis's processCommand order. */
  private gate(s: Session, cmd: CompiledCommand): string | null {
    const st = this.state;
    const p = st.primary;
    if (p === null || (this.replica !== null && s === this.replica.session)) return null;
    const cfg = this.node.config;
    const root = cmd.parent ?? cmd;
    if (root.spec.name === 'exec' ? s.multiQueue.some((q) => q.cmd.write) && cfg.getBool('replica-read-only') : cmd.write && cfg.getBool('replica-read-only')) return READONLY_ERROR;
    // A subcommand carries its own flags (CLUSTER NODES is stale-safe, CLUSTER is not).
    if (p.state === 'sync' && !hasFlag(cmd.spec, 'loading')) return LOADING_ERROR;
    if (hasFlag(cmd.spec, 'stale')) return null;
    if (p.state !== 'connected' && !cfg.getBool('replica-serve-stale-data')) return MASTERDOWN_ERROR;
    // Before its first full sync a restarted replica holds nothing of its primary's: no data commands yet.
    const touchesData = cmd.write || hasFlag(cmd.spec, 'readonly') || cmd.spec.keys.first > 0 || cmd.spec.keys.find !== undefined;
    if (!st.synced && touchesData) return MASTERDOWN_ERROR;
    return null;
  }

  replicaOf(host: string, port: number, busPort = port + 10000): string {
    const st = this.state;
    if (st.primary && st.primary.host === host && st.primary.port === port) return 'OK Already connected to specified master';
    if (this.replica) {
      this.replica.stop();
      this.node.clients.remove(this.replica.session);
    }
    this.replica = null;
    if (!st.isReplica) {
      // Our own writes stop; our replicas must follow our new history.
      this.node.propagation.sink = null;
      this.node.propagation.reset();
      this.primarySide.dropAll('this node became a replica');
    }
    st.becomeReplica(host, port, wallClockMs());
    this.node.keyspace.expiryPaused = true;
    this.logger.info('REPLICAOF enabled (user request)', { master: `${host}:${port}` });
    const replica = new ReplicationReplica(
      {
        node: this.node,
        state: st,
        logger: this.logger,
        announce: () => ({ ip: this.node.config.get('replica-announce-ip') ?? '', port: this.node.config.getNumber('replica-announce-port') || this.tcpPort() }),
        onFed: (bytes) => this.primarySide.fed(bytes),
        onFullSync: () => this.primarySide.dropAll('our primary sent a full sync'),
        onAckedOffset: () => this.primarySide.ackedOffsetChanged(),
      },
      host,
      port,
      busPort,
    );
    this.replica = replica;
    this.node.clients.add(replica.session);
    replica.start();
    return 'OK';
  }

  promote(): void {
    const st = this.state;
    if (!st.isReplica) return;
    if (this.replica) {
      this.replica.stop();
      this.node.clients.remove(this.replica.session);
    }
    this.replica = null;
    st.becomePrimary();
    this.node.keyspace.expiryPaused = false;
    this.node.propagation.reset();
    // Sub-replicas reconnect and continue under our new id (replid2 keeps the old history).
    this.primarySide.dropAll('this node became a primary');
    if (st.backlog) this.primarySide.attachSink();
    this.logger.info('MASTER MODE enabled (user request)', { replid: st.replid, replid2: st.replid2, offset: st.offset });
  }

  dropPrimaryLink(): number {
    if (!this.replica) return 0;
    this.replica.linkDown('link cut by request');
    return 1;
  }

  wait(s: Session, numReplicas: number, timeoutMs: number): void {
    const st = this.state;
    const offset = this.node.propagation.lastWriteOffset(s);
    const acked = st.ackedCount(offset);
    // Inside MULTI/EXEC (and later scripts) WAIT never blocks, as in Redis.
    if (acked >= numReplicas || s.inExec) {
      s.out.int(acked);
      return;
    }
    const token = st.addWait(offset, numReplicas);
    const deadline = timeoutMs > 0 ? s.nowMs + timeoutMs : Infinity;
    const block = new WaitBlock(s, s.dbIndex, deadline, this, token, offset);
    this.waiting.set(token, block);
    this.node.blocking.block(block);
    // Ask for acks now rather than at the replicas' next second (Redis sends REPLCONF GETACK).
    this.primarySide.requestAcks();
  }

  /** Acks satisfied these WAITs: answer them with the count. */
  wakeWaiters(tokens: number[]): void {
    for (const t of tokens) {
      const b = this.waiting.get(t);
      this.waiting.delete(t);
      if (b && b.session.blocked !== null) this.node.blocking.unblock(b.session, false);
    }
    // Forget blocks that ended otherwise (timeout, disconnect).
    for (const [t, b] of this.waiting) if (b.session.blocked === null) this.waiting.delete(t);
  }

  infoLines(): string[] {
    const cfg = this.node.config;
    return replicationInfoLines({
      state: this.state,
      nowMs: wallClockMs(),
      replicaPriority: cfg.getNumber('replica-priority'),
      replicaReadOnly: cfg.getBool('replica-read-only'),
      replicaAnnounced: cfg.getBool('replica-announced'),
      syncReadBytes: this.replica?.syncReadBytes ?? 0,
      zone: cfg.get('availability-zone') ?? '',
    });
  }
}

/** Registers the Replication service on a gRPC server (the cluster bus's, in cluster mode). */
export function addReplicationService(server: grpc.Server, repl: NodeReplication): void {
  server.addService(REPLICATION_SERVICE, { Sync: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => repl.primarySide.accept(call) });
}
