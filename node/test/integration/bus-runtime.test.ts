// ClusterRuntime with a test double of ClusterCoreApi (the real core is
// written concurrently): admin calls, received messages and ticks are drained
// to the bus; effects reach the callbacks, coalesced; link changes reach the
// core; stop() closes everything.

import assert from 'node:assert/strict';
import type { AdminResult, ClusterCoreApi, Drained, FailoverTimelineEntry, PersistedClusterConfig } from '../../src/cluster/api.js';
import type { BusMessage, BusTarget, ClusterEffect, ClusterView, NodeHeader, NodeView, Outgoing } from '../../src/cluster/types.js';
import type { LogFields, Logger } from '../../src/core/log.js';
import { ClusterRuntime } from '../../src/server/cluster-runtime.js';

const HOST = '127.0.0.1';

/**
 * Answers MEET and PING with PONG to the sender's header address, pings
 * every node it has heard of on each tick, and reports what it saw.
 */
class FakeCore implements ClusterCoreApi {
  view: ClusterView;
  readonly received: BusMessage[] = [];
  readonly linkEvents: { target: BusTarget; connected: boolean }[] = [];
  ticks = 0;
  busPort = 0;
  throwOnReceive = false;
  private readonly peers = new Map<string, BusTarget>();
  private out: Outgoing[] = [];
  private effects: ClusterEffect[] = [];

  constructor(readonly id: string) {
    const me: NodeView = {
      id,
      ip: HOST,
      port: 7000,
      busPort: 0,
      hostname: '',
      flags: ['myself', 'master'],
      primaryId: '',
      pingSentMs: 0,
      pongRecvMs: 0,
      configEpoch: 0,
      linkConnected: true,
      zone: 'a',
      shardId: id,
      slots: [],
      replOffset: 0,
    };
    this.view = {
      myId: id,
      currentEpoch: 0,
      lastVoteEpoch: 0,
      state: 'ok',
      nodes: new Map([[id, me]]),
      slotOwners: [],
      migrating: new Map(),
      importing: new Map(),
      version: 1,
    };
  }

  header(): NodeHeader {
    return {
      id: this.id,
      ip: HOST,
      port: 7000,
      busPort: this.busPort,
      hostname: '',
      currentEpoch: 0,
      configEpoch: 0,
      flags: ['master'],
      primaryId: '',
      shardId: this.id,
      zone: 'a',
      replOffset: 0,
      slotsDigest: 0,
    };
  }

  receive(msg: BusMessage, _nowMs: number): void {
    if (this.throwOnReceive) throw new Error('core bug');
    this.received.push(msg);
    const from: BusTarget = { id: msg.header.id, ip: msg.header.ip, busPort: msg.header.busPort };
    if (!this.peers.has(msg.header.id)) {
      this.peers.set(msg.header.id, from);
      this.effects.push({ kind: 'event', name: 'node-added', fields: { id: msg.header.id } }, { kind: 'save-config' }, { kind: 'view-changed' }, { kind: 'save-config' });
      this.view = { ...this.view, version: this.view.version + 1 };
    }
    if (msg.kind === 'meet' || msg.kind === 'ping') this.out.push({ to: from, msg: { kind: 'pong', header: this.header(), gossip: [] } });
    if (msg.kind === 'publish') this.effects.push({ kind: 'deliver-publish', channel: msg.channel, message: msg.message, sharded: msg.sharded });
  }

  settleState(_nowMs: number): void {}
  tick(_nowMs: number): void {
    this.ticks++;
    for (const to of this.peers.values()) this.out.push({ to, msg: { kind: 'ping', header: this.header(), gossip: [] } });
  }

  linkChanged(target: BusTarget, connected: boolean, _nowMs: number): void {
    this.linkEvents.push({ target, connected });
  }

  meet(ip: string, _port: number, busPort: number, _nowMs: number): AdminResult {
    this.out.push({ to: { id: null, ip, busPort }, msg: { kind: 'meet', header: this.header(), gossip: [] } });
    return null;
  }

  publish(channel: string, message: string, sharded: boolean): void {
    for (const to of this.peers.values()) this.out.push({ to, msg: { kind: 'publish', header: this.header(), channel, message, sharded } });
  }

  drain(): Drained {
    const d = { out: this.out, effects: this.effects };
    this.out = [];
    this.effects = [];
    return d;
  }

  addSlots(): AdminResult {
    return null;
  }
  delSlots(): AdminResult {
    return null;
  }
  flushSlots(): AdminResult {
    return null;
  }
  setSlot(): AdminResult {
    return null;
  }
  forget(): AdminResult {
    return null;
  }
  reset(): AdminResult {
    return null;
  }
  bumpEpoch(): { bumped: boolean; epoch: number } {
    return { bumped: false, epoch: 0 };
  }
  setConfigEpoch(): AdminResult {
    return null;
  }
  replicate(): AdminResult {
    return null;
  }
  failureReportCount(): number {
    return 0;
  }
  setReplicationState(): void {}
  manualFailover(): AdminResult {
    return null;
  }
  nextWakeMs(): number {
    return Infinity;
  }
  failoverTimeline(): readonly FailoverTimelineEntry[] {
    return [];
  }
  noteFirstWriteAccepted(): void {}
  persisted(): PersistedClusterConfig {
    return { nodes: [], currentEpoch: 0, lastVoteEpoch: 0, migrating: new Map(), importing: new Map() };
  }
}

