// The cluster as the coordinator sees it: a value built from CLUSTER NODES
// (and CLUSTER SHARDS for zones), with no I/O here so it can be tested from
// text. Unlike local/admin.ts's parser (which serves status tables), this one
// keeps the open-slot markers ([slot->-id] migrating, [slot-<-id] importing):
// a reshard that stopped half-way is resumed from exactly those markers.

export const SLOTS = 16384;

export type Role = 'primary' | 'replica';

export interface TopoNode {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly busPort: number;
  readonly flags: readonly string[];
  readonly role: Role;
  /** For a replica: its primary's id; '' for a primary. */
  readonly primaryId: string;
  readonly configEpoch: number;
  readonly linkState: 'connected' | 'disconnected';
  /** Slots this node owns (from its own line when the view came from it). */
  readonly slots: readonly number[];
  /** slot -> node id the slot is migrating to (only on the owner's own line). */
  readonly migrating: ReadonlyMap<number, string>;
  /** slot -> node id the slot is imported from (only on the importer's own line). */
  readonly importing: ReadonlyMap<number, string>;
  readonly myself: boolean;
  /** 'fail' or 'fail?' (pfail) present. */
  readonly failing: boolean;
  readonly handshake: boolean;
  readonly noaddr: boolean;
}

export interface ParseError {
  readonly error: string;
}

function expandRanges(fields: readonly string[], into: number[], migrating: Map<number, string>, importing: Map<number, string>): string | undefined {
  for (const s of fields) {
    if (s === '') continue;
    if (s.startsWith('[')) {
      // [slot->-nodeid] or [slot-<-nodeid]
      const m = /^\[(\d+)-([<>])-([0-9a-f]+)\]$/.exec(s);
      if (!m) return `bad open-slot field ${s}`;
      const slot = Number(m[1]);
      if (m[2] === '>') migrating.set(slot, m[3] ?? '');
      else importing.set(slot, m[3] ?? '');
      continue;
    }
    const dash = s.indexOf('-');
    const from = Number(dash < 0 ? s : s.slice(0, dash));
    const to = dash < 0 ? from : Number(s.slice(dash + 1));
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to >= SLOTS || to < from) return `bad slot field ${s}`;
    for (let i = from; i <= to; i++) into.push(i);
  }
  return undefined;
}

/** Parses CLUSTER NODES text; a malformed line is an error value, not a throw. */
export function parseNodes(text: string): TopoNode[] | ParseError {
  const out: TopoNode[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const f = line.trim().split(' ');
    const [id, rawAddr, rawFlags, primaryId, , , epoch, link, ...slotFields] = f;
    if (id === undefined || rawAddr === undefined || rawFlags === undefined || primaryId === undefined || link === undefined) {
      return { error: `short CLUSTER NODES line: ${line}` };
    }
    // ip:port@cport[,hostname]
    const addr = rawAddr.split(',')[0] ?? '';
    const at = addr.indexOf('@');
    const hostPort = at < 0 ? addr : addr.slice(0, at);
    const colon = hostPort.lastIndexOf(':');
    const host = hostPort.slice(0, colon);
    const port = Number(hostPort.slice(colon + 1));
    const busPort = at < 0 ? port + 10000 : Number(addr.slice(at + 1));
    const flags = rawFlags.split(',');
    const slots: number[] = [];
    const migrating = new Map<number, string>();
    const importing = new Map<number, string>();
    const err = expandRanges(slotFields, slots, migrating, importing);
    if (err) return { error: `${err} in: ${line}` };
    out.push({
      id, host, port, busPort, flags,
      role: flags.includes('slave') ? 'replica' : 'primary',
      primaryId: primaryId === '-' ? '' : primaryId,
      configEpoch: Number(epoch ?? 0),
      linkState: link === 'connected' ? 'connected' : 'disconnected',
      slots, migrating, importing,
      myself: flags.includes('myself'),
      failing: flags.includes('fail') || flags.includes('fail?'),
      handshake: flags.includes('handshake'),
      noaddr: flags.includes('noaddr'),
    });
  }
  return out;
}

export function isParseError<T>(v: T | ParseError): v is ParseError {
  return typeof v === 'object' && v !== null && 'error' in v && typeof (v as ParseError).error === 'string';
}

