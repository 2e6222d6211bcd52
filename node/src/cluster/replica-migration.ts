// Who this node should replicate when the shard layout changes, as pure
// decisions:
//
// 1. Replica migration (clusterHandleSlaveMigration, cluster-migration-barrier):
//    a primary that owns slots but has no working replica left ("orphaned")
//    gets one from the shard with the most working replicas, provided that
//    shard keeps more than `migrationBarrier` of them. Exactly one replica
//    moves: the one with the smallest id among the replicas of the
//    best-provided shards, so every node agrees without talking. It waits
//    until the primary has been orphaned for ORPHAN_DELAY_MS, so a replica
//    that is only restarting is not replaced. Only primaries that once had a
//    replica are candidates (Redis's MIGRATE_TO flag): a primary deployed
//    without replicas stays that way. Beyond Redis: among orphans, one in a
//    zone other than ours is preferred (a replica should not share its
//    primary's zone).
// 2. After a slot loss (clusterUpdateSlotsConfigWith): a primary left with no
//    slots because a node with a newer configEpoch took them (the old primary
//    coming back after a failover) becomes a replica of that node; a replica
//    whose primary was emptied that way follows the new owner.

import { assert } from '../core/errors.js';
import { emptyOutput, event, type FailoverOutput } from './election.js';

/** CLUSTER_SLAVE_MIGRATION_DELAY. */
export const ORPHAN_DELAY_MS = 5000;

export interface MigrationNode {
  readonly id: string;
  readonly isPrimary: boolean;
  readonly slotCount: number;
  /** FAIL (a replica that is FAIL is not a working replica). */
  readonly failed: boolean;
  /** For a replica, its primary's id; '' for a primary. */
  readonly primaryId: string;
  readonly zone: string;
}

export interface MigrationView {
  readonly myId: string;
  readonly clusterOk: boolean;
  /** cluster-migration-barrier. */
  readonly migrationBarrier: number;
  /** cluster-allow-replica-migration (Redis 7: default yes). */
  readonly allowReplicaMigration: boolean;
  /** Every known node, myself included. */
  readonly nodes: readonly MigrationNode[];
}

export class ReplicaMigration {
  /** Primaries seen with a replica at least once (Redis's MIGRATE_TO). */
  private readonly hadReplicas = new Set<string>();
  /** Orphaned primary id -> since when (our clock). */
  private readonly orphanedSinceMs = new Map<string, number>();

  /** Some orphan is being timed: the caller must keep ticking even if nothing changes. */
  get timingOrphans(): boolean {
    return this.orphanedSinceMs.size > 0;
  }

  tick(v: MigrationView, nowMs: number): FailoverOutput {
    const o = emptyOutput();
    const byId = new Map(v.nodes.map((n) => [n.id, n]));
    const me = byId.get(v.myId);
    assert(me !== undefined, 'the view lists myself');

    // Working replicas per primary.
    const okReplicas = new Map<string, string[]>();
    for (const n of v.nodes) {
      if (n.isPrimary) {
        if (!okReplicas.has(n.id)) okReplicas.set(n.id, []);
        continue;
      }
      if (n.primaryId === '') continue;
      this.hadReplicas.add(n.primaryId);
      if (n.failed) continue;
      let list = okReplicas.get(n.primaryId);
      if (!list) okReplicas.set(n.primaryId, (list = []));
      list.push(n.id);
    }

    // Orphans, tracked on every node so the delay is measured even before we qualify.
    const orphans: { id: string; zone: string; sinceMs: number }[] = [];
    for (const n of v.nodes) {
      const orphaned = n.isPrimary && !n.failed && n.slotCount > 0 && this.hadReplicas.has(n.id) && (okReplicas.get(n.id)?.length ?? 0) === 0;
      if (!orphaned) {
        this.orphanedSinceMs.delete(n.id);
        continue;
      }
      let since = this.orphanedSinceMs.get(n.id);
      if (since === undefined) this.orphanedSinceMs.set(n.id, (since = nowMs));
      orphans.push({ id: n.id, zone: n.zone, sinceMs: since });
    }
    for (const id of this.orphanedSinceMs.keys()) if (!byId.has(id)) this.orphanedSinceMs.delete(id);

    if (!v.allowReplicaMigration || !v.clusterOk || me.isPrimary || me.failed || me.primaryId === '') return o;
    const mine = okReplicas.get(me.primaryId) ?? [];
    if (mine.length <= v.migrationBarrier) return o; // our primary must keep more than the barrier

    // The candidate: smallest id among the replicas of the primaries with the most working replicas.
    let maxOk = 0;
    for (const list of okReplicas.values()) maxOk = Math.max(maxOk, list.length);
    let candidate = v.myId;
    for (const list of okReplicas.values()) {
      if (list.length !== maxOk) continue;
      for (const id of list) if (id < candidate) candidate = id;
    }
    if (candidate !== v.myId || orphans.length === 0) return o;

    // Prefer an orphan outside our zone; then the longest orphaned; then by id (deterministic).
    orphans.sort((a, b) => Number(a.zone === me.zone) - Number(b.zone === me.zone) || a.sinceMs - b.sinceMs || (a.id < b.id ? -1 : 1));
    const target = orphans[0]!;
    if (nowMs - target.sinceMs <= ORPHAN_DELAY_MS) return o;
    o.effects.push({ kind: 'become-replica-of', primaryId: target.id, reason: 'replica-migration' });
    o.effects.push(event('replica-migration', { from: me.primaryId, to: target.id, orphanedMs: nowMs - target.sinceMs }));
    return o;
  }
}

export interface SlotLossInput {
  readonly myId: string;
  readonly amPrimary: boolean;
  /** Our primary when we are a replica; '' otherwise. */
  readonly myPrimaryId: string;
  /** Slots left to our shard's primary (ourselves if primary) after the claim. */
  readonly shardSlotsLeft: number;
  /** Slots the claim took from our shard. */
  readonly slotsTakenFromShard: number;
  /** The claimer (a primary with a newer configEpoch) and how many slots it now owns. */
  readonly claimerId: string;
  readonly claimerSlotCount: number;
  readonly allowReplicaMigration: boolean;
}

/**
 * After a claim with a newer configEpoch took slots from our shard: should we
 * replicate the claimer? Yes when our shard has no slot left and either
 * replica migration is allowed or the claimer took exactly our slots (a
 * failover of our shard, as opposed to a resharding that emptied it).
 */
export function followAfterSlotLoss(i: SlotLossInput): FailoverOutput {
  const o = emptyOutput();
  if (i.slotsTakenFromShard === 0 || i.shardSlotsLeft > 0 || i.claimerId === i.myId) return o;
  if (!i.amPrimary && i.myPrimaryId === i.claimerId) return o;
  const failover = i.claimerSlotCount === i.slotsTakenFromShard;
  if (!i.allowReplicaMigration && !failover) return o;
  o.effects.push({ kind: 'become-replica-of', primaryId: i.claimerId, reason: i.amPrimary ? 'lost-all-slots' : 'primary-lost-all-slots' });
  o.effects.push(event('follow-new-primary', { phase: 'promotion', to: i.claimerId, was: i.amPrimary ? 'primary' : 'replica', slots: i.slotsTakenFromShard }));
  return o;
}
