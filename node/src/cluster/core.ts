// ClusterCore: the cluster-state machine of one node, with no I/O. It decides
// who is in the cluster (MEET handshakes, gossip merge, FORGET blacklist), who
// owns which slot (claims versioned by configEpoch, UPDATE for stale claims),
// who is alive (bounded SWIM-style probing with indirect probes, PFAIL after
// node timeout, FAIL on a majority of slot-owning primaries' reports) and
// whether the cluster can serve (cluster_state). Time arrives as nowMs,
// randomness through the injected `random`; output is collected as messages
// and effects that the caller takes with drain(). See docs/cluster-bus.md for
// the message budget this design keeps at 1,500 nodes.

import { assert } from '../core/errors.js';
import type { AdminResult, ClusterCoreApi, ClusterCoreOptions, Drained, FailoverSettings, FailoverTimelineEntry, MyselfIdentity, PersistedClusterConfig, PersistedNode, ReplicationState } from './api.js';
import { collisionLoser, shouldBumpWithoutConsensus } from './epochs.js';
import { DEFAULT_FAILOVER_OPTIONS, FailoverGlue, type FailoverHost } from './failover-glue.js';
import { FailureReports, failQuorum } from './failure-reports.js';
import { computedState, rejoinDelayMs, WRITABLE_DELAY_MS } from './health.js';
import { NewsQueue } from './news-queue.js';
import { NodeRecord, randomNodeId, type EntryCache } from './node-record.js';
import { ProbeSchedule } from './probe-schedule.js';
import { addRange, isValidSlot, normalizeRanges, removeRange, slotCount, slotsDigest } from './slot-ranges.js';
import {
  SLOT_COUNT,
  type BusMessage,
  type BusTarget,
  type ClusterEffect,
  type ClusterView,
  type GossipEntry,
  type NodeHeader,
  type Outgoing,
  type SlotRange,
} from './types.js';
import { SLOT_CHUNK, SLOT_CHUNK_BITS, buildView, withSlotStates, type SnapshotView } from './view.js';

/** Knobs of the gossip protocol; defaults are what docs/cluster-bus.md measures. */
export interface GossipTuning {
  /** One round-robin probe per interval (SWIM's protocol period). */
  readonly probeIntervalMs: number;
  /** Helpers asked to probe a silent peer after half the node timeout. */
  readonly indirectProbes: number;
  /** Random entries added to every ping/pong besides news and suspects. */
  readonly randomGossipEntries: number;
  readonly maxNewsPerMessage: number;
  readonly maxSuspectsPerMessage: number;
  /** News retransmissions per node: retransmitMult x ceil(log10(N + 1)). */
  readonly retransmitMult: number;
  /** At most one anti-entropy request (tableSummary) per interval. */
  readonly antiEntropyIntervalMs: number;
  /** FORGET keeps an id out for this long (Redis: 60 s). */
  readonly blacklistTtlMs: number;
}

export const DEFAULT_TUNING: GossipTuning = {
  probeIntervalMs: 200,
  indirectProbes: 3,
  randomGossipEntries: 2,
  maxNewsPerMessage: 16,
  maxSuspectsPerMessage: 8,
  retransmitMult: 4,
  antiEntropyIntervalMs: 1000,
  blacklistTtlMs: 60_000,
};

export interface ClusterCoreExtraOptions {
  readonly tuning?: Partial<GossipTuning>;
}

/**
 * A node that another node reports as failing (or a replica asks us to
 * confirm) and that leaves our own fresh probe unanswered for this fraction of
 * the node timeout is PFAIL to us. The first observer always waits the whole
 * node timeout, so a pause shorter than it still fails nobody; the others only
 * confirm, SWIM-style, instead of each waiting a node timeout of their own
 * (which made FAIL take two node timeouts).
 */
export const CONFIRM_TIMEOUT_DIVISOR = 4;

/**
 * A replica probes its primary every probe period, or every node timeout / 20
 * when that is longer: PFAIL then comes within node timeout + 5% (+ one probe
 * period at small timeouts), and at node timeout 15 s the 1,000 replicas of
 * a 500 x 2 cluster do not double the bus traffic.
 */
const REPLICA_PROBE_DIVISOR = 20;
/** A replica pings its siblings this often, or every node timeout / 5 (their offsets rank the election). */
const SIBLING_PROBE_MS = 1000;
/** How often the runtime ticks the core (Redis's clusterCron period). */
const TICK_PERIOD_MS = 100;
/** A tick this much later than due is our own stall, not the network's (see discountOwnStall). */
const STALL_MIN_MS = 300;
/** FAIL nodes are re-probed every this many node timeouts (PFAIL ones every half timeout). */
const FAIL_REPROBE_MULT = 2;
/** The sibling list may be this old when only other shards' roles changed. */
const SIBLING_CACHE_MS = 5000;
/**
 * MEETs back (NodeRecord.meetPending) sent per tick at most. Normally none
 * are due (the joiner pings us as soon as its handshake completes); a seed
 * met by hundreds of joiners over a lossy network stays near its budget.
 */
const MEETS_BACK_PER_TICK = 4;

function validIp(ip: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return ip.split('.').every((p) => Number(p) <= 255);
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip);
}

export class ClusterCore implements ClusterCoreApi {
  private nodeTimeoutMsValue: number;
  readonly requireFullCoverage: boolean;
  readonly tuning: GossipTuning;
  private readonly random: () => number;

  private myself: NodeRecord;
  private readonly nodes = new Map<string, NodeRecord>();
  /** Non-handshake peers (not myself), for O(1) random picks. */
  private readonly peerIds: string[] = [];
  private readonly peerIndex = new Map<string, number>();
  private readonly handshakes = new Set<string>();
  private readonly owners: (NodeRecord | null)[] = new Array<NodeRecord | null>(SLOT_COUNT).fill(null);
  /** Records owning at least one slot, kept by assignRange: what cluster_state counts. */
  private readonly slotOwners = new Set<NodeRecord>();
  /**
   * owners[] again, as indexes into indexRecords (0 = none), for the view's
   * slot table (see view.ts), in chunks of SLOT_CHUNK slots. A built view
   * holds the chunks as they were; a write copies a chunk the last view
   * shares first (512 bytes, not the whole 32 KB table): a view's table
   * never changes under it.
   */
  private readonly slotChunks: Uint16Array[] = Array.from({ length: SLOT_COUNT / SLOT_CHUNK }, () => new Uint16Array(SLOT_CHUNK));
  private readonly chunkShared = new Uint8Array(SLOT_COUNT / SLOT_CHUNK);
  private readonly indexRecords: (NodeRecord | null)[] = [null];
  private readonly recordIndex = new Map<NodeRecord, number>();
  private readonly freeIndexes: number[] = [];
  private readonly entryCache = new Map<NodeRecord, EntryCache>();
  private currentEpoch = 0;
  private readonly failover: FailoverGlue;
  /**
   * Suspects someone asked us to confirm: id -> when, and which replicas
   * asked (they get our report back directly: a replica of a failed primary
   * collects the majority's reports instead of waiting for gossip to bring
   * them, which at 500 primaries would take longer than reports live).
   */
  private readonly confirmRequests = new Map<string, { sinceMs: number; replicas: Map<string, number> }>();
  /** PFAIL suspects in gossip order, rotated so every suspect gets reported, not only the first few. */
  private suspectRing: string[] = [];
  private suspectRingDirty = true;
  private suspectCursor = 0;
  private readonly migrating = new Map<number, string>();
  private readonly importing = new Map<number, string>();
  private readonly blacklist = new Map<string, number>();
  /** meetPending nodes -> when to MEET them back next (see NodeRecord.meetPending). */
  private readonly meetsOwed = new Map<string, number>();
  /** When tick last ran (-1: never), to tell our own stalls from silent peers. */
  private lastTickMs = -1;
  private readonly reports = new FailureReports();
  private readonly news: NewsQueue;
  private readonly schedule: ProbeSchedule;
  /** Peers with an unanswered probe (pingSentMs != 0). */
  private readonly outstanding = new Set<string>();
  /** Peers that are PFAIL or FAIL to us, re-probed every half node timeout. */
  private readonly suspects = new Set<string>();
  /** Indirect probes we run for others: target -> requester -> since. */
  private readonly relays = new Map<string, Map<string, number>>();
  private membersXor = 0;
  /** False while merging a full table: what anti-entropy teaches is not news. */
  private announceLearned = true;

  private state: 'ok' | 'fail' = 'fail';
  private stateDirty = true;
  private amongMinorityMs = -Infinity; // never in a minority yet (0 would be "at time 0" in the simulator)
  private readonly startMs: number;
  private sizeCache = -1;
  private nextProbeMs = 0;
  private lastSyncRequestMs = -Infinity;
  private nextSiblingProbeMs = 0;
  private nextFailScanMs = 0;
  private tableVersionValue = 0;
  /** Bumped when a node is added or removed or changes role / primary: keys the sibling cache. */
  private roleVersion = 0;
  private readonly roleSeen = new WeakMap<NodeRecord, string>();
  private siblingCache: { version: number; forPrimary: string; atMs: number; list: NodeRecord[] } = { version: -1, forPrimary: '', atMs: -Infinity, list: [] };
  private lastNowMs: number;

  private out: Outgoing[] = [];
  private effects: ClusterEffect[] = [];
  private saveWanted = false;
  private structuralChange = false;
  private viewCache: SnapshotView | null = null;
  private viewVersion = 0;

  /** Counters for the simulator and INFO: what this node sent. */
  readonly stats = { pingsSent: 0, pongsSent: 0, tableAnswers: 0, syncRequests: 0, failSent: 0, updateSent: 0, indirectSent: 0 };