class RecordingLogger implements Logger {
  readonly lines: { level: string; msg: string; fields?: LogFields }[] = [];
  debug(msg: string, fields?: LogFields): void {
    this.lines.push({ level: 'debug', msg, fields });
  }
  info(msg: string, fields?: LogFields): void {
    this.lines.push({ level: 'info', msg, fields });
  }
  warn(msg: string, fields?: LogFields): void {
    this.lines.push({ level: 'warn', msg, fields });
  }
  error(msg: string, fields?: LogFields): void {
    this.lines.push({ level: 'error', msg, fields });
  }
  child(): Logger {
    return this;
  }
}

async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

interface Harnessed {
  readonly core: FakeCore;
  readonly runtime: ClusterRuntime;
  readonly log: RecordingLogger;
  readonly saves: number[];
  readonly views: ClusterView[];
  readonly published: [string, string, boolean][];
  readonly events: string[];
}

describe('bus: ClusterRuntime', function () {
  this.timeout(20_000);
  const running: ClusterRuntime[] = [];

  async function start(n: number): Promise<Harnessed> {
    const core = new FakeCore(n.toString(16).padStart(40, '0'));
    const log = new RecordingLogger();
    const h: Harnessed = { core, runtime: null as unknown as ClusterRuntime, log, saves: [], views: [], published: [], events: [] };
    const runtime = new ClusterRuntime(core, {
      bindHost: HOST,
      busPort: 0,
      logger: log,
      tickIntervalMs: 20,
      bus: { reconnectMinMs: 20, reconnectMaxMs: 100 },
      callbacks: {
        onSaveConfig: () => h.saves.push(core.view.version),
        onViewChanged: (v) => h.views.push(v),
        onPublish: (c, m, s) => h.published.push([c, m, s]),
        onEvent: (name) => h.events.push(name),
      },
    });
    running.push(runtime);
    await runtime.start();
    core.busPort = runtime.busPort;
    return Object.assign(h, { runtime });
  }

  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  });

  it('MEET over the bus: messages flow both ways, effects are coalesced, the link is reported', async () => {
    const a = await start(1);
    const b = await start(2);
    assert.equal(a.runtime.run((core, now) => core.meet(HOST, 7000, b.runtime.busPort, now)), null);
    await eventually(() => assert.ok(b.core.received.some((m) => m.kind === 'meet')));
    await eventually(() => assert.ok(a.core.received.some((m) => m.kind === 'pong')));
    // One 'node-added' event with two save-config effects: one save, one view swap, one log line.
    assert.deepEqual(b.events, ['node-added']);
    assert.equal(b.saves.length, 1);
    assert.equal(b.views.length, 1);
    assert.equal(b.log.lines.filter((l) => l.msg === 'node-added').length, 1);
    // a's outbound link to b came up, reported with b's id from the handshake.
    await eventually(() => assert.ok(a.core.linkEvents.some((e) => e.connected && e.target.id === b.core.id)));
    // Ticks run and the pings they produce travel.
    await eventually(() => assert.ok(b.core.received.filter((m) => m.kind === 'ping').length >= 3));
    assert.ok(a.core.ticks >= 3);
    const lines = a.runtime.clusterInfoStatsLines();
    assert.ok(lines.some((l) => /^cluster_stats_messages_meet_sent:1$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^cluster_stats_messages_pong_received:\d+$/.test(l)), lines.join('\n'));
    // Rates are sampled on ticks.
    await eventually(() => assert.ok(a.runtime.stats().messagesSentPerSec > 0));
  });

  it('PUBLISH reaches the other node and is handed to onPublish', async () => {
    const a = await start(3);
    const b = await start(4);
    a.runtime.run((core, now) => core.meet(HOST, 7000, b.runtime.busPort, now));
    await eventually(() => assert.ok(a.core.received.some((m) => m.kind === 'pong')));
    a.runtime.publish('news', 'h\u00e9llo\u0000', true);
    await eventually(() => assert.deepEqual(b.published, [['news', 'h\u00e9llo\u0000', true]]));
  });

  it('a core that throws on a message logs an error and the node keeps running', async () => {
    const a = await start(5);
    const b = await start(6);
    b.core.throwOnReceive = true;
    a.runtime.run((core, now) => core.meet(HOST, 7000, b.runtime.busPort, now));
    await eventually(() => assert.ok(b.log.lines.some((l) => l.level === 'error')));
    b.core.throwOnReceive = false;
    a.runtime.run((core, now) => core.meet(HOST, 7000, b.runtime.busPort, now));
    await eventually(() => assert.ok(b.core.received.some((m) => m.kind === 'meet')));
  });

  it('reports link down to the core when the peer stops; stop() is idempotent', async () => {
    const a = await start(7);
    const b = await start(8);
    a.runtime.run((core, now) => core.meet(HOST, 7000, b.runtime.busPort, now));
    await eventually(() => assert.ok(a.core.linkEvents.some((e) => e.connected)));
    await b.runtime.stop();
    await b.runtime.stop();
    await eventually(() => assert.ok(a.core.linkEvents.some((e) => !e.connected && e.target.id === b.core.id)));
    assert.ok(a.log.lines.some((l) => l.msg === 'Cluster bus link down'));
    const ticks = b.core.ticks;
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(b.core.ticks, ticks, 'no tick after stop');
  });
});
