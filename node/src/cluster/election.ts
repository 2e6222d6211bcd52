// Replica-side failover election, as a pure state machine. It decides, for a
// replica whose primary is FAIL (or whose manual failover is ready), when to
// run (a delay that ranks replicas by replication offset), which epoch to run
// in (currentEpoch + 1), whom to ask (every slot-owning primary), when it has
// won (a strict majority of slot-owning primaries, as Redis's needed_quorum)
// and when to give up and retry (an attempt lives 2 x node timeout). It also
// refuses to run when its data is too old (cluster-replica-validity-factor)
// or, in synchronous replication mode, when a reachable sibling or the primary
// knows of an acknowledged offset it does not have.
//
// The core calls tick(view, nowMs, random) every ~100 ms and onAuthAck() for
// each failover-auth-ack; both return messages to send and effects to carry
// out. Nothing here reads a clock, a socket or Math.random.
//
// Why the delay is short (Redis waits 500 ms + random 0-500 ms + rank x 1 s):
// Redis's fixed 500 ms exists so the FAIL broadcast reaches the voters before
// the request does (a primary that does not yet see FAIL refuses silently, and
// Redis never re-asks within the attempt). We instead re-send the request
// every requestResendMs to the primaries that have not acked, in the *same*
// epoch (a vote is once per epoch, so a re-ask cannot double-count; a voter
// that already voted for us re-acks idempotently). A voter that had not yet
// seen FAIL votes on the next re-send, ~100 ms later, instead of costing the
// shard a whole 2 x node timeout retry. So rank 0 (the most up-to-date replica,
// and in sync mode the only eligible one) starts 0-50 ms after FAIL: the
// jitter only breaks ties between replicas whose views of the offsets
// disagree. Each lower rank waits rankStepMs more (300 ms), which is longer
// than rank 0 needs to win (a round trip plus at most one re-send) so that on
// a healthy network the best replica wins alone; if it is dead or cut off, the
// next one is only 300 ms behind, not Redis's 1 s.

import { assert } from '../core/errors.js';
import { failQuorum } from './failure-reports.js';
import type { BusMessage, BusTarget, ClusterEffect, NodeHeader, Outgoing, SlotRange } from './types.js';

// ------------------------------------------------------------ shared output

/**
 * What the failover cores ask the cluster core to do. 'event' and
 * 'save-config' are ClusterEffects and pass through unchanged; the others
 * change the node table and the replication role (see docs/failover.md).
 */
export type FailoverEffect =
  | ClusterEffect
  /** Raise currentEpoch to `epoch` (never lowers it). */
  | { readonly kind: 'set-current-epoch'; readonly epoch: number }
  /**
   * Become a primary: take every slot of `oldPrimaryId` with `configEpoch`,
   * turn the old primary into our replica in the table, stop replicating,
   * save, and broadcast a pong so everyone learns the new claim at once.
   */
  | { readonly kind: 'promote-self'; readonly configEpoch: number; readonly oldPrimaryId: string; readonly slots: readonly SlotRange[]; readonly manual: boolean }
  /** Replicate `primaryId` (old primary that lost its slots, replica migration). */
  | { readonly kind: 'become-replica-of'; readonly primaryId: string; readonly reason: string }
  /** Primary side of a manual failover: refuse writes until `untilMs` (or resume-writes). */
  | { readonly kind: 'pause-writes'; readonly untilMs: number }
  | { readonly kind: 'resume-writes' };

export interface FailoverOutput {
  readonly out: Outgoing[];
  readonly effects: FailoverEffect[];
}

export function emptyOutput(): FailoverOutput {
  return { out: [], effects: [] };
}

export function event(name: string, fields: Record<string, string | number>): FailoverEffect {
  return { kind: 'event', name, fields };
}

// ------------------------------------------------------------------ tuning

