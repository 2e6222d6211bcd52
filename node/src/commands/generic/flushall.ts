import { NO_KEYS, type CommandSpec } from '../spec.js';
import { checkFlushMode } from './flush-mode.js';

export const flushall = {
  name: 'flushall',
  arity: -1,
  flags: ['write'],
  group: 'server',
  keys: NO_KEYS,
  acl: ['@keyspace', '@slow', '@dangerous'],
  summary: 'Remove all keys from all databases',
  since: '1.0.0',
  complexity: 'O(N) where N is the total number of keys in all databases',
  run(s, args) {
    checkFlushMode(args);
    s.node.keyspace.flushAll();
    s.out.ok();
  },
} as const satisfies CommandSpec;
