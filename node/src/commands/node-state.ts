// NodeState is everything a command can reach besides its own session: the
// keyspace, configuration, statistics, other clients, pub/sub, blocking and
// WATCH registries. It holds no sockets; the server adapter implements
// NodeHost (delivering bytes to another client, shutting down).

import { Keyspace, STARTUP_BYTES, type KeyspaceEvents, type MaxmemoryPolicy } from '../keyspace/keyspace.js';
import { Evictor } from '../keyspace/eviction.js';
import type { Config } from '../config/config.js';
import { ServerStats } from '../services/stats.js';
import { ClientRegistry } from '../services/clients.js';
import { WatchRegistry } from '../services/watch.js';
import { KeyGuards } from '../services/key-guards.js';
import { PubSubHub } from '../services/pubsub.js';
import { BlockingRegistry } from '../services/blocking.js';
import { SlowLog } from '../services/slowlog.js';
import { MonitorHub } from '../services/monitor.js';
import { LatencyTracker } from '../services/latency-tracking.js';
import { RateMeter, realProcessFacts, type ProcessFacts } from '../services/info.js';
import type { ReplyWriter } from '../resp/writer.js';
import type { Session } from './session.js';
import type { Logger } from '../core/log.js';
import { CommandRegistry } from './registry.js';
import { Dispatcher } from './dispatch.js';
import type { CommandSpec } from './spec.js';
import type { ClusterHost } from './cluster/host.js';
import { Propagation } from '../replication/propagation.js';
import type { ReplicationHost } from '../replication/host.js';

/** Directives the Keyspace reads, applied at start and on CONFIG SET. */
const KEYSPACE_DIRECTIVES = ['maxmemory-policy', 'maxmemory-samples', 'lfu-log-factor', 'lfu-decay-time', 'active-expire-effort', 'hz'];

export interface NodeHost {
  /** Writes a reply to a session outside its own command batch (pub/sub, unblocking). */
  deliver(s: Session, write: (w: ReplyWriter) => void): void;
  /** Stops the server (SHUTDOWN); returns an error reason or null. */
  shutdown(opts: { save: boolean | null; now: boolean; force: boolean }): string | null;
  /** Resumes a paused session's parser (after a blocking command was served). */
  resume(s: Session): void;
  /** The set of blocked clients or their deadlines changed: re-arm the timeout timer. */
  blockingChanged(): void;
  /** Identity of the process for INFO server. */
  readonly pid: number;
  readonly tcpPort: number;
  readonly executable: string;
  readonly configFile: string;
}

export interface NodeStateOptions {
  config: Config;
  random: () => number;
  host: NodeHost;
  runId: string;
  startMs: number;
  logger: Logger;
  commands: readonly CommandSpec[];
}

/** AUTH and HELLO ... AUTH passwords never reach a MONITOR (Redis's redactClientCommandArgument). */
function redactForMonitor(fullName: string, args: string[]): string[] {
  if (fullName === 'auth') return args.map((a, i) => (i === 0 ? a : '(redacted)'));
  if (fullName === 'hello') {
    const out = [...args];
    for (let i = 2; i < out.length; i++) {
      if (out[i]!.toLowerCase() === 'auth' && i + 2 < out.length) {
        out[i + 1] = '(redacted)';
        out[i + 2] = '(redacted)';
        i += 2;
      }
    }
    return out;
  }
  return args;
}

export class NodeState {
  readonly keyspace: Keyspace;
  readonly config: Config;
  readonly stats = new ServerStats();
  readonly clients = new ClientRegistry();
  readonly watches = new WatchRegistry();
  /** Keys MIGRATE has sent and not yet deleted (commands/generic/migrate.ts). */
  readonly keyGuards = new KeyGuards();
  readonly pubsub: PubSubHub;
  readonly blocking: BlockingRegistry;
  readonly host: NodeHost;
  readonly runId: string;
  readonly startMs: number;
  readonly random: () => number;
  readonly logger: Logger;
  readonly registry: CommandRegistry;
  readonly dispatcher: Dispatcher;
  /** Cluster mode (cluster-enabled yes): one database, slot routing. */
  clusterEnabled = false;
  /** Cluster mode's core and server side (CLUSTER commands, routing); null on a standalone node. */
  cluster: ClusterHost | null = null;
  /** What goes down the replication stream (SELECT, rewrites, DELs of expired keys). */
  readonly propagation: Propagation;
  /** Replication's server side (REPLICAOF, ROLE, WAIT, INFO replication); null until the server wires it. */
  replication: ReplicationHost | null = null;
  /** Chooses and evicts keys when used memory exceeds maxmemory. */
  readonly evictor: Evictor;
  readonly slowlog = new SlowLog();
  /** Per-command latency histograms (latency-tracking). */
  readonly latencyTracker = new LatencyTracker();
  /** Sessions in MONITOR mode. */
  readonly monitors = new MonitorHub();
  /** DEBUG SET-ACTIVE-EXPIRE 0 turns the cron's expiry sampling off (tests of lazy expiry). */
  activeExpireEnabled = true;
  /** Snapshots for INFO's instantaneous_* rates. */
  readonly rateMeter = new RateMeter();
  /** RSS, CPU and OS for INFO; tests pin them. */
  processFacts: ProcessFacts = realProcessFacts();
  /** Unix ms of the last successful save (LASTSAVE); the start time until persistence exists. */
  lastSaveMs: number;
  /**
   * Work that must be done before any reply leaves (a nodes.conf write the
   * cluster deferred to once per batch; see ClusterSetup.saveSoon). Called,
   * then cleared by its owner, by the connection layer before it writes.
   */
  beforeReplies: (() => void) | null = null;

