// The failover machines (election.ts, voting.ts, manual-failover.ts,
// replica-migration.ts) wired to the cluster core, kept out of core.ts so that
// file stays about gossip and slots. This module decides nothing on its own:
// it builds the small views the machines read from the core's records, feeds
// them the failover messages and ticks, and hands their effects back to the
// core through FailoverHost (which owns the node table and does promotion and
// role changes). It also keeps the failover timeline: the phases of the last
// failovers this node saw, with their times, for INFO and the operator.
// Pure: time is nowMs, randomness the core's injected source.

import { assert } from '../core/errors.js';
import type { AdminResult, FailoverSettings, FailoverTimelineEntry, ReplicationState } from './api.js';
import { ReplicaElection, type FailoverOutput, type ReplicaElectionView, type SiblingInfo } from './election.js';
import { ManualFailoverPrimary, ManualFailoverReplica, type ManualMode, type ManualReplicaView } from './manual-failover.js';
import type { NodeRecord } from './node-record.js';
import { followAfterSlotLoss, ReplicaMigration, type MigrationNode } from './replica-migration.js';
import { slotCount } from './slot-ranges.js';
import type { BusMessage, BusTarget, ClusterEffect, NodeHeader, Outgoing, SlotRange } from './types.js';
import { Voter } from './voting.js';

/** What the glue needs from the core: read access to the table and the few transitions only the core may make. */
export interface FailoverHost {
  readonly nodeTimeoutMs: number;
  readonly random: () => number;
  me(): NodeRecord;
  node(id: string): NodeRecord | undefined;
  /** Every known non-handshake node, myself included. */
  records(): Iterable<NodeRecord>;
  /** Records owning at least one slot. */
  slotOwners(): Iterable<NodeRecord>;
  ownerConfigEpoch(slot: number): number | null;
  currentEpoch(): number;
  clusterOk(): boolean;
  /** Bumped on every change to the node table (roles, slots, FAIL): lets O(N) work be skipped. */
  tableVersion(): number;
  header(to: NodeRecord | null): NodeHeader;
  targetOf(r: NodeRecord): BusTarget;
  send(out: readonly Outgoing[]): void;
  effect(e: ClusterEffect): void;
  raiseCurrentEpoch(epoch: number): void;
  /** Take `slots` with `configEpoch`, demote the old primary in the table, tell everyone. */
  promoteSelf(configEpoch: number, oldPrimaryId: string, slots: readonly SlotRange[], nowMs: number): void;
  /** Drop my slots (if any) and replicate `primaryId`. */
  setMyPrimary(primaryId: string, reason: string, nowMs: number): void;
}

export const DEFAULT_FAILOVER_OPTIONS: FailoverSettings = {
  validityFactor: 10,
  replPingPeriodMs: 10_000,
  migrationBarrier: 1,
  allowReplicaMigration: true,
  syncReplication: false,
};

function checkedSettings(s: FailoverSettings): FailoverSettings {
  assert(Number.isInteger(s.validityFactor) && s.validityFactor >= 0, 'validityFactor is a non-negative integer');
  assert(Number.isFinite(s.replPingPeriodMs) && s.replPingPeriodMs >= 0, 'replPingPeriodMs is non-negative');
  assert(Number.isInteger(s.migrationBarrier) && s.migrationBarrier >= 0, 'migrationBarrier is a non-negative integer');
  return { ...s };
}

/** Replica migration needs an O(N) view; once a second is plenty (its own delay is 5 s). */
const MIGRATION_CHECK_MS = 1000;
/** Timeline entries kept (the last failovers). */
const TIMELINE_MAX = 16;

type MutableEntry = { -readonly [K in keyof FailoverTimelineEntry]: FailoverTimelineEntry[K] };

export class FailoverGlue {
  private readonly election = new ReplicaElection();
  private readonly voter: Voter;
  private readonly mfReplica = new ManualFailoverReplica();
  private readonly mfPrimary = new ManualFailoverPrimary();
  private readonly migration = new ReplicaMigration();
  private repl: ReplicationState = { offset: 0, primaryLinkDownSinceMs: null, primaryAckedOffset: 0 };
  private nextMigrationCheckMs = -Infinity;
  private migrationCheckedVersion = -1;
  private readonly timeline: MutableEntry[] = [];
  /** Promoted here and no write recorded yet: noteFirstWriteAccepted is O(1) otherwise. */
  private awaitingFirstWrite: MutableEntry | null = null;

