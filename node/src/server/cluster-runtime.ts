// Wires the pure cluster core to the real world: the gRPC bus, the 100 ms
// tick and the wall clock. The core decides everything; this class only feeds
// it events (received messages, ticks, link changes, admin calls) and, after
// each one, drains it: `out` goes to the bus, effects go to the callbacks the
// server passed in (save nodes.conf, swap the routing view, deliver PUBLISH,
// log an event). Run to completion: every event is applied and drained
// before the next one, on the event loop, so no locking is needed.

import type { ClusterCoreApi } from '../cluster/api.js';
import type { BusMessage, BusTarget, ClusterView } from '../cluster/types.js';
import type { Logger } from '../core/log.js';
import { GrpcBus, type BusStats, type GrpcBusOptions, type LinkInfo } from '../bus/grpc-bus.js';
import { clusterInfoStatsLines } from '../bus/stats.js';
import { setRepeating, wallClockMs } from '../runtime/clock.js';

export interface ClusterRuntimeCallbacks {
  /**
   * Persist nodes.conf (core.persisted()); called at most once per drained
   * event, before its messages are sent. `fsync`: an effect asked for a
   * durable write (the adapter adds epoch changes of its own accord).
   * `sending`: messages of this event leave right after the call. With
   * neither, the adapter may defer the write within this event-loop turn
   * (to the next reply flush, or beforeSend), as Redis saves once per turn
   * in beforeSleep.
   */
  onSaveConfig(fsync: boolean, sending: boolean): void;
  /** Messages are about to be sent by an event that changed no config: a deferred save goes first. */
  beforeSend?(): void;
  /**
   * The core's view changed. At most once per drained event. Optional: the
   * server reads core.view on use, and passing the view here would build it
   * eagerly after every change (a reshard makes several per slot).
   */
  onViewChanged?(view: ClusterView): void;
  /** A PUBLISH from the bus, to deliver to local subscribers. */
  onPublish(channel: string, message: string, sharded: boolean): void;
  /** Every core event, for tests and INFO-style counters; it is also logged. */
  onEvent?(name: string, fields: Readonly<Record<string, string | number>>): void;
  /** This node's role changed: replicate `primaryId` (in the view), or become a primary (null). */
  onRoleChanged?(primaryId: string | null): void;
  /** Manual failover on a primary: hold client writes until untilMs (wall clock). */
  onPauseWrites?(untilMs: number): void;
  onResumeWrites?(): void;
  /** This primary lost `slots` to a higher-epoch claim: delete the keys it holds in them. */
  onSlotsLost?(slots: readonly number[]): void;
  /**
   * Called before the core sees a bus message or a tick, so its replication
   * state (offsets) is current when it decides (manual failover catch-up, rank).
   */
  beforeEvent?(nowMs: number): void;
}

/** Bus tuning passed through to GrpcBus (tests shorten backoffs and bounds). */
export type ClusterBusTuning = Partial<
  Pick<GrpcBusOptions, 'maxQueuedMessages' | 'maxQueuedBytes' | 'maxFrameBytes' | 'reconnectMinMs' | 'reconnectMaxMs' | 'handshakeTimeoutMs' | 'idlePeerMs' | 'keepaliveMs'>
>;

export interface ClusterRuntimeOptions {
  /** Redis `bind` value the bus listens on (client port's bind). */
  readonly bindHost: string;
  /** cluster-port, or client port + 10000. 0 picks a free port (tests). */
  readonly busPort: number;
  readonly logger: Logger;
  readonly callbacks: ClusterRuntimeCallbacks;
  /** How often core.tick runs; Redis's clusterCron runs every 100 ms. */
  readonly tickIntervalMs?: number;
  readonly clock?: () => number;
  readonly bus?: ClusterBusTuning;
  /** Services hosted on the bus's gRPC server (Replication in cluster mode). */
  readonly registerServices?: GrpcBusOptions['registerServices'];
}

export class ClusterRuntime {
  private readonly bus: GrpcBus;
  private readonly clock: () => number;
  private readonly log: Logger;
  private readonly callbacks: ClusterRuntimeCallbacks;
  private readonly tickIntervalMs: number;
  private ticker: NodeJS.Timeout | null = null;
  /** A tick scheduled at core.nextWakeMs() (an election start), ahead of the periodic one. */
  private wakeTimer: NodeJS.Timeout | null = null;
  private wakeAtMs = Infinity;
  /** A settleState queued for the end of this event-loop turn (Redis's beforeSleep). */
  private settleQueued = false;
  private readonly settleNow = (): void => {
    this.settleQueued = false;
    if (this.stopped) return;
    this.core.settleState(this.clock());
    this.drain();
  };
  private stopped = false;

  constructor(
    readonly core: ClusterCoreApi,
    private readonly options: ClusterRuntimeOptions,
  ) {
    this.clock = options.clock ?? wallClockMs;
    this.log = options.logger;
    this.callbacks = options.callbacks;
    this.tickIntervalMs = options.tickIntervalMs ?? 100;
    this.bus = new GrpcBus({
      ...options.bus,
      bindHost: options.bindHost,
      busPort: options.busPort,
      logger: options.logger,
      clock: this.clock,
      identity: () => this.identity(),
      onMessage: (msg) => this.receive(msg),
      onLinkChanged: (target, connected) => this.linkChanged(target, connected),
      ...(options.registerServices ? { registerServices: options.registerServices } : {}),
    });
  }

  get view(): ClusterView {
    return this.core.view;
  }

