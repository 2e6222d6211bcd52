// Makes a tessera-server a cluster node when cluster-enabled is yes: loads
// nodes.conf (a damaged file stops the node: starting fresh would take a new
// id and drop its slots), builds the ClusterCore and its ClusterRuntime,
// installs the routing gate and cluster-wide PUBLISH, and writes nodes.conf
// atomically whenever the core asks (temp file, fsync, rename, fsync dir), so
// a crash leaves either the old file or the new one, never half of one.

import fs from 'node:fs';
import path from 'node:path';
import type { NodeState } from '../commands/node-state.js';
import type { ClusterHost, ClusterLinkInfo } from '../commands/cluster/host.js';
import type { MyselfIdentity, PersistedClusterConfig } from '../cluster/api.js';
import { ClusterCore } from '../cluster/core.js';
import { parseNodesConf, serializeNodesConf, NodesConfError } from '../cluster/nodes-conf.js';
import { clusterGate } from '../commands/cluster/gate.js';
import type { Logger } from '../core/log.js';
import { randomHexId, realRandom, wallClockMs } from '../runtime/clock.js';
import { ClusterRuntime } from './cluster-runtime.js';

/** Startup refusals that must stop the process with exit code 1 (bad nodes.conf, bus port taken). */
export class ClusterSetupError extends Error {
  override readonly name = 'ClusterSetupError';
}

/** Reads nodes.conf; null when absent or empty (a new node). Throws ClusterSetupError when damaged. */
export function loadNodesConf(file: string): PersistedClusterConfig | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ClusterSetupError(`Unable to read the cluster config file ${file}: ${(e as Error).message}`);
  }
  try {
    return parseNodesConf(text);
  } catch (e) {
    if (e instanceof NodesConfError) throw new ClusterSetupError(`${e.message} in ${file}`);
    throw e;
  }
}

