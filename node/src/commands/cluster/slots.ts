// CLUSTER SLOTS: contiguous slot ranges in slot order, each with its primary
// then its healthy replicas as [endpoint, port, id, metadata], as Redis 7.0.
import type { Session } from '../session.js';
import type { NodeView } from '../../cluster/types.js';
import { preferredEndpoint } from '../../cluster/routing.js';
import { clusterOf, endpointType, isFailed, replicasOf, sub } from './common.js';

function nodeEntry(s: Session, n: NodeView): void {
  const type = endpointType(s);
  s.out.array(4);
  s.out.bulk(preferredEndpoint(n, type));
  s.out.int(n.port);
  s.out.bulk(n.id);
  // The metadata names the endpoints the first field did not.
  const meta: [string, string][] = [];
  if (type !== 'ip' && n.ip !== '') meta.push(['ip', n.ip]);
  if (type !== 'hostname' && n.hostname !== '') meta.push(['hostname', n.hostname]);
  s.out.map(meta.length);
  for (const [k, v] of meta) {
    s.out.bulk(k);
    s.out.bulk(v);
  }
}

export const slots = sub('slots', 2, ['stale'], 'Get array of Cluster slot to node mappings', '3.0.0', (s) => {
  const view = clusterOf(s).core.view;
  // Each node's ranges are maximal and no slot has two owners (the core keeps
  // them so), so its ranges sorted by start are the runs of the slot table,
  // in O(ranges) instead of a walk over 16384 slots (ioredis asks after
  // every MOVED, and a reshard sends many).
  const ranges: [number, number, NodeView][] = [];
  for (const n of view.nodes.values()) for (const [a, b] of n.slots) ranges.push([a, b, n]);
  ranges.sort((x, y) => x[0] - y[0]);
  s.out.array(ranges.length);
  for (const [a, b, n] of ranges) {
    const replicas = replicasOf(view, n.id).filter((r) => !isFailed(r) && !r.flags.includes('noaddr'));
    s.out.array(3 + replicas.length);
    s.out.int(a);
    s.out.int(b);
    nodeEntry(s, n);
    for (const r of replicas) nodeEntry(s, r);
  }
}, { tips: ['nondeterministic_output'] });