  /** The bound bus port (differs from options.busPort when that was 0). */
  get busPort(): number {
    return this.bus.port;
  }

  /** Binds the bus and starts ticking. Rejects when the bus port cannot be bound. */
  async start(): Promise<void> {
    await this.bus.start();
    if (this.stopped) return;
    this.ticker = setRepeating(() => this.tick(), this.tickIntervalMs);
    // Messages the core produced before the bus existed (e.g. a restart with nodes.conf).
    this.drain();
  }

  /**
   * Runs an admin operation (CLUSTER MEET, ADDSLOTS, FAILOVER...) against the
   * core with the current time, then sends what it produced.
   */
  run<T>(op: (core: ClusterCoreApi, nowMs: number) => T): T {
    const result = op(this.core, this.clock());
    this.drain();
    this.queueSettle();
    return result;
  }

  /** PUBLISH / SPUBLISH propagation to the cluster. */
  publish(channel: string, message: string, sharded: boolean): void {
    this.run((core) => core.publish(channel, message, sharded));
  }

  /** Bus counters and per-second rates (INFO, CLUSTER INFO). */
  stats(): BusStats {
    return this.bus.stats();
  }

  /** The cluster_stats_messages_* lines of CLUSTER INFO. */
  clusterInfoStatsLines(): string[] {
    return clusterInfoStatsLines(this.bus.stats().counters);
  }

  /** CLUSTER LINKS. */
  links(): LinkInfo[] {
    return this.bus.links();
  }

  /** Drops the link and queue to a peer (after FORGET or RESET). */
  disconnect(ip: string, busPort: number): void {
    this.bus.disconnect(ip, busPort);
  }

  /** Stops ticking and closes the bus (server, streams, timers). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    await this.bus.close();
  }

  // -------------------------------------------------------------------------

  private identity(): { id: string; ip: string; port: number; busPort: number } {
    const view = this.core.view;
    const me = view.nodes.get(view.myId);
    return {
      id: view.myId,
      ip: me?.ip ?? '',
      port: me?.port ?? 0,
      busPort: me?.busPort || this.bus.port,
    };
  }

  private queueSettle(): void {
    if (this.settleQueued) return;
    this.settleQueued = true;
    setImmediate(this.settleNow);
  }

  private tick(): void {
    if (this.stopped) return;
    const now = this.clock();
    this.bus.sample(now);
    this.callbacks.beforeEvent?.(now);
    this.core.tick(now);
    this.drain();
  }

  /** Ticks at core.nextWakeMs() when that comes before the next periodic tick (election jitter is 0-50 ms). */
  private scheduleWake(): void {
    const at = this.core.nextWakeMs();
    if (!Number.isFinite(at) || at >= this.wakeAtMs) return;
    const delayMs = Math.max(0, at - this.clock());
    if (delayMs >= this.tickIntervalMs) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeAtMs = at;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.wakeAtMs = Infinity;
      this.tick();
    }, delayMs);
  }

  private receive(msg: BusMessage): void {
    if (this.stopped) return;
    try {
      const now = this.clock();
      this.callbacks.beforeEvent?.(now);
      this.core.receive(msg, now);
    } catch (err) {
      // A message from the network must not be able to take the node down;
      // a core that throws on one is a bug worth a loud line, not a crash.
      this.log.error('Cluster core failed on a bus message', {
        kind: msg.kind,
        from: msg.header.id,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
    }
    this.drain();
    this.queueSettle();
  }

  private linkChanged(target: BusTarget, connected: boolean): void {
    if (this.stopped) return;
    this.core.linkChanged(target, connected, this.clock());
    this.drain();
  }

  private drain(): void {
    if (this.stopped) return;
    const { out, effects } = this.core.drain();
    // nodes.conf first: a vote (lastVoteEpoch) must be on disk before its ack leaves.
    let save = false;
    let fsync = false;
    for (const e of effects) {
      if (e.kind !== 'save-config') continue;
      save = true;
      if (e.fsync === true) fsync = true;
    }
    if (save) this.callbacks.onSaveConfig(fsync, out.length > 0);
    else if (out.length > 0) this.callbacks.beforeSend?.();
    for (const o of out) this.bus.send(o.to, o.msg);
    let viewChanged = false;
    for (const e of effects) {
      switch (e.kind) {
        case 'save-config':
          break;
        case 'view-changed':
          viewChanged = true;
          break;
        case 'deliver-publish':
          this.callbacks.onPublish(e.channel, e.message, e.sharded);
          break;
        case 'event':
          this.log.info(e.name, e.fields);
          this.callbacks.onEvent?.(e.name, e.fields);
          break;
        case 'role-changed':
          this.log.info('Role changed', { primaryId: e.primaryId ?? '-' });
          this.callbacks.onRoleChanged?.(e.primaryId);
          break;
        case 'pause-writes':
          this.log.info('Manual failover: pausing client writes', { untilMs: e.untilMs });
          this.callbacks.onPauseWrites?.(e.untilMs);
          break;
        case 'resume-writes':
          this.log.info('Manual failover: resuming client writes');
          this.callbacks.onResumeWrites?.();
          break;
        case 'slots-lost':
          this.callbacks.onSlotsLost?.(e.slots);
          break;
      }
    }
    // Coalesced: one view swap per event, however many changes it made (the save went first, above).
    if (viewChanged && this.callbacks.onViewChanged) this.callbacks.onViewChanged(this.core.view);
    this.scheduleWake();
  }
}