  constructor(opts: ClusterCoreOptions & ClusterCoreExtraOptions) {
    assert(opts.nodeTimeoutMs > 0, 'nodeTimeoutMs > 0');
    this.nodeTimeoutMsValue = opts.nodeTimeoutMs;
    this.requireFullCoverage = opts.requireFullCoverage;
    this.random = opts.random;
    this.tuning = { ...DEFAULT_TUNING, ...opts.tuning };
    this.news = new NewsQueue(this.tuning.retransmitMult);
    this.schedule = new ProbeSchedule(opts.random);
    this.startMs = opts.nowMs;
    this.lastNowMs = opts.nowMs;
    this.nextProbeMs = opts.nowMs + Math.floor(this.random() * this.tuning.probeIntervalMs);
    const me = opts.myself;
    this.myself = this.makeMyself(me, opts.nowMs);
    this.failover = new FailoverGlue(
      this.failoverHost(),
      {
        validityFactor: opts.validityFactor ?? DEFAULT_FAILOVER_OPTIONS.validityFactor,
        replPingPeriodMs: opts.replPingPeriodMs ?? DEFAULT_FAILOVER_OPTIONS.replPingPeriodMs,
        migrationBarrier: opts.migrationBarrier ?? DEFAULT_FAILOVER_OPTIONS.migrationBarrier,
        allowReplicaMigration: opts.allowReplicaMigration ?? DEFAULT_FAILOVER_OPTIONS.allowReplicaMigration,
        syncReplication: opts.syncReplication ?? DEFAULT_FAILOVER_OPTIONS.syncReplication,
      },
      opts.persisted?.lastVoteEpoch ?? 0,
    );
    if (opts.persisted) this.load(opts.persisted, opts.nowMs);
    else this.addRecord(this.myself);
  }

  private makeMyself(me: MyselfIdentity, nowMs: number): NodeRecord {
    const r = new NodeRecord(me.id, me.ip, me.port, me.busPort, nowMs);
    r.hostname = me.hostname;
    r.zone = me.zone;
    r.shardId = me.shardId;
    r.linkConnected = true;
    return r;
  }

  /** nodes.conf wins for ids, epochs and slots; the options win for my own address. */
  private load(p: PersistedClusterConfig, nowMs: number): void {
    for (const pn of p.nodes) {
      const isMe = pn.flags.includes('myself');
      const r = isMe ? this.myself : new NodeRecord(pn.id, pn.ip, pn.port, pn.busPort, nowMs);
      if (isMe) r.id = pn.id;
      else {
        r.hostname = pn.hostname;
        r.zone = pn.zone;
        r.shardId = pn.shardId;
      }
      r.primary = !pn.flags.includes('slave');
      r.primaryId = pn.primaryId === '-' ? '' : pn.primaryId;
      r.configEpoch = pn.configEpoch;
      r.noFailover = pn.flags.includes('nofailover');
      r.fail = pn.flags.includes('fail');
      if (r.fail) r.failTimeMs = nowMs;
      this.addRecord(r);
      for (const range of pn.slots) this.assignRange(range, r);
      if (r.fail) this.suspects.add(r.id);
    }
    assert(this.nodes.get(this.myself.id) === this.myself, 'persisted config lists myself');
    this.currentEpoch = p.currentEpoch;
    for (const [s, id] of p.migrating) this.migrating.set(s, id);
    for (const [s, id] of p.importing) this.importing.set(s, id);
    this.raiseCurrentEpoch(this.maxConfigEpoch());
  }

  // ---------------------------------------------------------------- records

  private addRecord(r: NodeRecord): void {
    assert(!this.nodes.has(r.id), `node ${r.id} not yet known`);
    this.nodes.set(r.id, r);
    if (r.handshake) {
      this.handshakes.add(r.id);
      return;
    }
    if (r !== this.myself) {
      this.peerIndex.set(r.id, this.peerIds.length);
      this.peerIds.push(r.id);
      this.schedule.add(r.id);
    }
    r.fingerprint = r.computeFingerprint();
    this.membersXor = (this.membersXor ^ r.fingerprint) >>> 0;
    this.roleVersion++;
    this.structural(true);
  }

  private removeRecord(r: NodeRecord): void {
    assert(r !== this.myself, 'never remove myself');
    for (const range of [...r.slots]) this.assignRange(range, null);
    const index = this.recordIndex.get(r);
    if (index !== undefined) {
      // No slot names it any more; views built earlier keep their own index -> node array.
      this.recordIndex.delete(r);
      this.indexRecords[index] = null;
      this.freeIndexes.push(index);
    }
    this.nodes.delete(r.id);
    this.handshakes.delete(r.id);
    this.outstanding.delete(r.id);
    this.suspects.delete(r.id);
    this.relays.delete(r.id);
    this.confirmRequests.delete(r.id);
    this.meetsOwed.delete(r.id);
    this.reports.forgetNode(r.id);
    this.news.drop(r.id);
    // Open migrations towards or from a forgotten node close, as Redis's clusterDelNode does.
    for (const [slot, id] of [...this.migrating]) if (id === r.id) this.migrating.delete(slot);
    for (const [slot, id] of [...this.importing]) if (id === r.id) this.importing.delete(slot);
    const at = this.peerIndex.get(r.id);
    if (at !== undefined) {
      const last = this.peerIds.pop()!;
      if (last !== r.id) {
        this.peerIds[at] = last;
        this.peerIndex.set(last, at);
      }
      this.peerIndex.delete(r.id);
      this.membersXor = (this.membersXor ^ r.fingerprint) >>> 0;
    }
    this.roleVersion++;
    this.structural(true);
  }

  /** A record's shared state changed: refresh its fingerprint, maybe announce it. */
  private touched(r: NodeRecord, announce: boolean): void {
    if (r.handshake) return;
    const role = r.primary ? '' : r.primaryId || '?';
    if (this.roleSeen.get(r) !== role) {
      this.roleSeen.set(r, role);
      this.roleVersion++;
    }
    this.entryCache.delete(r);
    announce &&= this.announceLearned || r === this.myself;
    const fp = r.computeFingerprint();
    if (fp !== r.fingerprint) {
      this.membersXor = (this.membersXor ^ r.fingerprint ^ fp) >>> 0;
      r.fingerprint = fp;
    }
    if (announce) this.news.push(r.id);
    this.structural(true);
  }

  private structural(save: boolean): void {
    this.tableVersionValue++;
    this.suspectRingDirty = true;
    this.viewCache = null;
    this.structuralChange = true;
    this.stateDirty = true;
    this.sizeCache = -1;
    if (save) this.saveWanted = true;
  }

  private isBlacklisted(id: string, nowMs: number): boolean {
    const until = this.blacklist.get(id);
    if (until === undefined) return false;
    if (nowMs > until) {
      this.blacklist.delete(id);
      return false;
    }
    return true;
  }

  private raiseCurrentEpoch(epoch: number): void {
    if (epoch > this.currentEpoch) {
      this.currentEpoch = epoch;
      this.saveWanted = true;
      this.viewCache = null;
    }
  }

  private maxConfigEpoch(): number {
    let max = this.currentEpoch;
    for (const r of this.nodes.values()) if (r.configEpoch > max) max = r.configEpoch;
    return max;
  }

  /** Primaries owning slots (Redis's cluster->size). */
  private clusterSize(): number {
    if (this.sizeCache < 0) {
      let n = 0;
      for (const r of this.slotOwners) if (r.primary) n++;
      this.sizeCache = n;
    }
    return this.sizeCache;
  }

  // ------------------------------------------------------------------ slots

  /** Sets the owner of every slot in the range, keeping each record's ranges in step. */
  private assignRange(range: SlotRange, to: NodeRecord | null): void {
    const [a, b] = range;
    assert(isValidSlot(a) && isValidSlot(b) && a <= b, `slot range ${a}-${b} within 0..16383`);
    let runStart = a;
    for (let s = a; s <= b + 1; s++) {
      const prev = s <= b ? this.owners[s]! : undefined;
      const runOwner = this.owners[runStart] ?? null;
      if (s <= b && prev === runOwner) continue;
      // [runStart, s-1] had one owner: move it.
      if (runOwner !== to) {
        if (runOwner) {
          runOwner.slots = removeRange(runOwner.slots, [runStart, s - 1]);
          if (runOwner.slots.length === 0) this.slotOwners.delete(runOwner);
          this.touched(runOwner, runOwner === this.myself);
        }
        if (to) {
          to.slots = addRange(to.slots, [runStart, s - 1]);
          this.slotOwners.add(to);
        }
        for (let k = runStart; k < s; k++) this.owners[k] = to;
        this.fillSlotIndex(runStart, s, to ? this.indexOfOwner(to) : 0);
      }
      runStart = s;
    }
    if (to) this.touched(to, to === this.myself);
  }

  /** Sets the owner index of slots [from, to). */
  private fillSlotIndex(from: number, to: number, index: number): void {
    for (let c = from >> SLOT_CHUNK_BITS; c <= (to - 1) >> SLOT_CHUNK_BITS; c++) {
      let chunk = this.slotChunks[c]!;
      if (this.chunkShared[c] === 1) {
        chunk = chunk.slice();
        this.slotChunks[c] = chunk;
        this.chunkShared[c] = 0;
      }
      const base = c << SLOT_CHUNK_BITS;
      chunk.fill(index, Math.max(from, base) - base, Math.min(to, base + SLOT_CHUNK) - base);
    }
  }

  private indexOfOwner(r: NodeRecord): number {
    let i = this.recordIndex.get(r);
    if (i === undefined) {
      i = this.freeIndexes.pop() ?? this.indexRecords.length;
      assert(i <= 0xffff, 'fewer than 65536 slot owners');
      this.indexRecords[i] = r;
      this.recordIndex.set(r, i);
    }
    return i;
  }

