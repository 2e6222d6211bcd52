// CLUSTER SHARDS: each primary with its slot ranges and its nodes, as Redis
// 7.0 words it, plus each node's availability-zone as the last field (ours).
import type { Session } from '../session.js';
import type { ClusterView, NodeView } from '../../cluster/types.js';
import { preferredEndpoint } from '../../cluster/routing.js';
import { clusterOf, endpointType, isFailed, isPrimary, replicasOf, sub } from './common.js';

/** Redis's health: fail, loading (a replica that has not synced: no offset while its primary has one), online. */
function health(view: ClusterView, n: NodeView): string {
  if (isFailed(n)) return 'fail';
  if (isPrimary(n) || n.replOffset > 0) return 'online';
  const p = view.nodes.get(n.primaryId);
  return p && p.replOffset > 0 ? 'loading' : 'online';
}

function nodeMap(s: Session, view: ClusterView, n: NodeView): void {
  const fields: [string, string | number][] = [
    ['id', n.id],
    ['port', n.port],
    ['ip', n.ip],
    ['endpoint', preferredEndpoint(n, endpointType(s))],
  ];
  if (n.hostname !== '') fields.push(['hostname', n.hostname]);
  fields.push(['role', isPrimary(n) ? 'master' : 'replica']);
  fields.push(['replication-offset', n.replOffset]);
  fields.push(['health', health(view, n)]);
  if (n.zone !== '') fields.push(['availability-zone', n.zone]);
  s.out.map(fields.length);
  for (const [k, v] of fields) {
    s.out.bulk(k);
    if (typeof v === 'number') s.out.int(v);
    else s.out.bulk(v);
  }
}

export const shards = sub('shards', 2, ['stale'], 'Get array of cluster slots to node mappings', '7.0.0', (s) => {
  const view = clusterOf(s).core.view;
  const primaries = [...view.nodes.values()].filter((n) => isPrimary(n) && !n.flags.includes('handshake'));
  s.out.array(primaries.length);
  for (const p of primaries) {
    s.out.map(2);
    s.out.bulk('slots');
    s.out.array(p.slots.length * 2);
    for (const [a, b] of p.slots) {
      s.out.int(a);
      s.out.int(b);
    }
    s.out.bulk('nodes');
    const members = [p, ...replicasOf(view, p.id)];
    s.out.array(members.length);
    for (const n of members) nodeMap(s, view, n);
  }
}, { tips: ['nondeterministic_output'] });
