// CLUSTER INFO: state, slot health, epochs and bus message counters, in Redis 7.0's lines.
import { slotCount } from '../../cluster/slot-ranges.js';
import { clusterOf, isPrimary, sub } from './common.js';

export const info = sub('info', 2, ['stale'], 'Provides info about Redis Cluster node state', '3.0.0', (s) => {
  const host = clusterOf(s);
  const view = host.core.view;
  let assigned = 0;
  let pfail = 0;
  let fail = 0;
  // Per node, not per slot: no slot has two owners (the core keeps ranges and table in step).
  for (const n of view.nodes.values()) {
    const count = slotCount(n.slots);
    assigned += count;
    if (n.flags.includes('fail')) fail += count;
    else if (n.flags.includes('pfail')) pfail += count;
  }
  let size = 0;
  for (const n of view.nodes.values()) if (isPrimary(n) && n.slots.length > 0) size++;
  const me = view.nodes.get(view.myId);
  // A replica reports its primary's config epoch, as Redis does.
  const primary = me && !isPrimary(me) ? view.nodes.get(me.primaryId) : me;
  const lines = [
    `cluster_state:${view.state}`,
    `cluster_slots_assigned:${assigned}`,
    `cluster_slots_ok:${assigned - pfail - fail}`,
    `cluster_slots_pfail:${pfail}`,
    `cluster_slots_fail:${fail}`,
    `cluster_known_nodes:${view.nodes.size}`,
    `cluster_size:${size}`,
    `cluster_current_epoch:${view.currentEpoch}`,
    `cluster_my_epoch:${primary?.configEpoch ?? 0}`,
  ];
  lines.push(...host.messageStatsLines());
  lines.push('total_cluster_links_buffer_limit_exceeded:0');
  s.out.verbatim(lines.join('\r\n') + '\r\n');
}, { tips: ['nondeterministic_output'] });