  private opts: FailoverSettings;

  constructor(
    private readonly host: FailoverHost,
    opts: FailoverSettings,
    lastVoteEpoch: number,
  ) {
    this.opts = checkedSettings(opts);
    this.voter = new Voter(lastVoteEpoch);
  }

  /**
   * CONFIG SET of a failover directive. The views are built from the
   * settings on each tick, so a running election sees the change at its next
   * tick (sync mode turned on stops a replica that is behind the acknowledged
   * offset from running; turned off lets it run).
   */
  setSettings(changes: Partial<FailoverSettings>): FailoverSettings {
    this.opts = checkedSettings({ ...this.opts, ...changes });
    // Replica migration skips its check while the table is unchanged; a new barrier is a reason to look again.
    this.migrationCheckedVersion = -1;
    return this.opts;
  }

  get lastVoteEpoch(): number {
    return this.voter.lastVoteEpoch;
  }

  get electionState(): string {
    return this.election.state;
  }

  /** CLUSTER RESET: forget votes and any running failover. */
  reset(): void {
    this.voter.reset();
  }

  setReplicationState(s: ReplicationState): void {
    assert(s.offset >= 0 && s.primaryAckedOffset >= 0, 'replication offsets are non-negative');
    this.repl = s;
    this.host.me().replOffset = s.offset;
  }

  // ------------------------------------------------------------- messages

  onAuthRequest(sender: NodeRecord, msg: Extract<BusMessage, { kind: 'failover-auth-request' }>, nowMs: number): void {
    const h = this.host;
    const me = h.me();
    const rp = sender.primaryId ? h.node(sender.primaryId) : undefined;
    const o = this.voter.decide(
      { myId: me.id, header: h.header(sender), isPrimary: me.primary, mySlotCount: me.slots.length, currentEpoch: h.currentEpoch(), nodeTimeoutMs: h.nodeTimeoutMs, ownerConfigEpoch: (s) => h.ownerConfigEpoch(s) },
      {
        requesterId: sender.id,
        replyTo: h.targetOf(sender),
        requestCurrentEpoch: msg.header.currentEpoch,
        requesterIsReplica: !sender.primary,
        requesterPrimaryId: rp?.id ?? '',
        requesterPrimaryFailed: rp?.fail ?? false,
        force: msg.force,
        claimedSlots: msg.header.slots ?? [],
        claimedConfigEpoch: rp?.configEpoch ?? 0,
      },
      nowMs,
    );
    this.apply(o, nowMs);
  }

  onAuthAck(sender: NodeRecord, h: NodeHeader, nowMs: number): void {
    if (this.host.me().primary) return;
    this.apply(this.election.onAuthAck(sender.id, h.currentEpoch, this.electionView(), nowMs), nowMs);
  }

  onMfStart(sender: NodeRecord, h: NodeHeader, nowMs: number): void {
    const me = this.host.me();
    if (!me.primary && sender.id === me.primaryId) {
      this.apply(this.mfReplica.onPrimaryPaused(sender.id, h.replOffset, nowMs), nowMs);
    } else if (me.primary) {
      const mine = !sender.primary && sender.primaryId === me.id;
      this.apply(this.mfPrimary.onMfStart(sender.id, mine, this.host.targetOf(sender), this.host.header(sender), me.replOffset, nowMs), nowMs);
    }
  }

  // ----------------------------------------------------------------- tick

  /** Every tick, and at once when my primary turns FAIL (no wait for the next tick). */
  tick(nowMs: number): void {
    this.apply(this.mfPrimary.tick(nowMs), nowMs);
    const me = this.host.me();
    if (!me.primary) {
      this.apply(this.mfReplica.tick(this.manualView(), nowMs), nowMs);
      const p = this.host.node(me.primaryId);
      // The election view is O(N); build it only when an election can run.
      if ((p && p.fail) || this.mfReplica.readyToElect || this.election.state !== 'idle') {
        this.apply(this.election.yieldToNewerEpoch(this.host.currentEpoch(), nowMs, this.host.random), nowMs);
        this.apply(this.election.tick(this.electionView(), nowMs, this.host.random), nowMs);
      }
    }
    // Replica migration needs an O(N) view. Only a replica can move, and the
    // answer changes only when the table does or while an orphan is timed.
    if (!me.primary && nowMs >= this.nextMigrationCheckMs && (this.migration.timingOrphans || this.migrationCheckedVersion !== this.host.tableVersion())) {
      this.nextMigrationCheckMs = nowMs + MIGRATION_CHECK_MS;
      this.migrationCheckedVersion = this.host.tableVersion();
      this.apply(this.migration.tick(this.migrationView(), nowMs), nowMs);
    }
  }

