// The resharding planner: pure functions from the cluster as it is to what
// should change. No I/O, no clock; the executor (reshard.ts) carries the plan
// out and the CLI prints it first.
//
// Decisions, and why:
// - Even spread: with N shards each gets floor(16384/N) or one more slot, so
//   max - min <= 1. The shards that already hold the most slots get the "+1"
//   quotas, which is what makes the next rule reachable.
// - Fewest moves: a shard gives away only its surplus over its quota and a
//   shard being removed gives away everything; no slot moves between two
//   shards that are both within quota. Among a donor's slots, the ones with
//   the fewest keys go first (fewer keys moved), ties broken by taking the
//   highest slot numbers so ranges stay contiguous when keys are even
//   (prefer: 'ranges' ignores keys and keeps every shard's ranges whole).
// - Receivers are filled in slot order, so each gets contiguous runs.
// - Zones: a new shard's primary goes to the zone with the fewest primaries
//   and each replica to the least loaded zone other than its primary's; a
//   placement that puts a replica in its primary's zone is refused.

import { SLOTS } from './topology.js';

export interface ShardLoad {
  /** Stable name of the shard: its primary's node id. */
  readonly id: string;
  readonly slots: readonly number[];
}

export interface SlotMove {
  readonly slot: number;
  /** Shard id giving the slot. */
  readonly from: string;
  /** Shard id receiving it. */
  readonly to: string;
  /** Keys counted in the slot when planned (0 when unknown). */
  readonly keys: number;
}

export interface ReshardInput {
  readonly shards: readonly ShardLoad[];
  /** Shard ids that own slots afterwards (existing ones and new, empty ones). */
  readonly targets: readonly string[];
  /** Keys per slot, when counted; unknown slots count 0. */
  readonly keysInSlot?: ReadonlyMap<number, number>;
  /**
   * 'keys' (default): a donor gives its emptiest slots first (fewest keys
   * moved; ranges fragment). 'ranges': it gives the top of its slot list, so
   * every shard keeps contiguous ranges (shorter CLUSTER SLOTS, more keys moved).
   */
  readonly prefer?: 'keys' | 'ranges';
}

