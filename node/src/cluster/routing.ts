// Where a command runs in a cluster: Redis's getNodeByQuery as one pure
// function over the view. Its result is a closed set of outcomes that the
// dispatcher gate turns into a reply; nothing here reads the socket, the
// keyspace or the clock (whether a key exists is asked through a callback,
// and only for slots being migrated or imported).
//
// The rules, in Redis's order:
// 1. All keys of all commands (one command, or the queue of a MULTI) must
//    hash to one slot, else CROSSSLOT. No keys: run here.
// 2. The slot has no owner: CLUSTERDOWN Hash slot not served.
// 3. The cluster is down: refuse (reads may be allowed by
//    cluster-allow-reads-when-down; shard pub/sub by
//    cluster-allow-pubsubshard-when-down).
// 4. MIGRATE in an open slot runs here: it is what empties the slot, and
//    a key deleted between GETKEYSINSLOT and MIGRATE must not stop it.
// 5. Migrating away and some key is missing here: ASK the target, or
//    TRYAGAIN when some keys are here and some are not (a multi-key command
//    cannot be split across nodes; redis-server 7.0.15 answers so).
// 6. Importing and the client said ASKING (or the command is flagged
//    `asking`): run here, unless a multi-key command misses keys (TRYAGAIN).
// 7. A READONLY client (or shard pub/sub) reading on a replica of the owner:
//    run here.
// 8. Otherwise the owner: here, or MOVED.
//
// Open slots on a replica: a view that holds open-slot state for the
// primary's slots (a replica told of its primary's SETSLOT, as Valkey 8
// replicates it) applies rules 5 and 6 to READONLY reads, so a replica of
// the source does not answer nil for a key that already moved. With no such
// state (redis-server 7.0 keeps it on the primary only) a replica serves what
// it has, as 7.0 does. A write, or a client without READONLY, is sent to the
// owner with MOVED: the primary applies the open-slot rules itself.

import type { ClusterView, NodeView } from './types.js';
import { keySlot } from './keyslot.js';
import { slotOwnerOf } from './view.js';

export type Route =
  | { readonly kind: 'local' }
  | { readonly kind: 'moved'; readonly slot: number; readonly node: NodeView }
  | { readonly kind: 'ask'; readonly slot: number; readonly node: NodeView }
  | { readonly kind: 'tryagain' }
  | { readonly kind: 'crossslot' }
  | { readonly kind: 'clusterdown-unbound'; readonly slot: number }
  | { readonly kind: 'clusterdown-down' }
  /** The cluster is down and only reads are served (cluster-allow-reads-when-down). */
  | { readonly kind: 'clusterdown-readonly' };

/** One command as routing sees it. */
export interface RoutedCommand {
  /** Key arguments (from the command table's key positions). */
  readonly keys: readonly string[];
  readonly write: boolean;
  /** SPUBLISH / SSUBSCRIBE / SUNSUBSCRIBE: the keys are shard channels. */
  readonly shardPubSub: boolean;
  /** The command carries the `asking` flag (RESTORE-ASKING). */
  readonly asking: boolean;
  /** MIGRATE: runs where it is sent while the slot is open (rule 4). */
  readonly migrate?: boolean;
}

export interface RouteQuery {
  /** One command, or a MULTI queue checked as a whole. */
  readonly commands: readonly RoutedCommand[];
  readonly clientAsking: boolean;
  readonly clientReadOnly: boolean;
  /** Whether a key exists in this node's keyspace (asked only for open slots). */
  readonly keyExists: (key: string) => boolean;
  readonly allowReadsWhenDown: boolean;
  readonly allowPubSubShardWhenDown: boolean;
}

const LOCAL: Route = { kind: 'local' };