  nextWakeMs(): number {
    return this.election.wakeAtMs() ?? Infinity;
  }

  manualFailover(mode: ManualMode, nowMs: number): AdminResult {
    const r = this.mfReplica.start(mode, this.manualView(), nowMs);
    if (r.error === null) {
      const me = this.host.me();
      const e = this.entryFor(me.primaryId, nowMs, true);
      e.manual = true;
    }
    this.apply(r, nowMs);
    // FORCE is ready at once: start the election in this same turn.
    if (r.error === null && mode === 'force') this.tick(nowMs);
    return r.error;
  }

  /**
   * A claim with a newer configEpoch took `taken` slots from my shard
   * (clusterUpdateSlotsConfigWith): maybe follow the claimer.
   */
  afterSlotLoss(claimer: NodeRecord, taken: number, nowMs: number): void {
    const me = this.host.me();
    const shardPrimary = me.primary ? me : this.host.node(me.primaryId);
    this.apply(
      followAfterSlotLoss({
        myId: me.id,
        amPrimary: me.primary,
        myPrimaryId: me.primary ? '' : me.primaryId,
        shardSlotsLeft: shardPrimary ? shardPrimary.slots.length : 0,
        slotsTakenFromShard: taken,
        claimerId: claimer.id,
        claimerSlotCount: slotCount(claimer.slots),
        allowReplicaMigration: this.opts.allowReplicaMigration,
      }),
      nowMs,
    );
  }

  /** I am no longer a primary (or lost every slot): a paused manual failover hands over. */
  onDemoted(nowMs: number): void {
    this.apply(this.mfPrimary.onDemoted(), nowMs);
  }

  // ------------------------------------------------------------- timeline

  /** The core saw a slot-owning primary go PFAIL / FAIL. */
  notePfail(id: string, nowMs: number): void {
    const e = this.entryFor(id, nowMs, false);
    e.pfailMs ??= nowMs;
  }

  noteFail(id: string, nowMs: number): void {
    const e = this.entryFor(id, nowMs, false);
    e.failMs ??= nowMs;
  }

  /** Slots of `oldId` went to `newId` (seen here, not won here): the promotion as this node learnt it. */
  notePromotedElsewhere(oldId: string, newId: string, nowMs: number): void {
    const e = this.openEntry(oldId);
    if (!e) return;
    e.newPrimaryId = newId;
    e.promotedMs = nowMs;
  }

  noteFirstWriteAccepted(nowMs: number): void {
    const e = this.awaitingFirstWrite;
    if (!e) return;
    e.firstWriteMs = nowMs;
    this.awaitingFirstWrite = null;
  }

  failoverTimeline(): readonly FailoverTimelineEntry[] {
    return this.timeline.map((e) => ({ ...e }));
  }

  private openEntry(primaryId: string): MutableEntry | undefined {
    for (let i = this.timeline.length - 1; i >= 0; i--) {
      const e = this.timeline[i]!;
      if (e.failedPrimaryId === primaryId) return e.promotedMs === null ? e : undefined;
    }
    return undefined;
  }

  private entryFor(primaryId: string, nowMs: number, fresh: boolean): MutableEntry {
    void nowMs;
    const open = fresh ? undefined : this.openEntry(primaryId);
    if (open) return open;
    const e: MutableEntry = { failedPrimaryId: primaryId, newPrimaryId: null, manual: false, pfailMs: null, failMs: null, electionStartMs: null, epoch: null, votes: 0, lastVoteMs: null, promotedMs: null, firstWriteMs: null };
    this.timeline.push(e);
    if (this.timeline.length > TIMELINE_MAX) this.timeline.shift();
    return e;
  }

  // ---------------------------------------------------------------- views

