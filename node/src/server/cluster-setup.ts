// Makes a tessera-server a cluster node when cluster-enabled is yes: loads
// nodes.conf (a damaged file stops the node: starting fresh would take a new
// id and drop its slots), builds the ClusterCore and its ClusterRuntime,
// installs the routing gate and cluster-wide PUBLISH, and writes nodes.conf
// whenever the core asks: atomically and durably when an epoch changed (temp
// file, fsync, rename, fsync dir), so a crash leaves either the old file or
// the new one, never half of one; otherwise in place, before the reply.

import fs from 'node:fs';
import type * as grpc from '@grpc/grpc-js';
import path from 'node:path';
import type { NodeState } from '../commands/node-state.js';
import type { ClusterHost, ClusterLinkInfo } from '../commands/cluster/host.js';
import type { ClusterCoreApi, MyselfIdentity, PersistedClusterConfig } from '../cluster/api.js';
import { ClusterCore } from '../cluster/core.js';
import { parseNodesConf, NodesConfError, NodesConfSerializer, rangeText } from '../cluster/nodes-conf.js';
import { rangesFromSlots } from '../cluster/slot-ranges.js';
import { clusterGate } from '../commands/cluster/gate.js';
import type { Logger } from '../core/log.js';
import { randomHexId, realRandom, wallClockMs } from '../runtime/clock.js';
import { ClusterRuntime } from './cluster-runtime.js';
import { addReplicationService, type NodeReplication } from './replication-node.js';
import { SyncReplication } from '../services/sync-replication.js';
import { FAILOVER_DIRECTIVES, failoverSettingsFrom } from '../config/failover-settings.js';
import { handOverBeforeShutdown, sendAdminCommand } from './shutdown.js';
import { setTimer } from '../runtime/clock.js';

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

/**
 * Writes nodes.conf. With `fsync` (an epoch changed, CLUSTER SAVECONFIG):
 * temp file, fsync, rename, fsync of the directory, so that a crash of the
 * machine at any point leaves the old file or the new one, durably. Without
 * it, as Redis 7.0's clusterSaveConfig(0): the file is overwritten in place
 * (no rename: on ext4 a rename over a file is a journalled metadata change
 * that also starts writeback, ~1.5 ms each on a busy disk, and a reshard
 * saves four times per slot), padded with newlines to its old length first
 * so that a crash between the write and the truncate leaves blank lines,
 * which the parser skips, never a mix of old and new lines.
 */