  constructor(opts: NodeStateOptions) {
    this.config = opts.config;
    this.host = opts.host;
    this.runId = opts.runId;
    this.startMs = opts.startMs;
    this.random = opts.random;
    this.logger = opts.logger;
    this.registry = new CommandRegistry(opts.commands, this.stats);
    this.dispatcher = new Dispatcher(this, this.registry);
    this.pubsub = new PubSubHub(this);
    this.blocking = new BlockingRegistry(this);
    this.lastSaveMs = opts.startMs;
    this.wireSlowlog();
    this.propagation = new Propagation(() => this.keyspace.dirty);
    this.dispatcher.beforeCall = (s, cmd) => this.propagation.beforeCall(s, cmd);
    const events: KeyspaceEvents = {
      keyEvent: (cls, event, key, db) => {
        // Expired and evicted keys reach replicas as DEL (replicas never expire keys themselves).
        if (cls === 'x' || cls === 'e') this.propagation.keyDeleted(db, key);
        this.pubsub.keyEvent(cls, event, key, db);
      },
      keyModified: (db, key) => {
        this.watches.touched(db, key);
        this.keyGuards.touched(db, key);
        this.blocking.keyModified(db, key);
      },
      dbFlushed: (db) => {
        this.watches.flushed(db);
        this.keyGuards.flushed(db);
        this.blocking.databaseChanged(db);
      },
    };
    this.keyspace = new Keyspace({ databases: this.config.getNumber('databases'), random: opts.random, events });
    this.evictor = new Evictor(this.keyspace, {
      usedMemory: () => this.usedMemory(),
      maxmemory: () => this.config.maxmemoryBytes(),
    });
    this.dispatcher.evictor = () => this.evictor.performEvictions();
    for (const name of KEYSPACE_DIRECTIVES) this.applyKeyspaceConfig(name);
    this.config.onChange((name) => {
      this.applyKeyspaceConfig(name);
      // Lowering maxmemory evicts at once, as Redis's CONFIG SET maxmemory does.
      if (name === 'maxmemory') this.evictor.performEvictions();
    });
  }

  /** Copies a keyspace-relevant directive into the Keyspace. */
  private applyKeyspaceConfig(name: string): void {
    const ks = this.keyspace;
    const value = this.config.get(name);
    if (value === undefined) return;
    switch (name) {
      case 'maxmemory-policy':
        ks.maxmemoryPolicy = value as MaxmemoryPolicy;
        break;
      case 'maxmemory-samples':
        ks.maxmemorySamples = Number(value);
        break;
      case 'lfu-log-factor':
        ks.lfuLogFactor = Number(value);
        break;
      case 'lfu-decay-time':
        ks.lfuDecayTimeMin = Number(value);
        break;
      case 'active-expire-effort':
        ks.activeExpireEffort = Number(value);
        break;
      case 'hz':
        ks.cronHz = Number(value);
        break;
    }
  }

  /**
   * What INFO reports as used_memory and eviction compares to maxmemory:
   * Redis's startup baseline plus the accounted bytes of every key, value
   * and TTL. (Client buffers are not tracked per session yet.)
   */
  usedMemory(): number {
    return STARTUP_BYTES + this.keyspace.dataBytes;
  }

  /** Highest usedMemory() since start or CONFIG RESETSTAT (INFO used_memory_peak). */
  get usedMemoryPeak(): number {
    return STARTUP_BYTES + this.keyspace.dataBytesPeak;
  }

  /** Feeds the slow log from every executed command, with its limits kept in step with CONFIG SET. */
  private wireSlowlog(): void {
    const log = this.slowlog;
    const sync = (): void => {
      log.slowerThanMicros = this.config.getNumber('slowlog-log-slower-than');
      log.maxLen = this.config.getNumber('slowlog-max-len');
      this.dispatcher.timeEveryCall = log.slowerThanMicros >= 0 && log.slowerThanMicros < 1000;
      this.latencyTracker.enabled = this.config.get('latency-tracking') !== 'no';
    };
    sync();
    this.config.onChange((name) => {
      if (name === 'slowlog-log-slower-than' || name === 'slowlog-max-len' || name === 'latency-tracking') sync();
    });
    this.stats.resetListeners.push(() => this.latencyTracker.reset());
    const previous = this.dispatcher.afterCall;
    this.dispatcher.afterCall = (s, cmd, args, micros) => {
      if (previous) previous(s, cmd, args, micros);
      this.propagation.afterCall(s, cmd, args);
      // Admin commands are not shown (they may carry secrets), as in Redis.
      if (!this.monitors.isEmpty && !cmd.admin && !cmd.spec.flags.includes('skip_monitor') && !cmd.parent?.spec.flags.includes('skip_monitor')) {
        this.monitors.feed(s, redactForMonitor(cmd.fullName, args), this.keyspace.nowMs);
      }
      if (micros < 0) return; // not timed: nothing for the histograms or the slow log
      if (this.latencyTracker.enabled) {
        const stat = cmd.stat;
        (stat.latency ??= this.latencyTracker.histogram(cmd.fullName)).record(micros * 1000);
      }
      if (log.slowerThanMicros < 0 || micros < log.slowerThanMicros) return;
      if (cmd.spec.flags.includes('skip_slowlog') || cmd.parent?.spec.flags.includes('skip_slowlog')) return;
      log.record({ nowMs: this.keyspace.nowMs, durationMicros: micros, args, clientAddr: s.transport.remoteAddress, clientName: s.name });
    };
  }

  deliver(s: Session, write: (w: ReplyWriter) => void): void {
    this.host.deliver(s, write);
  }

  notify(cls: string, event: string, key: string, db: number): void {
    this.pubsub.keyEvent(cls, event, key, db);
  }
}
