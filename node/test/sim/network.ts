// The in-memory bus with virtual time: N unchanged ClusterCore instances, one
// event queue (message deliveries and node ticks, ordered by time then by a
// sequence number), and faults drawn from one seeded random source: latency,
// loss, duplication, partitions, dead nodes. Same seed, same run, so a failing
// seed is a replayable bug report.

import { decodeBusMessage, encodeBusMessage } from '../../src/bus/codec.js';
import type { ClusterCoreOptions, PersistedClusterConfig } from '../../src/cluster/api.js';
import { ClusterCore, type GossipTuning } from '../../src/cluster/core.js';
import type { BusMessage, ClusterEffect, GossipEntry, Outgoing } from '../../src/cluster/types.js';
import { seededRandom } from '../../src/core/random.js';

export type MessageSizer = (msg: BusMessage) => number;

/** JSON length: the fallback byte estimate until the bus codec lands. */
export const jsonSizer: MessageSizer = (msg) => JSON.stringify(msg).length;

/**
 * Uses encodeBusMessage from node/src/bus/codec.ts when it exists, else the
 * JSON estimate. Fields of ours the codec does not carry yet (it drops them)
 * are added at their protobuf cost, so the figures hold for the full protocol.
 */
export async function loadSizer(): Promise<{ sizer: MessageSizer; source: string }> {
  type Codec = { encodeBusMessage?: (m: BusMessage) => Uint8Array; decodeBusMessage?: (b: Uint8Array) => BusMessage };
  let mod: Codec;
  try {
    const path = '../../src/bus/codec.js';
    mod = (await import(path)) as Codec;
  } catch {
    return { sizer: jsonSizer, source: 'json-estimate' };
  }
  const enc = mod.encodeBusMessage;
  const dec = mod.decodeBusMessage;
  if (typeof enc !== 'function' || typeof dec !== 'function') return { sizer: jsonSizer, source: 'json-estimate' };
  const id = 'a'.repeat(40);
  const probe: BusMessage = {
    kind: 'pong',
    header: { id, ip: '10.0.0.1', port: 7000, busPort: 17000, hostname: '', currentEpoch: 1, configEpoch: 1, flags: ['master'], primaryId: '', shardId: id, zone: 'a', replOffset: 0, slotsDigest: 1, membersDigest: 12345 },
    gossip: [{ id, ip: '10.0.0.2', port: 7000, busPort: 17000, hostname: '', flags: ['master'], pingSentMs: 0, pongRecvMs: 0, configEpoch: 1, primaryId: '', shardId: id, zone: 'a', slots: [[0, 10]] }],
    fullTable: true,
    tableSummary: [1, 2],
  };
  const back = dec(enc(probe));
  const h = back.header;
  const g = back.kind === 'pong' ? back.gossip[0] : undefined;
  const missDigest = h.membersDigest !== 12345;
  const missSummary = back.kind !== 'pong' || back.tableSummary?.length !== 2;
  const missEntrySlots = !g?.slots;
  const missFull = back.kind !== 'pong' || back.fullTable !== true;
  const varint = (n: number): number => (n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : n < 268435456 ? 4 : 5);
  const extra = (m: BusMessage): number => {
    let b = 0;
    if (missDigest && m.header.membersDigest !== undefined) b += 1 + varint(m.header.membersDigest);
    if (m.kind === 'ping' || m.kind === 'pong' || m.kind === 'meet') {
      if (missSummary && m.tableSummary) b += 1 + varint(m.tableSummary.length * 4) + m.tableSummary.length * 4; // packed fixed32
      if (missFull && m.fullTable) b += 2;
      if (missEntrySlots) for (const e of m.gossip) if (e.slots) b += 2 + e.slots.reduce((a, [x, y]) => a + 2 + varint(x) + varint(y), 0);
    }
    return b;
  };
  const missing = [missDigest && 'membersDigest', missSummary && 'tableSummary', missEntrySlots && 'gossip slots', missFull && 'fullTable'].filter(Boolean);
  // Big gossip sections are sized entry by entry, each entry once (entries
  // are shared immutable objects): encoding every full table would dominate
  // the simulation. Off by at most a few bytes of the section's length prefix.
  const entryBytes = new WeakMap<GossipEntry, number>();
  const emptyPong: BusMessage = { kind: 'pong', header: probe.header, gossip: [] };
  const emptyBytes = enc(emptyPong).length;
  const sizeOfEntry = (e: GossipEntry): number => {
    let b = entryBytes.get(e);
    if (b === undefined) {
      const one: BusMessage = { kind: 'pong', header: probe.header, gossip: [e] };
      b = enc(one).length - emptyBytes + extra(one);
      entryBytes.set(e, b);
    }
    return b;
  };
  const sizer: MessageSizer = (m) => {
    if ((m.kind === 'ping' || m.kind === 'pong' || m.kind === 'meet') && m.gossip.length > 8) {
      const bare = { ...m, gossip: [] };
      let total = enc(bare).length + extra(bare) + 3;
      for (const e of m.gossip) total += sizeOfEntry(e);
      return total;
    }
    return enc(m).length + extra(m);
  };
  return { sizer, source: missing.length ? `protobuf + estimate for ${missing.join(', ')}` : 'protobuf' };
}

