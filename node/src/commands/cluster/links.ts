// CLUSTER LINKS: one map per bus link, with Redis 7.0's fields.
import { clusterOf, sub } from './common.js';

export const links = sub('links', 2, ['stale'], 'Returns a list of all TCP links to and from peer nodes in cluster', '7.0.0', (s) => {
  const all = clusterOf(s).links();
  s.out.array(all.length);
  for (const l of all) {
    s.out.map(6);
    s.out.bulk('direction');
    s.out.bulk(l.direction);
    s.out.bulk('node');
    s.out.bulk(l.nodeId);
    s.out.bulk('create-time');
    s.out.int(l.createTimeMs);
    s.out.bulk('events');
    s.out.bulk(l.events);
    s.out.bulk('send-buffer-allocated');
    s.out.int(l.sendBufferAllocated);
    s.out.bulk('send-buffer-used');
    s.out.int(l.sendBufferUsed);
  }
}, { tips: ['nondeterministic_output'] });