export type PlanResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** slot quota per target shard: even, max-min <= 1, "+1" to those holding most now. */
export function quotas(shards: readonly ShardLoad[], targets: readonly string[]): Map<string, number> {
  const n = targets.length;
  const q = Math.floor(SLOTS / n);
  const r = SLOTS % n;
  const held = new Map(shards.map((s) => [s.id, s.slots.length]));
  const order = [...targets].sort((a, b) => (held.get(b) ?? 0) - (held.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  const out = new Map<string, number>();
  order.forEach((id, i) => out.set(id, q + (i < r ? 1 : 0)));
  return out;
}

export function planReshard(input: ReshardInput): PlanResult<SlotMove[]> {
  const { shards, targets } = input;
  if (targets.length < 1) return { ok: false, error: 'at least one shard must remain' };
  if (targets.length > 500) return { ok: false, error: `at most 500 shards, asked for ${targets.length}` };
  if (new Set(targets).size !== targets.length) return { ok: false, error: 'target shards are not distinct' };
  const seen = new Set<number>();
  for (const s of shards) for (const slot of s.slots) {
    if (seen.has(slot)) return { ok: false, error: `slot ${slot} is owned by two shards` };
    seen.add(slot);
  }
  if (seen.size !== SLOTS) return { ok: false, error: `${SLOTS - seen.size} slots are not covered; fix the cluster first` };
  const keys = (slot: number): number => input.keysInSlot?.get(slot) ?? 0;
  const quota = quotas(shards, targets);
  const byId = new Map(shards.map((s) => [s.id, s]));
  // Surplus slots, tagged with their donor.
  const pool: { slot: number; from: string }[] = [];
  for (const s of shards) {
    const keep = quota.get(s.id) ?? 0;
    const surplus = s.slots.length - keep;
    if (surplus <= 0) continue;
    const order = input.prefer === 'ranges' ? [...s.slots].sort((a, b) => b - a) : [...s.slots].sort((a, b) => keys(a) - keys(b) || b - a);
    for (const slot of order.slice(0, surplus)) pool.push({ slot, from: s.id });
  }
  pool.sort((a, b) => a.slot - b.slot);
  const moves: SlotMove[] = [];
  let i = 0;
  for (const t of targets) {
    const have = byId.get(t)?.slots.length ?? 0;
    const deficit = (quota.get(t) ?? 0) - have;
    for (let k = 0; k < deficit; k++) {
      const p = pool[i++];
      if (!p) return { ok: false, error: 'internal: surplus pool ran out' };
      moves.push({ slot: p.slot, from: p.from, to: t, keys: keys(p.slot) });
    }
  }
  if (i !== pool.length) return { ok: false, error: `internal: ${pool.length - i} surplus slots left unassigned` };
  return { ok: true, value: moves };
}

/** Slot counts per shard after applying moves (for the plan printout and tests). */
export function applyMoves(shards: readonly ShardLoad[], moves: readonly SlotMove[]): Map<string, number> {
  const out = new Map(shards.map((s) => [s.id, s.slots.length]));
  for (const m of moves) {
    out.set(m.from, (out.get(m.from) ?? 0) - 1);
    out.set(m.to, (out.get(m.to) ?? 0) + 1);
  }
  return out;
}

/** Which shards go when scaling in: the most recently added (highest primary port) first, undoing a scale-out. */
export function chooseShardsToRemove(shards: readonly { id: string; port: number }[], count: number): string[] {
  return [...shards].sort((a, b) => b.port - a.port).slice(0, Math.max(0, count)).map((s) => s.id);
}

// ---------------------------------------------------------------------------
// Placement of new nodes (scale out, add-replica).

export interface PlacedNode {
  readonly zone: string;
  /** 1-based zone position in the zone list: the third octet of its local address. */
  readonly zoneNumber: number;
  readonly port: number;
  readonly role: 'primary' | 'replica';
  /** Index into the new shards of this placement (0-based). */
  readonly newShard: number;
}

export interface PlacementInput {
  readonly zones: readonly string[];
  /** Zones of the existing primaries and replicas (unknown zones left out). */
  readonly primaryZones: readonly string[];
  readonly replicaZones: readonly string[];
  readonly newShards: number;
  readonly replicas: number;
  /** Ports already taken (existing nodes); new ports are the next free ones above basePort. */
  readonly usedPorts: ReadonlySet<number>;
  readonly basePort: number;
}

function leastLoaded(zones: readonly string[], load: ReadonlyMap<string, number>, exclude: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  for (const z of zones) {
    if (exclude.has(z)) continue;
    if (best === undefined || (load.get(z) ?? 0) < (load.get(best) ?? 0)) best = z;
  }
  return best;
}

export function placeNewShards(input: PlacementInput): PlanResult<PlacedNode[]> {
  const { zones } = input;
  if (zones.length < 1) return { ok: false, error: 'no zones' };
  if (input.replicas > 0 && zones.length < 2) return { ok: false, error: 'replicas need a second zone: a replica is never in its primary\'s zone' };
  if (input.replicas > 5) return { ok: false, error: 'at most 5 replicas per shard' };
  const primaries = new Map<string, number>();
  const all = new Map<string, number>();
  for (const z of input.primaryZones) { primaries.set(z, (primaries.get(z) ?? 0) + 1); all.set(z, (all.get(z) ?? 0) + 1); }
  for (const z of input.replicaZones) all.set(z, (all.get(z) ?? 0) + 1);
  const used = new Set(input.usedPorts);
  let next = input.basePort;
  const port = (): number => {
    while (used.has(next)) next++;
    used.add(next);
    return next;
  };
  const out: PlacedNode[] = [];
  const zoneNumber = (z: string): number => zones.indexOf(z) + 1;
  for (let k = 0; k < input.newShards; k++) {
    // Fewest primaries first, then fewest nodes, so primaries spread and the zone holding most loses least.
    let pz: string | undefined;
    for (const z of zones) {
      if (pz === undefined) { pz = z; continue; }
      const d = (primaries.get(z) ?? 0) - (primaries.get(pz) ?? 0);
      if (d < 0 || (d === 0 && (all.get(z) ?? 0) < (all.get(pz) ?? 0))) pz = z;
    }
    if (pz === undefined) return { ok: false, error: 'internal: no zone for a primary' };
    primaries.set(pz, (primaries.get(pz) ?? 0) + 1);
    all.set(pz, (all.get(pz) ?? 0) + 1);
    out.push({ zone: pz, zoneNumber: zoneNumber(pz), port: port(), role: 'primary', newShard: k });
    const taken = new Set<string>([pz]);
    for (let j = 0; j < input.replicas; j++) {
      // Prefer a zone this shard does not use yet; when replicas outnumber the other zones, reuse them (never the primary's).
      const fresh = leastLoaded(zones, all, taken);
      const rz: string | undefined = fresh ?? leastLoaded(zones, all, new Set([pz]));
      if (rz === undefined || rz === pz) return { ok: false, error: `no zone other than ${pz} for a replica` };
      taken.add(rz);
      all.set(rz, (all.get(rz) ?? 0) + 1);
      out.push({ zone: rz, zoneNumber: zoneNumber(rz), port: port(), role: 'replica', newShard: k });
    }
  }
  return { ok: true, value: out };
}

/** Zone for one more replica of a shard: not the primary's, fewest of this shard's replicas, then fewest nodes. */
export function placeReplica(zones: readonly string[], primaryZone: string | undefined, shardReplicaZones: readonly string[], allZones: readonly string[]): PlanResult<string> {
  const candidates = zones.filter((z) => z !== primaryZone);
  if (candidates.length === 0) return { ok: false, error: `no zone other than the primary's (${primaryZone}) among ${zones.join(',')}` };
  const count = (list: readonly string[], z: string): number => list.filter((x) => x === z).length;
  const best = [...candidates].sort((a, b) => count(shardReplicaZones, a) - count(shardReplicaZones, b) || count(allZones, a) - count(allZones, b))[0];
  return best === undefined ? { ok: false, error: 'internal: no candidate' } : { ok: true, value: best };
}

export interface ReplicaCandidate {
  readonly id: string;
  readonly zone: string | undefined;
  readonly offset: number;
  readonly healthy: boolean;
}

/**
 * The replica a test failover promotes: healthy, in another zone than the
 * primary when one exists (a zone loss must not take both), highest
 * replication offset (loses least), then lowest id for determinism.
 */
export function chooseFailoverReplica(primaryZone: string | undefined, replicas: readonly ReplicaCandidate[]): PlanResult<ReplicaCandidate> {
  const healthy = replicas.filter((r) => r.healthy);
  if (healthy.length === 0) return { ok: false, error: 'the shard has no healthy replica' };
  const other = healthy.filter((r) => primaryZone === undefined || r.zone === undefined || r.zone !== primaryZone);
  if (other.length === 0) return { ok: false, error: `every healthy replica is in the primary's zone ${primaryZone}` };
  const best = [...other].sort((a, b) => b.offset - a.offset || (a.id < b.id ? -1 : 1))[0];
  return best ? { ok: true, value: best } : { ok: false, error: 'internal' };
}