export interface ElectionTuning {
  /** Random 0..rankJitterMs added to every delay: breaks ties between equal ranks. */
  readonly rankJitterMs: number;
  /** Extra delay per rank: a worse replica runs only if the better one did not win. */
  readonly rankStepMs: number;
  /** Re-ask primaries that have not acked, within the same epoch. */
  readonly requestResendMs: number;
  /**
   * The first re-send comes sooner: the FAIL broadcast and our request leave
   * together and may arrive in either order, and a voter that refused for
   * lack of FAIL should vote before another election's newer epoch reaches it.
   */
  readonly firstResendMs: number;
  /**
   * Added to the next attempt's start so it comes strictly after every voter's
   * "not twice for the same shard within 2 x node timeout" window, which
   * starts when the voter voted, slightly after our attempt started.
   */
  readonly retryMarginMs: number;
  /**
   * An attempt without a single vote after this long (two re-sends: time
   * for a voter lagging on FAIL) has lost its epoch to another election.
   */
  readonly lostAttemptMs: number;
  /** Retries of vote-less attempts before falling back to the 2 x node timeout retry. */
  readonly maxFastRetries: number;
  /** The fast-retry backoff window doubles from rankStepMs up to this (and 2 x node timeout). */
  readonly maxBackoffMs: number;
  /**
   * A retry that waits k x epochSlotMs runs in currentEpoch + 1 + k: retries
   * that learnt the same currentEpoch get distinct epochs, in the order they
   * start (a later request in an older epoch is refused, so order matters).
   */
  readonly epochSlotMs: number;
}

export const DEFAULT_ELECTION_TUNING: ElectionTuning = {
  rankJitterMs: 50,
  rankStepMs: 300,
  requestResendMs: 100,
  firstResendMs: 10,
  retryMarginMs: 100,
  lostAttemptMs: 200,
  maxFastRetries: 10,
  maxBackoffMs: 2400,
  epochSlotMs: 10,
};

/** An attempt (and a voter's per-shard memory) lasts this many node timeouts. */
export const AUTH_TIMEOUT_MULT = 2;

// ------------------------------------------------------------------- view

/** A replica of the same primary, as gossip headers told us. */
export interface SiblingInfo {
  readonly id: string;
  readonly replOffset: number;
  /** FAIL or nofailover siblings cannot win, so they do not push us back. */
  readonly canFailover: boolean;
  /** Reachable from here (not PFAIL/FAIL): its acknowledged offset counts in sync mode. */
  readonly reachable: boolean;
  /**
   * Sync mode: the highest offset this sibling knows was acknowledged to a
   * client. Until replication gossips it, pass the sibling's replOffset when
   * it is in a zone other than the primary's (such a replica's ack may have
   * released a write), else 0.
   */
  readonly ackedOffsetKnown: number;
}

export interface PrimaryInfo {
  readonly id: string;
  readonly fail: boolean;
  /** When we (the observer) saw it become FAIL, for the log; 0 if not FAIL. */
  readonly failTimeMs: number;
  readonly configEpoch: number;
  readonly slots: readonly SlotRange[];
}

/** The part of the cluster view the election reads; the core builds it each call. */
export interface ReplicaElectionView {
  readonly myId: string;
  /** The header the core would send now; requests override currentEpoch. */
  readonly header: NodeHeader;
  readonly isReplica: boolean;
  readonly noFailover: boolean;
  readonly currentEpoch: number;
  readonly primary: PrimaryInfo | null;
  readonly myReplOffset: number;
  readonly siblings: readonly SiblingInfo[];
  /** Every primary owning at least one slot, our failed one included (cluster size). */
  readonly slotOwningPrimaries: readonly BusTarget[];
  readonly nodeTimeoutMs: number;
  /** When the replication link to the primary went down; null while it is up. */
  readonly primaryLinkDownSinceMs: number | null;
  /** cluster-replica-validity-factor; 0 disables the check. */
  readonly validityFactor: number;
  /** repl-ping-replica-period in ms. */
  readonly replPingPeriodMs: number;
  readonly syncReplication: boolean;
  /** Sync mode: the highest acknowledged offset our primary told us of. */
  readonly primaryAckedOffset: number;
  /** A manual failover (default after catch-up, or FORCE) is ready: run now, forced votes. */
  readonly manualReady: boolean;
}

// ------------------------------------------------------- pure decisions

