// Builds the immutable ClusterView that routing and the CLUSTER commands read
// from the core's mutable records. The core rebuilds it lazily, only when
// something changed since the last build, and swaps one reference, so a
// reader never sees a half-applied event.
//
// The slot table is not rebuilt per view. The core keeps each slot's owner as
// a small index (0 = none) in Uint16Array chunks of 256 slots; a view built
// takes a copy of the chunk list (64 references), and the core copies a
// chunk before its next write to it (copy on write: a view's table never
// changes under it, and a SETSLOT NODE copies 512 bytes); the view maps
// index -> NodeView through its own small array (one entry per node that has
// owned slots). A view costs O(nodes) to build, not O(16384), which matters
// because the view is rebuilt after every pong and every slot change, and
// routing reads the table on every keyed command.

import type { NodeRecord } from './node-record.js';
import { SLOT_COUNT, type ClusterView, type NodeFlag, type NodeView, type SlotRange } from './types.js';

export interface ViewInput {
  readonly myId: string;
  readonly currentEpoch: number;
  readonly lastVoteEpoch: number;
  readonly state: 'ok' | 'fail';
  readonly records: Iterable<NodeRecord>;
  readonly migrating: ReadonlyMap<number, string>;
  readonly importing: ReadonlyMap<number, string>;
  readonly version: number;
  /** Owner index of each slot, SLOT_CHUNK slots a chunk; the caller never writes these chunks again (it copies first). */
  readonly slotChunks: readonly Uint16Array[];
  /** Index -> record; index 0 and freed indexes are null. */
  readonly indexRecords: readonly (NodeRecord | null)[];
}

export const SLOT_CHUNK_BITS = 8;
export const SLOT_CHUNK = 1 << SLOT_CHUNK_BITS;
const SLOT_CHUNK_MASK = SLOT_CHUNK - 1;

/**
 * Frozen copies of slot ranges, one per ranges array: a record's slots
 * array is replaced, never changed, when its slots change, so the view
 * rebuilt after every pong reuses the copy instead of refreezing a node's
 * ranges each time.
 */
const frozenCopies = new WeakMap<readonly SlotRange[], readonly SlotRange[]>();

function frozenSlots(slots: readonly SlotRange[]): readonly SlotRange[] {
  let copy = frozenCopies.get(slots);
  if (copy === undefined) {
    copy = Object.freeze(slots.map((s) => Object.freeze([s[0], s[1]] as const)));
    frozenCopies.set(slots, copy);
  }
  return copy;
}

export function nodeView(r: NodeRecord, isMyself: boolean): NodeView {
  const flags: NodeFlag[] = isMyself ? ['myself', ...r.flags()] : r.flags();
  return Object.freeze({
    id: r.id,
    ip: r.ip,
    port: r.port,
    busPort: r.busPort,
    hostname: r.hostname,
    flags: Object.freeze(flags),
    primaryId: r.primaryId,
    pingSentMs: r.pingSentMs,
    pongRecvMs: r.pongRecvMs,
    configEpoch: r.configEpoch,
    linkConnected: isMyself || r.linkConnected,
    zone: r.zone,
    shardId: r.shardId,
    slots: frozenSlots(r.slots),
    replOffset: r.replOffset,
  });
}

/**
 * One view's slot table. The 16384-entry array form (slotOwners: CLUSTER
 * SLOTS and INFO walk it) is built on its first read only, and shared by the
 * views derived with withSlotStates.
 */
class SlotTable {
  private all: readonly (NodeView | null)[] | null = null;
  constructor(
    private readonly chunks: readonly Uint16Array[],
    private readonly byIndex: readonly (NodeView | null)[],
  ) {}

  owner(slot: number): NodeView | null {
    return this.byIndex[this.chunks[slot >> SLOT_CHUNK_BITS]![slot & SLOT_CHUNK_MASK]!] ?? null;
  }

  get owners(): readonly (NodeView | null)[] {
    if (this.all === null) {
      const a = new Array<NodeView | null>(SLOT_COUNT);
      for (let s = 0; s < SLOT_COUNT; s++) a[s] = this.owner(s);
      this.all = Object.freeze(a);
    }
    return this.all;
  }
}

export class SnapshotView implements ClusterView {
  constructor(
    readonly myId: string,
    readonly currentEpoch: number,
    readonly lastVoteEpoch: number,
    readonly state: 'ok' | 'fail',
    readonly nodes: ReadonlyMap<string, NodeView>,
    private readonly table: SlotTable,
    readonly migrating: ReadonlyMap<number, string>,
    readonly importing: ReadonlyMap<number, string>,
    readonly version: number,
  ) {
    Object.freeze(this);
  }

  get slotOwners(): readonly (NodeView | null)[] {
    return this.table.owners;
  }

  slotOwner(slot: number): NodeView | null {
    return this.table.owner(slot);
  }

  /** This view with other IMPORTING/MIGRATING maps, sharing its nodes and slot table. */
  withSlotStates(migrating: ReadonlyMap<number, string>, importing: ReadonlyMap<number, string>, version: number): SnapshotView {
    return new SnapshotView(this.myId, this.currentEpoch, this.lastVoteEpoch, this.state, this.nodes, this.table, new Map(migrating), new Map(importing), version);
  }
}

export function buildView(input: ViewInput): SnapshotView {
  const nodes = new Map<string, NodeView>();
  const viewOf = new Map<NodeRecord, NodeView>();
  for (const r of input.records) {
    const v = nodeView(r, r.id === input.myId);
    nodes.set(r.id, v);
    viewOf.set(r, v);
  }
  const byIndex = input.indexRecords.map((r) => (r === null ? null : (viewOf.get(r) ?? null)));
  return new SnapshotView(
    input.myId,
    input.currentEpoch,
    input.lastVoteEpoch,
    input.state,
    nodes,
    new SlotTable(input.slotChunks.slice(), byIndex),
    new Map(input.migrating),
    new Map(input.importing),
    input.version,
  );
}

/**
 * `prev` with other IMPORTING/MIGRATING maps, sharing its nodes and its slot
 * table: SETSLOT IMPORTING|MIGRATING|STABLE changes nothing else, and a
 * reshard sends them for every slot.
 */
export function withSlotStates(prev: SnapshotView, migrating: ReadonlyMap<number, string>, importing: ReadonlyMap<number, string>, version: number): SnapshotView {
  return prev.withSlotStates(migrating, importing, version);
}

/** The owner of `slot` in `view`: the view's own lookup when it has one (views built here), else its array. */
export function slotOwnerOf(view: ClusterView, slot: number): NodeView | null {
  return view.slotOwner !== undefined ? view.slotOwner(slot) : (view.slotOwners[slot] ?? null);
}
