// Primary-side failover votes (Redis's clusterSendFailoverAuthIfNeeded), as a
// pure decision with a little memory. A slot-owning primary grants a replica
// its vote when:
//   1. the request is not from an older epoch than ours,
//   2. we have not voted in this epoch yet (lastVoteEpoch, persisted before
//      the ack leaves: one vote per epoch is what makes at most one winner
//      per epoch),
//   3. the requester is a replica and its primary is FAIL to us (unless the
//      request is forced: manual failover, where the primary is alive),
//   4. we have not voted for a replica of the same primary within
//      2 x node timeout (keeps two replicas of one shard from winning in
//      consecutive epochs while the first one's promotion spreads),
//   5. none of the slots it claims is now owned by a node with a newer
//      configEpoch than the claim's (the requester's view is not stale).
// One addition to Redis: a request from the replica we already voted for in
// this very epoch is acked again (our election re-sends requests, and an ack
// can be lost); this cannot create a second vote.

import { assert } from '../core/errors.js';
import { AUTH_TIMEOUT_MULT, emptyOutput, event, type FailoverOutput } from './election.js';
import type { BusTarget, NodeHeader, SlotRange } from './types.js';

export interface VoterView {
  readonly myId: string;
  /** Our header now (after raising currentEpoch from the request). */
  readonly header: NodeHeader;
  readonly isPrimary: boolean;
  readonly mySlotCount: number;
  /** Must already include the request's currentEpoch (the core raises it first). */
  readonly currentEpoch: number;
  readonly nodeTimeoutMs: number;
  /** configEpoch of the current owner of a slot, or null when unassigned. */
  readonly ownerConfigEpoch: (slot: number) => number | null;
}

export interface AuthRequest {
  readonly requesterId: string;
  readonly replyTo: BusTarget;
  readonly requestCurrentEpoch: number;
  /** As we know the requester: a replica? of which primary? */
  readonly requesterIsReplica: boolean;
  /** '' when unknown to us. */
  readonly requesterPrimaryId: string;
  /** Is that primary FAIL in our view? */
  readonly requesterPrimaryFailed: boolean;
  readonly force: boolean;
  /** The slots the requester claims for its shard (the request header's slots). */
  readonly claimedSlots: readonly SlotRange[];
  /** Our configEpoch for the requester's primary: the claim's version. */
  readonly claimedConfigEpoch: number;
}

export type VoteOutcome =
  | 'granted'
  | 're-acked'
  | 'not-a-voter'
  | 'stale-epoch'
  | 'already-voted'
  | 'not-a-replica'
  | 'primary-not-failed'
  | 'shard-voted-recently'
  | 'stale-slots';

export class Voter {
  private lastVoteEpochValue: number;
  /** Whom we voted for in lastVoteEpoch (not persisted: after a restart we simply do not re-ack). */
  private lastVotedFor = '';
  /** Failed primary id -> when we last voted for one of its replicas. */
  private readonly shardVotedAtMs = new Map<string, number>();

  constructor(lastVoteEpoch: number) {
    assert(Number.isInteger(lastVoteEpoch) && lastVoteEpoch >= 0, 'lastVoteEpoch >= 0');
    this.lastVoteEpochValue = lastVoteEpoch;
  }

  /** Persisted in nodes.conf (lastVoteEpoch). */
  get lastVoteEpoch(): number {
    return this.lastVoteEpochValue;
  }

  /** CLUSTER RESET: forget votes. */
  reset(): void {
    this.lastVoteEpochValue = 0;
    this.lastVotedFor = '';
    this.shardVotedAtMs.clear();
  }

  decide(v: VoterView, r: AuthRequest, nowMs: number): FailoverOutput & { outcome: VoteOutcome } {
    const o = emptyOutput();
    assert(v.currentEpoch >= r.requestCurrentEpoch, 'the core raised currentEpoch from the request before voting');
    assert(this.lastVoteEpochValue <= v.currentEpoch, 'lastVoteEpoch <= currentEpoch');
    const outcome = this.outcome(v, r, nowMs);
    const fields = { phase: 'votes', requester: r.requesterId, primary: r.requesterPrimaryId, epoch: r.requestCurrentEpoch, force: r.force ? 1 : 0 };
    if (outcome === 'granted' || outcome === 're-acked') {
      if (outcome === 'granted') {
        assert(v.currentEpoch > this.lastVoteEpochValue, 'votes only move forward');
        this.lastVoteEpochValue = v.currentEpoch;
        this.lastVotedFor = r.requesterId;
        this.shardVotedAtMs.set(r.requesterPrimaryId, nowMs);
        // Persist lastVoteEpoch before the ack is sent: a voter that forgets
        // its vote across a restart could vote twice in one epoch.
        o.effects.push({ kind: 'save-config' });
      }
      o.out.push({ to: r.replyTo, msg: { kind: 'failover-auth-ack', header: v.header } });
      o.effects.push(event(outcome === 'granted' ? 'vote-granted' : 'vote-re-acked', fields));
    } else if (outcome !== 'not-a-voter') {
      o.effects.push(event('vote-denied', { ...fields, reason: outcome }));
    }
    return { ...o, outcome };
  }

  private outcome(v: VoterView, r: AuthRequest, nowMs: number): VoteOutcome {
    if (!v.isPrimary || v.mySlotCount === 0) return 'not-a-voter';
    if (r.requestCurrentEpoch < v.currentEpoch) return 'stale-epoch';
    if (this.lastVoteEpochValue === v.currentEpoch) {
      return this.lastVotedFor === r.requesterId ? 're-acked' : 'already-voted';
    }
    if (!r.requesterIsReplica || r.requesterPrimaryId === '') return 'not-a-replica';
    if (!r.requesterPrimaryFailed && !r.force) return 'primary-not-failed';
    const votedAtMs = this.shardVotedAtMs.get(r.requesterPrimaryId);
    const windowMs = AUTH_TIMEOUT_MULT * v.nodeTimeoutMs;
    if (votedAtMs !== undefined) {
      if (nowMs - votedAtMs < windowMs) return 'shard-voted-recently';
      this.shardVotedAtMs.delete(r.requesterPrimaryId);
    }
    for (const [a, b] of r.claimedSlots) {
      for (let slot = a; slot <= b; slot++) {
        const ownerEpoch = v.ownerConfigEpoch(slot);
        if (ownerEpoch !== null && ownerEpoch > r.claimedConfigEpoch) return 'stale-slots';
      }
    }
    return 'granted';
  }
}