/**
 * Our place in the queue of replicas: how many siblings that can fail over
 * have more data than we do. Equal offsets are ordered by id, so when views
 * agree exactly one replica has rank 0.
 */
export function replicaRank(myId: string, myReplOffset: number, siblings: readonly SiblingInfo[]): number {
  let rank = 0;
  for (const s of siblings) {
    if (s.id === myId || !s.canFailover) continue;
    if (s.replOffset > myReplOffset || (s.replOffset === myReplOffset && s.id < myId)) rank++;
  }
  return rank;
}

/** rank x rankStepMs + random 0..rankJitterMs: the testable expression. */
export function electionDelayMs(rank: number, random: () => number, tuning: ElectionTuning = DEFAULT_ELECTION_TUNING): number {
  assert(Number.isInteger(rank) && rank >= 0, 'rank is a non-negative integer');
  const r = random();
  assert(r >= 0 && r < 1, 'random() in [0, 1)');
  return rank * tuning.rankStepMs + Math.floor(r * (tuning.rankJitterMs + 1));
}

/**
 * clusterHandleSlaveFailover's data-age check: the time since the link to the
 * primary went down, minus the node timeout (the primary was probably alive
 * for that long), must not exceed ping period + node timeout x factor.
 */
export function dataTooOld(v: Pick<ReplicaElectionView, 'primaryLinkDownSinceMs' | 'nodeTimeoutMs' | 'validityFactor' | 'replPingPeriodMs'>, nowMs: number): { tooOld: boolean; dataAgeMs: number; maxAgeMs: number } {
  let dataAgeMs = v.primaryLinkDownSinceMs === null ? 0 : Math.max(0, nowMs - v.primaryLinkDownSinceMs);
  if (dataAgeMs > v.nodeTimeoutMs) dataAgeMs -= v.nodeTimeoutMs;
  const maxAgeMs = v.replPingPeriodMs + v.nodeTimeoutMs * v.validityFactor;
  return { tooOld: v.validityFactor > 0 && dataAgeMs > maxAgeMs, dataAgeMs, maxAgeMs };
}

/**
 * Sync mode: run only holding every write that may have been acknowledged as
 * far as we can tell: the primary's last acked offset and those of the
 * siblings we can reach.
 */
export function syncEligibility(myReplOffset: number, primaryAckedOffset: number, siblings: readonly SiblingInfo[]): { eligible: boolean; requiredOffset: number } {
  let requiredOffset = primaryAckedOffset;
  for (const s of siblings) if (s.reachable && s.ackedOffsetKnown > requiredOffset) requiredOffset = s.ackedOffsetKnown;
  return { eligible: myReplOffset >= requiredOffset, requiredOffset };
}

/** Why this replica may not run now, or null. Manual failovers skip the automatic checks. */
export function cannotFailoverReason(v: ReplicaElectionView, nowMs: number): string | null {
  if (!v.isReplica || v.primary === null) return 'not-a-replica';
  if (!v.primary.fail && !v.manualReady) return 'primary-not-failed';
  if (v.primary.slots.length === 0) return 'primary-owns-no-slots';
  if (v.manualReady) return null;
  if (v.noFailover) return 'nofailover';
  if (dataTooOld(v, nowMs).tooOld) return 'data-too-old';
  if (v.syncReplication && !syncEligibility(v.myReplOffset, v.primaryAckedOffset, v.siblings).eligible) return 'sync-behind-acked-offset';
  return null;
}

// ------------------------------------------------------------ the machine

type Phase =
  | { readonly kind: 'idle' }
  /** FAIL seen: the attempt starts at startAtMs unless our rank gets worse. */
  | { readonly kind: 'waiting'; readonly startAtMs: number; readonly rank: number }
  | { readonly kind: 'requesting'; readonly epoch: number; readonly startedMs: number; readonly acks: Set<string>; lastSentMs: number; sends: number; readonly force: boolean }
  | { readonly kind: 'promoted'; readonly epoch: number };

