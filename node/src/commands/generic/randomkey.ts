import { NO_KEYS, type CommandSpec } from '../spec.js';

export const randomkey = {
  name: 'randomkey',
  arity: 1,
  flags: ['readonly'],
  group: 'generic',
  keys: NO_KEYS,
  acl: ['@keyspace', '@slow'],
  summary: 'Return a random key from the keyspace',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s) {
    const k = s.db.randomKey(s.nowMs, s.node.keyspace.random);
    if (k === undefined) s.out.nil();
    else s.out.bulk(k);
  },
} as const satisfies CommandSpec;
