// TesseraServer is the composition root of a node: it builds the NodeState
// from a Config, listens on the client port, runs the periodic work that
// Redis calls serverCron (active expiry, client timeouts, blocked-client
// deadlines) at `hz`, and implements NodeHost for the services.

import net from 'node:net';
import { ReplyWriter } from '../resp/writer.js';
import { NodeState, type NodeHost } from '../commands/node-state.js';
import type { Session } from '../commands/session.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../core/log.js';
import { ALL_COMMANDS } from '../commands/all.js';
import { Connection, type ConnectionHost } from './connection.js';
import { protectedModeRefusal } from '../config/protected-mode.js';
import { randomHexId, realRandom, wallClockMs } from '../runtime/clock.js';
import { ClusterSetup } from './cluster-setup.js';
import { NodeReplication } from './replication-node.js';
import { installMigrateClient, type MigrateClient } from './migrate-client.js';

export interface ServerOptions {
  config: Config;
  logger: Logger;
  configFile: string;
  /** Called when SHUTDOWN or a signal stops the server. */
  onExit?: (code: number) => void;
}

export class TesseraServer implements ConnectionHost, NodeHost {
  readonly node: NodeState;
  readonly writer = new ReplyWriter();
  private readonly sideWriter = new ReplyWriter(4096);
  current: Connection | null = null;
  private readonly listeners: net.Server[] = [];
  private readonly connections = new Set<Connection>();
  private cron: NodeJS.Timeout | null = null;
  private blockTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  readonly pid = process.pid;
  readonly executable = process.argv[1] ?? '';
  readonly configFile: string;
  tcpPort = 0;
  /** Cluster mode (cluster-enabled yes): the core, its bus runtime and nodes.conf. */
  cluster: ClusterSetup | null = null;
  /** Replication (REPLICAOF, WAIT, the Replication gRPC service). */
  readonly replication: NodeReplication;
  /** MIGRATE's cached connections to other nodes. */
  private readonly migrateClient: MigrateClient;

  constructor(private readonly opts: ServerOptions) {
    this.configFile = opts.configFile;
    this.node = new NodeState({
      config: opts.config,
      random: realRandom(),
      host: this,
      runId: randomHexId(),
      startMs: wallClockMs(),
      logger: opts.logger,
      commands: ALL_COMMANDS,
    });
    this.node.keyspace.nowMs = wallClockMs();
    this.migrateClient = installMigrateClient(this.node);
    this.replication = new NodeReplication(this.node, opts.logger, () => this.tcpPort);
  }

  get logger(): Logger {
    return this.opts.logger;
  }

  /** Binds the client port on every `bind` address; resolves once listening. */
  async listen(): Promise<void> {
    const cfg = this.node.config;
    const port = cfg.getNumber('port');
    // nodes.conf is read before the port opens: a damaged file stops the node (listen rejects).
    if (cfg.getBool('cluster-enabled') && !this.cluster) this.cluster = new ClusterSetup({ node: this.node, logger: this.logger, tcpPort: port, replication: this.replication });
    const binds = (cfg.get('bind') ?? '').split(/\s+/).filter((b) => b.length > 0);
    const addresses = binds.length ? binds : ['*'];
    for (const raw of addresses) {
      const optional = raw.startsWith('-');
      const addr = optional ? raw.slice(1) : raw;
      const host = addr === '*' ? '0.0.0.0' : addr === '::*' ? '::' : addr;
      try {
        const srv = await this.listenOne(host, port);
        this.listeners.push(srv);
      } catch (e) {
        if (optional) continue;
        throw new Error(`Could not create server TCP listening socket ${addr}:${port}: ${(e as Error).message}`);
      }
    }
    const first = this.listeners[0]?.address();
    this.tcpPort = typeof first === 'object' && first ? first.port : port;
    this.startCron();
    if (this.cluster) await this.cluster.start();
    // Standalone: our own gRPC server on the bus port; cluster mode: the bus hosts the service (addReplicationService).
    await this.replication.start({ ownServer: this.cluster === null });
  }

  private listenOne(host: string, port: number): Promise<net.Server> {
    return new Promise((resolve, reject) => {
      const srv = net.createServer({ noDelay: true }, (sock) => this.accept(sock));
      srv.once('error', reject);
      srv.listen({ host, port, backlog: 511, ipv6Only: host === '::' }, () => {
        srv.off('error', reject);
        srv.on('error', (e) => this.logger.error('listener error', { error: e.message }));
        resolve(srv);
      });
    });
  }