export class ReplicaElection {
  private phase: Phase = { kind: 'idle' };
  /** The next attempt may not start before this (voters' same-shard window). */
  private retryNotBeforeMs = -Infinity;
  /** The primary the state belongs to; a new primary resets everything. */
  private forPrimaryId = '';
  /** yieldToNewerEpoch gave up an attempt that had votes, for this primary. */
  private yielded = false;
  /** Vote-less attempts given up for this primary (bounded by maxFastRetries). */
  private fastRetries = 0;
  /** From the last view: caps the fast-retry backoff (yieldToNewerEpoch gets no view). */
  private nodeTimeoutMs = Infinity;
  /** Epochs to skip at the next start (a retry's slot in its backoff window). */
  private epochSkip = 0;
  /** Last reason logged for not running, so it is logged once, not every tick. */
  private lastRefusal = '';

  constructor(private readonly tuning: ElectionTuning = DEFAULT_ELECTION_TUNING) {}

  get state(): Phase['kind'] {
    return this.phase.kind;
  }

  /** The epoch of the running attempt, or null. */
  get attemptEpoch(): number | null {
    return this.phase.kind === 'requesting' ? this.phase.epoch : null;
  }

  get votes(): number {
    return this.phase.kind === 'requesting' ? this.phase.acks.size : 0;
  }

  /**
   * When the election next needs a tick, or null. The adapter ticks every
   * ~100 ms; while an election runs it should also tick at this time, so a
   * 0-50 ms jitter is not rounded up to the tick period.
   */
  wakeAtMs(): number | null {
    switch (this.phase.kind) {
      case 'waiting':
        return this.phase.startAtMs;
      case 'requesting':
        return this.phase.lastSentMs + this.resendAfterMs(this.phase.sends);
      default:
        return null;
    }
  }