  private electionView(): ReplicaElectionView {
    const h = this.host;
    const me = h.me();
    const p = me.primary ? undefined : h.node(me.primaryId);
    const siblings: SiblingInfo[] = [];
    const slotOwningPrimaries: BusTarget[] = [];
    if (p) {
      for (const r of h.records()) {
        if (r === me || r.primary || r.primaryId !== p.id) continue;
        siblings.push({
          id: r.id,
          replOffset: r.replOffset,
          canFailover: !r.fail && !r.noFailover,
          reachable: !r.pfail && !r.fail,
          // Until replication gossips acknowledged offsets: a replica in another
          // zone than the primary's may have acknowledged what it holds.
          ackedOffsetKnown: r.zone !== p.zone ? r.replOffset : 0,
        });
      }
    }
    for (const r of h.slotOwners()) if (r.primary && r.slots.length > 0) slotOwningPrimaries.push(r === me ? { id: me.id, ip: me.ip, busPort: me.busPort } : h.targetOf(r));
    return {
      myId: me.id,
      header: h.header(null),
      isReplica: !me.primary,
      noFailover: me.noFailover,
      currentEpoch: h.currentEpoch(),
      primary: p ? { id: p.id, fail: p.fail, failTimeMs: p.failTimeMs, configEpoch: p.configEpoch, slots: p.slots } : null,
      myReplOffset: me.replOffset,
      siblings,
      slotOwningPrimaries,
      nodeTimeoutMs: h.nodeTimeoutMs,
      primaryLinkDownSinceMs: this.repl.primaryLinkDownSinceMs,
      validityFactor: this.opts.validityFactor,
      replPingPeriodMs: this.opts.replPingPeriodMs,
      syncReplication: this.opts.syncReplication,
      primaryAckedOffset: this.repl.primaryAckedOffset,
      manualReady: this.mfReplica.readyToElect,
    };
  }

  private manualView(): ManualReplicaView {
    const h = this.host;
    const me = h.me();
    const p = me.primary ? undefined : h.node(me.primaryId);
    return {
      myId: me.id,
      header: h.header(p ?? null),
      isReplica: !me.primary,
      currentEpoch: h.currentEpoch(),
      myReplOffset: me.replOffset,
      primary: p ? { id: p.id, target: h.targetOf(p), fail: p.fail, linkConnected: p.linkConnected && !p.pfail, configEpoch: p.configEpoch, slots: p.slots } : null,
    };
  }

  private migrationView(): { myId: string; clusterOk: boolean; migrationBarrier: number; allowReplicaMigration: boolean; nodes: MigrationNode[] } {
    const nodes: MigrationNode[] = [];
    for (const r of this.host.records()) {
      nodes.push({ id: r.id, isPrimary: r.primary, slotCount: r.slots.length, failed: r.fail, primaryId: r.primary ? '' : r.primaryId, zone: r.zone });
    }
    return { myId: this.host.me().id, clusterOk: this.host.clusterOk(), migrationBarrier: this.opts.migrationBarrier, allowReplicaMigration: this.opts.allowReplicaMigration, nodes };
  }

  // ---------------------------------------------------------------- apply

  private apply(o: FailoverOutput, nowMs: number): void {
    const h = this.host;
    if (o.out.length > 0) h.send(o.out);
    for (const e of o.effects) {
      switch (e.kind) {
        case 'set-current-epoch':
          h.raiseCurrentEpoch(e.epoch);
          break;
        case 'promote-self': {
          h.promoteSelf(e.configEpoch, e.oldPrimaryId, e.slots, nowMs);
          const t = this.entryFor(e.oldPrimaryId, nowMs, false);
          t.manual ||= e.manual;
          t.newPrimaryId = h.me().id;
          t.promotedMs = nowMs;
          t.epoch = e.configEpoch;
          this.awaitingFirstWrite = t;
          break;
        }
        case 'become-replica-of':
          h.setMyPrimary(e.primaryId, e.reason, nowMs);
          break;
        case 'event':
          this.noteEvent(e.name, e.fields, nowMs);
          h.effect(e);
          break;
        default:
          h.effect(e); // save-config, pause-writes, resume-writes, role-changed
      }
    }
  }

  /** The election's events carry the timeline's phases. */
  private noteEvent(name: string, fields: Readonly<Record<string, string | number>>, nowMs: number): void {
    if (name !== 'election-start' && name !== 'election-vote') return;
    const me = this.host.me();
    const t = this.entryFor(me.primaryId, nowMs, false);
    if (name === 'election-start') {
      t.electionStartMs = nowMs;
      t.epoch = Number(fields['epoch']);
      t.votes = 0;
      t.lastVoteMs = null;
    } else {
      t.votes = Number(fields['votes']);
      t.lastVoteMs = nowMs;
    }
  }
}