  private accept(sock: net.Socket): void {
    const node = this.node;
    node.stats.totalConnectionsReceived++;
    const denied = protectedModeRefusal(node.config, sock.remoteAddress);
    if (denied) {
      node.stats.rejectedConnections++;
      sock.end(denied);
      return;
    }
    const maxclients = node.config.getNumber('maxclients') || 10000;
    if (node.clients.count >= maxclients) {
      node.stats.rejectedConnections++;
      sock.end('-ERR max number of clients reached\r\n');
      return;
    }
    const keepalive = node.config.getNumber('tcp-keepalive');
    if (keepalive > 0) sock.setKeepAlive(true, keepalive * 1000);
    const c = new Connection(this, sock);
    this.connections.add(c);
  }

  closed(c: Connection): void {
    this.connections.delete(c);
    if (this.current === c) this.current = null;
  }

  deliver(s: Session, write: (w: ReplyWriter) => void): void {
    const conn = s.transport;
    if (this.current && this.current.session === s) {
      write(this.writer);
      return;
    }
    this.sideWriter.resp = s.resp;
    write(this.sideWriter);
    const bytes = this.sideWriter.take();
    if (bytes) conn.write(bytes);
  }

  resume(s: Session): void {
    const conn = s.transport;
    if (conn instanceof Connection) setImmediate(() => conn.resume());
  }

  private startCron(): void {
    const hz = Math.min(500, Math.max(1, this.node.config.getNumber('hz') || 10));
    this.cron = setInterval(() => this.serverCron(), Math.floor(1000 / hz));
    this.cron.unref();
    this.node.config.onChange((name) => {
      if (name === 'hz' && this.cron) {
        clearInterval(this.cron);
        this.startCron();
      }
    });
  }

  /** Redis's serverCron: expiry, timeouts; runs `hz` times per second. */
  private serverCron(): void {
    const node = this.node;
    node.keyspace.nowMs = wallClockMs();
    // instantaneous_ops_per_sec & co. are sampled here, as Redis's serverCron does, not per command.
    const st = node.stats;
    node.rateMeter.sample(node.keyspace.nowMs, st.totalCommandsProcessed, st.totalNetInputBytes, st.totalNetOutputBytes);
    if (node.activeExpireEnabled) node.keyspace.activeExpireCycle();
    node.blocking.expire(node.keyspace.nowMs);
    node.dispatcher.checkPause(node.keyspace.nowMs);
    const timeoutSec = node.config.getNumber('timeout');
    if (timeoutSec > 0) {
      const cutoff = node.keyspace.nowMs - timeoutSec * 1000;
      for (const c of this.connections) {
        const s = c.session;
        // Redis never times out subscribers or blocked clients.
        if (s.lastInteractionMs < cutoff && s.subscriptionCount === 0 && s.blocked === null && s.parkedArgs === null) c.close();
      }
    }
  }

  blockingChanged(): void {
    this.scheduleBlockTimeout();
  }

  /** Schedules a precise wake-up for the earliest blocked-client deadline. */
  scheduleBlockTimeout(): void {
    const next = this.node.blocking.nextDeadlineMs();
    if (this.blockTimer) clearTimeout(this.blockTimer);
    this.blockTimer = null;
    if (next === Infinity) return;
    const delay = Math.max(0, next - wallClockMs());
    this.blockTimer = setTimeout(() => {
      this.node.keyspace.nowMs = wallClockMs();
      this.node.blocking.expire(this.node.keyspace.nowMs);
      this.scheduleBlockTimeout();
    }, delay);
  }

  shutdown(opts: { save: boolean | null; now: boolean; force: boolean }): string | null {
    void opts;
    this.logger.info('User requested shutdown...');
    setImmediate(() => void this.stop(0));
    return null;
  }

  /** Closes listeners and clients; calls onExit. */
  async stop(code: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    // A cluster primary hands its slots to a replica first (bounded by shutdown-timeout); clients keep being served meanwhile.
    if (this.cluster) await this.cluster.beforeShutdown().catch((e: unknown) => this.logger.warn(`graceful handover: ${(e as Error).message}`));
    if (this.cron) clearInterval(this.cron);
    this.migrateClient.stop();
    if (this.blockTimer) clearTimeout(this.blockTimer);
    for (const l of this.listeners) l.close();
    for (const c of [...this.connections]) c.socket.destroy();
    await this.replication.stop().catch((e: unknown) => this.logger.warn(`replication stop: ${(e as Error).message}`));
    if (this.cluster) await this.cluster.stop().catch((e: unknown) => this.logger.warn(`cluster stop: ${(e as Error).message}`));
    this.logger.info('Tessera is now ready to exit, bye bye...');
    this.opts.onExit?.(code);
  }
}