  tick(v: ReplicaElectionView, nowMs: number, random: () => number): FailoverOutput {
    const o = emptyOutput();
    const primaryId = v.primary?.id ?? '';
    if (primaryId !== this.forPrimaryId) {
      // A new primary (promotion elsewhere, REPLICATE, migration): forget the old race.
      this.forPrimaryId = primaryId;
      this.phase = { kind: 'idle' };
      this.retryNotBeforeMs = -Infinity;
      this.lastRefusal = '';
      this.yielded = false;
      this.fastRetries = 0;
      this.epochSkip = 0;
    }
    if (this.phase.kind === 'promoted') return o;
    this.nodeTimeoutMs = v.nodeTimeoutMs;

    const refusal = cannotFailoverReason(v, nowMs);
    if (refusal !== null) {
      if (this.phase.kind !== 'idle') o.effects.push(event('election-aborted', { phase: 'election', reason: refusal, primary: primaryId }));
      else if (refusal !== this.lastRefusal && refusal !== 'primary-not-failed' && refusal !== 'not-a-replica') {
        o.effects.push(event('election-refused', { phase: 'FAIL', reason: refusal, primary: primaryId }));
      }
      this.lastRefusal = refusal;
      this.phase = { kind: 'idle' };
      return o;
    }
    this.lastRefusal = '';
    const primary = v.primary!;

    if (this.phase.kind === 'requesting') {
      const p = this.phase;
      const authTimeoutMs = AUTH_TIMEOUT_MULT * v.nodeTimeoutMs;
      if (nowMs - p.startedMs >= authTimeoutMs) {
        o.effects.push(event('election-timeout', { phase: 'votes', epoch: p.epoch, votes: p.acks.size, needed: failQuorum(v.slotOwningPrimaries.length) }));
        // A random slot of up to one rank step, which also picks the epoch
        // (epochSlotMs): two elections that split the votes in one epoch
        // would otherwise retry the same distance apart, in the same epoch,
        // and split again every 2 x node timeout.
        const slot = this.randomSlot(this.tuning.rankStepMs, random);
        this.epochSkip = slot;
        this.retryNotBeforeMs = p.startedMs + authTimeoutMs + this.tuning.retryMarginMs + slot * this.tuning.epochSlotMs;
        this.phase = { kind: 'idle' };
        // fall through: schedule the next attempt now
      } else {
        if (nowMs - p.lastSentMs >= this.resendAfterMs(p.sends)) {
          p.lastSentMs = nowMs;
          p.sends++;
          this.sendRequests(v, p.epoch, p.force, p.acks, o);
        }
        return o;
      }
    }

    const rank = v.manualReady ? 0 : replicaRank(v.myId, v.myReplOffset, v.siblings);
    if (this.phase.kind === 'idle') {
      const delayMs = v.manualReady ? 0 : electionDelayMs(rank, random, this.tuning);
      const startAtMs = Math.max(nowMs + delayMs, this.retryNotBeforeMs);
      this.phase = { kind: 'waiting', startAtMs, rank };
      o.effects.push(event('election-scheduled', { phase: 'FAIL', primary: primary.id, rank, delayMs: startAtMs - nowMs, sinceFailMs: primary.fail ? nowMs - primary.failTimeMs : -1, manual: v.manualReady ? 1 : 0 }));
    } else if (this.phase.kind === 'waiting') {
      if (v.manualReady && this.phase.startAtMs > nowMs && this.retryNotBeforeMs <= nowMs) {
        this.phase = { kind: 'waiting', startAtMs: nowMs, rank: 0 };
      } else if (rank > this.phase.rank) {
        // Fresher offsets showed a better sibling: give it the head start it is due.
        const pushMs = (rank - this.phase.rank) * this.tuning.rankStepMs;
        this.phase = { kind: 'waiting', startAtMs: this.phase.startAtMs + pushMs, rank };
        o.effects.push(event('election-rank-changed', { phase: 'FAIL', rank, pushedMs: pushMs }));
      }
    }

    if (this.phase.kind === 'waiting' && nowMs >= this.phase.startAtMs) {
      // Epochs never go back; currentEpoch is at least every configEpoch we
      // know, so the new one beats the old primary's claims.
      assert(v.currentEpoch >= primary.configEpoch, 'currentEpoch >= primary configEpoch');
      const epoch = v.currentEpoch + 1 + this.epochSkip;
      this.epochSkip = 0;
      const force = v.manualReady;
      this.phase = { kind: 'requesting', epoch, startedMs: nowMs, acks: new Set(), lastSentMs: nowMs, sends: 1, force };
      o.effects.push({ kind: 'set-current-epoch', epoch });
      o.effects.push({ kind: 'save-config' });
      o.effects.push(event('election-start', { phase: 'election start', epoch, rank, primary: primary.id, offset: v.myReplOffset, force: force ? 1 : 0, sinceFailMs: primary.fail ? nowMs - primary.failTimeMs : -1 }));
      this.sendRequests(v, epoch, force, this.phase.acks, o);
    }
    return o;
  }

  /**
   * Gives up a running attempt that cannot win, so the next one comes in a
   * newer epoch now instead of after 2 x node timeout. Many shards failing at
   * once all pick currentEpoch + 1, a voter votes once per epoch and refuses
   * any request older than its currentEpoch, so most of them lose their
   * first attempt. Two cases:
   *
   * - No vote at all after lostAttemptMs (or a newer epoch seen after one
   *   re-send): no voter has granted this shard anything because of this
   *   attempt, so no voter's same-shard window stands in our way. Retry
   *   after a random backoff whose window doubles with each retry (rank
   *   step, 2 x, 4 x ..., at most maxBackoffMs and 2 x node timeout), in
   *   an epoch that grows with the wait (epochSlotMs): the losers of a round
   *   spread out instead of asking for the same epoch again. At most
   *   maxFastRetries times per failed primary.
   * - Some votes, and a newer epoch: the voters that granted them refuse this
   *   shard for 2 x node timeout, so a retry rarely wins, but it costs
   *   nothing to try once (random 0..rank step), per failed primary: siblings
   *   giving up to each other's epochs again and again would livelock.
   *
   * Safe either way: a win still needs a majority within one epoch, and the
   * voters, not we, enforce one vote per epoch and the same-shard window.
   */
  yieldToNewerEpoch(currentEpoch: number, nowMs: number, random: () => number): FailoverOutput {
    const o = emptyOutput();
    const p = this.phase;
    if (p.kind !== 'requesting' || p.force) return o;
    const t = this.tuning;
    const elapsedMs = nowMs - p.startedMs;
    const newer = currentEpoch > p.epoch;
    let windowMs: number;
    if (p.acks.size === 0) {
      if (this.fastRetries >= t.maxFastRetries) return o;
      if (!(elapsedMs >= t.lostAttemptMs || (newer && elapsedMs >= t.requestResendMs))) return o;
      this.fastRetries++;
      windowMs = Math.min(t.rankStepMs * 2 ** (this.fastRetries - 1), t.maxBackoffMs, AUTH_TIMEOUT_MULT * this.nodeTimeoutMs);
    } else {
      if (this.yielded || !newer || elapsedMs < 2 * t.requestResendMs) return o;
      this.yielded = true;
      windowMs = t.rankStepMs;
    }
    const slot = this.randomSlot(windowMs, random);
    this.epochSkip = slot;
    this.retryNotBeforeMs = nowMs + slot * t.epochSlotMs;
    this.phase = { kind: 'idle' };
    o.effects.push(event('election-superseded', { phase: 'votes', epoch: p.epoch, newer: currentEpoch, votes: p.acks.size, retryInMs: this.retryNotBeforeMs - nowMs }));
    return o;
  }