export function writeNodesConfAtomically(file: string, text: string, fsync = true): void {
  if (!fsync) {
    writeNodesConfInPlace(file, text);
    return;
  }
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

function writeNodesConfInPlace(file: string, text: string): void {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o644);
  try {
    const size = Buffer.byteLength(text, 'latin1');
    const old = fs.fstatSync(fd).size;
    const out = Buffer.alloc(Math.max(size, old), 0x0a);
    out.latin1Write(text, 0);
    let at = 0;
    while (at < out.length) at += fs.writeSync(fd, out, at, out.length - at, at);
    if (old > size) fs.ftruncateSync(fd, size);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * What must be durable before a message that depends on it leaves: the
 * epochs (currentEpoch, lastVoteEpoch, every node's configEpoch). A save
 * that changes none of them (slot moves between SETSLOTs, flags, addresses)
 * needs no fsync: the cluster re-learns those from its peers.
 */
export function epochSignature(conf: PersistedClusterConfig): string {
  let sig = `${conf.currentEpoch}/${conf.lastVoteEpoch}`;
  for (const n of conf.nodes) sig += ` ${n.id}:${n.configEpoch}`;
  return sig;
}

/**
 * Saves nodes.conf for a node: fsynced when asked (CLUSTER SAVECONFIG, a
 * forced effect) or when the epochs differ from the last durable write,
 * otherwise written to the page cache only. Returns whether it fsynced.
 *
 * With `lazy`, a save that needs no fsync is written in the background on
 * the libuv thread pool (latest text wins, one write in flight), so the
 * command that caused it replies without waiting: a synchronous write()
 * into a page under writeback waits for it (stable pages), ~1 ms per save
 * on this machine's disk, and a reshard saves about five times per slot.
 * The descriptor stays open between background writes (each pool hop
 * costs a thread wake-up, and open/fstat/close were three more per save);
 * the file is padded with newlines to the longest text written through it
 * instead of truncated (the parser skips blank lines). What that gives up:
 * a process crash in the next few hundred microseconds keeps the previous
 * slot table in the file, which is what a machine crash already does to
 * an un-fsynced write; the epochs (what must be durable) always take the
 * synchronous path, which replaces the file (a new inode: a background
 * write still in flight lands in the old one, and the descriptor is
 * reopened before the next).
 */
export class NodesConfWriter {
  /** epochSignature() of the last fsynced file ('' until the first). */
  private durableEpochs = '';
  /** Bumped by every synchronous write. */
  private generation = 0;
  private pendingText: string | null = null;
  private inFlight = false;
  private closed = false;
  /** The background writes' descriptor, valid while fdGeneration === generation. */
  private fd: number | null = null;
  private fdGeneration = -1;
  /** Bytes in the file behind fd (it never shrinks through fd). */
  private fdSize = 0;
  private readonly serializer = new NodesConfSerializer();
  /**
   * The synchronous in-place writes' descriptor, kept open between saves
   * (open + close were two of the five syscalls of each save, and a reshard
   * saves two or three times per slot). Closed by a durable write, which
   * replaces the file, and reopened when the file behind it was unlinked.
   */
  private syncFd: number | null = null;
  /** Reused output buffer of the in-place writes (grown as needed). */
  private syncBuf: Buffer = Buffer.alloc(0);

  constructor(
    readonly file: string,
    private readonly lazy = false,
    private readonly onLazyError: (e: Error) => void = () => undefined,
  ) {}

  save(conf: PersistedClusterConfig, fsync: boolean): boolean {
    const sig = epochSignature(conf);
    const durable = fsync || sig !== this.durableEpochs;
    const text = this.serializer.serialize(conf);
    if (this.lazy && !durable && !this.closed) {
      this.pendingText = text;
      this.pump();
      return false;
    }
    this.generation++;
    this.pendingText = null;
    if (durable) {
      this.closeSyncFd();
      writeNodesConfAtomically(this.file, text, true);
      this.durableEpochs = sig;
    } else if (this.closed) {
      // A save during stop, after close(): no descriptor to keep any more.
      writeNodesConfInPlace(this.file, text);
    } else {
      this.writeInPlace(text);
    }
    return durable;
  }

  /**
   * writeNodesConfInPlace through the kept descriptor: the same bytes (text
   * padded with newlines to the old length, then truncated), so a crash
   * mid-write leaves blank lines, never a mix of old and new lines. fstat
   * gives the size and shows a file unlinked or replaced behind our back (an
   * operator removing it: then a new file is created, as reopening would).
   */
  private writeInPlace(text: string): void {
    let fd = this.syncFd;
    let st = fd === null ? null : fs.fstatSync(fd);
    if (fd === null || st === null || st.nlink === 0) {
      this.closeSyncFd();
      fd = fs.openSync(this.file, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o644);
      this.syncFd = fd;
      st = fs.fstatSync(fd);
    }
    const size = text.length; // latin1: one byte per character
    const old = st.size;
    const total = Math.max(size, old);
    if (this.syncBuf.length < total) this.syncBuf = Buffer.allocUnsafe(Math.max(total, this.syncBuf.length * 2, 4096));
    const out = this.syncBuf;
    out.latin1Write(text, 0);
    if (old > size) out.fill(0x0a, size, old);
    try {
      let at = 0;
      while (at < total) at += fs.writeSync(fd, out, at, total - at, at);
      if (old > size) fs.ftruncateSync(fd, size);
    } catch (e) {
      this.closeSyncFd();
      throw e;
    }
  }

  private closeSyncFd(): void {
    if (this.syncFd === null) return;
    const fd = this.syncFd;
    this.syncFd = null;
    try {
      fs.closeSync(fd);
    } catch {
      // Already unusable: nothing to release.
    }
  }

  /** True while a background write is queued or running (tests). */
  get busy(): boolean {
    return this.inFlight || this.pendingText !== null;
  }

  /** Server stop: no more background writes; the descriptor is closed once idle. */
  close(): void {
    this.closed = true;
    this.pendingText = null;
    this.closeSyncFd();
    if (!this.inFlight) this.dropFd();
  }

  private dropFd(): void {
    if (this.fd === null) return;
    fs.close(this.fd, () => undefined);
    this.fd = null;
  }

  private pump(): void {
    if (this.inFlight || this.pendingText === null) return;
    this.inFlight = true;
    const done = (err: Error | null): void => {
      this.inFlight = false;
      if (err) {
        this.dropFd();
        this.onLazyError(err);
      }
      if (this.closed) this.dropFd();
      else this.pump();
    };
    if (this.fd !== null && this.fdGeneration === this.generation) {
      this.writePending(this.fd, done);
      return;
    }
    this.dropFd();
    const gen = this.generation;
    fs.open(this.file, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o644, (err, fd) => {
      if (err) return done(err);
      fs.fstat(fd, (se, st) => {
        if (se || gen !== this.generation || this.closed) {
          // Failed, or a synchronous write replaced the file meanwhile: the next pump reopens.
          fs.close(fd, () => undefined);
          return done(se ?? null);
        }
        this.fd = fd;
        this.fdGeneration = gen;
        this.fdSize = st.size;
        this.writePending(fd, done);
      });
    });
  }

  private writePending(fd: number, done: (err: Error | null) => void): void {
    const text = this.pendingText;
    this.pendingText = null;
    if (text === null) return done(null);
    const out = Buffer.alloc(Math.max(Buffer.byteLength(text, 'latin1'), this.fdSize), 0x0a);
    out.latin1Write(text, 0);
    this.fdSize = out.length;
    const writeFrom = (at: number): void => {
      if (at >= out.length) return done(null);
      fs.write(fd, out, at, out.length - at, at, (we, n) => (we ? done(we) : writeFrom(at + n)));
    };
    writeFrom(0);
  }
}

export interface ClusterSetupOptions {
  readonly node: NodeState;
  readonly logger: Logger;
  /** The bound client port (for port + 10000 and the announced port). */
  readonly tcpPort: number;
  /** Replication, hosted on the bus's gRPC server and driven by role changes. */
  readonly replication?: NodeReplication;
}

/** One line of the failover timeline (INFO failover). */
interface TimelineEntry {
  readonly atMs: number;
  readonly phase: string;
  readonly detail: string;
}

const TIMELINE_MAX = 32;
const CLUSTERDOWN_EMPTY = 'CLUSTERDOWN The cluster is down';

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
  private readonly confWriter: NodesConfWriter;
  private readonly node: NodeState;
  private readonly logger: Logger;
  private readonly busPortToBind: number;
  readonly replication: NodeReplication | null;
  readonly sync: SyncReplication | null;
  /** Failover phases as they happened (INFO failover). */
  private readonly timeline: TimelineEntry[] = [];
  private promotions = 0;
  private lastPromotionMs = 0;
  private firstWriteAfterPromotionMs = 0;
  private pendingStatePush = false;
  /**
   * Restarted without data while nodes.conf says we own slots that a replica
   * holds: we serve none of them and refuse replicas until our replica took
   * the slots over and we follow it (DESIGN: never an empty keyspace for
   * slots that hold data elsewhere). The reason, or null.
   */
  private emptyRestart: string | null = null;
  private takeoverTimer: NodeJS.Timeout | null = null;

  constructor(opts: ClusterSetupOptions) {
    const { node, logger, tcpPort } = opts;
    this.node = node;
    this.logger = logger;
    this.replication = opts.replication ?? null;
    const cfg = node.config;
    this.file = path.resolve(cfg.get('cluster-config-file') || 'nodes.conf');
    // Synchronous (in place, fsync only when an epoch changed): as in Redis, the file holds a
    // SETSLOT's state before its reply leaves, so a kill -9 right after OK keeps it. The
    // background mode raced a reader of nodes.conf right after the reply (CI caught it).
    this.confWriter = new NodesConfWriter(this.file, false, (e) => this.logger.warn(`error saving the cluster node config: ${e.message}`));
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
      ...failoverSettingsFrom(cfg),
    });
    // CONFIG SET of a failover directive reaches the election too, not only
    // the services that read the config on each use (sync-mode write holds).
    cfg.onChange((name) => {
      if (name === 'cluster-node-timeout') {
        const ms = Math.max(1, cfg.getNumber('cluster-node-timeout'));
        this.runtime.run(() => this.core.setNodeTimeout(ms));
        logger.info('Node timeout changed', { nodeTimeoutMs: ms });
        return;
      }
      if (!FAILOVER_DIRECTIVES.has(name)) return;
      const s = this.runtime.run(() => this.core.setFailoverSettings(failoverSettingsFrom(cfg)));
      logger.info('Failover settings changed', { directive: name, ...s });
    });
    logger.info(persisted ? 'Node configuration loaded, I\'m ' + this.core.view.myId : 'No cluster configuration found, I\'m ' + this.core.view.myId, { file: this.file });
    const repl = this.replication;
    this.runtime = new ClusterRuntime(this.core, {
      bindHost: cfg.get('bind') || '*',
      busPort: this.busPortToBind,
      logger,
      ...(repl ? { registerServices: (server: grpc.Server) => addReplicationService(server, repl) } : {}),
      callbacks: {
        onRoleChanged: (primaryId) => this.roleChanged(primaryId),
        onPauseWrites: (untilMs) => {
          this.note('pause-writes', `until ${untilMs}`);
          node.dispatcher.pause(untilMs, false);
        },
        onResumeWrites: () => {
          this.note('resume-writes', '');
          node.dispatcher.unpause();
        },
        beforeEvent: (nowMs) => this.pushReplicationState(nowMs),
        onEvent: (name, fields) => {
          if (fields['phase'] !== undefined) this.note(String(fields['phase']), `${name} ${JSON.stringify(fields)}`);
        },
        onSaveConfig: (fsync, sending) => (fsync || sending ? this.saveNow(fsync) : this.saveSoon()),
        beforeSend: () => this.writeDueSave(),
        onSlotsLost: (slots) => this.deleteKeysInLostSlots(slots),
        // No onViewChanged: routing and the CLUSTER commands read core.view on use, built lazily.
        onPublish: (channel, message, sharded) => {
          if (sharded) node.pubsub.spublish(channel, message);
          else node.pubsub.publish(channel, message);
        },
      },
    });
    node.clusterEnabled = true;
    node.cluster = this;
    node.keyspace.db(0).enableSlotIndex();
    // Routing first, as in Redis's processCommand: a write to a replica gets MOVED, not READONLY.
    node.dispatcher.gates.unshift(clusterGate());
    this.wirePublish();
    this.sync = repl ? new SyncReplication(node, repl) : null;
    if (repl) {
      this.sync!.install();
      repl.primarySide.onOffsetChanged = () => this.scheduleStatePush();
      this.checkEmptyRestart(persisted);
      node.dispatcher.gates.push((_s, cmd) => (this.emptyRestart !== null && (cmd.write || cmd.spec.keys.first > 0 || cmd.spec.keys.find !== undefined) ? CLUSTERDOWN_EMPTY : null));
      this.wireFirstWrite();
    }
    // A new node writes its identity at once, as Redis does, so a restart keeps the id.
    this.saveOrLog(true);
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
    // A replica restarted from nodes.conf follows its primary again (and full-syncs before serving reads).
    const view = this.core.view;
    const me = view.nodes.get(view.myId);
    if (me && me.flags.includes('slave') && me.primaryId !== '') this.roleChanged(me.primaryId);
    if (this.emptyRestart !== null) this.askReplicaToTakeOver(0);
  }

  /** SIGTERM / SHUTDOWN: a primary hands its slots to its best replica first (bounded by shutdown-timeout). */
  async beforeShutdown(): Promise<void> {
    if (!this.replication) return;
    await handOverBeforeShutdown({ node: this.node, cluster: this, replication: this.replication, logger: this.logger });
  }

  async stop(): Promise<void> {
    if (this.takeoverTimer) clearTimeout(this.takeoverTimer);
    this.saveNow(true);
    this.confWriter.close();
    await this.runtime.stop();
  }

  // ------------------------------------------------------- replication glue

  /** The core's role-changed effect: follow the new primary, or become one. */
  private roleChanged(primaryId: string | null): void {
    const repl = this.replication;
    if (!repl) return;
    if (primaryId === null) {
      this.promotions++;
      this.lastPromotionMs = wallClockMs();
      this.firstWriteAfterPromotionMs = 0;
      this.note('promotion', 'replication: this node is a primary now');
      repl.promote();
      return;
    }
    const p = this.core.view.nodes.get(primaryId);
    if (!p) {
      this.logger.warn('Role changed to replica of an unknown node', { primaryId });
      return;
    }
    if (this.emptyRestart !== null) {
      this.logger.warn('Restarted without data: following the node that took our slots over', { primary: primaryId });
      this.emptyRestart = null;
      repl.primarySide.refuseSync = null;
      if (this.takeoverTimer) clearTimeout(this.takeoverTimer);
      this.takeoverTimer = null;
    }
    this.note('replicate', `${primaryId} ${p.ip}:${p.port}`);
    repl.replicaOf(p.ip, p.port, p.busPort);
  }

  /** Offsets to the core, at most once per event-loop turn (every write moves it). */
  private scheduleStatePush(): void {
    if (this.pendingStatePush) return;
    this.pendingStatePush = true;
    setImmediate(() => {
      this.pendingStatePush = false;
      this.runtime.run((core, nowMs) => this.pushReplicationStateTo(core, nowMs));
    });
  }

  private pushReplicationState(nowMs: number): void {
    this.pushReplicationStateTo(this.core, nowMs);
  }

  private pushReplicationStateTo(core: ClusterCoreApi, nowMs: number): void {
    const repl = this.replication;
    if (!repl) return;
    const st = repl.state;
    const p = st.primary;
    const downSince = p === null || p.state === 'connected' ? null : p.downSinceMs >= 0 ? p.downSinceMs : p.lastIoMs;
    // A replica: what its primary last reported over the stream (ReplAcked).
    const acked = st.knownAckedOffset(this.node.config.get('availability-zone') ?? '');
    core.setReplicationState({ offset: st.offset, primaryLinkDownSinceMs: downSince, primaryAckedOffset: acked }, nowMs);
  }

  /** Records the first client write accepted after a promotion (failover timeline). */
  private wireFirstWrite(): void {
    const d = this.node.dispatcher;
    const previous = d.afterCall;
    d.afterCall = (s, cmd, args, micros) => {
      if (previous) previous(s, cmd, args, micros);
      if (this.lastPromotionMs === 0 || this.firstWriteAfterPromotionMs !== 0 || !cmd.write || s.kindFlags !== '') return;
      const now = wallClockMs();
      this.firstWriteAfterPromotionMs = now;
      this.note('first-write', `${now - this.lastPromotionMs} ms after promotion`);
      this.runtime.run((core) => core.noteFirstWriteAccepted(now));
    };
  }

  /** A timeline entry, also logged. */
  private note(phase: string, detail: string): void {
    const atMs = wallClockMs();
    this.timeline.push({ atMs, phase, detail });
    if (this.timeline.length > TIMELINE_MAX) this.timeline.shift();
    this.logger.info(`Failover phase: ${phase}`, { phase, detail });
  }

  /** INFO failover. */
  failoverInfoLines(): string[] {
    const view = this.core.view;
    const me = view.nodes.get(view.myId);
    const out = [
      `role:${me?.flags.includes('master') ? 'master' : 'replica'}`,
      `promotions:${this.promotions}`,
      `last_promotion_ms:${this.lastPromotionMs}`,
      `first_write_after_promotion_ms:${this.firstWriteAfterPromotionMs}`,
      `first_write_delay_ms:${this.firstWriteAfterPromotionMs > 0 ? this.firstWriteAfterPromotionMs - this.lastPromotionMs : -1}`,
      `write_pause_until_ms:${this.node.dispatcher.pauseEndMs}`,
      `empty_restart_waiting:${this.emptyRestart !== null ? 1 : 0}`,
      `timeline_entries:${this.timeline.length}`,
    ];
    const entries = this.core.failoverTimeline();
    const at = (v: number | null): number => v ?? -1;
    entries.forEach((e, i) =>
      out.push(
        `failover_${i}:failed=${e.failedPrimaryId},new=${e.newPrimaryId ?? '-'},manual=${e.manual ? 1 : 0},pfail=${at(e.pfailMs)},fail=${at(e.failMs)},election_start=${at(e.electionStartMs)},epoch=${e.epoch ?? -1},votes=${e.votes},last_vote=${at(e.lastVoteMs)},promoted=${at(e.promotedMs)},first_write=${at(e.firstWriteMs)}`,
      ),
    );
    this.timeline.forEach((t, i) => out.push(`timeline_${i}:at=${t.atMs},phase=${t.phase.replace(/[\s,]/g, '_')},detail=${t.detail.replace(/[\r\n]/g, ' ')}`));
    if (this.sync) out.push(...this.sync.infoLines());
    return out;
  }

  // ------------------------------------------------- restart without data

  /**
   * nodes.conf says we own slots and some node replicates us, but we have no
   * data (no persistence): serving would answer nil for keys that exist on
   * the replica. Refuse keyed commands and replicas until it took over.
   */
  private checkEmptyRestart(persisted: PersistedClusterConfig | null): void {
    // No persistence is in effect yet (appendonly is accepted, not implemented): a start is always empty.
    if (!persisted || this.node.keyspace.keyCount() > 0) return;
    const mine = persisted.nodes.find((n) => n.flags.includes('myself'));
    if (!mine || !mine.flags.includes('master') || mine.slots.length === 0) return;
    const replicas = persisted.nodes.filter((n) => n.primaryId === mine.id && !n.flags.includes('myself'));
    if (replicas.length === 0) return;
    this.emptyRestart = 'restarted without its data; a replica takes the slots over';
    this.replication!.primarySide.refuseSync = "Can't SYNC: this primary restarted without its data";
    this.logger.warn('Restarted with slots in nodes.conf but no data: not serving them; asking a replica to take over', { replicas: replicas.map((r) => `${r.ip}:${r.port}`).join(' ') });
    this.note('empty-restart', 'refusing to serve slots without data');
  }

  /** CLUSTER FAILOVER TAKEOVER on our best replica, retried every 500 ms until we follow someone. */
  private askReplicaToTakeOver(attempt: number): void {
    if (this.emptyRestart === null || attempt > 600) return;
    const view = this.core.view;
    const me = view.nodes.get(view.myId);
    if (me && me.slots.length === 0) return;
    const replicas = [...view.nodes.values()].filter((n) => n.primaryId === view.myId && !n.flags.includes('fail'));
    replicas.sort((a, b) => b.replOffset - a.replOffset);
    const r = replicas[0];
    const next = (): void => {
      this.takeoverTimer = setTimer(() => this.askReplicaToTakeOver(attempt + 1), 500);
    };
    if (!r) {
      next();
      return;
    }
    void sendAdminCommand(r.ip, r.port, ['CLUSTER', 'FAILOVER', 'TAKEOVER'], 1000).then((reply) => {
      if (attempt % 10 === 0) this.logger.info('Asked our replica to take over', { replica: `${r.ip}:${r.port}`, reply });
      next();
    });
  }

  private saveOrLog(fsync: boolean): void {
    const err = this.writeConfig(fsync);
    if (err !== null) this.logger.warn(err);
  }

  /**
   * Redis's dirty slots: a primary that lost slots to a higher-epoch claim
   * deletes the keys it still holds in them (delKeysInSlot), so they neither
   * linger unreachable (counted by DBSIZE and memory) nor come back stale if
   * the slot returns; replicas get the DELs. In a reshard the source is
   * empty when its slot leaves; this happens when an owner's SETSLOT NODE or
   * a failover reaches a node that still has keys of the slot.
   */
  private deleteKeysInLostSlots(slots: readonly number[]): void {
    const node = this.node;
    const db = node.keyspace.db(0);
    let keys = 0;
    const dirty: number[] = [];
    for (const slot of slots) {
      const inSlot = db.keysInSlot(slot, Number.MAX_SAFE_INTEGER);
      if (inSlot.length === 0) continue;
      dirty.push(slot);
      for (const key of inSlot) {
        if (!db.delete(key)) continue;
        keys++;
        node.propagation.keyDeleted(0, key);
        node.pubsub.keyEvent('g', 'del', key, 0);
      }
    }
    if (keys > 0) this.logger.warn('Deleted the keys of slots lost to a node with a higher config epoch', { slots: rangesFromSlots(dirty).map(rangeText).join(' '), keys });
  }

  /** A save asked for and not written yet (saveSoon). */
  private saveDue = false;

  private saveNow(fsync: boolean): void {
    this.clearDueSave();
    this.saveOrLog(fsync);
  }

  /**
   * A save that neither needs fsync nor precedes a message: written before
   * the next reply leaves (any connection's), before the next bus message,
   * or at the end of this event-loop turn, whichever comes first. Redis saves
   * nodes.conf once per turn in beforeSleep, before replies are written; a
   * coordinator pipelining SETSLOTs for several slots (each one a full
   * rewrite of the file, 15-25 us) then pays for one write per batch.
   */
  private saveSoon(): void {
    if (this.saveDue) return;
    this.saveDue = true;
    this.node.beforeReplies = this.writeDueSave;
    setImmediate(this.writeDueSave);
  }

  private readonly writeDueSave = (): void => {
    if (!this.saveDue) return;
    this.clearDueSave();
    this.saveOrLog(false);
  };

  private clearDueSave(): void {
    this.saveDue = false;
    if (this.node.beforeReplies === this.writeDueSave) this.node.beforeReplies = null;
  }

  // ------------------------------------------------------------ ClusterHost

  afterAdmin(): void {
    this.runtime.run(() => undefined);
  }

  /** CLUSTER SAVECONFIG: always durable, as Redis's clusterSaveConfig(1). */
  saveConfig(): string | null {
    this.clearDueSave();
    return this.writeConfig(true);
  }

  /**
   * Writes nodes.conf; fsynced when asked or when the epochs differ from the
   * last durable write (so a vote or an epoch bump is on disk before the
   * message announcing it is sent: the runtime saves before it sends).
   */
  private writeConfig(fsync: boolean): string | null {
    try {
      this.confWriter.save(this.core.persisted(), fsync);
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