/** Slot ranges "0-5460,5461" for display. */
export function formatRanges(slots: readonly number[]): string {
  const sorted = [...slots].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * Zone of a node when the server does not say (redis-server has no
 * availability-zone): the local deployment's loopback convention, zone i =
 * 127.0.i.x, mapped to the i-th letter. Undefined for other addresses.
 */
export function zoneFromAddress(host: string): string | undefined {
  const m = /^127\.0\.(\d+)\.\d+$/.exec(host);
  if (!m) return undefined;
  const z = Number(m[1]);
  if (z < 1 || z > 26) return undefined;
  return String.fromCharCode('a'.charCodeAt(0) + z - 1);
}

/** One shard: a primary, its replicas, its slots. */
export interface Shard {
  readonly primary: TopoNode;
  readonly replicas: readonly TopoNode[];
}

export interface Topology {
  /** Every known node, merged from the views (each node's own line wins for its slots and markers). */
  readonly nodes: readonly TopoNode[];
  readonly shards: readonly Shard[];
  /** node id -> zone name, when known. */
  readonly zones: ReadonlyMap<string, string>;
}

/**
 * Builds the topology from the seed's view and, per node, that node's own
 * line (authoritative for its own slots and open markers; the seed may lag a
 * moment behind a SETSLOT).
 */
export function buildTopology(seedView: readonly TopoNode[], ownLines: ReadonlyMap<string, TopoNode>, zones: ReadonlyMap<string, string>): Topology {
  // Slots that answering nodes claim themselves; a node that did not answer
  // keeps only the slots of the seed's line nobody else claims (the seed may
  // be stale: an importing node keeps a dead owner for the slots it imports).
  const claimed = new Set<number>();
  for (const own of ownLines.values()) if (own.role === 'primary') for (const x of own.slots) claimed.add(x);
  const nodes = seedView
    .filter((n) => !n.handshake && !n.noaddr)
    .map((n) => {
      const own = ownLines.get(n.id);
      if (own) return { ...own, myself: false };
      return { ...n, myself: false, slots: n.slots.filter((x) => !claimed.has(x)) };
    });
  const shards: Shard[] = [];
  for (const p of nodes) {
    if (p.role !== 'primary') continue;
    const replicas = nodes.filter((r) => r.role === 'replica' && r.primaryId === p.id);
    shards.push({ primary: p, replicas });
  }
  // Replicas whose primary is unknown belong to no shard; healthProblems reports them.
  shards.sort((a, b) => (a.primary.slots[0] ?? SLOTS) - (b.primary.slots[0] ?? SLOTS) || a.primary.port - b.primary.port);
  const allZones = new Map(zones);
  for (const n of nodes) if (!allZones.has(n.id)) {
    const z = zoneFromAddress(n.host);
    if (z !== undefined) allZones.set(n.id, z);
  }
  return { nodes, shards, zones: allZones };
}

/** The reasons a topology is not fit for a reshard; empty means healthy. */
export function healthProblems(t: Topology, clusterStates: ReadonlyMap<string, string>, allowOpen: ReadonlySet<number> = new Set()): string[] {
  const problems: string[] = [];
  for (const n of t.nodes) {
    // A failed node that serves no slot (a primary that was failed over, a
    // dead replica) does not endanger a migration; healthWarnings lists it.
    if (ignorable(t, n)) continue;
    if (n.failing) problems.push(`${n.host}:${n.port} is flagged ${n.flags.includes('fail') ? 'fail' : 'pfail'}`);
    const st = clusterStates.get(n.id);
    if (st === undefined) problems.push(`${n.host}:${n.port} did not answer`);
    else if (st !== 'ok') problems.push(`${n.host}:${n.port} says cluster_state:${st}`);
    if (n.role === 'replica' && !t.nodes.some((p) => p.id === n.primaryId)) problems.push(`${n.host}:${n.port} replicates unknown node ${n.primaryId}`);
    for (const s of [...n.migrating.keys(), ...n.importing.keys()]) {
      if (!allowOpen.has(s)) problems.push(`slot ${s} is open (migrating/importing) on ${n.host}:${n.port}; run 'tessera reshard --resume' or 'redis-cli --cluster fix'`);
    }
  }
  const owner = new Map<number, string>();
  for (const s of t.shards) for (const slot of s.primary.slots) {
    const prev = owner.get(slot);
    if (prev !== undefined) problems.push(`slot ${slot} is claimed by two primaries (${prev} and ${s.primary.id})`);
    owner.set(slot, s.primary.id);
  }
  if (owner.size !== SLOTS) problems.push(`${SLOTS - owner.size} slots are not covered`);
  return problems;
}

/** Failed or unreachable nodes that own no slot: worth a warning, not a refusal. */
function ignorable(t: Topology, n: TopoNode): boolean {
  return n.failing && n.slots.length === 0 && n.migrating.size === 0 && n.importing.size === 0 && !t.nodes.some((r) => r.primaryId === n.id && !r.failing);
}

export function healthWarnings(t: Topology): string[] {
  const out = t.nodes.filter((n) => ignorable(t, n)).map((n) => `${n.host}:${n.port} (${n.id.slice(0, 8)}) is flagged ${n.flags.includes('fail') ? 'fail' : 'pfail'} and serves no slot; restart it or CLUSTER FORGET it`);
  // Failovers, a restarted primary following whoever took its last slot, and replica
  // migration move replicas between shards without regard to zones (a zone loss then
  // takes a shard's primary and replica together).
  for (const s of t.shards) {
    const pz = t.zones.get(s.primary.id);
    if (pz === undefined || s.primary.slots.length === 0) continue;
    for (const r of s.replicas) {
      if (t.zones.get(r.id) === pz) out.push(`replica ${r.host}:${r.port} is in zone ${pz}, as its primary ${s.primary.host}:${s.primary.port}; move it with 'tessera add-replica' then 'tessera remove-replica'`);
    }
  }
  return out;
}