  /**
   * clusterUpdateSlotsConfigWith: take each claimed slot that is unassigned or
   * held with a lower configEpoch. Claims never remove slots (as in Redis).
   */
  private applyClaim(claimer: NodeRecord, claimEpoch: number, ranges: readonly SlotRange[]): void {
    if (claimer === this.myself) return;
    const me = this.myself;
    const myPrimary = me.primary ? null : (this.nodes.get(me.primaryId) ?? null);
    let lost: number[] | null = null;
    let fromShard = 0;
    let taken = 0;
    let losers: Set<NodeRecord> | null = null;
    for (const [a, b] of normalizeRanges(ranges)) {
      let runStart = -1;
      for (let s = a; s <= b + 1; s++) {
        let take = false;
        if (s <= b) {
          const cur = this.owners[s]!;
          take = cur !== claimer && !this.importing.has(s) && (cur === null || cur.configEpoch < claimEpoch);
          if (take && cur === me) (lost ??= []).push(s);
          if (take && cur !== null && (cur === me || cur === myPrimary)) fromShard++;
          if (take && cur !== null) (losers ??= new Set()).add(cur);
        }
        if (take && runStart < 0) runStart = s;
        if (!take && runStart >= 0) {
          taken += s - runStart;
          this.assignRange([runStart, s - 1], claimer);
          runStart = -1;
        }
      }
    }
    if (taken > 0) this.touched(claimer, true); // a slot change is news: pass it on
    if (lost !== null) this.emit('slots-lost', { to: claimer.id, slots: lost.length, configEpoch: claimEpoch });
    if (losers) for (const l of losers) this.failover.notePromotedElsewhere(l.id, claimer.id, this.lastNowMs);
    // The old primary coming back (UPDATE), or a replica whose primary was emptied: follow the winner.
    if (fromShard > 0) this.failover.afterSlotLoss(claimer, fromShard, this.lastNowMs);
    // Still a primary: keys of the slots it lost are unreachable here now, and would come back
    // stale with the slot; the adapter deletes them (Redis's dirty slots, delKeysInSlot). A
    // primary that became a replica above gets its data from the winner instead.
    if (lost !== null && this.myself.primary) this.effects.push({ kind: 'slots-lost', slots: lost });
    this.assertOnePrimaryPerSlot(claimer);
  }

  /** Within this view a slot has one owner, and that owner is a primary. */
  private assertOnePrimaryPerSlot(r: NodeRecord): void {
    for (const [a, b] of r.slots) {
      assert(this.owners[a] === r && this.owners[b] === r, `slots ${a}-${b} of ${r.id} are in the owner table`);
    }
    assert(r.slots.length === 0 || r.primary, `slot owner ${r.id} is a primary`);
  }

  // -------------------------------------------------------------- messages

  private header(to: NodeRecord | null): NodeHeader {
    const me = this.myself;
    const myDigest = me.slotsDigest;
    const sendSlots = to === null || to.handshake || to.knowsMyDigest !== myDigest;
    return {
      id: me.id,
      ip: me.ip,
      port: me.port,
      busPort: me.busPort,
      hostname: me.hostname,
      currentEpoch: this.currentEpoch,
      configEpoch: me.configEpoch,
      flags: me.wireFlags(false),
      primaryId: me.primaryId,
      shardId: me.shardId,
      zone: me.zone,
      replOffset: me.replOffset,
      slotsDigest: myDigest,
      ...(sendSlots ? { slots: me.slots } : {}),
      ...(to && !to.handshake ? { seenReceiverDigest: to.slotsDigest } : {}),
      membersDigest: this.membersXor,
    };
  }

  /**
   * Gossip entries are immutable: reuse one per record until something in it
   * changes. The cache lives for one tick (a burst of MEET answers shares
   * entries; a quiet table does not keep a second copy of itself).
   */
  private entry(r: NodeRecord, withSlots: boolean): GossipEntry {
    const slots = withSlots && r.primary;
    const c = this.entryCache.get(r);
    if (c && c.fingerprint === r.fingerprint && c.pfail === r.pfail && c.pingSentMs === r.pingSentMs && c.pongRecvMs === r.pongRecvMs && c.withSlots === slots) {
      return c.entry;
    }
    const entry = this.makeEntry(r, slots);
    this.entryCache.set(r, { entry, fingerprint: r.fingerprint, pfail: r.pfail, pingSentMs: r.pingSentMs, pongRecvMs: r.pongRecvMs, withSlots: slots });
    return entry;
  }

  private makeEntry(r: NodeRecord, withSlots: boolean): GossipEntry {
    return {
      id: r.id,
      ip: r.ip,
      port: r.port,
      busPort: r.busPort,
      hostname: r.hostname,
      flags: r.wireFlags(true),
      pingSentMs: r.pingSentMs,
      pongRecvMs: r.pongRecvMs,
      configEpoch: r.configEpoch,
      primaryId: r.primaryId,
      shardId: r.shardId,
      zone: r.zone,
      ...(withSlots ? { slots: r.slots } : {}),
    };
  }

  /**
   * News first, then suspects (failure reports), then a few random peers; or,
   * for anti-entropy, every node whose fingerprint the receiver lacks.
   */
  private gossipFor(to: NodeRecord | null, full: boolean | ReadonlySet<number>): GossipEntry[] {
    const exclude = to?.id ?? '';
    if (full !== false) {
      const all: GossipEntry[] = [];
      for (const r of this.nodes.values()) {
        if (r.handshake || r.id === exclude) continue;
        if (full !== true && full.has(r.fingerprint)) continue;
        all.push(this.entry(r, true));
      }
      return all;
    }
    const picked = new Set<string>();
    const out: GossipEntry[] = [];
    for (const id of this.news.take(this.tuning.maxNewsPerMessage, this.nodes.size, exclude)) {
      const r = this.nodes.get(id);
      if (!r || r.handshake || picked.has(id)) continue;
      picked.add(id);
      out.push(this.entry(r, true));
    }
    // Suspects: PFAIL ones first, in rotation (with many suspects, a fixed
    // first few would be the only ones ever reported); FAIL ones fill the rest.
    let suspects = 0;
    const ring = this.pfailRing();
    const max = this.tuning.maxSuspectsPerMessage;
    for (let k = 0; k < ring.length && suspects < max; k++) {
      const id = ring[(this.suspectCursor + k) % ring.length]!;
      const r = this.nodes.get(id);
      if (!r || id === exclude || picked.has(id)) continue;
      picked.add(id);
      out.push(this.entry(r, false));
      suspects++;
    }
    if (ring.length > 0) this.suspectCursor = (this.suspectCursor + suspects) % ring.length;
    if (suspects < max) {
      for (const id of this.suspects) {
        if (suspects >= max) break;
        const r = this.nodes.get(id);
        if (!r || !r.fail || id === exclude || picked.has(id)) continue;
        picked.add(id);
        out.push(this.entry(r, false));
        suspects++;
      }
    }
    const n = this.peerIds.length;
    let added = 0;
    for (let tries = 0; added < this.tuning.randomGossipEntries && tries < this.tuning.randomGossipEntries * 3 && n > 0; tries++) {
      const id = this.peerIds[Math.floor(this.random() * n)]!;
      if (id === exclude || picked.has(id)) continue;
      picked.add(id);
      out.push(this.entry(this.nodes.get(id)!, false));
      added++;
    }
    return out;
  }

  private pfailRing(): string[] {
    if (this.suspectRingDirty) {
      this.suspectRing = [];
      for (const id of this.suspects) if (this.nodes.get(id)?.pfail) this.suspectRing.push(id);
      this.suspectRingDirty = false;
    }
    return this.suspectRing;
  }

  private targetOf(r: NodeRecord): BusTarget {
    return { id: r.handshake ? null : r.id, ip: r.ip, busPort: r.busPort };
  }

  private send(r: NodeRecord, msg: BusMessage): void {
    this.out.push({ to: this.targetOf(r), msg });
  }

  private sendPing(r: NodeRecord, nowMs: number, probeFor?: string, withSummary = false): void {
    if (r.pingSentMs === 0) {
      r.pingSentMs = nowMs;
      r.indirectSent = false;
      this.outstanding.add(r.id);
    }
    r.lastProbeMs = nowMs;
    this.stats.pingsSent++;
    if (r.meetPending && !probeFor) {
      // It may not know us, and would ignore a ping: a MEET naming it is
      // answered either way (see receive, 'meet').
      this.send(r, { kind: 'meet', header: this.header(r), gossip: this.gossipFor(r, false), probeFor: r.id });
      return;
    }
    this.send(r, {
      kind: 'ping',
      header: this.header(r),
      gossip: this.gossipFor(r, false),
      ...(probeFor ? { probeFor } : {}),
      ...(withSummary ? { tableSummary: this.tableSummary() } : {}),
    });
  }

  private summaryCache: { xor: number; size: number; list: number[] } | null = null;

  /** Fingerprints of every known node (anti-entropy request); cached while the table is unchanged. */
  private tableSummary(): number[] {
    const size = this.nodes.size;
    if (!this.summaryCache || this.summaryCache.xor !== this.membersXor || this.summaryCache.size !== size) {
      const list: number[] = [];
      for (const r of this.nodes.values()) if (!r.handshake) list.push(r.fingerprint);
      this.summaryCache = { xor: this.membersXor, size, list };
    }
    return this.summaryCache.list;
  }

  /** Tables differ (membersDigest): ask the sender, at most once per interval, for what we lack. */
  private maybeRequestSync(sender: NodeRecord, h: NodeHeader, nowMs: number): void {
    if (h.membersDigest === undefined || h.membersDigest === this.membersXor) return;
    if (nowMs - this.lastSyncRequestMs < this.tuning.antiEntropyIntervalMs) return;
    this.lastSyncRequestMs = nowMs;
    this.stats.syncRequests++;
    this.sendPing(sender, nowMs, undefined, true);
  }