/** Writes nodes.conf so that a crash at any point leaves a whole file. */
export function writeNodesConfAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w', 0o644);
  try {
    fs.writeSync(fd, text, null, 'latin1');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  // The rename is durable only once the directory entry is.
  try {
    const dfd = fs.openSync(path.dirname(path.resolve(file)), 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the file itself is synced.
  }
}

export interface ClusterSetupOptions {
  readonly node: NodeState;
  readonly logger: Logger;
  /** The bound client port (for port + 10000 and the announced port). */
  readonly tcpPort: number;
}

/** The IP this node announces: cluster-announce-ip, else the first concrete bind address, else loopback. */
function announcedIp(node: NodeState): string {
  const announce = node.config.get('cluster-announce-ip') ?? '';
  if (announce !== '') return announce;
  const binds = (node.config.get('bind') ?? '').split(/\s+/).map((b) => b.replace(/^-/, ''));
  for (const b of binds) if (b !== '' && b !== '*' && b !== '::*' && b !== '0.0.0.0' && b !== '::') return b;
  return '127.0.0.1';
}

export class ClusterSetup implements ClusterHost {
  readonly core: ClusterCore;
  readonly runtime: ClusterRuntime;
  readonly file: string;
  private readonly node: NodeState;
  private readonly logger: Logger;
  private readonly busPortToBind: number;

  constructor(opts: ClusterSetupOptions) {
    const { node, logger, tcpPort } = opts;
    this.node = node;
    this.logger = logger;
    const cfg = node.config;
    this.file = path.resolve(cfg.get('cluster-config-file') || 'nodes.conf');
    const persisted = loadNodesConf(this.file);
    const mine = persisted?.nodes.find((n) => n.flags.includes('myself'));
    const clusterPort = cfg.getNumber('cluster-port');
    this.busPortToBind = clusterPort || tcpPort + 10000;
    const myself: MyselfIdentity = {
      id: mine?.id ?? randomHexId(),
      shardId: mine?.shardId || randomHexId(),
      ip: announcedIp(node),
      port: cfg.getNumber('cluster-announce-port') || tcpPort,
      busPort: cfg.getNumber('cluster-announce-bus-port') || this.busPortToBind,
      hostname: cfg.get('cluster-announce-hostname') ?? '',
      zone: cfg.get('availability-zone') ?? '',
    };
    const nowMs = wallClockMs();
    this.core = new ClusterCore({
      myself,
      nodeTimeoutMs: Math.max(1, cfg.getNumber('cluster-node-timeout')),
      requireFullCoverage: cfg.getBool('cluster-require-full-coverage'),
      random: realRandom(),
      nowMs,
      ...(persisted ? { persisted } : {}),
    });
    logger.info(persisted ? 'Node configuration loaded, I\'m ' + this.core.view.myId : 'No cluster configuration found, I\'m ' + this.core.view.myId, { file: this.file });
    this.runtime = new ClusterRuntime(this.core, {
      bindHost: cfg.get('bind') || '*',
      busPort: this.busPortToBind,
      logger,
      callbacks: {
        onSaveConfig: () => this.saveOrLog(),
        onViewChanged: () => {
          // Routing and the CLUSTER commands read core.view on each use; nothing to swap.
        },
        onPublish: (channel, message, sharded) => {
          if (sharded) node.pubsub.spublish(channel, message);
          else node.pubsub.publish(channel, message);
        },
      },
    });
    node.clusterEnabled = true;
    node.cluster = this;
    node.keyspace.db(0).enableSlotIndex();
    node.dispatcher.gates.push(clusterGate());
    this.wirePublish();
    // A new node writes its identity at once, as Redis does, so a restart keeps the id.
    this.saveOrLog();
  }

  /** PUBLISH reaches subscribers on every node; SPUBLISH the nodes of this shard. */
  private wirePublish(): void {
    const d = this.node.dispatcher;
    const previous = d.afterCall;
    d.afterCall = (s, cmd, args, micros) => {
      if (previous) previous(s, cmd, args, micros);
      const name = cmd.spec.name;
      if (cmd.parent === null && (name === 'publish' || name === 'spublish') && args.length === 3) {
        this.runtime.publish(args[1]!, args[2]!, name === 'spublish');
      }
    };
  }

  /** Binds the bus and starts the cluster cron; call once the client port listens. */
  async start(): Promise<void> {
    try {
      await this.runtime.start();
    } catch (e) {
      throw new ClusterSetupError(`Could not bind the cluster bus port ${this.busPortToBind}: ${(e as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    this.saveOrLog();
    await this.runtime.stop();
  }

  private saveOrLog(): void {
    const err = this.saveConfig();
    if (err !== null) this.logger.warn(err);
  }

  // ------------------------------------------------------------ ClusterHost

  afterAdmin(): void {
    this.runtime.run(() => undefined);
  }

  saveConfig(): string | null {
    try {
      writeNodesConfAtomically(this.file, serializeNodesConf(this.core.persisted()));
      return null;
    } catch (e) {
      return `ERR error saving the cluster node config: ${(e as Error).message}`;
    }
  }

  links(): readonly ClusterLinkInfo[] {
    return this.runtime.links().map((l) => ({
      direction: l.direction,
      nodeId: l.nodeId,
      createTimeMs: l.createdMs,
      events: l.queuedMessages > 0 ? 'rw' : 'r',
      sendBufferAllocated: l.queuedBytes,
      sendBufferUsed: l.queuedBytes,
    }));
  }

  newIdentity(): MyselfIdentity {
    const view = this.core.view;
    const me = view.nodes.get(view.myId)!;
    return { id: randomHexId(), shardId: randomHexId(), ip: me.ip, port: me.port, busPort: me.busPort, hostname: me.hostname, zone: me.zone };
  }

  messageStatsLines(): readonly string[] {
    return this.runtime.clusterInfoStatsLines();
  }
}