/** A message as a peer's core gets it from the gRPC bus: encoded and decoded by the real codec. */
export function throughCodec(msg: BusMessage): BusMessage {
  return decodeBusMessage(encodeBusMessage(msg));
}

/**
 * Options for every SimNetwork built while `fn` runs, unless the caller sets
 * them: lets a test run helpers that build their own network (measure.ts,
 * failover.ts) through the codec without a parameter in each of them.
 */
let ambient: Pick<NetworkOptions, 'codec'> = {};
export function withNetworkDefaults<T>(defaults: Pick<NetworkOptions, 'codec'>, fn: () => T): T {
  const saved = ambient;
  ambient = { ...saved, ...defaults };
  try {
    return fn();
  } finally {
    ambient = saved;
  }
}

/** The address of the index-th simulated node (1-based); bus port 17000. */
export function simIp(index: number): string {
  return `10.${index % 3}.${index >> 8}.${index & 255}`;
}

export interface NetworkOptions {
  readonly seed: number;
  readonly tickMs?: number;
  readonly latencyMs?: readonly [number, number];
  readonly lossRate?: number;
  readonly duplicateRate?: number;
  readonly nodeTimeoutMs?: number;
  readonly requireFullCoverage?: boolean;
  readonly tuning?: Partial<GossipTuning>;
  readonly sizer?: MessageSizer;
  /** Failover options for every core (sync mode, validity factor, migration barrier...). */
  readonly coreOptions?: Pick<ClusterCoreOptions, 'validityFactor' | 'replPingPeriodMs' | 'migrationBarrier' | 'allowReplicaMigration' | 'syncReplication'>;
  /**
   * Deliver messages through the real protobuf codec (throughCodec), as the
   * gRPC bus does, so a field the codec drops or mangles changes what the
   * cores see instead of passing unnoticed. true: every delivered message; a
   * number in (0, 1): that share of them, picked by a counter so the seeded
   * fault stream (and so the run) is the same as without. Default false.
   */
  readonly codec?: boolean | number;
}

/** Per-node options for addNodes: zone, and a preformed nodes.conf (big simulations skip formation). */
export interface AddNodeSpec {
  readonly zone?: string;
  readonly id?: string;
  readonly shardId?: string;
  readonly persisted?: (id: string) => PersistedClusterConfig;
}

export interface SimNode {
  readonly name: string;
  readonly index: number;
  readonly ip: string;
  readonly port: number;
  readonly busPort: number;
  readonly core: ClusterCore;
  readonly zone: string;
  alive: boolean;
  /** pause-writes from the core (manual failover), until this virtual time. */
  pausedUntilMs: number;
  /** The extra tick scheduled at core.nextWakeMs(), or Infinity. */
  wakeAtMs: number;
  msgsSent: number;
  bytesSent: number;
  msgsRecv: number;
}

interface SimEvent {
  atMs: number;
  seq: number;
  node: SimNode;
  msg: BusMessage | null; // null = tick
  /** An extra tick at core.nextWakeMs(): does not schedule the next periodic tick. */
  wake?: boolean;
}

