import { NO_KEYS, type CommandSpec } from '../spec.js';
import { checkFlushMode } from './flush-mode.js';

export const flushdb = {
  name: 'flushdb',
  arity: -1,
  flags: ['write'],
  group: 'server',
  keys: NO_KEYS,
  acl: ['@keyspace', '@slow', '@dangerous'],
  summary: 'Remove all keys from the current database',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of keys in the selected database',
  run(s, args) {
    checkFlushMode(args);
    s.db.flush();
    s.out.ok();
  },
} as const satisfies CommandSpec;
