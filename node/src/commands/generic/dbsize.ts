import { NO_KEYS, type CommandSpec } from '../spec.js';

export const dbsize = {
  name: 'dbsize',
  arity: 1,
  flags: ['readonly', 'fast'],
  group: 'server',
  keys: NO_KEYS,
  acl: ['@keyspace'],
  summary: 'Return the number of keys in the selected database',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s) {
    // Like Redis's dictSize: keys past their TTL that no access or expire
    // cycle has removed yet still count (O(1) matters more than exactness).
    s.out.int(s.db.size);
  },
} as const satisfies CommandSpec;
