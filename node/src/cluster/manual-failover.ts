// CLUSTER FAILOVER [FORCE|TAKEOVER] as two small pure state machines, one on
// the replica that was asked and one on its primary.
//
// Default (loses nothing): the replica sends mfstart to its primary; the
// primary pauses writes (so its offset stops moving) and answers with an
// mfstart of its own whose header.replOffset is its offset at the pause. The
// replica waits until it has applied that offset, then runs an election at
// once with forced votes (voters do not require the primary to be FAIL). The
// primary resumes writes when it learns it lost its slots (it becomes a
// replica, and writes get MOVED) or when the pause expires.
// Our wire has no PAUSED flag (Redis marks pings with it); the mfstart kind in
// the primary -> replica direction carries the same fact: "paused, at this
// offset". The replica re-sends mfstart until answered, and the primary answers
// every one, so a lost message costs 100 ms, not the whole failover.
//
// FORCE: no handshake with the (possibly dead) primary; the forced election
// starts at once. TAKEOVER: no votes at all; the replica bumps currentEpoch,
// takes configEpoch = the new currentEpoch and promotes itself (Redis's
// clusterBumpConfigEpochWithoutConsensus + clusterFailoverReplaceYourMaster):
// for when no majority of primaries is reachable.

import { assert } from '../core/errors.js';
import { emptyOutput, event, type FailoverOutput } from './election.js';
import type { BusTarget, NodeHeader, SlotRange } from './types.js';

/** CLUSTER_MF_TIMEOUT: a manual failover not done within this is aborted. */
export const MF_TIMEOUT_MS = 5000;
/** The primary pauses writes for at most MF_TIMEOUT x 2 (CLUSTER_MF_PAUSE_MULT). */
export const MF_PAUSE_MULT = 2;
/** How often the replica re-sends mfstart while waiting for the pause offset. */
export const MF_RESEND_MS = 100;

export type ManualMode = 'default' | 'force' | 'takeover';

export interface ManualReplicaView {
  readonly myId: string;
  readonly header: NodeHeader;
  readonly isReplica: boolean;
  readonly currentEpoch: number;
  readonly myReplOffset: number;
  /** Our primary as we know it; null when we have none or do not know it. */
  readonly primary: {
    readonly id: string;
    readonly target: BusTarget;
    readonly fail: boolean;
    readonly linkConnected: boolean;
    readonly configEpoch: number;
    readonly slots: readonly SlotRange[];
  } | null;
}

type ReplicaPhase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'awaiting-pause'; readonly deadlineMs: number; lastSentMs: number; readonly primaryId: string }
  | { readonly kind: 'catching-up'; readonly deadlineMs: number; readonly primaryOffsetAtPauseBytes: number; readonly primaryId: string }
  | { readonly kind: 'ready'; readonly deadlineMs: number; readonly mode: 'default' | 'force'; readonly primaryId: string };

/** Replica side: what CLUSTER FAILOVER starts. */
export class ManualFailoverReplica {
  private phase: ReplicaPhase = { kind: 'idle' };

  get state(): ReplicaPhase['kind'] {
    return this.phase.kind;
  }

  /** The election should run now, with forced votes (ReplicaElectionView.manualReady). */
  get readyToElect(): boolean {
    return this.phase.kind === 'ready';
  }

  /**
   * CLUSTER FAILOVER [FORCE|TAKEOVER]. `error` is the exact Redis reply when
   * refused; otherwise the command replies OK at once (as Redis does) and the
   * failover proceeds in tick().
   */
  start(mode: ManualMode, v: ManualReplicaView, nowMs: number): FailoverOutput & { error: string | null } {
    const o = emptyOutput();
    if (!v.isReplica) return { ...o, error: 'ERR You should send CLUSTER FAILOVER to a replica' };
    if (v.primary === null) return { ...o, error: "ERR I'm a replica but my master is unknown to me" };
    if (mode === 'default' && (v.primary.fail || !v.primary.linkConnected)) {
      return { ...o, error: 'ERR Master is down or failed, please use CLUSTER FAILOVER FORCE' };
    }
    const deadlineMs = nowMs + MF_TIMEOUT_MS;
    const primaryId = v.primary.id;
    o.effects.push(event('manual-failover-start', { phase: 'election start', mode, primary: primaryId }));
    switch (mode) {
      case 'takeover': {
        // Epochs only move forward, and the new configEpoch must beat the old
        // primary's claims; currentEpoch is already >= every known configEpoch.
        assert(v.currentEpoch >= v.primary.configEpoch, 'currentEpoch >= primary configEpoch');
        const epoch = v.currentEpoch + 1;
        this.phase = { kind: 'idle' };
        o.effects.push({ kind: 'set-current-epoch', epoch });
        o.effects.push({ kind: 'promote-self', configEpoch: epoch, oldPrimaryId: primaryId, slots: v.primary.slots, manual: true });
        o.effects.push({ kind: 'save-config' });
        o.effects.push(event('promotion', { phase: 'promotion', epoch, votes: 0, needed: 0, oldPrimary: primaryId, mode }));
        break;
      }
      case 'force':
        this.phase = { kind: 'ready', deadlineMs, mode, primaryId };
        break;
      case 'default':
        this.phase = { kind: 'awaiting-pause', deadlineMs, lastSentMs: nowMs, primaryId };
        o.out.push({ to: v.primary.target, msg: { kind: 'mfstart', header: v.header } });
        break;
    }
    return { ...o, error: null };
  }

