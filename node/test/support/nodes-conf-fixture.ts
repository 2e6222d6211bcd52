// A two-primary nodes.conf shared by the tests of the nodes.conf writer and
// of the view, and a core started from it as node A.
import { parseNodesConf } from '../../src/cluster/nodes-conf.js';
import type { PersistedClusterConfig } from '../../src/cluster/api.js';
import { ClusterCore } from '../../src/cluster/core.js';
import { seededRandom } from '../../src/core/random.js';

export const A = 'b60bbdee04b933d41e92fa1baae3f2456e808779';
export const B = 'a0e7c1204db0b9a9284e977821de1fa7cc63bbf8';

export const BASE = `${A} 127.0.0.1:17100@27100 myself,master - 0 0 1 connected 0-5460
${B} 127.0.0.1:17101@27101 master - 0 1795810014953 2 connected 5461-16383
vars currentEpoch 2 lastVoteEpoch 0
`;

export function conf(text = BASE): PersistedClusterConfig {
  return parseNodesConf(text)!;
}

/** A core that is A of `conf()`, at virtual time 1000, seeded. */
export function coreOfA(): ClusterCore {
  return new ClusterCore({
    myself: { id: A, shardId: '4'.repeat(40), ip: '127.0.0.1', port: 17100, busPort: 27100, hostname: '', zone: '' },
    persisted: conf(),
    nodeTimeoutMs: 1000,
    requireFullCoverage: true,
    random: seededRandom(7),
    nowMs: 1000,
  });
}
