import type { CommandSpec } from '../spec.js';

export const persist = {
  name: 'persist',
  arity: 2,
  flags: ['write', 'fast'],
  group: 'generic',
  keys: { first: 1, last: 1, step: 1 },
  acl: ['@keyspace'],
  summary: 'Remove the expiration from a key',
  since: '2.2.0',
  complexity: 'O(1)',
  run(s, args) {
    const key = args[1]!;
    if (s.db.peek(key, s.nowMs) === undefined || !s.db.removeExpire(key)) {
      s.out.int(0);
      return;
    }
    s.db.changed(key);
    s.notify('g', 'persist', key);
    s.out.int(1);
  },
} as const satisfies CommandSpec;