  /**
   * A failover-auth-ack arrived. Counted once per slot-owning primary, only
   * for the running attempt (its currentEpoch must be at least the attempt's:
   * an ack from an older attempt is a vote in an older epoch).
   */
  onAuthAck(fromId: string, ackCurrentEpoch: number, v: ReplicaElectionView, nowMs: number): FailoverOutput {
    const o = emptyOutput();
    const p = this.phase;
    if (p.kind !== 'requesting' || ackCurrentEpoch < p.epoch) return o;
    if (!v.slotOwningPrimaries.some((t) => t.id === fromId)) return o;
    if (v.primary === null || v.primary.id !== this.forPrimaryId) return o;
    if (p.acks.has(fromId)) return o;
    p.acks.add(fromId);
    const needed = failQuorum(v.slotOwningPrimaries.length);
    o.effects.push(event('election-vote', { phase: 'votes', from: fromId, epoch: p.epoch, votes: p.acks.size, needed }));
    if (p.acks.size < needed) return o;

    const primary = v.primary;
    assert(p.epoch > primary.configEpoch, 'the new configEpoch beats the old primary');
    this.phase = { kind: 'promoted', epoch: p.epoch };
    o.effects.push({ kind: 'promote-self', configEpoch: p.epoch, oldPrimaryId: primary.id, slots: primary.slots, manual: p.force });
    o.effects.push({ kind: 'save-config' });
    o.effects.push(event('promotion', { phase: 'promotion', epoch: p.epoch, votes: p.acks.size, needed, oldPrimary: primary.id, electionMs: nowMs - p.startedMs, sinceFailMs: primary.fail ? nowMs - primary.failTimeMs : -1 }));
    return o;
  }

  /** A random number of epochSlotMs slots within windowMs. */
  private randomSlot(windowMs: number, random: () => number): number {
    return Math.floor(random() * Math.max(1, Math.floor(windowMs / this.tuning.epochSlotMs)));
  }

  private resendAfterMs(sends: number): number {
    return sends === 1 ? this.tuning.firstResendMs : this.tuning.requestResendMs;
  }

  private sendRequests(v: ReplicaElectionView, epoch: number, force: boolean, acks: ReadonlySet<string>, o: FailoverOutput): void {
    // The request claims the shard's slots as we know them (Redis sends the
    // primary's bitmap in a replica's header): a voter refuses if any of them
    // now belongs to a node with a newer configEpoch, i.e. our view is stale.
    // A replica's header slots are otherwise empty and ignored by receivers.
    const header: NodeHeader = { ...v.header, currentEpoch: epoch, slots: v.primary?.slots ?? [] };
    const msg: BusMessage = { kind: 'failover-auth-request', header, force };
    for (const t of v.slotOwningPrimaries) {
      if (t.id === v.myId || acks.has(t.id ?? '')) continue;
      if (!force && t.id === v.primary?.id) continue; // it is FAIL: no point
      o.out.push({ to: t, msg });
    }
  }
}