  private sendMeet(r: NodeRecord, nowMs: number): void {
    r.lastProbeMs = nowMs;
    this.stats.pingsSent++;
    this.send(r, { kind: 'meet', header: this.header(r), gossip: this.gossipFor(r, false), probeFor: r.id });
  }

  private sendPong(to: BusTarget, r: NodeRecord | null, full: boolean | ReadonlySet<number>, probeReply?: string): void {
    this.stats.pongsSent++;
    if (full !== false) this.stats.tableAnswers++;
    this.out.push({
      to,
      msg: { kind: 'pong', header: this.header(r), gossip: this.gossipFor(r, full), ...(probeReply ? { probeReply } : {}), ...(full !== false ? { fullTable: true } : {}) },
    });
  }

  private broadcast(msgOf: () => BusMessage, except: string): void {
    const msg = msgOf();
    for (const id of this.peerIds) if (id !== except) this.send(this.nodes.get(id)!, msg);
  }

  private emit(name: string, fields: Record<string, string | number>): void {
    this.effects.push({ kind: 'event', name, fields });
  }

  // ---------------------------------------------------------------- receive

  receive(msg: BusMessage, nowMs: number): void {
    this.lastNowMs = nowMs;
    const h = msg.header;
    if (h.id === this.myself.id) return;
    let sender = this.nodes.get(h.id);
    if (sender?.handshake) sender = undefined; // a real id never collides with a temporary one
    const replyTo: BusTarget = { id: h.id, ip: h.ip, busPort: h.busPort };

    switch (msg.kind) {
      case 'meet': {
        // probeFor naming us: a node that knows us meets us back (sendPing).
        // Any other MEET is CLUSTER MEET run on the sender, which needs our table.
        const metBack = msg.probeFor === this.myself.id;
        if (!sender) {
          if (metBack && this.isBlacklisted(h.id, nowMs)) {
            this.sendPong(replyTo, null, false); // FORGET keeps it out, as it keeps out gossip about it
            return;
          }
          const lone = this.knownNodes === 1;
          // Redis answers a MEET from an unknown node with a handshake of its
          // own; the header already carries the real id, so we take it.
          sender = this.recordFromHeader(h, nowMs);
          this.addRecord(sender);
          this.news.push(sender.id);
          if (metBack) {
            this.emit('met-back', { id: sender.id, ip: sender.ip, port: sender.port });
            // Our own MEET timed out before its answer came (a slow link) and
            // we know nobody: fetch its table the way CLUSTER MEET does.
            if (lone) this.rehandshake(sender, nowMs);
          }
        }
        if (metBack) this.knowsUs(sender); // it named us
        else this.oweMeet(sender, nowMs);
        this.processHeader(sender, h, nowMs);
        this.processGossip(sender, msg.gossip, nowMs);
        sender.linkConnected = true;
        this.sendPong(replyTo, sender, !metBack, msg.probeFor);
        return;
      }
      case 'ping': {
        if (sender) {
          this.knowsUs(sender); // it only pings nodes it knows
          this.processHeader(sender, h, nowMs);
          this.processGossip(sender, msg.gossip, nowMs);
          sender.linkConnected = true;
          // A suspect talks again: probe it now (its pong clears PFAIL/FAIL).
          if ((sender.fail || sender.pfail) && nowMs - sender.lastProbeMs >= this.tuning.probeIntervalMs) this.sendPing(sender, nowMs);
        }
        const answer = sender && msg.tableSummary ? new Set(msg.tableSummary) : false;
        this.sendPong(replyTo, sender ?? null, answer);
        if (sender && msg.probeFor) this.startRelay(msg.probeFor, sender, nowMs);
        if (sender && !msg.tableSummary) this.maybeRequestSync(sender, h, nowMs);
        return;
      }
      case 'pong': {
        // The answer to one of our MEETs, also when we learned the sender meanwhile (then only the handshake goes).
        const resolved = !sender || this.nodes.get(msg.probeReply ?? '')?.handshake === true;
        if (resolved) sender = this.resolveHandshake(h, msg.probeReply, nowMs) ?? sender;
        if (!sender) return;
        // Every ping of ours to a meetPending node is a MEET, so its pongs answer MEETs.
        this.knowsUs(sender);
        this.markAlive(sender, nowMs);
        this.processHeader(sender, h, nowMs);
        this.processGossip(sender, msg.gossip, nowMs, msg.fullTable === true);
        sender.linkConnected = true;
        this.maybeRequestSync(sender, h, nowMs);
        const relay = this.relays.get(sender.id);
        if (relay) {
          this.relays.delete(sender.id);
          for (const requesterId of relay.keys()) {
            const req = this.nodes.get(requesterId);
            if (req && !req.handshake) this.sendPong(this.targetOf(req), req, false, sender.id);
          }
        }
        if (msg.probeReply && msg.probeReply !== sender.id) {
          const probed = this.nodes.get(msg.probeReply);
          if (probed && !probed.handshake && probed !== this.myself) this.markAlive(probed, nowMs);
        }
        // Our MEET is answered: tell the node we know it now, or it MEETs us back.
        if (resolved) this.sendPing(sender, nowMs);
        return;
      }
      case 'fail': {
        if (!sender) return;
        const failed = this.nodes.get(msg.failedId);
        if (!failed || failed === this.myself || failed.handshake || failed.fail) return;
        this.setFail(failed, nowMs, 'fail-message', sender.id);
        return;
      }
      case 'update': {
        if (!sender) return;
        const n = this.nodes.get(msg.nodeId);
        if (!n || n.handshake || n === this.myself) return;
        if (n.configEpoch >= msg.configEpoch) return;
        n.configEpoch = msg.configEpoch;
        if (!n.primary) {
          // It owns slots with a newer configEpoch: it is a primary now (promoted while we were away).
          n.primary = true;
          n.primaryId = '';
        }
        this.raiseCurrentEpoch(msg.configEpoch);
        this.touched(n, true);
        this.applyClaim(n, msg.configEpoch, msg.slots);
        return;
      }
      case 'publish':
        if (sender) this.effects.push({ kind: 'deliver-publish', channel: msg.channel, message: msg.message, sharded: msg.sharded });
        return;
      case 'failover-auth-request':
        if (!sender) return;
        this.processHeader(sender, h, nowMs); // raises currentEpoch first: the voter asserts it
        this.failover.onAuthRequest(sender, msg, nowMs);
        return;
      case 'failover-auth-ack':
        if (!sender) return;
        this.processHeader(sender, h, nowMs);
        this.failover.onAuthAck(sender, h, nowMs);
        return;
      case 'mfstart':
        if (!sender) return;
        this.processHeader(sender, h, nowMs);
        this.failover.onMfStart(sender, h, nowMs);
        return;
    }
  }

  /** A node that sent CLUSTER MEET's MEET to us is MEETed back until it shows it knows us. */
  private oweMeet(r: NodeRecord, nowMs: number): void {
    r.meetPending = true;
    if (!this.meetsOwed.has(r.id)) this.meetsOwed.set(r.id, nowMs + this.handshakeResendMs());
  }

  private knowsUs(r: NodeRecord): void {
    if (!r.meetPending) return;
    r.meetPending = false;
    this.meetsOwed.delete(r.id);
  }

  /** A fresh handshake to a node we know: its answer is its whole table. */
  private rehandshake(r: NodeRecord, nowMs: number): void {
    for (const id of [...this.handshakes]) {
      const hs = this.nodes.get(id)!;
      if (hs.ip === r.ip && hs.busPort === r.busPort) this.removeRecord(hs);
    }
    this.meet(r.ip, r.port, r.busPort, nowMs);
  }

  /**
   * Ticks come every TICK_PERIOD_MS. A longer gap means this process did not
   * run (SIGSTOP, a long GC or fsync, an overloaded machine): the answers to
   * our probes may be sitting unread in our sockets, and timers run before
   * I/O when the event loop wakes. That time is ours, not the peers': move
   * the outstanding probes forward by it, so a node resuming from a pause
   * does not report healthy peers as failing.
   */
  private discountOwnStall(nowMs: number): void {
    const stalledMs = nowMs - this.lastTickMs - TICK_PERIOD_MS;
    if (this.lastTickMs < 0 || stalledMs < STALL_MIN_MS) return;
    for (const id of this.outstanding) {
      const r = this.nodes.get(id);
      if (r && r.pingSentMs > 0) r.pingSentMs = Math.min(nowMs, r.pingSentMs + stalledMs);
    }
    this.emit('own-stall', { stalledMs });
  }

  private handshakeResendMs(): number {
    return Math.min(1000, Math.max(100, this.nodeTimeoutMs / 4));
  }

  /** Redis's handshake timeout: the node timeout, at least 1 s. */
  private handshakeTimeoutMs(): number {
    return Math.max(this.nodeTimeoutMs, 1000);
  }

  private recordFromHeader(h: NodeHeader, nowMs: number): NodeRecord {
    const r = new NodeRecord(h.id, h.ip, h.port, h.busPort, nowMs);
    r.hostname = h.hostname;
    r.zone = h.zone;
    r.shardId = h.shardId;
    r.primary = !h.flags.includes('slave');
    r.primaryId = h.primaryId;
    r.noFailover = h.flags.includes('nofailover');
    return r;
  }

