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

export function buildView(input: ViewInput): ClusterView {
  const nodes = new Map<string, NodeView>();
  const slotOwners: (NodeView | null)[] = new Array<NodeView | null>(SLOT_COUNT).fill(null);
  for (const r of input.records) {
    const v = nodeView(r, r.id === input.myId);
    nodes.set(r.id, v);
    for (const [a, b] of r.slots) for (let s = a; s <= b; s++) slotOwners[s] = v;
  }
  return Object.freeze({
    myId: input.myId,
    currentEpoch: input.currentEpoch,
    lastVoteEpoch: input.lastVoteEpoch,
    state: input.state,
    nodes,
    slotOwners: Object.freeze(slotOwners),
    migrating: new Map(input.migrating),
    importing: new Map(input.importing),
    version: input.version,
  });
}

/**
 * `prev` with other IMPORTING/MIGRATING maps, sharing its nodes and
 * slotOwners: SETSLOT IMPORTING|MIGRATING|STABLE changes nothing else, and
 * a full build allocates a 16384-entry array (128 KB, large-object space:
 * ~0.1-0.3 ms here) that a reshard would pay twice per slot for nothing.
 */
export function withSlotStates(prev: ClusterView, migrating: ReadonlyMap<number, string>, importing: ReadonlyMap<number, string>, version: number): ClusterView {
  return Object.freeze({
    ...prev,
    migrating: new Map(migrating),
    importing: new Map(importing),
    version,
  });
}
