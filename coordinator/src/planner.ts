// Zone-aware placement of a cluster's nodes, as a pure function.
//
// Decides, for a cluster of `shards` primaries with `replicas` replicas each
// spread over `zones`, which node gets which client port, zone, loopback
// address and role. The one rule that matters for availability: a replica is
// never in its primary's zone, so losing a zone never loses a shard. Primaries
// rotate over the zones (shard k in zone k mod Z) so that a zone holds at most
// ceil(S/Z) primaries and a zone failure leaves a majority of primaries when
// Z >= 3; replica j of shard k goes to zone k+1+j (skipping the primary's zone
// when there are more replicas than other zones).
//
// Addresses: zone number z (a=1, b=2, ...) and node index i give 127.0.z.(i+1),
// which is unique per node and identifies the zone by its third octet, the
// convention of the local deployment (DESIGN.md, "Simulated availability zones").

export interface PlanInput {
  readonly shards: number;
  readonly replicas: number;
  /** Zone names, e.g. ['a', 'b', 'c']. */
  readonly zones: readonly string[];
  readonly basePort: number;
}

export interface PlannedNode {
  /** 0-based index; the client port is basePort + index. */
  readonly index: number;
  readonly port: number;
  readonly busPort: number;
  readonly zone: string;
  /** 1-based position of the zone in the input list; the third octet of the address. */
  readonly zoneNumber: number;
  /** The node's zone address (bound and announced); it also binds 127.0.0.1. */
  readonly host: string;
  readonly shard: number;
  readonly role: 'primary' | 'replica';
  /** For a replica: the index of its primary. */
  readonly primaryIndex?: number;
}

export interface Plan {
  readonly input: PlanInput;
  readonly nodes: readonly PlannedNode[];
}

export class PlanError extends Error {
  override readonly name = 'PlanError';
}

/** Zone names become loopback octets and user names, so keep them to [a-z0-9]. */
const ZONE_NAME = /^[a-z0-9]{1,16}$/;

export function planCluster(input: PlanInput): Plan {
  const { shards, replicas, zones, basePort } = input;
  if (!Number.isInteger(shards) || shards < 1 || shards > 500) throw new PlanError(`shards must be 1..500, got ${shards}`);
  if (!Number.isInteger(replicas) || replicas < 0 || replicas > 5) throw new PlanError(`replicas must be 0..5, got ${replicas}`);
  if (zones.length < 1 || zones.length > 254) throw new PlanError('at least one zone is needed');
  for (const z of zones) if (!ZONE_NAME.test(z)) throw new PlanError(`zone name ${JSON.stringify(z)} must match ${ZONE_NAME}`);
  if (new Set(zones).size !== zones.length) throw new PlanError('zone names must be distinct');
  if (replicas > 0 && zones.length < 2) throw new PlanError('replicas need at least two zones (a replica is never in its primary\'s zone)');
  const total = shards * (1 + replicas);
  // Node index i is the last octet minus one, so at most 254 nodes.
  if (total > 254) throw new PlanError(`${total} nodes do not fit the 127.0.z.1-254 address scheme`);
  if (!Number.isInteger(basePort) || basePort < 1 || basePort + total - 1 > 55535) {
    throw new PlanError(`base port ${basePort} leaves no room for ${total} client ports and their bus ports (+10000)`);
  }
  const nodes: PlannedNode[] = [];
  const make = (index: number, zoneIdx: number, shard: number, role: 'primary' | 'replica', primaryIndex?: number): PlannedNode => {
    const zone = zones[zoneIdx];
    if (zone === undefined) throw new PlanError(`internal: zone index ${zoneIdx} out of range`);
    const port = basePort + index;
    return {
      index, port, busPort: port + 10000, zone, zoneNumber: zoneIdx + 1,
      host: `127.0.${zoneIdx + 1}.${index + 1}`, shard, role,
      ...(primaryIndex === undefined ? {} : { primaryIndex }),
    };
  };
  const z = zones.length;
  for (let k = 0; k < shards; k++) nodes.push(make(k, k % z, k, 'primary'));
  let index = shards;
  for (let j = 0; j < replicas; j++) {
    for (let k = 0; k < shards; k++) {
      const primaryZone = k % z;
      // Offsets 1..z-1 are the other zones; wrap over them when replicas > z-1.
      const zoneIdx = (primaryZone + 1 + (j % (z - 1))) % z;
      nodes.push(make(index++, zoneIdx, k, 'replica', k));
    }
  }
  for (const n of nodes) {
    if (n.role === 'replica') {
      const p = nodes[n.primaryIndex ?? -1];
      if (!p || p.zone === n.zone) throw new PlanError(`internal: replica ${n.port} placed in its primary's zone`);
    }
  }
  return { input, nodes };
}