  /** A pong from an id we do not know may answer one of our MEETs. */
  private resolveHandshake(h: NodeHeader, probeReply: string | undefined, nowMs: number): NodeRecord | undefined {
    let hs: NodeRecord | undefined;
    const byId = probeReply ? this.nodes.get(probeReply) : undefined;
    if (byId?.handshake) hs = byId;
    else for (const id of this.handshakes) {
      const r = this.nodes.get(id)!;
      if (r.ip === h.ip && r.busPort === h.busPort) hs = r;
    }
    if (!hs) return undefined;
    this.removeRecord(hs);
    const known = this.nodes.get(h.id);
    if (known) return known; // "we already know node X": drop the handshake
    const r = this.recordFromHeader(h, nowMs);
    this.addRecord(r);
    this.news.push(r.id);
    this.emit('handshake-done', { id: r.id, ip: r.ip, port: r.port });
    return r;
  }

  private markAlive(r: NodeRecord, nowMs: number): void {
    r.pongRecvMs = nowMs;
    r.pingSentMs = 0;
    r.indirectSent = false;
    this.outstanding.delete(r.id);
    this.viewCache = null;
    if (r.pfail) {
      r.pfail = false;
      this.suspects.delete(r.id);
      this.structural(false);
    } else if (r.fail) {
      this.clearFailIfNeeded(r, nowMs);
    }
  }

  /** clearNodeFailureIfNeeded: replicas and slot-less primaries at once, others after 2 x node timeout. */
  private clearFailIfNeeded(r: NodeRecord, nowMs: number): void {
    const undo = !r.primary || r.slots.length === 0 || nowMs - r.failTimeMs > this.nodeTimeoutMs * 2;
    if (!undo) return;
    r.fail = false;
    this.suspects.delete(r.id);
    this.touched(r, true);
    this.emit('fail-cleared', { id: r.id });
  }

  private processHeader(s: NodeRecord, h: NodeHeader, nowMs: number): void {
    this.raiseCurrentEpoch(h.currentEpoch);
    let changed = false;
    if (h.configEpoch > s.configEpoch) {
      s.configEpoch = h.configEpoch;
      this.raiseCurrentEpoch(h.configEpoch);
      changed = true;
    }
    if (s.ip !== h.ip || s.port !== h.port || s.busPort !== h.busPort) {
      s.ip = h.ip;
      s.port = h.port;
      s.busPort = h.busPort;
      changed = true;
    }
    const primary = !h.flags.includes('slave');
    if (s.primary !== primary || s.primaryId !== h.primaryId) {
      s.primary = primary;
      s.primaryId = h.primaryId;
      if (!primary) for (const range of [...s.slots]) this.assignRange(range, null);
      changed = true;
    }
    const noFailover = h.flags.includes('nofailover');
    if (s.noFailover !== noFailover || s.zone !== h.zone || s.shardId !== h.shardId || s.hostname !== h.hostname) {
      s.noFailover = noFailover;
      s.zone = h.zone;
      s.shardId = h.shardId;
      s.hostname = h.hostname;
      changed = true;
    }
    s.replOffset = h.replOffset;
    if (h.seenReceiverDigest !== undefined) s.knowsMyDigest = h.seenReceiverDigest;
    if (changed) this.touched(s, true);

    if (primary && h.slots && h.slotsDigest !== s.slotsDigest) {
      this.applyClaim(s, h.configEpoch, h.slots);
      // A claim on a slot whose owner has a higher configEpoch is stale: tell the sender (UPDATE).
      outer: for (const [a, b] of h.slots) {
        for (let j = a; j <= b; j++) {
          const cur = this.owners[j];
          if (cur && cur !== s && cur.configEpoch > h.configEpoch) {
            this.stats.updateSent++;
            this.send(s, { kind: 'update', header: this.header(s), nodeId: cur.id, configEpoch: cur.configEpoch, slots: cur.slots });
            break outer;
          }
        }
      }
    }
    const me = this.myself;
    if (collisionLoser(me.id, s.id, me.configEpoch, s.configEpoch, me.primary && s.primary)) this.bumpForCollision(s.id);
    void nowMs;
  }

  private bumpForCollision(otherId: string): void {
    assert(this.currentEpoch >= this.myself.configEpoch, 'currentEpoch >= my configEpoch');
    this.currentEpoch++;
    this.myself.configEpoch = this.currentEpoch;
    this.touched(this.myself, true);
    this.emit('config-epoch-collision', { with: otherId, configEpoch: this.myself.configEpoch });
  }

  private processGossip(sender: NodeRecord, gossip: readonly GossipEntry[], nowMs: number, fullTable = false): void {
    this.announceLearned = !fullTable;
    try {
      this.mergeGossip(sender, gossip, nowMs);
    } finally {
      this.announceLearned = true;
    }
  }

  private mergeGossip(sender: NodeRecord, gossip: readonly GossipEntry[], nowMs: number): void {
    const me = this.myself;
    const senderVotes = sender.primary;
    for (const e of gossip) {
      if (e.id === me.id) continue;
      let n = this.nodes.get(e.id);
      if (n?.handshake) n = undefined;
      if (n) {
        if (n !== sender) {
          const suspected = e.flags.includes('pfail') || e.flags.includes('fail');
          if (suspected) {
            if (senderVotes) {
              this.reports.add(n.id, sender.id, nowMs);
              this.markFailingIfNeeded(n, nowMs);
            }
            this.noteConfirmRequest(n, sender, nowMs);
          } else if (senderVotes && this.reports.has(n.id)) this.reports.remove(n.id, sender.id);
        }
        if (n !== sender) this.roleFromGossip(n, e);
        if (e.slots && e.configEpoch >= n.configEpoch && slotsDigest(e.configEpoch, e.slots) !== n.slotsDigest) {
          if (e.configEpoch > n.configEpoch) {
            n.configEpoch = e.configEpoch;
            this.raiseCurrentEpoch(e.configEpoch);
            this.touched(n, true);
          }
          if (n.primary) this.applyClaim(n, e.configEpoch, e.slots);
        }
        if (e.configEpoch === n.configEpoch && n.primary && collisionLoser(me.id, n.id, me.configEpoch, n.configEpoch, me.primary && !e.flags.includes('slave'))) {
          this.bumpForCollision(n.id);
        }
        continue;
      }
      // Unknown node. Redis handshakes it; we trust gossip from a known node as
      // SWIM does (the id is in the entry) and let probing verify it.
      if (e.ip === '' || this.isBlacklisted(e.id, nowMs)) continue;
      const r = new NodeRecord(e.id, e.ip, e.port, e.busPort, nowMs);
      r.hostname = e.hostname;
      r.zone = e.zone;
      r.shardId = e.shardId;
      r.primary = !e.flags.includes('slave');
      r.primaryId = e.primaryId;
      r.noFailover = e.flags.includes('nofailover');
      r.configEpoch = e.configEpoch;
      this.raiseCurrentEpoch(e.configEpoch);
      this.addRecord(r);
      if (this.announceLearned) this.news.push(r.id);
      if (e.slots && r.primary) this.applyClaim(r, e.configEpoch, e.slots);
    }
  }

  private confirmMs(): number {
    return this.nodeTimeoutMs / CONFIRM_TIMEOUT_DIVISOR;
  }

  /**
   * Someone suspects n. Bounded probing means we may not have probed n
   * lately: probe it now, unless we heard from it within the confirm window.
   * A replica asking (its primary is the suspect) gets our verdict directly.
   */
  private noteConfirmRequest(n: NodeRecord, from: NodeRecord, nowMs: number): void {
    if (n === this.myself || n.handshake) return;
    let c = this.confirmRequests.get(n.id);
    if (!c || nowMs - c.sinceMs > this.nodeTimeoutMs * 2) this.confirmRequests.set(n.id, (c = { sinceMs: nowMs, replicas: new Map() }));
    // Only a slot-owning primary's report counts, so only such a node answers
    // a replica, and at most once per confirm window (the replica's every
    // message carries the suspect).
    const answer = this.myself.primary && this.myself.slots.length > 0 && !from.primary && from.primaryId === n.id;
    if (n.pfail || n.fail) {
      const lastMs = c.replicas.get(from.id) ?? -Infinity;
      if (answer && nowMs - lastMs >= this.confirmMs()) {
        c.replicas.set(from.id, nowMs);
        this.reportTo(from, n);
      }
      return;
    }
    if (answer && !c.replicas.has(from.id)) c.replicas.set(from.id, -Infinity);
    if (n.pingSentMs === 0 && nowMs - n.pongRecvMs >= this.confirmMs()) this.sendPing(n, nowMs);
  }

  private confirmWanted(n: NodeRecord, nowMs: number): boolean {
    const c = this.confirmRequests.get(n.id);
    if (c && nowMs - c.sinceMs <= this.nodeTimeoutMs * 2) return true;
    return this.reports.has(n.id) && this.reports.valid(n.id, nowMs, this.nodeTimeoutMs).length > 0;
  }

  /** A report straight to one node: an unsolicited pong whose gossip is the suspect. */
  private reportTo(to: NodeRecord, suspect: NodeRecord): void {
    this.stats.pongsSent++;
    this.send(to, { kind: 'pong', header: this.header(to), gossip: [this.entry(suspect, false)] });
  }

  /** n just turned PFAIL here. */
  private onPfail(n: NodeRecord, nowMs: number): void {
    if (n.primary && n.slots.length > 0) this.failover.notePfail(n.id, nowMs);
    const c = this.confirmRequests.get(n.id);
    if (c) {
      for (const id of c.replicas.keys()) {
        const r = this.nodes.get(id);
        if (r && !r.handshake) this.reportTo(r, n);
        c.replicas.set(id, nowMs);
      }
    }
    // My own primary: ask every slot-owning primary to confirm, and collect
    // their reports here (O(primaries) messages once per failure).
    if (!this.myself.primary && n.id === this.myself.primaryId && n.slots.length > 0) {
      for (const r of this.slotOwners) if (r !== n && r !== this.myself && r.primary) this.reportTo(r, n);
    }
  }