export function route(view: ClusterView, q: RouteQuery): Route {
  let firstKey: string | null = null;
  let slot = -1;
  let owner: NodeView | null = null;
  let migrating = false;
  let importing = false;
  let multipleKeys = false;
  let write = false;
  let shardPubSub = false;
  let askingCommand = false;
  let migrateCommand = false;
  for (const cmd of q.commands) {
    if (cmd.write) write = true;
    if (cmd.shardPubSub) shardPubSub = true;
    if (cmd.asking) askingCommand = true;
    if (cmd.migrate) migrateCommand = true;
  }
  const me = view.nodes.get(view.myId);
  const meIsReplica = me !== undefined && me.flags.includes('slave');
  // Open-slot rules apply on a primary, and on a replica only to READONLY reads (see above).
  const openSlotRules = !meIsReplica || (q.clientReadOnly && !write);
  for (const cmd of q.commands) {
    for (const key of cmd.keys) {
      const keyslot = keySlot(key);
      if (firstKey === null) {
        firstKey = key;
        slot = keyslot;
        owner = slotOwnerOf(view, slot);
        if (owner === null) return { kind: 'clusterdown-unbound', slot };
        if (openSlotRules) {
          const ownerIsMine = owner.id === view.myId || (meIsReplica && owner.id === me.primaryId);
          if (ownerIsMine && view.migrating.has(slot)) migrating = true;
          else if (view.importing.has(slot)) importing = true;
        }
      } else if (key !== firstKey) {
        if (keyslot !== slot) return { kind: 'crossslot' };
        multipleKeys = true;
      }
    }
  }
  if (owner === null) return LOCAL;

  if (view.state !== 'ok') {
    if (shardPubSub) {
      if (!q.allowPubSubShardWhenDown) return { kind: 'clusterdown-down' };
    } else if (!q.allowReadsWhenDown) return { kind: 'clusterdown-down' };
    else if (write) return { kind: 'clusterdown-readonly' };
  }

  if ((migrating || importing) && migrateCommand) return LOCAL;

  // Keys are looked up only where the answer changes the outcome: Redis
  // counts them for every command in an open slot, but a single-key command
  // on the importing side (each RESTORE-ASKING of a migration) and MIGRATE
  // itself never use the count, and a lookup in a big keyspace is not free.
  const missingKeys = migrating || (importing && multipleKeys && (q.clientAsking || askingCommand)) ? countMissing(q) : 0;
  if (migrating && missingKeys > 0) {
    if (missingKeys < keyCount(q)) return { kind: 'tryagain' };
    const target = view.nodes.get(view.migrating.get(slot)!);
    // A target we no longer know cannot take the keys: serve what we have.
    if (target) return { kind: 'ask', slot, node: target };
  }

  if (importing && (q.clientAsking || askingCommand)) {
    if (multipleKeys && missingKeys > 0) return { kind: 'tryagain' };
    return LOCAL;
  }

  if ((q.clientReadOnly || shardPubSub) && !write && meIsReplica && me.primaryId === owner.id) return LOCAL;

  return owner.id === view.myId ? LOCAL : { kind: 'moved', slot, node: owner };
}

/** Keys of the query missing here; shard channels are not keys of the keyspace and never count as missing. */
function countMissing(q: RouteQuery): number {
  let missing = 0;
  for (const cmd of q.commands) {
    if (cmd.shardPubSub) continue;
    for (const key of cmd.keys) if (!q.keyExists(key)) missing++;
  }
  return missing;
}

function keyCount(q: RouteQuery): number {
  let n = 0;
  for (const cmd of q.commands) n += cmd.keys.length;
  return n;
}

export type EndpointType = 'ip' | 'hostname' | 'unknown-endpoint';

/** The host a redirect or CLUSTER SLOTS names (cluster-preferred-endpoint-type); '?' when unknown. */
export function preferredEndpoint(node: NodeView, type: EndpointType): string {
  if (type === 'ip') return node.ip;
  if (type === 'hostname' && node.hostname !== '') return node.hostname;
  return '?';
}

/** The error reply for a refusal, in Redis's words; null for 'local'. */
export function routeError(r: Route, endpointType: EndpointType): string | null {
  switch (r.kind) {
    case 'local':
      return null;
    case 'moved':
      return `MOVED ${r.slot} ${preferredEndpoint(r.node, endpointType)}:${r.node.port}`;
    case 'ask':
      return `ASK ${r.slot} ${preferredEndpoint(r.node, endpointType)}:${r.node.port}`;
    case 'tryagain':
      return 'TRYAGAIN Multiple keys request during rehashing of slot';
    case 'crossslot':
      return "CROSSSLOT Keys in request don't hash to the same slot";
    case 'clusterdown-unbound':
      return 'CLUSTERDOWN Hash slot not served';
    case 'clusterdown-down':
      return 'CLUSTERDOWN The cluster is down';
    case 'clusterdown-readonly':
      return 'CLUSTERDOWN The cluster is down and only accepts read commands';
  }
}