class EventHeap {
  private a: SimEvent[] = [];
  get size(): number {
    return this.a.length;
  }
  private less(x: SimEvent, y: SimEvent): boolean {
    return x.atMs < y.atMs || (x.atMs === y.atMs && x.seq < y.seq);
  }
  push(e: SimEvent): void {
    const a = this.a;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  peek(): SimEvent | undefined {
    return this.a[0];
  }
  pop(): SimEvent | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

export class SimNetwork {
  readonly nodes: SimNode[] = [];
  readonly byName = new Map<string, SimNode>();
  private readonly byAddr = new Map<string, SimNode>();
  private readonly heap = new EventHeap();
  private seq = 0;
  nowMs = 0;
  readonly random: () => number;
  readonly tickMs: number;
  latencyMs: readonly [number, number];
  lossRate: number;
  duplicateRate: number;
  readonly nodeTimeoutMs: number;
  readonly requireFullCoverage: boolean;
  private readonly tuning: Partial<GossipTuning> | undefined;
  private readonly coreOptions: NetworkOptions['coreOptions'];
  /** Every effect a core produced, for models of what the adapter does (replication, write pauses). */
  onEffect: ((node: SimNode, e: ClusterEffect) => void) | null = null;
  readonly byId = new Map<string, SimNode>();
  readonly sizer: MessageSizer;
  /** Share of delivered messages that go through the codec (NetworkOptions.codec), 0 to 1. */
  readonly codecShare: number;
  private codecCredit = 0;
  /** The last message through the codec and its decoded copy: a broadcast ships one object to every peer. */
  private codecLast: { readonly sent: BusMessage; readonly got: BusMessage } | null = null;
  /** node name -> partition group; messages between different groups are dropped. */
  private groups = new Map<string, number>();
  /** Counters since the last resetCounters(). */
  totals = { msgs: 0, bytes: 0, dropped: 0, byKind: new Map<string, { msgs: number; bytes: number }>() };
  readonly events: { atMs: number; node: string; name: string; fields: Readonly<Record<string, string | number>> }[] = [];

  constructor(opts: NetworkOptions) {
    this.random = seededRandom(opts.seed);
    this.tickMs = opts.tickMs ?? 100;
    this.latencyMs = opts.latencyMs ?? [1, 5];
    this.lossRate = opts.lossRate ?? 0;
    this.duplicateRate = opts.duplicateRate ?? 0;
    this.nodeTimeoutMs = opts.nodeTimeoutMs ?? 2000;
    this.requireFullCoverage = opts.requireFullCoverage ?? true;
    this.tuning = opts.tuning;
    this.sizer = opts.sizer ?? jsonSizer;
    this.coreOptions = opts.coreOptions;
    const codec = opts.codec ?? ambient.codec ?? false;
    this.codecShare = codec === true ? 1 : codec === false ? 0 : Math.min(1, Math.max(0, codec));
  }

  addNodes(count: number, spec: (k: number) => AddNodeSpec = () => ({})): SimNode[] {
    const added: SimNode[] = [];
    for (let k = 0; k < count; k++) {
      const sp = spec(k);
      const index = this.nodes.length + 1;
      const name = `n${index}`;
      const ip = simIp(index);
      const port = 7000;
      const busPort = 17000;
      const nodeSeed = Math.floor(this.random() * 2 ** 32);
      const rnd = seededRandom(nodeSeed);
      let id = '';
      for (let i = 0; i < 40; i++) id += Math.floor(rnd() * 16).toString(16);
      if (sp.id) id = sp.id;
      const zone = sp.zone ?? 'abc'[index % 3]!;
      const core = new ClusterCore({
        myself: { id, shardId: sp.shardId ?? id, ip, port, busPort, hostname: '', zone },
        nodeTimeoutMs: this.nodeTimeoutMs,
        requireFullCoverage: this.requireFullCoverage,
        random: rnd,
        nowMs: this.nowMs,
        ...(this.tuning ? { tuning: this.tuning } : {}),
        ...(this.coreOptions ?? {}),
        ...(sp.persisted ? { persisted: sp.persisted(id) } : {}),
      });
      const node: SimNode = { name, index, ip, port, busPort, core, zone, alive: true, pausedUntilMs: -Infinity, wakeAtMs: Infinity, msgsSent: 0, bytesSent: 0, msgsRecv: 0 };
      this.nodes.push(node);
      this.byName.set(name, node);
      this.byId.set(id, node);
      this.byAddr.set(`${ip}:${busPort}`, node);
      this.heap.push({ atMs: this.nowMs + Math.floor(this.random() * this.tickMs), seq: this.seq++, node, msg: null });
      added.push(node);
    }
    return added;
  }

  node(name: string): SimNode {
    const n = this.byName.get(name);
    if (!n) throw new Error(`no simulated node ${name}`);
    return n;
  }

  /** Runs an admin call or anything touching a core, then ships what it produced. */
  act<T>(node: SimNode, fn: (core: ClusterCore) => T): T {
    const r = fn(node.core);
    this.flush(node);
    return r;
  }

  /** Both alive and on the same side of any partition. */
  canReach(a: SimNode, b: SimNode): boolean {
    if (!a.alive || !b.alive) return false;
    const ga = this.groups.get(a.name);
    const gb = this.groups.get(b.name);
    return ga === undefined || gb === undefined || ga === gb;
  }

  partition(groups: readonly (readonly string[])[]): void {
    this.groups = new Map();
    groups.forEach((g, i) => g.forEach((name) => this.groups.set(name, i)));
  }

  heal(): void {
    this.groups = new Map();
  }

  kill(name: string): void {
    this.node(name).alive = false;
  }

  revive(name: string): void {
    const n = this.node(name);
    if (n.alive) return;
    n.alive = true;
    this.heap.push({ atMs: this.nowMs + this.tickMs, seq: this.seq++, node: n, msg: null });
  }

  resetCounters(): void {
    this.totals = { msgs: 0, bytes: 0, dropped: 0, byKind: new Map() };
    for (const n of this.nodes) {
      n.msgsSent = 0;
      n.bytesSent = 0;
      n.msgsRecv = 0;
    }
  }

  private flush(node: SimNode): void {
    const { out, effects } = node.core.drain();
    for (const e of effects) {
      if (e.kind === 'event') this.events.push({ atMs: this.nowMs, node: node.name, name: e.name, fields: e.fields });
      else if (e.kind === 'pause-writes') node.pausedUntilMs = e.untilMs;
      else if (e.kind === 'resume-writes') node.pausedUntilMs = -Infinity;
      if (this.onEffect) this.onEffect(node, e);
    }
    for (const o of out) this.ship(node, o);
    // The adapter ticks at core.nextWakeMs() when that comes before the periodic tick.
    // An overdue wake runs at once (1 ms on), as the runtime's setTimeout(0) does.
    const due = node.core.nextWakeMs();
    const wake = Number.isFinite(due) ? Math.max(due, this.nowMs + 1) : due;
    if ((wake < node.wakeAtMs || node.wakeAtMs <= this.nowMs) && Number.isFinite(wake)) {
      node.wakeAtMs = wake;
      this.heap.push({ atMs: wake, seq: this.seq++, node, msg: null, wake: true });
    }
  }

  private ship(from: SimNode, o: Outgoing): void {
    const bytes = this.sizer(o.msg);
    from.msgsSent++;
    from.bytesSent += bytes;
    this.totals.msgs++;
    this.totals.bytes += bytes;
    let k = this.totals.byKind.get(o.msg.kind);
    if (!k) this.totals.byKind.set(o.msg.kind, (k = { msgs: 0, bytes: 0 }));
    k.msgs++;
    k.bytes += bytes;
    const to = this.byAddr.get(`${o.to.ip}:${o.to.busPort}`);
    if (!to || !to.alive) return void this.totals.dropped++;
    const gf = this.groups.get(from.name);
    const gt = this.groups.get(to.name);
    if (gf !== undefined && gt !== undefined && gf !== gt) return void this.totals.dropped++;
    if (this.lossRate > 0 && this.random() < this.lossRate) return void this.totals.dropped++;
    const copies = this.duplicateRate > 0 && this.random() < this.duplicateRate ? 2 : 1;
    const msg = this.wire(o.msg);
    for (let c = 0; c < copies; c++) {
      const [lo, hi] = this.latencyMs;
      const delay = Math.max(1, Math.round(lo + this.random() * (hi - lo)));
      this.heap.push({ atMs: this.nowMs + delay, seq: this.seq++, node: to, msg });
    }
  }

  /** The message as delivered: through the codec for codecShare of them (NetworkOptions.codec). */
  private wire(msg: BusMessage): BusMessage {
    if (this.codecShare === 0) return msg;
    this.codecCredit += this.codecShare;
    if (this.codecCredit < 1) return msg;
    this.codecCredit -= 1;
    if (this.codecLast?.sent !== msg) this.codecLast = { sent: msg, got: throughCodec(msg) };
    return this.codecLast.got;
  }

  /** Processes every event up to and including `untilMs`. */
  runUntil(untilMs: number): void {
    for (;;) {
      const e = this.heap.peek();
      if (!e || e.atMs > untilMs) break;
      this.heap.pop();
      this.nowMs = Math.max(this.nowMs, e.atMs);
      const n = e.node;
      if (!n.alive) continue; // dead: its ticks stop, messages to it vanish
      if (e.msg === null) {
        if (e.wake) {
          if (e.atMs !== n.wakeAtMs) continue; // superseded by an earlier wake
          n.wakeAtMs = Infinity;
        }
        n.core.tick(this.nowMs);
        if (!e.wake) this.heap.push({ atMs: e.atMs + this.tickMs, seq: this.seq++, node: n, msg: null });
      } else {
        n.msgsRecv++;
        n.core.receive(e.msg, this.nowMs);
      }
      this.flush(n);
    }
    this.nowMs = Math.max(this.nowMs, untilMs);
  }

  runTicks(ticks: number): void {
    this.runUntil(this.nowMs + ticks * this.tickMs);
  }
}