  /**
   * Roles normally come from a node's own header. With bounded probing we may
   * not hear from a node for minutes, so gossip may change a role too, but
   * only in the directions a failover moves and never against slot ownership:
   * a promotion comes with a newer configEpoch; a demotion only for a node
   * that owns no slot here; a replica re-pointed only away from a primary that
   * no longer owns slots. Stale entries can therefore not flip a role back.
   */
  private roleFromGossip(n: NodeRecord, e: GossipEntry): void {
    if (n === this.myself) return;
    const entryPrimary = !e.flags.includes('slave');
    if (entryPrimary === n.primary && (entryPrimary || e.primaryId === n.primaryId)) return;
    if (entryPrimary) {
      if (e.configEpoch <= n.configEpoch) return;
      n.primary = true;
      n.primaryId = '';
    } else {
      const to = this.nodes.get(e.primaryId);
      if (!to || to.handshake || !to.primary || to === n) return;
      if (n.primary) {
        if (n.slots.length > 0) return;
      } else {
        const cur = this.nodes.get(n.primaryId);
        if (cur && cur.primary && cur.slots.length > 0) return;
      }
      n.primary = false;
      n.primaryId = to.id;
      n.shardId = e.shardId;
    }
    this.touched(n, true);
  }

  private markFailingIfNeeded(n: NodeRecord, nowMs: number): void {
    if (!n.pfail || n.fail) return;
    const size = this.clusterSize();
    let votes = 0;
    for (const id of this.reports.valid(n.id, nowMs, this.nodeTimeoutMs)) {
      const r = this.nodes.get(id);
      if (r && r.primary && r.slots.length > 0) votes++;
    }
    if (this.myself.primary && this.myself.slots.length > 0) votes++;
    if (votes < failQuorum(size)) return;
    this.setFail(n, nowMs, 'quorum', String(votes));
    this.stats.failSent += this.peerIds.length - 1;
    this.broadcast(() => ({ kind: 'fail', header: this.header(null), failedId: n.id }), n.id);
  }

  private setFail(n: NodeRecord, nowMs: number, why: string, by: string): void {
    n.fail = true;
    n.pfail = false;
    n.failTimeMs = nowMs;
    this.suspects.add(n.id);
    // Its probe stays unanswered (pingSentMs kept); nothing more to time for it.
    this.outstanding.delete(n.id);
    this.touched(n, true);
    this.emit('node-fail', { id: n.id, why, by });
    if (n.primary && n.slots.length > 0) this.failover.noteFail(n.id, nowMs);
    // My primary failed: start the election's clock now, not at the next tick.
    if (!this.myself.primary && n.id === this.myself.primaryId) this.failover.tick(nowMs);
  }

  private startRelay(targetId: string, requester: NodeRecord, nowMs: number): void {
    const target = this.nodes.get(targetId);
    if (!target || target.handshake || target === this.myself || target === requester) return;
    let m = this.relays.get(targetId);
    if (!m) this.relays.set(targetId, (m = new Map()));
    m.set(requester.id, nowMs);
    this.sendPing(target, nowMs);
  }

  // ------------------------------------------------------------------- tick

  tick(nowMs: number): void {
    assert(Number.isFinite(nowMs), 'nowMs is a finite number');
    this.discountOwnStall(nowMs);
    this.lastTickMs = nowMs;
    this.lastNowMs = nowMs;
    this.entryCache.clear();
    const timeout = this.nodeTimeoutMs;

    // Handshakes: resend MEET until answered; drop after the node timeout (at least 1 s).
    const handshakeTimeoutMs = this.handshakeTimeoutMs();
    for (const id of this.handshakes.size ? [...this.handshakes] : []) {
      const r = this.nodes.get(id)!;
      if (nowMs - r.createdMs > handshakeTimeoutMs) {
        this.removeRecord(r);
        this.emit('handshake-timeout', { ip: r.ip, port: r.port });
      } else if (nowMs - r.lastProbeMs >= this.handshakeResendMs()) this.sendMeet(r, nowMs);
    }

    // Nodes that met us and have not shown that they know us: MEET them back,
    // once per handshake timeout. A suspect is left to its (MEET) re-probes.
    let metBack = 0;
    for (const [id, dueMs] of this.meetsOwed.size ? [...this.meetsOwed] : []) {
      if (metBack >= MEETS_BACK_PER_TICK) break;
      if (nowMs < dueMs) continue;
      const r = this.nodes.get(id);
      this.meetsOwed.delete(id);
      if (!r || !r.meetPending || r.pfail || r.fail) continue;
      this.meetsOwed.set(id, nowMs + handshakeTimeoutMs);
      this.sendPing(r, nowMs);
      metBack++;
    }

    // Outstanding probes: indirect probes at half the timeout, PFAIL at the timeout.
    for (const id of this.outstanding.size ? [...this.outstanding] : []) {
      const r = this.nodes.get(id);
      if (!r || r.pingSentMs === 0) {
        this.outstanding.delete(id);
        continue;
      }
      const ageMs = nowMs - r.pingSentMs;
      if (ageMs > timeout / 2 && !r.indirectSent) {
        r.indirectSent = true;
        this.sendPing(r, nowMs);
        for (const helper of this.randomPeers(this.tuning.indirectProbes, r.id)) {
          this.stats.indirectSent++;
          this.sendPing(helper, nowMs, r.id);
        }
      }
      if ((ageMs > timeout || (ageMs > this.confirmMs() && this.confirmWanted(r, nowMs))) && !r.pfail && !r.fail) {
        r.pfail = true;
        this.suspects.add(r.id);
        this.structural(false);
        this.emit('node-pfail', { id: r.id, afterMs: ageMs });
        this.onPfail(r, nowMs);
        this.markFailingIfNeeded(r, nowMs);
      }
    }

    // Suspects are re-probed every half timeout, and may reach FAIL as reports
    // arrive. FAIL ones only need their slow re-probe: scanned once a second
    // (a dead zone is hundreds of them on every node, every tick).
    const scanFail = nowMs >= this.nextFailScanMs;
    if (scanFail) this.nextFailScanMs = nowMs + 1000;
    for (const id of this.suspects.size ? (scanFail ? [...this.suspects] : [...this.pfailRing()]) : []) {
      const r = this.nodes.get(id);
      if (!r) {
        this.suspects.delete(id);
        continue;
      }
      // FAIL nodes less often: a dead zone of 500 nodes re-probed every half
      // timeout by 1,000 others is 67 pings/s per node. One that comes back
      // is probed as soon as it pings anyone (see receive).
      if (nowMs - r.lastProbeMs >= (r.fail ? timeout * FAIL_REPROBE_MULT : timeout / 2)) this.sendPing(r, nowMs);
      if (r.pfail) this.markFailingIfNeeded(r, nowMs);
    }

    // A replica watches its primary closely (a probe every protocol period,
    // so a dead primary is PFAIL within node timeout + one period wherever the
    // round-robin happens to be) and its siblings once a second (their
    // offsets, from the header, rank the election).
    const me = this.myself;
    if (!me.primary) {
      const p = this.nodes.get(me.primaryId);
      const primaryProbeMs = Math.max(this.tuning.probeIntervalMs, this.nodeTimeoutMs / REPLICA_PROBE_DIVISOR);
      if (p && !p.handshake && p.pingSentMs === 0 && !p.fail && nowMs - p.lastProbeMs >= primaryProbeMs) this.sendPing(p, nowMs);
      if (nowMs >= this.nextSiblingProbeMs) {
        this.nextSiblingProbeMs = nowMs + Math.max(SIBLING_PROBE_MS, this.nodeTimeoutMs / 5);
        for (const r of this.siblings()) if (r.pingSentMs === 0 && !r.fail) this.sendPing(r, nowMs);
      }
    }
    for (const [id, c] of this.confirmRequests) if (nowMs - c.sinceMs > timeout * 2) this.confirmRequests.delete(id);

    // Indirect probes we run for others expire with the node timeout.
    for (const [target, m] of this.relays) {
      for (const [req, sinceMs] of m) if (nowMs - sinceMs > timeout) m.delete(req);
      if (m.size === 0) this.relays.delete(target);
    }

    // One round-robin probe per protocol period.
    if (nowMs >= this.nextProbeMs) {
      this.nextProbeMs = nowMs + this.tuning.probeIntervalMs;
      const id = this.schedule.pick(
        () => this.peerIds,
        (pid) => {
          const r = this.nodes.get(pid);
          return r !== undefined && !r.handshake && r.pingSentMs === 0 && !r.pfail && !r.fail;
        },
      );
      if (id) this.sendPing(this.nodes.get(id)!, nowMs);
    }

    this.failover.tick(nowMs);
    this.updateState(nowMs);
  }

  /** Replicas of my primary other than me; recomputed (O(N)) only when the table changed. */
  private siblings(): NodeRecord[] {
    // A role change elsewhere in a big table rarely concerns my shard; my own
    // change (REPLICATE, promotion) always does, and is seen at once.
    const c = this.siblingCache;
    if (c.version === this.roleVersion || (c.forPrimary === this.myself.primaryId && this.lastNowMs - c.atMs < SIBLING_CACHE_MS)) return c.list;
    const out: NodeRecord[] = [];
    const me = this.myself;
    if (!me.primary) {
      for (const id of this.peerIds) {
        const r = this.nodes.get(id)!;
        if (!r.primary && r.primaryId === me.primaryId) out.push(r);
      }
    }
    this.siblingCache = { version: this.roleVersion, forPrimary: me.primaryId, atMs: this.lastNowMs, list: out };
    return out;
  }

