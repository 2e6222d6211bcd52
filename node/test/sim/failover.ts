// Failover scenarios in the seeded simulator: a cluster of S primaries x R
// replicas spread over three zones (a replica never in its primary's zone),
// a model of what the adapters do (a write stream on every primary that
// accepts writes, replicas copying it, acknowledgements in sync mode, write
// pauses), one fault, then healing and a bounded recovery phase. Checked in
// every seed:
//   - at no instant do two nodes accept writes for one slot for longer than
//     node timeout + one tick (a node accepts writes when it is a primary
//     owning the slot in its own view, its cluster_state is ok, and it is not
//     paused);
//   - after healing, exactly one primary per slot, every live node agrees,
//     and every shard that still has a live replica is served again;
//   - with a majority of primaries dead, nobody is promoted;
//   - in sync mode, no acknowledged write is lost (the promoted replica holds
//     every offset its old primary saw acknowledged), and a replica behind
//     the acknowledged offset is never promoted.
// It also measures the virtual time from the fault to the promotion and to
// the first write the new primary accepts.

import type { FailoverTimelineEntry, PersistedClusterConfig, PersistedNode } from '../../src/cluster/api.js';
import { failQuorum } from '../../src/cluster/failure-reports.js';
import { seededRandom } from '../../src/core/random.js';
import { fastConverged, liveNodes } from './checks.js';
import { simIp, SimNetwork, type SimNode } from './network.js';

