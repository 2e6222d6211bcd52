// ASKING: the next command may touch a slot this node is importing (one
// command, or the whole MULTI; the routing gate clears the flag).
import { NO_KEYS, type CommandSpec } from '../spec.js';
import { CLUSTER_DISABLED } from '../cluster/common.js';

export const asking = {
  name: 'asking',
  arity: 1,
  flags: ['fast'],
  group: 'cluster',
  keys: NO_KEYS,
  summary: 'Sent by cluster clients after an -ASK redirect',
  since: '3.0.0',
  run(s) {
    if (s.node.cluster === null) {
      s.error(CLUSTER_DISABLED);
      return;
    }
    s.asking = true;
    s.out.ok();
  },
} as const satisfies CommandSpec;