  private randomPeers(k: number, exclude: string): NodeRecord[] {
    const out: NodeRecord[] = [];
    const n = this.peerIds.length;
    for (let i = 0; i < k * 4 && out.length < k && n > 0; i++) {
      const r = this.nodes.get(this.peerIds[Math.floor(this.random() * n)]!)!;
      // A helper that may not know us would ignore the request.
      if (r.id === exclude || r.pfail || r.fail || r.meetPending || out.includes(r)) continue;
      out.push(r);
    }
    return out;
  }

  settleState(nowMs: number): void {
    assert(Number.isFinite(nowMs), 'nowMs is a finite number');
    if (!this.stateDirty) return;
    this.lastNowMs = nowMs;
    this.updateState(nowMs);
  }

  private updateState(nowMs: number): void {
    if (!this.stateDirty) return;
    if (this.myself.primary && this.state === 'fail' && nowMs - this.startMs < WRITABLE_DELAY_MS) return;
    let slotsServed = 0;
    let size = 0;
    let reachable = 0;
    for (const r of this.slotOwners) {
      if (!r.primary || r.slots.length === 0) continue;
      size++;
      const n = slotCount(r.slots);
      if (!r.fail) slotsServed += n;
      if (!r.pfail && !r.fail) reachable++;
    }
    const { state, minority } = computedState({ requireFullCoverage: this.requireFullCoverage, slotsServed, size, reachablePrimaries: reachable });
    if (minority) this.amongMinorityMs = nowMs;
    if (state === this.state) {
      this.stateDirty = false;
      return;
    }
    if (state === 'ok' && this.myself.primary && nowMs - this.amongMinorityMs < rejoinDelayMs(this.nodeTimeoutMs)) return; // stay dirty: retry next tick
    this.state = state;
    this.stateDirty = false;
    this.structural(false);
    this.emit('cluster-state', { state });
  }

  linkChanged(target: BusTarget, connected: boolean, nowMs: number): void {
    void nowMs;
    const r = target.id ? this.nodes.get(target.id) : undefined;
    if (!r || r.linkConnected === connected) return;
    r.linkConnected = connected;
    this.viewCache = null;
  }

  // ------------------------------------------------------------------ admin

  meet(ip: string, port: number, busPort: number, nowMs: number): AdminResult {
    if (!validIp(ip) || !(port > 0 && port <= 65535) || !(busPort > 0 && busPort <= 65535)) {
      return `ERR Invalid node address specified: ${ip}:${port}`;
    }
    for (const id of this.handshakes) {
      const r = this.nodes.get(id)!;
      if (r.ip === ip && r.port === port && r.busPort === busPort) return null; // already in progress
    }
    let id = randomNodeId(this.random);
    while (this.nodes.has(id)) id = randomNodeId(this.random);
    const r = new NodeRecord(id, ip, port, busPort, nowMs);
    r.handshake = true;
    r.handshakeSinceMs = nowMs;
    this.addRecord(r);
    this.sendMeet(r, nowMs);
    return null;
  }

  addSlots(slots: readonly number[]): AdminResult {
    return this.changeSlots(slots, false);
  }

  delSlots(slots: readonly number[]): AdminResult {
    return this.changeSlots(slots, true);
  }

  private changeSlots(slots: readonly number[], del: boolean): AdminResult {
    for (const s of slots) if (!isValidSlot(s)) return 'ERR Invalid or out of range slot';
    const seen = new Set<number>();
    for (const s of slots) {
      if (del && this.owners[s] === null) return `ERR Slot ${s} is already unassigned`;
      if (!del && this.owners[s] !== null) return `ERR Slot ${s} is already busy`;
      if (seen.has(s)) return `ERR Slot ${s} specified multiple times`;
      seen.add(s);
    }
    // Consecutive slots as one range: ADDSLOTS of every slot (redis-cli --cluster create) is one assignRange, not 16384.
    const to = del ? null : this.myself;
    let runStart = -1;
    let runEnd = -1;
    for (const s of slots) {
      if (!del) this.importing.delete(s);
      if (runStart >= 0 && s === runEnd + 1) {
        runEnd = s;
        continue;
      }
      if (runStart >= 0) this.assignRange([runStart, runEnd], to);
      runStart = runEnd = s;
    }
    if (runStart >= 0) this.assignRange([runStart, runEnd], to);
    this.touched(this.myself, true);
    return null;
  }

  flushSlots(): AdminResult {
    for (const range of [...this.myself.slots]) this.assignRange(range, null);
    this.touched(this.myself, true);
    return null;
  }

  setSlot(slot: number, action: 'importing' | 'migrating' | 'node' | 'stable', nodeId: string | null): AdminResult {
    if (!isValidSlot(slot)) return 'ERR Invalid or out of range slot';
    const n = nodeId === null ? undefined : this.nodes.get(nodeId);
    switch (action) {
      case 'migrating':
        if (this.owners[slot] !== this.myself) return `ERR I'm not the owner of hash slot ${slot}`;
        if (!n) return `ERR I don't know about node ${nodeId ?? ''}`;
        if (!n.primary) return 'ERR Target node is not a master';
        this.migrating.set(slot, n.id);
        break;
      case 'importing':
        if (this.owners[slot] === this.myself) return `ERR I'm already the owner of hash slot ${slot}`;
        if (!n) return `ERR I don't know about node ${nodeId ?? ''}`;
        if (!n.primary) return 'ERR Target node is not a master';
        this.importing.set(slot, n.id);
        break;
      case 'stable':
        this.migrating.delete(slot);
        this.importing.delete(slot);
        break;
      case 'node': {
        if (!n) return `ERR Unknown node ${nodeId ?? ''}`;
        if (!n.primary) return 'ERR Target node is not a master';
        if (n !== this.myself && this.migrating.has(slot)) this.migrating.delete(slot);
        const wasImporting = n === this.myself && this.importing.has(slot);
        if (wasImporting) this.importing.delete(slot);
        this.assignRange([slot, slot], n);
        if (wasImporting) this.bumpEpoch(); // clusterBumpConfigEpochWithoutConsensus
        break;
      }
    }
    // Only the slot states changed (not NODE): the cached view, if any, is current but for them.
    const prev = action === 'node' ? null : this.viewCache;
    this.structural(true);
    if (prev !== null) this.viewCache = withSlotStates(prev, this.migrating, this.importing, ++this.viewVersion);
    return null;
  }

  forget(nodeId: string, nowMs: number): AdminResult {
    const n = this.nodes.get(nodeId);
    if (!n) return `ERR Unknown node ${nodeId}`;
    if (n === this.myself) return "ERR I tried hard but I can't forget myself...";
    if (!this.myself.primary && this.myself.primaryId === n.id) return "ERR Can't forget my master!";
    this.blacklist.set(n.id, nowMs + this.tuning.blacklistTtlMs);
    this.removeRecord(n);
    return null;
  }

  reset(hard: boolean, newIdentity: MyselfIdentity | null): AdminResult {
    for (const r of [...this.nodes.values()]) if (r !== this.myself) this.removeRecord(r);
    for (const range of [...this.myself.slots]) this.assignRange(range, null);
    this.migrating.clear();
    this.importing.clear();
    this.myself.primary = true;
    this.myself.primaryId = '';
    if (hard) {
      this.currentEpoch = 0;
      this.failover.reset();
      this.myself.configEpoch = 0;
      this.membersXor = (this.membersXor ^ this.myself.fingerprint) >>> 0;
      this.nodes.delete(this.myself.id);
      const id = newIdentity?.id ?? randomNodeId(this.random);
      this.myself.id = id;
      if (newIdentity) this.myself.shardId = newIdentity.shardId;
      this.nodes.set(id, this.myself);
      this.myself.fingerprint = this.myself.computeFingerprint();
      this.membersXor = (this.membersXor ^ this.myself.fingerprint) >>> 0;
    }
    this.touched(this.myself, false);
    return null;
  }

  bumpEpoch(): { bumped: boolean; epoch: number } {
    if (!shouldBumpWithoutConsensus(this.myself.configEpoch, this.maxConfigEpoch())) return { bumped: false, epoch: this.myself.configEpoch };
    this.currentEpoch++;
    this.myself.configEpoch = this.currentEpoch;
    this.touched(this.myself, true);
    return { bumped: true, epoch: this.myself.configEpoch };
  }

  setConfigEpoch(epoch: number): AdminResult {
    if (!Number.isInteger(epoch) || epoch < 0) return `ERR Invalid config epoch specified: ${epoch}`;
    if (this.nodes.size > 1) return 'ERR The user can assign a config epoch only when the node does not know any other node.';
    if (this.myself.configEpoch !== 0) return 'ERR Node config epoch is already non-zero';
    this.myself.configEpoch = epoch;
    this.raiseCurrentEpoch(epoch);
    this.touched(this.myself, true);
    return null;
  }


  /** CLUSTER REPLICATE: Redis's checks on the core's side (the adapter refuses a primary holding keys). */
  replicate(primaryId: string): AdminResult {
    const n = this.nodes.get(primaryId);
    if (!n || n.handshake) return `ERR Unknown node ${primaryId}`;
    if (n === this.myself) return "ERR Can't replicate myself";
    if (!n.primary) return 'ERR I can only replicate a master, not a replica.';
    const me = this.myself;
    if (me.primary && me.slots.length > 0) return 'ERR To set a master the node must be empty and without assigned slots.';
    if (!me.primary && me.primaryId === n.id) return null; // already (Redis replies OK)
    this.setMyPrimary(n.id, 'cluster-replicate', this.lastNowMs);
    return null;
  }

  /** Offsets and link state from the replication adapter: election rank, manual failover catch-up, sync mode. */
  setReplicationState(state: ReplicationState, nowMs: number): void {
    void nowMs;
    this.failover.setReplicationState(state);
  }

