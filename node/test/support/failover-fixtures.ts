// Fixtures shared by the failover unit tests: 40-char ids from short names,
// headers, a seeded random source and a default replica election view (r1,
// replica of p1 which is FAIL and owns 0-5460 at configEpoch 1; p1..p3 own
// slots; currentEpoch 5; node timeout 1000 ms).
import type { ReplicaElectionView, SiblingInfo } from '../../src/cluster/election.js';
import type { NodeHeader } from '../../src/cluster/types.js';

export const NODE_TIMEOUT_MS = 1000;

export function id(name: string): string {
  return name.padEnd(40, '0');
}

export function header(name: string, o: Partial<NodeHeader> = {}): NodeHeader {
  return {
    id: id(name), ip: '127.0.0.1', port: 7000, busPort: 17000, hostname: '',
    currentEpoch: 0, configEpoch: 0, flags: ['master'], primaryId: '', shardId: id(name), zone: 'a',
    replOffset: 0, slotsDigest: 0, ...o,
  };
}

/** mulberry32: a seeded random source in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sib(name: string, replOffset: number, o: Partial<SiblingInfo> = {}): SiblingInfo {
  return { id: id(name), replOffset, canFailover: true, reachable: true, ackedOffsetKnown: 0, ...o };
}

export function replicaView(o: Partial<ReplicaElectionView>): ReplicaElectionView {
  return {
    myId: id('r1'),
    header: header('r1', { flags: ['slave'], primaryId: id('p1') }),
    isReplica: true,
    noFailover: false,
    currentEpoch: 5,
    primary: { id: id('p1'), fail: true, failTimeMs: 0, configEpoch: 1, slots: [[0, 5460]] },
    myReplOffset: 1000,
    siblings: [],
    slotOwningPrimaries: ['p1', 'p2', 'p3'].map((n) => ({ id: id(n), ip: '127.0.0.1', busPort: 17000 })),
    nodeTimeoutMs: NODE_TIMEOUT_MS,
    primaryLinkDownSinceMs: null,
    validityFactor: 10,
    replPingPeriodMs: 10_000,
    syncReplication: false,
    primaryAckedOffset: 0,
    manualReady: false,
    ...o,
  };
}
