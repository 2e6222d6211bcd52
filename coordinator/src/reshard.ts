// Carries out a slot plan with Redis Cluster's own migration protocol, slot
// by slot: SETSLOT IMPORTING on the target, SETSLOT MIGRATING on the source,
// GETKEYSINSLOT + pipelined MIGRATE ... KEYS batches until the slot is empty,
// then SETSLOT NODE on the target, the source and every other primary. The
// plan and the scale operation around it live in a state file, so a run that
// was killed, or that lost a source to a failover, resumes from what the
// cluster says now: a slot whose target already owns it is done, a slot still
// owned elsewhere is (re)migrated from whoever owns it now.
//
// Moves out of different sources run in parallel, and a few slots of one
// source at once (parallelPerSource lanes): each slot is an independent
// protocol run, and the per-slot round trips (SETSLOT x 3+, GETKEYSINSLOT)
// cost more than the keys when slots hold few keys. A lane moves a group of
// slots per step (slotsPerStep): every protocol step of the group is one
// pipeline, so the nodes see one round trip, one event-loop turn and one
// nodes.conf write where they saw one per slot. With 16384 nearly empty
// slots that cut the servers' CPU by about a third (5.0 -> 3.2 s).
//
// Lanes start slowly (RAMP_FIRST_LANES, then one more per RAMP_SLOTS_PER_LANE
// slots moved out of that source). A node's MIGRATE and RESTORE code is cold
// at first, about 5x its steady cost for the first few hundred calls, and
// the MIGRATEs of all lanes that arrive together run in one event-loop turn:
// 32 cold lanes held client requests for 85-134 ms at the start of the
// reshard bench's move; warm, the same 32 lanes cost about 20 ms.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ClusterClient, NodeReplyError, type Endpoint, type Reply } from './client.js';
import type { SlotMove } from './reshard-plan.js';
import { isParseError, parseNodes, type TopoNode, type Topology } from './topology.js';

export interface ReshardState {
  readonly version: 1;
  readonly createdAt: string;
  /** What the run is for, to print on resume ("scale to 4 shards"). */
  readonly purpose: string;
  /** Seeds to reconnect with. */
  readonly seeds: readonly Endpoint[];
  /** Slot moves; `to` and `from` are node ids of primaries when planned. */
  readonly moves: readonly SlotMove[];
  /** Scale-in: nodes to forget and stop once their slots are gone. */
  readonly remove: readonly { id: string; host: string; port: number }[];
  readonly keepReplicas: boolean;
  /** Done slot count at the last save (informative; the cluster itself is the truth on resume). */
  readonly doneSlots: number;
  /** Target shard id -> the node ids of that shard when planned, to follow a failover of the target. */
  readonly members: ShardMembers;
}

export type ShardMembers = Readonly<Record<string, readonly string[]>>;

export function readReshardState(file: string): ReshardState | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as ReshardState;
}

export function writeReshardState(file: string, s: ReshardState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(s) + '\n');
  renameSync(tmp, file);
}

export function clearReshardState(file: string): void {
  rmSync(file, { force: true });
}

export interface ExecuteOptions {
  readonly batchKeys: number;
  /** Lanes per source, each moving slotsPerStep slots at once (default 1, as redis-cli). */
  readonly parallelPerSource?: number;
  /** MIGRATE batches sent per pipeline round trip (shared by the slots of a step). */
  readonly pipelineDepth: number;
  /** Slots a lane moves together, one pipeline per protocol step (default 1, as redis-cli). */
  readonly slotsPerStep?: number;
  readonly migrateTimeoutMs: number;
  /** How long to wait for the cluster to settle after a node fails (failover). */
  readonly recoverTimeoutMs: number;
  readonly onProgress?: (p: Progress) => void;
  /** Each slot as its move starts and ends (--verbose; the reshard bench times big keys' slots with it). */
  readonly onSlot?: (slot: number, phase: 'start' | 'done', from: string, to: string, keys: number) => void;
  /** Called after each slot; the state file is saved from here. */
  readonly onSlotDone?: (doneSlots: number) => void;
  /** Checked between slots: true stops cleanly (SIGINT), leaving no slot half-moved. */
  readonly shouldStop?: () => boolean;
}