  /** cluster-node-timeout: every deadline (PFAIL, FAIL reports, votes, handshakes) reads it. */
  get nodeTimeoutMs(): number {
    return this.nodeTimeoutMsValue;
  }

  /** CONFIG SET cluster-node-timeout: deadlines already running are judged by the new value from the next tick. */
  setNodeTimeout(ms: number): void {
    assert(Number.isInteger(ms) && ms > 0, 'nodeTimeoutMs is a positive integer');
    this.nodeTimeoutMsValue = ms;
  }

  /** CONFIG SET of a failover directive (cluster-sync-replication, ...): applies from the next tick; returns the settings now in force. */
  setFailoverSettings(changes: Partial<FailoverSettings>): FailoverSettings {
    return this.failover.setSettings(changes);
  }

  /** CLUSTER FAILOVER [FORCE|TAKEOVER]. */
  manualFailover(mode: 'default' | 'force' | 'takeover', nowMs: number): AdminResult {
    this.lastNowMs = nowMs;
    return this.failover.manualFailover(mode, nowMs);
  }

  /**
   * The next instant the core has timed work before the periodic tick: an
   * election start or re-send, a replica's PFAIL deadline for its primary,
   * a confirmation deadline. The adapter (and the simulator) tick then.
   */
  nextWakeMs(): number {
    let at = this.failover.nextWakeMs();
    const confirm = this.confirmMs();
    for (const id of this.outstanding) {
      const r = this.nodes.get(id);
      if (!r || r.pingSentMs === 0 || r.pfail || r.fail) continue;
      if (!this.myself.primary && id === this.myself.primaryId) at = Math.min(at, r.pingSentMs + this.nodeTimeoutMs + 1);
      // Only a live confirm request or valid report: a stale one would be an
      // overdue deadline no tick clears, and the runtime would tick at once, forever.
      if (this.confirmWanted(r, this.lastNowMs)) at = Math.min(at, r.pingSentMs + confirm + 1);
    }
    return at;
  }

  failoverTimeline(): readonly FailoverTimelineEntry[] {
    return this.failover.failoverTimeline();
  }

  noteFirstWriteAccepted(nowMs: number): void {
    this.failover.noteFirstWriteAccepted(nowMs);
  }

  // --------------------------------------------------------------- failover

  /** Won an election (or TAKEOVER): take the shard's slots with the new configEpoch and tell everyone at once. */
  private promoteSelf(configEpoch: number, oldPrimaryId: string, slots: readonly SlotRange[], nowMs: number): void {
    const me = this.myself;
    const old = this.nodes.get(oldPrimaryId);
    assert(!me.primary, 'only a replica is promoted');
    assert(configEpoch > (old?.configEpoch ?? 0), 'the new configEpoch beats the old primary');
    assert(configEpoch >= this.currentEpoch || configEpoch > me.configEpoch, 'configEpoch never goes back');
    me.primary = true;
    me.primaryId = '';
    me.configEpoch = configEpoch;
    this.raiseCurrentEpoch(configEpoch);
    // Slots as the election saw them, plus whatever the old primary holds now.
    const ranges = [...slots, ...(old ? old.slots : [])];
    for (const range of normalizeRanges(ranges)) {
      for (let sl = range[0]; sl <= range[1]; sl++) {
        this.importing.delete(sl);
        this.migrating.delete(sl);
      }
      this.assignRange(range, me);
    }
    if (old && old !== me) {
      old.primary = false;
      old.primaryId = me.id;
      this.touched(old, true);
    }
    this.touched(me, true);
    this.assertOnePrimaryPerSlot(me);
    this.effects.push({ kind: 'role-changed', primaryId: null });
    this.emit('promoted', { epoch: configEpoch, oldPrimary: oldPrimaryId, slots: slotCount(me.slots) });
    // Everyone learns the claim now (the header carries slots and configEpoch), not by gossip.
    for (const id of this.peerIds) {
      const r = this.nodes.get(id)!;
      this.sendPong(this.targetOf(r), r, false);
    }
    this.stateDirty = true;
    this.updateState(nowMs);
  }

  /** Become a replica of `primaryId`: old primary after losing its slots, replica migration, CLUSTER REPLICATE. */
  private setMyPrimary(primaryId: string, reason: string, nowMs: number): void {
    const me = this.myself;
    const p = this.nodes.get(primaryId);
    assert(p !== undefined && p !== me && p.primary, 'a replica follows a known primary');
    const wasPrimary = me.primary;
    for (const range of [...me.slots]) this.assignRange(range, null);
    this.migrating.clear();
    this.importing.clear();
    me.primary = false;
    me.primaryId = p.id;
    me.shardId = p.shardId;
    this.touched(me, true);
    if (wasPrimary) this.failover.onDemoted(nowMs);
    this.effects.push({ kind: 'role-changed', primaryId: p.id });
    this.emit('replica-of', { primary: p.id, reason });
    // The new primary (and, through it, everyone) learns the role at once.
    this.sendPing(p, nowMs);
  }

  private failoverHost(): FailoverHost {
    const core = this;
    return {
      get nodeTimeoutMs(): number {
        return core.nodeTimeoutMs;
      },
      random: this.random,
      me: () => this.myself,
      node: (id) => {
        const r = this.nodes.get(id);
        return r && !r.handshake ? r : undefined;
      },
      records: () => this.liveRecords(),
      slotOwners: () => this.slotOwners,
      ownerConfigEpoch: (slot) => this.owners[slot]?.configEpoch ?? null,
      currentEpoch: () => this.currentEpoch,
      clusterOk: () => this.state === 'ok',
      tableVersion: () => this.tableVersionValue,
      header: (to) => this.header(to),
      targetOf: (r) => this.targetOf(r),
      send: (out) => {
        for (const o of out) this.out.push(o);
      },
      effect: (e) => {
        if (e.kind === 'save-config') this.saveWanted = true;
        else this.effects.push(e);
      },
      raiseCurrentEpoch: (epoch) => this.raiseCurrentEpoch(epoch),
      promoteSelf: (configEpoch, oldPrimaryId, slots, nowMs) => this.promoteSelf(configEpoch, oldPrimaryId, slots, nowMs),
      setMyPrimary: (id, reason, nowMs) => this.setMyPrimary(id, reason, nowMs),
    };
  }

  private *liveRecords(): Iterable<NodeRecord> {
    for (const r of this.nodes.values()) if (!r.handshake) yield r;
  }

  failureReportCount(nodeId: string, nowMs: number): number {
    return this.reports.valid(nodeId, nowMs, this.nodeTimeoutMs).length;
  }

  publish(channel: string, message: string, sharded: boolean): void {
    const msg: BusMessage = { kind: 'publish', header: this.header(null), channel, message, sharded };
    const myShard = this.myself.shardId;
    for (const id of this.peerIds) {
      const r = this.nodes.get(id)!;
      if (!sharded || r.shardId === myShard) this.send(r, msg);
    }
  }

  // ------------------------------------------------------------- snapshots

  get view(): ClusterView {
    if (!this.viewCache) {
      this.viewCache = buildView({
        myId: this.myself.id,
        currentEpoch: this.currentEpoch,
        lastVoteEpoch: this.failover.lastVoteEpoch,
        state: this.state,
        records: this.nodes.values(),
        migrating: this.migrating,
        importing: this.importing,
        version: ++this.viewVersion,
        slotChunks: this.slotChunks,
        indexRecords: this.indexRecords,
      });
      this.chunkShared.fill(1);
    }
    return this.viewCache;
  }

  /** XOR of fingerprints of every known node: equal on two nodes means equal tables (mod 2^-32). */
  get membersDigest(): number {
    return this.membersXor;
  }

  get knownNodes(): number {
    return this.nodes.size - this.handshakes.size;
  }

  get handshakeCount(): number {
    return this.handshakes.size;
  }

  get clusterState(): 'ok' | 'fail' {
    return this.state;
  }

  get myId(): string {
    return this.myself.id;
  }

  /** Cheap reads of my own role (the view is O(N) to rebuild after a change). */
  get isPrimary(): boolean {
    return this.myself.primary;
  }

  get myPrimaryId(): string {
    return this.myself.primaryId;
  }

  get mySlots(): readonly SlotRange[] {
    return this.myself.slots;
  }

  get currentEpochValue(): number {
    return this.currentEpoch;
  }

  persisted(): PersistedClusterConfig {
    const nodes: PersistedNode[] = [];
    for (const r of this.nodes.values()) {
      if (r.handshake) continue;
      const flags: string[] = r === this.myself ? ['myself', ...r.flags()] : r.flags();
      nodes.push({
        id: r.id,
        ip: r.ip,
        port: r.port,
        busPort: r.busPort,
        hostname: r.hostname,
        flags: flags.filter((f) => f !== 'pfail'),
        primaryId: r.primaryId,
        pingSentMs: r.pingSentMs,
        pongRecvMs: r.pongRecvMs,
        configEpoch: r.configEpoch,
        linkConnected: r === this.myself || r.linkConnected,
        slots: r.slots,
        shardId: r.shardId,
        zone: r.zone,
      });
    }
    return { nodes, currentEpoch: this.currentEpoch, lastVoteEpoch: this.failover.lastVoteEpoch, migrating: new Map(this.migrating), importing: new Map(this.importing) };
  }

  drain(): Drained {
    const out = this.out;
    const effects = this.effects;
    this.out = [];
    this.effects = [];
    if (this.saveWanted) effects.push({ kind: 'save-config' });
    if (this.structuralChange) effects.push({ kind: 'view-changed' });
    this.saveWanted = false;
    this.structuralChange = false;
    return { out, effects };
  }
}