export const SCENARIOS = ['kill-primary', 'kill-zone', 'kill-minority', 'kill-majority', 'partition-zone', 'loss-delay', 'pause-primary', 'sync-one-ack', 'manual-failover'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const ZONES = ['a', 'b', 'c'] as const;

export interface FailoverSimOptions {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly shards: number;
  readonly replicas: number;
  readonly nodeTimeoutMs: number;
  /** Start from a nodes.conf-formed cluster instead of MEET + ADDSLOTS + REPLICATE (default: shards > 20). */
  readonly preformed?: boolean;
  readonly log?: (line: string) => void;
  /** Also log every election event (start, vote, superseded, timeout) after the fault. */
  readonly traceElections?: boolean;
}

export interface PromotionTiming {
  readonly oldPrimary: string;
  readonly newPrimary: string;
  readonly faultToPromotionMs: number;
  /** To the first write the new primary accepted (model), or -1. */
  readonly faultToWriteMs: number;
}

export interface FailoverSimResult {
  readonly opts: FailoverSimOptions;
  readonly failures: string[];
  readonly promotions: PromotionTiming[];
  readonly virtualMs: number;
  readonly msgs: number;
  readonly replay: string;
  /** The failover timeline of the first new primary (what INFO would print there). */
  readonly winnerTimeline: readonly FailoverTimelineEntry[];
  /**
   * Election events after the fault, by name (vote denials by reason): how
   * many attempts a mass failover needed and why votes were refused.
   */
  readonly electionCounts: Readonly<Record<string, number>>;
}

const COUNTED_EVENTS = new Set(['election-start', 'election-timeout', 'election-superseded', 'vote-granted', 'vote-denied']);

function countElectionEvents(events: SimNetwork['events'], sinceMs: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const ev of events) {
    if (ev.atMs < sinceMs || !COUNTED_EVENTS.has(ev.name)) continue;
    const key = ev.name === 'vote-denied' ? `vote-denied:${String(ev.fields['reason'])}` : ev.name;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export function replayCommand(o: FailoverSimOptions): string {
  return `npm run sim -- --failover ${o.scenario} --shards ${o.shards} --replicas ${o.replicas} --timeout ${o.nodeTimeoutMs} --seed ${o.seed}${o.preformed ? ' --preformed' : ''}`;
}

/** The shape a CI seed gets: 3..10 shards, 1..2 replicas, one of the scenarios. */
export function ciShape(seed: number): { scenario: Scenario; shards: number; replicas: number } {
  const scenario = SCENARIOS[seed % SCENARIOS.length]!;
  const shards = 3 + (Math.floor(seed / SCENARIOS.length) % 8);
  const replicas = scenario === 'sync-one-ack' ? 2 : 1 + (Math.floor(seed / (SCENARIOS.length * 8)) % 2) * 1 + 0;
  return { scenario, shards, replicas: Math.max(1, Math.min(2, replicas + (seed % 3 === 0 ? 1 : 0))) };
}

class SimFailure extends Error {
  override readonly name = 'SimFailure';
}

interface Layout {
  readonly primaries: SimNode[];
  /** replicasOf[i][j]: replica j of shard i (at formation). */
  readonly replicasOf: SimNode[][];
}

function shardRange(i: number, shards: number): [number, number] {
  return [Math.floor((i * 16384) / shards), Math.floor(((i + 1) * 16384) / shards) - 1];
}

function zoneOfPrimary(i: number): string {
  return ZONES[i % 3]!;
}

function zoneOfReplica(i: number, j: number): string {
  return ZONES[(i + 1 + j) % 3]!;
}

/** The adapters' part, modelled: writes, replication offsets, sync acknowledgements, write pauses. */
class ReplicationModel {
  readonly offset: number[];
  readonly acked: number[];
  private readonly knownAcked: number[];
  private readonly linkDownSince: (number | null)[];
  private readonly syncedFrom: (SimNode | null)[];
  /** Replicas that never acknowledge (sync scenario) and apply the stream at half speed. */
  readonly laggards = new Set<SimNode>();
  readonly accepting: boolean[];
  private tickNo = 0;

  constructor(
    private readonly net: SimNetwork,
    private readonly sync: boolean,
  ) {
    const n = net.nodes.length + 1;
    this.offset = new Array<number>(n).fill(0);
    this.acked = new Array<number>(n).fill(0);
    this.knownAcked = new Array<number>(n).fill(0);
    this.linkDownSince = new Array<number | null>(n).fill(null);
    this.syncedFrom = new Array<SimNode | null>(n).fill(null);
    this.accepting = new Array<boolean>(n).fill(false);
  }

  acceptsWrites(n: SimNode): boolean {
    const c = n.core;
    return n.alive && c.isPrimary && c.mySlots.length > 0 && c.clusterState === 'ok' && n.pausedUntilMs <= this.net.nowMs;
  }

  step(): void {
    const net = this.net;
    const now = net.nowMs;
    this.tickNo++;
    for (const n of net.nodes) {
      const a = this.acceptsWrites(n);
      this.accepting[n.index] = a;
      if (a) this.offset[n.index]!++;
      if (n.core.isPrimary) this.syncedFrom[n.index] = null;
    }
    const replicasOf = new Map<SimNode, SimNode[]>();
    for (const n of net.nodes) {
      if (!n.alive || n.core.isPrimary) continue;
      const p = net.byId.get(n.core.myPrimaryId);
      if (p && net.canReach(n, p)) {
        if (this.syncedFrom[n.index] !== p) {
          this.offset[n.index] = this.offset[p.index]!; // full sync: its dataset is replaced
          this.syncedFrom[n.index] = p;
        } else if (!this.laggards.has(n)) this.offset[n.index] = this.offset[p.index]!;
        else if (this.tickNo % 2 === 0) this.offset[n.index] = Math.min(this.offset[p.index]!, this.offset[n.index]! + 1);
        this.linkDownSince[n.index] = null;
        let l = replicasOf.get(p);
        if (!l) replicasOf.set(p, (l = []));
        l.push(n);
      } else if (this.linkDownSince[n.index] === null) this.linkDownSince[n.index] = now;
    }
    for (const [p, list] of replicasOf) {
      let a = this.acked[p.index]!;
      for (const r of list) {
        if (this.laggards.has(r)) continue;
        if (this.sync && r.zone === p.zone) continue; // sync mode: only another zone's ack counts
        a = Math.max(a, this.offset[r.index]!);
      }
      this.acked[p.index] = a;
      for (const r of list) this.knownAcked[r.index] = a;
    }
    for (const n of net.nodes) {
      if (!n.alive) continue;
      n.core.setReplicationState({ offset: this.offset[n.index]!, primaryLinkDownSinceMs: n.core.isPrimary ? null : this.linkDownSince[n.index]!, primaryAckedOffset: this.knownAcked[n.index]! }, now);
    }
  }
}

/** Tracks, per slot, since when two or more nodes accept writes for it. */
class OverlapChecker {
  private readonly writer = new Int32Array(16384);
  private readonly doubleSince = new Float64Array(16384).fill(NaN);
  maxOverlapMs = 0;

  constructor(
    private readonly net: SimNetwork,
    private readonly limitMs: number,
  ) {}

  step(model: ReplicationModel): string | null {
    const w = this.writer;
    w.fill(-1);
    const dbl = new Set<number>();
    for (const n of this.net.nodes) {
      if (!model.accepting[n.index]) continue;
      for (const [a, b] of n.core.mySlots) {
        for (let s = a; s <= b; s++) {
          if (w[s] === -1) w[s] = n.index;
          else dbl.add(s);
        }
      }
    }
    const now = this.net.nowMs;
    let worst: string | null = null;
    for (let s = 0; s < 16384; s++) {
      if (!dbl.has(s)) {
        this.doubleSince[s] = NaN;
        continue;
      }
      if (Number.isNaN(this.doubleSince[s]!)) this.doubleSince[s] = now;
      const dur = now - this.doubleSince[s]!;
      this.maxOverlapMs = Math.max(this.maxOverlapMs, dur);
      if (dur > this.limitMs && worst === null) worst = `slot ${s}: two nodes accept writes for ${dur} ms (limit ${this.limitMs})`;
    }
    return worst;
  }
}

function buildPreformed(net: SimNetwork, o: FailoverSimOptions): Layout {
  const S = o.shards;
  const R = o.replicas;
  const rnd = seededRandom(o.seed * 7919 + 17);
  const ids: string[] = [];
  const total = S * (1 + R);
  for (let k = 0; k < total; k++) {
    let id = '';
    for (let i = 0; i < 40; i++) id += Math.floor(rnd() * 16).toString(16);
    ids.push(id);
  }
  const shardOf = (k: number): number => (k < S ? k : (k - S) % S);
  const replicaNo = (k: number): number => Math.floor((k - S) / S);
  const zoneOf = (k: number): string => (k < S ? zoneOfPrimary(k) : zoneOfReplica(shardOf(k), replicaNo(k)));
  const base: PersistedNode[] = ids.map((id, k) => ({
    id,
    ip: simIp(net.nodes.length + k + 1),
    port: 7000,
    busPort: 17000,
    hostname: '',
    flags: [k < S ? 'master' : 'slave'],
    primaryId: k < S ? '' : ids[shardOf(k)]!,
    pingSentMs: 0,
    pongRecvMs: 0,
    configEpoch: k < S ? k + 1 : 0,
    linkConnected: true,
    slots: k < S ? [shardRange(k, S)] : [],
    shardId: ids[shardOf(k)]!,
    zone: zoneOf(k),
  }));
  const persisted = (k: number): PersistedClusterConfig => {
    const nodes = base.slice();
    nodes[k] = { ...base[k]!, flags: ['myself', ...base[k]!.flags] };
    return { nodes, currentEpoch: S, lastVoteEpoch: 0, migrating: new Map(), importing: new Map() };
  };
  const added = net.addNodes(total, (k) => ({ id: ids[k]!, zone: zoneOf(k), shardId: ids[shardOf(k)]!, persisted: () => persisted(k) }));
  const primaries = added.slice(0, S);
  const replicasOf = primaries.map((_, i) => Array.from({ length: R }, (_, j) => added[S + j * S + i]!));
  return { primaries, replicasOf };
}

function buildByCommands(net: SimNetwork, o: FailoverSimOptions): Layout {
  const S = o.shards;
  const R = o.replicas;
  const primaries = net.addNodes(S, (i) => ({ zone: zoneOfPrimary(i) }));
  const replicasOf: SimNode[][] = primaries.map(() => []);
  for (let j = 0; j < R; j++) {
    const added = net.addNodes(S, (i) => ({ zone: zoneOfReplica(i, j) }));
    added.forEach((n, i) => replicasOf[i]!.push(n));
  }
  const must = (r: string | null, what: string): void => {
    if (r !== null) throw new SimFailure(`${what}: ${r}`);
  };
  net.nodes.forEach((n, k) => net.act(n, (c) => must(c.setConfigEpoch(k + 1), 'set-config-epoch')));
  const seed = net.nodes[0]!;
  for (const n of net.nodes.slice(1)) net.act(n, (c) => must(c.meet(seed.ip, seed.port, seed.busPort, net.nowMs), 'meet'));
  primaries.forEach((p, i) => {
    const [a, b] = shardRange(i, S);
    net.act(p, (c) => must(c.addSlots(Array.from({ length: b - a + 1 }, (_, k) => a + k)), 'addslots'));
  });
  if (!runUntil(net, 400, () => fastConverged(net))) throw new SimFailure('formation did not converge within 40 s');
  replicasOf.forEach((list, i) => list.forEach((r) => net.act(r, (c) => must(c.replicate(primaries[i]!.core.myId), 'replicate'))));
  return { primaries, replicasOf };
}

/** Runs tick by tick until `done` (checked every `every` ticks) or maxTicks; true if done. */
function runUntil(net: SimNetwork, maxTicks: number, done: () => boolean, every = 5, perTick?: () => void): boolean {
  for (let t = 0; t <= maxTicks; t++) {
    if (t % every === 0 && done()) return true;
    net.runTicks(1);
    perTick?.();
  }
  return done();
}

function pick<T>(rnd: () => number, from: readonly T[], k: number): T[] {
  const a = from.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}

export function runFailoverScenario(o: FailoverSimOptions): FailoverSimResult {
  const log = o.log ?? (() => {});
  const failures: string[] = [];
  const promotions: PromotionTiming[] = [];
  const T = o.nodeTimeoutMs;
  const sync = o.scenario === 'sync-one-ack';
  const preformed = o.preformed ?? o.shards > 20;
  const opts = { ...o, preformed };
  // Bytes are not measured here (docs/cluster-bus.md does): sizing every message would dominate the run.
  // With a 15 s node timeout nothing needs 100 ms ticks (probes stay at
  // 200 ms, elections wake at nextWakeMs): 200 ms ticks halve the tick work at 1,500 nodes.
  const tickMs = T >= 5000 ? 200 : 100;
  const net = new SimNetwork({ seed: o.seed, nodeTimeoutMs: T, tickMs, coreOptions: { syncReplication: sync }, sizer: () => 0 });
  const rnd = seededRandom(o.seed * 31 + 7);
  let firstWinner: SimNode | null = null;
  let manualOld: SimNode | null = null;
  let faultMs = -1;
  const result = (): FailoverSimResult => ({ opts, failures, promotions, virtualMs: net.nowMs, msgs: net.totals.msgs, replay: replayCommand(opts), winnerTimeline: firstWinner ? firstWinner.core.failoverTimeline() : [], electionCounts: faultMs < 0 ? {} : countElectionEvents(net.events, faultMs) });
  let layout: Layout;
  try {
    layout = preformed ? buildPreformed(net, opts) : buildByCommands(net, opts);
  } catch (e) {
    failures.push((e as Error).message);
    return result();
  }
  const model = new ReplicationModel(net, sync);
  if (sync) for (const list of layout.replicasOf) for (const r of list.slice(1)) model.laggards.add(r);
  const overlap = new OverlapChecker(net, T + net.tickMs);
  let noPromotionUntilMs = -1;
  const newPrimaryWrites = new Map<SimNode, { old: string; promotedMs: number }>();
  let eventIndex = net.events.length;
  const idToNode = (id: string): SimNode | undefined => net.byId.get(id);
  /** Sync mode: the acknowledged offset of each primary when it stopped being reachable (what must survive). */
  const perTick = (): void => {
    model.step();
    const bad = overlap.step(model);
    if (bad && failures.length === 0) failures.push(`at ${net.nowMs} ms: ${bad}`);
    for (; eventIndex < net.events.length; eventIndex++) {
      const ev = net.events[eventIndex]!;
      if (o.traceElections && faultMs >= 0 && (ev.name.startsWith('election-') || ev.name === 'vote-denied')) log(`${ev.atMs} ms: ${ev.node} ${ev.name} ${JSON.stringify(ev.fields)}`);
      if (ev.name !== 'promoted') continue;
      const winner = net.byName.get(ev.node)!;
      const oldId = String(ev.fields['oldPrimary']);
      const old = idToNode(oldId);
      if (ev.atMs < noPromotionUntilMs) failures.push(`at ${ev.atMs} ms: ${winner.name} promoted while a majority of primaries was down`);
      if (old && sync && model.offset[winner.index]! < model.acked[old.index]!) {
        failures.push(`at ${ev.atMs} ms: ${winner.name} promoted at offset ${model.offset[winner.index]} < acknowledged ${model.acked[old.index]} of ${old.name}: acknowledged writes lost`);
      }
      if (old && old === manualOld && model.offset[winner.index]! < model.offset[old.index]!) {
        failures.push(`at ${ev.atMs} ms: manual failover promoted ${winner.name} at offset ${model.offset[winner.index]} < ${model.offset[old.index]} on ${old.name}: writes lost`);
      }
      firstWinner ??= winner;
      if (faultMs >= 0) {
        promotions.push({ oldPrimary: old?.name ?? oldId, newPrimary: winner.name, faultToPromotionMs: ev.atMs - faultMs, faultToWriteMs: -1 });
        newPrimaryWrites.set(winner, { old: old?.name ?? oldId, promotedMs: ev.atMs });
      }
      log(`${ev.atMs} ms: ${winner.name} promoted, replacing ${old?.name ?? oldId} (epoch ${ev.fields['epoch']})`);
    }
    for (const [n, w] of newPrimaryWrites) {
      if (!model.accepting[n.index]) continue;
      n.core.noteFirstWriteAccepted(net.nowMs);
      const i = promotions.findIndex((p) => p.newPrimary === n.name && p.faultToWriteMs < 0);
      if (i >= 0) promotions[i] = { ...promotions[i]!, faultToWriteMs: net.nowMs - faultMs };
      newPrimaryWrites.delete(n);
      void w;
    }
  };

  // Steady state: every node converged and serving.
  const allOk = (): boolean => fastConverged(net) && liveNodes(net).every((n) => n.core.clusterState === 'ok');
  if (!runUntil(net, 600, allOk, 5, perTick)) {
    failures.push(`cluster not ok within 60 s of forming (${net.nodes.filter((n) => n.core.clusterState !== 'ok').length} nodes not ok)`);
    return result();
  }
  for (let t = 0; t < 10; t++) {
    net.runTicks(1);
    perTick();
  }
  log(`${net.nowMs} ms: ${o.shards} x ${o.replicas} formed (${preformed ? 'preformed' : 'meet/addslots/replicate'}), scenario ${o.scenario}`);

  const S = o.shards;
  const quorum = failQuorum(S);
  const shardMembers = layout.primaries.map((p, i) => [p, ...layout.replicasOf[i]!]);
  /** Shards not expected to recover (sync mode: only a replica behind the acknowledged offset is left). */
  const excused = new Set<number>();
  const killed: SimNode[] = [];
  const kill = (n: SimNode): void => {
    net.kill(n.name);
    killed.push(n);
  };
  const faultPhase = (maxTicks: number, until: () => boolean): void => {
    runUntil(net, maxTicks, until, 1, perTick);
  };
  const replaced = (p: SimNode): boolean => promotions.some((x) => x.oldPrimary === p.name);
  const primariesWithLiveReplica = (): SimNode[] => killed.filter((p) => layout.primaries.includes(p) && shardMembers[layout.primaries.indexOf(p)]!.some((m) => m.alive && m !== p));
  faultMs = net.nowMs;
  const faultTicks = Math.ceil((10 * T + 10_000) / net.tickMs);

  switch (o.scenario) {
    case 'kill-primary':
    case 'loss-delay':
    case 'sync-one-ack': {
      const i = Math.floor(rnd() * S);
      const victim = layout.primaries[i]!;
      if (o.scenario === 'loss-delay') {
        net.lossRate = 0.05;
        net.latencyMs = [1, 100];
      }
      kill(victim);
      if (sync && o.seed % 2 === 0) {
        // The acknowledging replica dies too: only the laggard is left, and it must not run.
        kill(layout.replicasOf[i]![0]!);
        excused.add(i);
        faultPhase(Math.ceil((6 * T) / net.tickMs), () => false);
        break;
      }
      faultPhase(faultTicks, () => replaced(victim));
      net.lossRate = 0;
      net.latencyMs = [1, 5];
      net.revive(victim.name); // the old primary returns: it must follow the new one
      break;
    }
    case 'kill-zone': {
      const z = ZONES[Math.floor(rnd() * 3)]!;
      for (const n of net.nodes) if (n.zone === z) kill(n);
      const deadPrimaries = layout.primaries.filter((p) => !p.alive);
      if (S - deadPrimaries.length < quorum) {
        // This zone held half the primaries or more (e.g. 2 of 4): no majority, so no failover may happen.
        noPromotionUntilMs = Infinity;
        deadPrimaries.forEach((p) => excused.add(layout.primaries.indexOf(p)));
        faultPhase(Math.ceil((6 * T) / net.tickMs), () => false);
        break;
      }
      faultPhase(faultTicks, () => primariesWithLiveReplica().every(replaced));
      break;
    }
    case 'kill-minority': {
      for (const p of pick(rnd, layout.primaries, Math.floor((S - 1) / 2))) kill(p);
      faultPhase(faultTicks, () => primariesWithLiveReplica().every(replaced));
      break;
    }
    case 'kill-majority': {
      const dead = pick(rnd, layout.primaries, quorum);
      for (const p of dead) kill(p);
      noPromotionUntilMs = Infinity;
      faultPhase(Math.ceil((5 * T + 5000) / net.tickMs), () => false);
      // Bring back just enough primaries for a majority; the other shards must then fail over.
      const back = dead.slice(0, quorum - (S - dead.length));
      for (const p of back) net.revive(p.name);
      noPromotionUntilMs = net.nowMs;
      killed.splice(0, killed.length, ...dead.slice(back.length));
      log(`${net.nowMs} ms: revived ${back.map((p) => p.name).join(' ')}; still dead ${killed.map((p) => p.name).join(' ')}`);
      faultPhase(faultTicks, () => primariesWithLiveReplica().every(replaced));
      break;
    }
    case 'partition-zone': {
      const z = ZONES[Math.floor(rnd() * 3)]!;
      const side = net.nodes.filter((n) => n.zone === z).map((n) => n.name);
      const rest = net.nodes.filter((n) => n.zone !== z).map((n) => n.name);
      net.partition([side, rest]);
      faultPhase(Math.ceil((3 * T + 2000) / net.tickMs), () => false);
      net.heal();
      break;
    }
    case 'manual-failover': {
      // CLUSTER FAILOVER (default) on a replica while writes flow: the primary
      // pauses, the replica catches up, wins a forced election; nothing lost.
      const i = Math.floor(rnd() * S);
      const victim = layout.primaries[i]!;
      const replica = layout.replicasOf[i]![0]!;
      manualOld = victim;
      const reply = net.act(replica, (c) => c.manualFailover('default', net.nowMs));
      if (reply !== null) failures.push(`CLUSTER FAILOVER refused: ${reply}`);
      faultPhase(Math.ceil(10_000 / net.tickMs), () => replaced(victim));
      if (!replaced(victim)) failures.push('manual failover did not complete within 10 s');
      killed.push(victim); // not dead: checked below to have become a replica
      break;
    }
    case 'pause-primary': {
      const victim = layout.primaries[Math.floor(rnd() * S)]!;
      net.kill(victim.name); // a paused process: no ticks, messages lost; state kept
      faultPhase(Math.ceil((2 * T + 1000) / net.tickMs), () => false);
      net.revive(victim.name);
      break;
    }
  }
  log(`${net.nowMs} ms: fault phase over; ${promotions.length} promotions; killed ${killed.map((n) => n.name).join(' ') || '-'}`);

  // Recovery: converged, one primary per slot, every recoverable shard served.
  let lastProblem = '';
  const recovered = (): boolean => {
    lastProblem = recoveryProblem(net, layout, shardMembers, excused);
    return lastProblem === '';
  };
  const recoveryTicks = Math.ceil((20 * T + 30_000) / net.tickMs);
  if (!runUntil(net, recoveryTicks, recovered, 10, perTick)) failures.push(`not recovered ${recoveryTicks * net.tickMs} ms after healing: ${lastProblem}`);
  for (const i of excused) {
    if (layout.replicasOf[i]!.some((r) => r.alive && r.core.isPrimary)) failures.push(`shard ${i}: a replica was promoted where none may be (behind the acknowledged offset, or no majority)`);
  }
  for (const p of killed) if (p.alive && p.core.isPrimary && layout.primaries.includes(p)) failures.push(`${p.name} came back and is still a primary`);
  log(`${net.nowMs} ms: done; max overlap ${overlap.maxOverlapMs} ms; ${failures.length} failures`);
  return result();
}

/** Per scenario: seeds, failures, fault -> promotion and -> first write (median / max). */
export function summarizeFailovers(results: readonly FailoverSimResult[]): string {
  const lines: string[] = [];
  const stat = (v: number[]): string => {
    if (v.length === 0) return '-';
    v.sort((a, b) => a - b);
    return `median ${v[Math.floor(v.length / 2)]} ms, max ${v[v.length - 1]} ms`;
  };
  for (const sc of SCENARIOS) {
    const rs = results.filter((r) => r.opts.scenario === sc);
    if (rs.length === 0) continue;
    const promo = rs.flatMap((r) => r.promotions.map((p) => p.faultToPromotionMs));
    const write = rs.flatMap((r) => r.promotions.filter((p) => p.faultToWriteMs >= 0).map((p) => p.faultToWriteMs));
    lines.push(`${sc}: ${rs.length} seeds, ${rs.filter((r) => r.failures.length > 0).length} failing; fault -> promotion ${stat(promo)}; -> first write ${stat(write)}`);
  }
  return lines.join('\n');
}

/** '' when recovered, else what is still wrong. */
function recoveryProblem(net: SimNetwork, layout: Layout, shardMembers: SimNode[][], excused: ReadonlySet<number>): string {
  const live = liveNodes(net);
  if (!fastConverged(net, live)) return 'live nodes do not agree on the table';
  // Exactly one primary per slot, by the primaries' own claims.
  const claim = new Int32Array(16384).fill(-1);
  for (const n of live) {
    if (!n.core.isPrimary) continue;
    for (const [a, b] of n.core.mySlots) {
      for (let s = a; s <= b; s++) {
        if (claim[s] !== -1) return `slot ${s} claimed by n${claim[s]} and ${n.name}`;
        claim[s] = n.index;
      }
    }
  }
  const ref = live[0]!.core.view;
  for (let i = 0; i < layout.primaries.length; i++) {
    if (excused.has(i)) continue;
    if (!shardMembers[i]!.some((m) => m.alive)) continue; // the whole shard is dead
    const [a, b] = shardRange(i, layout.primaries.length);
    for (const s of [a, b]) {
      if (claim[s] === -1) return `slot ${s} (shard ${i}) has no live primary`;
      const owner = ref.slotOwners[s];
      if (!owner || net.byId.get(owner.id)?.index !== claim[s]) return `slot ${s}: the view says ${owner?.id.slice(0, 8) ?? 'nobody'}, n${claim[s]} claims it`;
    }
  }
  const wholeShardDead = shardMembers.some((m, i) => !excused.has(i) && m.every((x) => !x.alive));
  if (!wholeShardDead && excused.size === 0) {
    const notOk = live.filter((n) => n.core.clusterState !== 'ok');
    if (notOk.length > 0) return `${notOk.length} live nodes not ok (${notOk[0]!.name})`;
  }
  return '';
}
