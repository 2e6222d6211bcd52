// READWRITE: back to redirecting reads to the slot's primary.
import { NO_KEYS, type CommandSpec } from '../spec.js';
import { CLUSTER_DISABLED } from '../cluster/common.js';

export const readwrite = {
  name: 'readwrite',
  arity: 1,
  flags: ['loading', 'stale', 'fast'],
  group: 'cluster',
  keys: NO_KEYS,
  summary: 'Disables read queries for a connection to a Redis Cluster replica node',
  since: '3.0.0',
  run(s) {
    if (s.node.cluster === null) {
      s.error(CLUSTER_DISABLED);
      return;
    }
    s.readOnly = false;
    s.out.ok();
  },
} as const satisfies CommandSpec;
