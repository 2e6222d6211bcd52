// READONLY: this connection may read from a replica of the slot's owner.
import { NO_KEYS, type CommandSpec } from '../spec.js';
import { CLUSTER_DISABLED } from '../cluster/common.js';

export const readonly = {
  name: 'readonly',
  arity: 1,
  flags: ['loading', 'stale', 'fast'],
  group: 'cluster',
  keys: NO_KEYS,
  summary: 'Enables read queries for a connection to a Redis Cluster replica node',
  since: '3.0.0',
  run(s) {
    if (s.node.cluster === null) {
      s.error(CLUSTER_DISABLED);
      return;
    }
    s.readOnly = true;
    s.out.ok();
  },
} as const satisfies CommandSpec;