export interface Progress {
  readonly slotsDone: number;
  readonly slotsTotal: number;
  readonly keysMoved: number;
  readonly keysPlanned: number;
  readonly elapsedMs: number;
  readonly event?: string;
}

export interface ExecuteResult {
  /** Slots moved by this run (not counting those found already done). */
  readonly slotsMoved: number;
  /** Slots of the plan complete in the cluster. */
  readonly slotsDone: number;
  readonly stopped: boolean;
  readonly keysMoved: number;
  readonly elapsedMs: number;
  readonly recoveries: number;
  /** Keys found on both sides after a source failover, resolved in favour of the target's copy. */
  readonly conflicts: number;
  /** BUSYKEY batches re-sent with REPLACE (the source's copy was the newer one). */
  readonly replaced: number;
}

class Retryable extends Error {
  override readonly name = 'Retryable';
}

/**
 * A node's slots as a Set, built once per node object: ownerOf runs for every
 * planned slot, and slots.includes over up to 16384 entries made it the
 * coordinator's biggest cost. moveSlot keeps the Set in step when it edits
 * the slots array it belongs to.
 */
const slotSets = new WeakMap<TopoNode, Set<number>>();
function slotSet(n: TopoNode): Set<number> {
  let s = slotSets.get(n);
  if (!s) slotSets.set(n, (s = new Set(n.slots)));
  return s;
}

/** Owner of each slot from the nodes' own lines; the planned target wins when it already claims the slot. */
function ownerOf(t: Topology, slot: number, preferred: string | undefined): TopoNode | undefined {
  let found: TopoNode | undefined;
  for (const s of t.shards) {
    if (s.primary.failing || !slotSet(s.primary).has(slot)) continue;
    if (s.primary.id === preferred) return s.primary;
    found ??= s.primary;
  }
  return found;
}

/**
 * The current primary of the shard a planned node belongs to: the node itself
 * while it is a healthy primary, else whichever member of its shard (as
 * recorded at plan time) is a healthy primary now (it failed over), else the
 * primary a member replicates.
 */
export function resolvePrimary(t: Topology, id: string, members: readonly string[] = []): TopoNode | undefined {
  const ids = [id, ...members.filter((m) => m !== id)];
  for (const m of ids) {
    const n = t.nodes.find((x) => x.id === m);
    if (n && n.role === 'primary' && !n.failing) return n;
  }
  for (const m of ids) {
    const n = t.nodes.find((x) => x.id === m);
    if (n && n.role === 'replica') {
      const p = t.nodes.find((x) => x.id === n.primaryId && x.role === 'primary' && !x.failing);
      if (p) return p;
    }
  }
  return undefined;
}

function hasMarkers(t: Topology, slot: number): boolean {
  return t.nodes.some((n) => n.migrating.has(slot) || n.importing.has(slot));
}

/** Moves that are not yet complete according to the cluster (owner != target, or a marker left open). */
export function pendingMoves(t: Topology, moves: readonly SlotMove[], members: ShardMembers = {}): SlotMove[] {
  return moves.filter((m) => {
    const target = resolvePrimary(t, m.to, members[m.to]);
    const owner = ownerOf(t, m.slot, target?.id);
    return !target || !owner || owner.id !== target.id || hasMarkers(t, m.slot);
  });
}

/** Keys checked per pipeline when a failover repair looks for stale copies. */
const STALE_CHECK_KEYS = 1000;

/** Lanes per source at the start of a run. */
export const RAMP_FIRST_LANES = 4;
/** Slots moved out of a source before it gets one more lane. */
export const RAMP_SLOTS_PER_LANE = 16;

