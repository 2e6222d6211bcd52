// Builds the immutable ClusterView that routing and the CLUSTER commands read
// from the core's mutable records. The core rebuilds it lazily, only when
// something changed since the last build, and swaps one reference, so a
// reader never sees a half-applied event.

import type { NodeRecord } from './node-record.js';
import { SLOT_COUNT, type ClusterView, type NodeFlag, type NodeView } from './types.js';

export interface ViewInput {
  readonly myId: string;
  readonly currentEpoch: number;
  readonly lastVoteEpoch: number;
  readonly state: 'ok' | 'fail';
  readonly records: Iterable<NodeRecord>;
  readonly migrating: ReadonlyMap<number, string>;
  readonly importing: ReadonlyMap<number, string>;
  readonly version: number;
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
    slots: Object.freeze(r.slots.map((s) => Object.freeze([s[0], s[1]] as const))),
    replOffset: r.replOffset,
  });
}

/**
 * slotOwners is built on its first read, from the NodeViews' own frozen
 * copies of their ranges (so a late first read still shows this snapshot).
 * The table is a 16384-entry array: 128 KB, a large-object allocation that
 * costs ~0.2 ms here, and many views are never asked for it (the CLUSTER
 * subcommands read nodes and the slot states; routing reads it).
 */
export function buildView(input: ViewInput): ClusterView {
  const nodes = new Map<string, NodeView>();
  for (const r of input.records) nodes.set(r.id, nodeView(r, r.id === input.myId));
  let owners: readonly (NodeView | null)[] | null = null;
  return Object.freeze({
    myId: input.myId,
    currentEpoch: input.currentEpoch,
    lastVoteEpoch: input.lastVoteEpoch,
    state: input.state,
    nodes,
    get slotOwners(): readonly (NodeView | null)[] {
      return (owners ??= slotOwnersOf(nodes));
    },
    migrating: new Map(input.migrating),
    importing: new Map(input.importing),
    version: input.version,
  });
}

/** Later nodes win a slot claimed twice, as when the table was filled record by record. */
function slotOwnersOf(nodes: ReadonlyMap<string, NodeView>): readonly (NodeView | null)[] {
  const owners: (NodeView | null)[] = new Array<NodeView | null>(SLOT_COUNT).fill(null);
  for (const v of nodes.values()) for (const [a, b] of v.slots) owners.fill(v, a, b + 1);
  return Object.freeze(owners);
}

/**
 * `prev` with other IMPORTING/MIGRATING maps, sharing its nodes and its
 * slotOwners (built or not: the accessor is copied, so whichever view reads
 * it first builds it for both): SETSLOT IMPORTING|MIGRATING|STABLE changes
 * nothing else, and a reshard sends them for every slot.
 */
export function withSlotStates(prev: ClusterView, migrating: ReadonlyMap<number, string>, importing: ReadonlyMap<number, string>, version: number): ClusterView {
  const props = Object.getOwnPropertyDescriptors(prev);
  return Object.freeze(
    Object.defineProperties({} as ClusterView, {
      ...props,
      migrating: { ...props.migrating, value: new Map(migrating) },
      importing: { ...props.importing, value: new Map(importing) },
      version: { ...props.version, value: version },
    }),
  );
}