  /** An mfstart from our primary: it paused writes at header.replOffset. */
  onPrimaryPaused(fromId: string, primaryOffsetAtPauseBytes: number, nowMs: number): FailoverOutput {
    const o = emptyOutput();
    const p = this.phase;
    if (p.kind !== 'awaiting-pause' || fromId !== p.primaryId) return o;
    assert(primaryOffsetAtPauseBytes >= 0, 'offset >= 0');
    this.phase = { kind: 'catching-up', deadlineMs: p.deadlineMs, primaryOffsetAtPauseBytes, primaryId: p.primaryId };
    o.effects.push(event('manual-failover-paused', { phase: 'election start', primary: fromId, offset: primaryOffsetAtPauseBytes, waitedMs: nowMs - (p.deadlineMs - MF_TIMEOUT_MS) }));
    return o;
  }

  tick(v: ManualReplicaView, nowMs: number): FailoverOutput {
    const o = emptyOutput();
    const p = this.phase;
    if (p.kind === 'idle') return o;
    if (!v.isReplica) {
      // We were promoted (or the operator changed our role): the failover is over.
      this.phase = { kind: 'idle' };
      o.effects.push(event('manual-failover-done', { phase: 'promotion', primary: p.primaryId }));
      return o;
    }
    if (v.primary === null || v.primary.id !== p.primaryId) return this.abort(o, 'primary-changed');
    if (nowMs > p.deadlineMs) return this.abort(o, 'timeout');
    if (p.kind === 'awaiting-pause' && nowMs - p.lastSentMs >= MF_RESEND_MS) {
      p.lastSentMs = nowMs;
      o.out.push({ to: v.primary.target, msg: { kind: 'mfstart', header: v.header } });
    }
    if (p.kind === 'catching-up' && v.myReplOffset >= p.primaryOffsetAtPauseBytes) {
      this.phase = { kind: 'ready', deadlineMs: p.deadlineMs, mode: 'default', primaryId: p.primaryId };
      o.effects.push(event('manual-failover-caught-up', { phase: 'election start', offset: v.myReplOffset }));
    }
    return o;
  }

  private abort(o: FailoverOutput, reason: string): FailoverOutput {
    this.phase = { kind: 'idle' };
    o.effects.push(event('manual-failover-aborted', { phase: 'election start', reason }));
    return o;
  }
}

type PrimaryPhase = { readonly kind: 'idle' } | { readonly kind: 'paused'; readonly replicaId: string; readonly untilMs: number };

/** Primary side: pauses writes for the replica that asked. */
export class ManualFailoverPrimary {
  private phase: PrimaryPhase = { kind: 'idle' };

  get paused(): boolean {
    return this.phase.kind === 'paused';
  }

  /**
   * An mfstart from a node. Only our own replica may ask. `myReplOffsetBytes`
   * must be read at this moment, and the pause-writes effect applied before
   * any other command runs (run to completion guarantees it when the adapter
   * applies effects in the same event-loop turn).
   */
  onMfStart(fromId: string, fromIsMyReplica: boolean, replyTo: BusTarget, header: NodeHeader, myReplOffsetBytes: number, nowMs: number): FailoverOutput {
    const o = emptyOutput();
    if (!fromIsMyReplica) {
      o.effects.push(event('manual-failover-refused', { from: fromId, reason: 'not-my-replica' }));
      return o;
    }
    const p = this.phase;
    if (p.kind !== 'paused' || p.replicaId !== fromId) {
      // A new request (or another replica's, which replaces the first, as in Redis).
      const untilMs = nowMs + MF_TIMEOUT_MS * MF_PAUSE_MULT;
      this.phase = { kind: 'paused', replicaId: fromId, untilMs };
      o.effects.push({ kind: 'pause-writes', untilMs });
      o.effects.push(event('manual-failover-pause', { replica: fromId, offset: myReplOffsetBytes, untilMs }));
    }
    // Answer every (re-sent) mfstart; while paused the offset cannot move.
    o.out.push({ to: replyTo, msg: { kind: 'mfstart', header: { ...header, replOffset: myReplOffsetBytes } } });
    return o;
  }

  tick(nowMs: number): FailoverOutput {
    const o = emptyOutput();
    if (this.phase.kind === 'paused' && nowMs > this.phase.untilMs) {
      o.effects.push({ kind: 'resume-writes' });
      o.effects.push(event('manual-failover-expired', { replica: this.phase.replicaId }));
      this.phase = { kind: 'idle' };
    }
    return o;
  }

  /** We lost our slots (the replica won) or became a replica: stop pausing. */
  onDemoted(): FailoverOutput {
    const o = emptyOutput();
    if (this.phase.kind === 'paused') {
      o.effects.push({ kind: 'resume-writes' });
      o.effects.push(event('manual-failover-handed-over', { replica: this.phase.replicaId }));
      this.phase = { kind: 'idle' };
    }
    return o;
  }
}