/** Lanes a source may use once `moved` of its slots have moved in this run. */
export function lanesAfter(moved: number, lanes: number): number {
  return Math.min(lanes, RAMP_FIRST_LANES + Math.floor(moved / RAMP_SLOTS_PER_LANE));
}

/** Slots a lane moves per step once `moved` slots of its source have moved: grows like the lanes, up to `size`. */
export function groupAfter(moved: number, size: number): number {
  return Math.max(1, Math.min(size, 1 + Math.floor(moved / RAMP_SLOTS_PER_LANE)));
}

/** Takes up to `n` moves off the front of `list` that are planned for the same target as the first. */
export function takeGroup(list: SlotMove[], n: number): SlotMove[] {
  const first = list[0];
  if (first === undefined) return [];
  let k = 1;
  while (k < n && k < list.length && list[k]!.to === first.to) k++;
  return list.splice(0, k);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class ReshardExecutor {
  private keysMoved = 0;
  private slotsDone = 0;
  private recoveries = 0;
  /** BUSYKEY resolutions in favour of the target's copy (see resolveBusy). */
  private conflicts = 0;
  /** BUSYKEY resolutions in favour of the source's copy (see resolveBusy). */
  private replaced = 0;
  /** Slot -> every node this run has sent MIGRATE for it (see resolveBusy). */
  private readonly migratedFrom = new Map<number, Set<string>>();
  private started = 0;
  private topo!: Topology;
  private total = 0;

  constructor(private readonly client: ClusterClient, private readonly opts: ExecuteOptions, private readonly members: ShardMembers) {}

  /** Runs every move not yet complete in the cluster; `moves` is the whole plan (done ones are recognised and skipped). */
  async run(moves: readonly SlotMove[]): Promise<ExecuteResult> {
    this.started = Date.now();
    const total = moves.length;
    this.total = total;
    const keysPlanned = moves.reduce((a, m) => a + m.keys, 0);
    this.topo = (await this.client.snapshot()).topology;
    let pending = pendingMoves(this.topo, moves, this.members);
    this.slotsDone = total - pending.length;
    const doneAtStart = this.slotsDone;
    let stopped = false;
    const report = (event?: string): void => this.opts.onProgress?.({
      slotsDone: this.slotsDone, slotsTotal: total, keysMoved: this.keysMoved, keysPlanned,
      elapsedMs: Date.now() - this.started, ...(event === undefined ? {} : { event }),
    });
    report();
    for (let round = 0; pending.length > 0; round++) {
      if (round > 50) throw new Error(`giving up after ${round} recovery rounds; ${pending.length} slots still pending`);
      // One worker per current source.
      const bySource = new Map<string, SlotMove[]>();
      for (const m of pending) {
        const target = resolvePrimary(this.topo, m.to, this.members[m.to]);
        const src = ownerOf(this.topo, m.slot, target?.id);
        const k = src?.id ?? '?';
        let list = bySource.get(k);
        if (!list) bySource.set(k, (list = []));
        list.push(m);
      }
      let failed: Error | undefined;
      // Lanes per source: slots are independent, and overlapping their round trips is most of the speed.
      const lanes = Math.max(1, this.opts.parallelPerSource ?? 1);
      const slotsPerStep = Math.max(1, this.opts.slotsPerStep ?? 1);
      await Promise.all([...bySource.values()].flatMap((list) => {
        const source = { moved: 0 };
        return Array.from({ length: lanes }, async (_, lane) => {
          for (;;) {
            if (failed || stopped) return;
            if (this.opts.shouldStop?.()) {
              stopped = true;
              return;
            }
            if (lane >= lanesAfter(source.moved, lanes) && list.length > 0) {
              await sleep(10);
              continue;
            }
            const group = takeGroup(list, groupAfter(source.moved, slotsPerStep));
            if (group.length === 0) return;
            try {
              await this.moveSlots(group, lane);
              source.moved += group.length;
              this.slotsDone += group.length;
              this.opts.onSlotDone?.(this.slotsDone);
              report();
            } catch (e) {
              failed ??= e instanceof Error ? e : new Error(String(e));
              return;
            }
          }
        });
      }));
      if (stopped || !failed) break;
      if (failed instanceof NodeReplyError && !isTransient(failed)) throw failed;
      // A node stopped answering or the topology moved under us (failover): wait for the cluster to settle, re-read, go on.
      this.recoveries++;
      report(`recovering: ${failed.message}`);
      await this.settle();
      pending = pendingMoves(this.topo, moves, this.members);
      this.slotsDone = total - pending.length;
    }
    return {
      slotsMoved: this.slotsDone - doneAtStart, slotsDone: this.slotsDone, stopped,
      keysMoved: this.keysMoved, elapsedMs: Date.now() - this.started, recoveries: this.recoveries,
      conflicts: this.conflicts, replaced: this.replaced,
    };
  }

  /**
   * Waits until every slot has a live owner, no slot-owning primary is
   * failing and every live primary says cluster_state:ok, then refreshes
   * the topology. Meanwhile it repairs importers (see repairImporters).
   */
  async settle(timeoutMs = this.opts.recoverTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      try {
        const snap = await this.client.snapshot();
        const owned = new Set<number>();
        for (const s of snap.topology.shards) if (!s.primary.failing) for (const x of s.primary.slots) owned.add(x);
        const down = snap.topology.nodes.filter((n) => n.role === 'primary' && !n.failing && snap.clusterStates.get(n.id) !== 'ok');
        if (owned.size === 16384) await this.repairImporters(snap.topology);
        if (owned.size === 16384 && down.length === 0) {
          this.topo = snap.topology;
          return;
        }
        last = `${16384 - owned.size} slots without a live owner, ${down.length} live primaries not cluster_state:ok`;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`cluster did not settle within ${timeoutMs} ms: ${last}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /**
   * A node importing a slot ignores gossip about that slot's owner (Redis
   * keeps an importing slot's owner as it was told). When the source fails
   * over mid-migration, the importer therefore keeps the dead primary as the
   * owner, says cluster_state:fail and refuses RESTORE with CLUSTERDOWN.
   * Telling it the real owner (SETSLOT NODE <owner>, which keeps the
   * importing state) and the new source (SETSLOT IMPORTING <owner>) fixes
   * that with no window in which moved keys are unreachable.
   */
  private async repairImporters(t: Topology): Promise<void> {
    for (const p of t.nodes) {
      if (p.role !== 'primary' || p.failing || p.importing.size === 0) continue;
      let view: TopoNode[];
      try {
        const parsed = parseNodes(String(await this.client.node(p).call('CLUSTER', 'NODES')));
        if (isParseError(parsed)) continue;
        view = parsed;
      } catch {
        continue;
      }
      for (const [slot, from] of p.importing) {
        const owner = ownerOf(t, slot, undefined);
        if (!owner || owner.id === p.id) continue;
        const seenOwner = view.find((n) => n.slots.includes(slot));
        if (seenOwner?.id === owner.id && from === owner.id) continue;
        try {
          if (seenOwner?.id !== owner.id) await this.client.node(p).call('CLUSTER', 'SETSLOT', slot, 'NODE', owner.id);
          await this.client.node(p).call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', owner.id);
          // The promoted source lost the MIGRATING state: until it has it again it answers
          // "no such key" for keys already moved instead of ASK. Restore it at once.
          await this.client.node(owner).call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', p.id);
          await this.dropStaleCopies(slot, owner, p);
          this.opts.onProgress?.({
            slotsDone: this.slotsDone, slotsTotal: this.total, keysMoved: this.keysMoved, keysPlanned: 0, elapsedMs: Date.now() - this.started,
            event: `repaired importing slot ${slot} on ${p.host}:${p.port}: owner ${owner.host}:${owner.port}`,
          });
        } catch { /* retried on the next settle round */ }
      }
    }
  }

  /**
   * After a failover of the source mid-slot: keys the promoted replica still
   * holds although the target has them too. Their MIGRATE reached the target
   * but its DEL had not reached the replica, and clients keep writing to
   * such a copy (a key that exists on the source is served there) until it
   * is gone, only to lose those writes when the slot's move resolves the
   * conflict in the target's favour (see resolveBusy). Dropping them here,
   * as part of the repair, ends that window with the repair instead of when
   * a lane reaches the slot again. A write made on the promoted source
   * before this loses, as resolveBusy documents.
   */
  private async dropStaleCopies(slot: number, source: TopoNode, target: TopoNode): Promise<void> {
    const listed = await this.client.node(source).callBuffer('CLUSTER', 'GETKEYSINSLOT', slot, 1_000_000);
    if (!Array.isArray(listed)) return;
    const keys = listed as Buffer[];
    for (let i = 0; i < keys.length; i += STALE_CHECK_KEYS) {
      const part = keys.slice(i, i + STALE_CHECK_KEYS);
      await this.dropOnSource(source, await this.heldByTarget(target, part));
    }
  }

  /** Those of `keys` (of a slot the target imports) that the target holds. */
  private async heldByTarget(target: TopoNode, keys: readonly Buffer[]): Promise<Buffer[]> {
    // The target is importing the slot: without ASKING it would answer MOVED.
    const found = await this.client.node(target).pipeline(keys.flatMap((k) => [['ASKING'], ['EXISTS', k]]));
    throwFirstError(found);
    return keys.filter((_, j) => found[2 * j + 1] === 1);
  }

  /**
   * Deletes the source's copies of keys the target holds (the target's copy
   * wins; see resolveBusy), counting them as conflicts. A key already gone
   * from the source (its MIGRATE went through) answers ASK there.
   */
  private async dropOnSource(source: TopoNode, keys: readonly Buffer[]): Promise<void> {
    if (keys.length === 0) return;
    for (const r of await this.client.node(source).pipeline(keys.map((k) => ['DEL', k]))) {
      if (r === 1) this.conflicts++;
      else if (r instanceof Error && !(r instanceof NodeReplyError && r.code === 'ASK')) throw r;
    }
  }

  /**
   * Moves a group of slots bound for one target (a lane's step): each
   * protocol step runs for every slot of the group in one pipeline, so the
   * group costs the round trips and event-loop turns of one slot, and each
   * node applies the group's SETSLOTs in one batch (one nodes.conf write).
   * Slots whose owner is not the first slot's go in a group of their own.
   */
  private async moveSlots(ms: readonly SlotMove[], lane: number): Promise<void> {
    const first = ms[0]!;
    const target = resolvePrimary(this.topo, first.to, this.members[first.to]);
    if (!target) throw new Retryable(`target ${first.to} of slot ${first.slot} is not reachable as a primary`);
    const bySource = new Map<TopoNode, SlotMove[]>();
    for (const m of ms) {
      const source = ownerOf(this.topo, m.slot, target.id);
      if (!source) throw new Retryable(`slot ${m.slot} has no owner`);
      let list = bySource.get(source);
      if (!list) bySource.set(source, (list = []));
      list.push(m);
    }
    for (const [source, moves] of bySource) await this.moveGroup(target, source, moves, lane);
  }

  private async moveGroup(target: TopoNode, source: TopoNode, moves: readonly SlotMove[], lane: number): Promise<void> {
    const t = this.topo;
    const tc = this.client.node(target);
    const slotKeys = new Map<number, number>();
    for (const m of moves) this.opts.onSlot?.(m.slot, 'start', source.id, target.id, 0);
    const setslot = (action: string, id: string): (string | number)[][] => moves.map((m) => ['CLUSTER', 'SETSLOT', m.slot, action, id]);
    if (source.id !== target.id) {
      const mc = this.client.migrationLane(source, lane);
      throwFirstError(await tc.pipeline(setslot('IMPORTING', source.id)));
      for (const m of moves) {
        let from = this.migratedFrom.get(m.slot);
        if (!from) this.migratedFrom.set(m.slot, (from = new Set()));
        from.add(source.id);
      }
      const batch = this.opts.batchKeys;
      // Keys listed per slot and round: the pipeline depth shared by the slots still listing keys.
      const listed = (slots: number): number => batch * Math.max(1, Math.floor(this.opts.pipelineDepth / slots));
      const getKeys = (slot: number, count: number): (string | number)[] => ['CLUSTER', 'GETKEYSINSLOT', slot, count];
      // Each GETKEYSINSLOT rides in the pipeline before it (after SETSLOT
      // MIGRATING, then after the slot's MIGRATEs, which it follows on the
      // same connection): two round trips and two source turns fewer per step.
      const opened = await mc.pipeline(moves.flatMap((m) => [['CLUSTER', 'SETSLOT', m.slot, 'MIGRATING', target.id], getKeys(m.slot, listed(moves.length))]), true);
      throwFirstError(opened);
      let pending = moves.map((m, i) => ({ m, keys: opened[2 * i + 1] as Buffer[] })).filter((p) => p.keys.length > 0);
      while (pending.length > 0) {
        const count = listed(pending.length);
        const cmds: (string | number | Buffer)[][] = [];
        for (const p of pending) {
          for (let i = 0; i < p.keys.length; i += batch) cmds.push(['MIGRATE', target.host, target.port, '', 0, this.opts.migrateTimeoutMs, 'KEYS', ...p.keys.slice(i, i + batch)]);
          cmds.push(getKeys(p.m.slot, count));
        }
        const res = await mc.pipeline(cmds, true);
        const next: typeof pending = [];
        let at = 0;
        for (const p of pending) {
          let resolved = false;
          let moved = 0;
          for (let i = 0; i < p.keys.length; i += batch) {
            const r = res[at++];
            const part = p.keys.slice(i, i + batch);
            if (r instanceof Error) {
              if (r instanceof NodeReplyError && /BUSYKEY/.test(r.message)) {
                moved += await this.resolveBusy(p.m, source, target, part);
                resolved = true;
                continue;
              }
              throw r;
            }
            this.keysMoved += part.length;
            moved += part.length;
          }
          slotKeys.set(p.m.slot, (slotKeys.get(p.m.slot) ?? 0) + moved);
          const again = res[at++];
          if (again instanceof Error) throw again;
          // resolveBusy moved or dropped keys after that listing was taken: list them again.
          const keys = resolved ? await mc.callBuffer(...getKeys(p.m.slot, count)) : again;
          if (Array.isArray(keys) && keys.length > 0) next.push({ m: p.m, keys: keys as Buffer[] });
        }
        pending = next;
      }
    }
    // Target first (it bumps its epoch and so wins), then the source, then everyone else; others learn by gossip if unreachable.
    throwFirstError(await tc.pipeline(setslot('NODE', target.id)));
    if (source.id !== target.id) {
      for (const r of await this.client.node(source).pipeline(setslot('NODE', target.id))) {
        // Redis 7 turns a primary that lost its last slot (learnt by gossip from the
        // target's epoch bump) into a replica of that target; the slot has moved.
        if (r instanceof Error && !(r instanceof NodeReplyError && /only with masters/i.test(r.message))) throw r;
      }
    }
    const others = t.nodes.filter((n) => n.role === 'primary' && n.id !== target.id && n.id !== source.id && !n.failing);
    await Promise.all(others.map(async (n) => {
      try {
        await this.client.node(n).pipeline(setslot('NODE', target.id));
      } catch { /* gossip carries the new owner there */ }
    }));
    // Keep our view current for the next slots (ownerOf reads it). The executor owns this
    // snapshot (snapshot() built it for us and settle() replaces it whole), so updating it
    // in place, past the readonly types meant for other readers, is safe.
    for (const m of moves) {
      for (const n of t.nodes as TopoNode[]) {
        (n.migrating as Map<number, string>).delete(m.slot);
        (n.importing as Map<number, string>).delete(m.slot);
      }
      const srcSlots = source.slots as number[];
      const idx = srcSlots.indexOf(m.slot);
      if (idx >= 0 && source.id !== target.id) {
        srcSlots.splice(idx, 1);
        slotSet(source).delete(m.slot);
      }
      if (!slotSet(target).has(m.slot)) {
        (target.slots as number[]).push(m.slot);
        slotSet(target).add(m.slot);
      }
      this.opts.onSlot?.(m.slot, 'done', source.id, target.id, slotKeys.get(m.slot) ?? 0);
    }
  }

  /**
   * BUSYKEY: the target already holds a key the source still lists. MIGRATE
   * deletes on the source the keys of a batch that the target acknowledged,
   * so some keys of `keys` may be gone from the source already. Two causes,
   * and which copy is newer depends on the cause:
   * - a MIGRATE whose reply was lost (IOERR timeout on a slow target) after
   *   the target had restored the key: the source kept it and clients kept
   *   writing there, since a key that exists on the source is served there.
   *   The source's copy is the newer one: send it again with REPLACE;
   * - the source failed over before its replica saw the DEL of an earlier
   *   MIGRATE, so the promoted node holds a stale copy while clients wrote
   *   the target's through ASK. The target's copy is the newer one: keep it,
   *   drop the source's (heldByTarget, dropOnSource; the repair after a
   *   failover does the same at once, see dropStaleCopies). A write made on
   *   the promoted source to such a copy before then loses: Redis's
   *   protocol cannot order the two.
   * The source is trusted only while it is the node the plan took the slot
   * from and the only node this run has migrated the slot's keys from; a
   * node that failed over and back within one move is not told apart.
   */
  private async resolveBusy(m: SlotMove, source: TopoNode, target: TopoNode, keys: Buffer[]): Promise<number> {
    const sc = this.client.node(source);
    const from = this.migratedFrom.get(m.slot);
    const sourceTrusted = source.id === m.from && (from === undefined || [...from].every((id) => id === source.id));
    if (sourceTrusted) {
      const r = await sc.call('MIGRATE', target.host, target.port, '', 0, this.opts.migrateTimeoutMs, 'REPLACE', 'KEYS', ...keys);
      if (r !== 'NOKEY') this.replaced++;
      this.keysMoved += keys.length;
      return keys.length;
    }
    const held = await this.heldByTarget(target, keys);
    await this.dropOnSource(source, held);
    const rest = keys.filter((k) => !held.includes(k));
    let moved = held.length;
    if (rest.length > 0) {
      const r = await sc.call('MIGRATE', target.host, target.port, '', 0, this.opts.migrateTimeoutMs, 'KEYS', ...rest);
      if (r !== 'NOKEY') moved += rest.length;
    }
    this.keysMoved += moved;
    return moved;
  }
}

function throwFirstError(replies: readonly (Reply | Error)[]): void {
  for (const r of replies) if (r instanceof Error) throw r;
}

function isTransient(e: NodeReplyError): boolean {
  // A node that lost its role or a slot mid-way answers with these; re-reading the topology fixes it.
  return /not the owner|I'm not|no longer|MOVED|CLUSTERDOWN|IOERR|LOADING|READONLY|not a master|Unknown node|don't know/i.test(e.message);
}

export function formatProgress(p: Progress, width = 30): string {
  const frac = p.slotsTotal === 0 ? 1 : p.slotsDone / p.slotsTotal;
  const filled = Math.round(frac * width);
  const secs = p.elapsedMs / 1000;
  const rate = secs > 0 ? p.keysMoved / secs : 0;
  const slotRate = secs > 0 ? p.slotsDone / secs : 0;
  const etaS = slotRate > 0 ? Math.max(0, (p.slotsTotal - p.slotsDone) / slotRate) : NaN;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.slotsDone}/${p.slotsTotal} slots, ${p.keysMoved} keys, ${Math.round(rate)} keys/s, ETA ${Number.isFinite(etaS) ? `${etaS.toFixed(0)}s` : '?'}`;
}
