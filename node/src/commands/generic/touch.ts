import type { CommandSpec } from '../spec.js';
import { lookupRead } from './common.js';

export const touch = {
  name: 'touch',
  arity: -2,
  flags: ['readonly', 'fast'],
  group: 'generic',
  keys: { first: 1, last: -1, step: 1 },
  acl: ['@keyspace'],
  summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.',
  since: '3.2.1',
  complexity: 'O(N) where N is the number of keys that will be touched.',
  run(s, args) {
    let n = 0;
    for (let i = 1; i < args.length; i++) if (lookupRead(s, args[i]!) !== undefined) n++;
    s.out.int(n);
  },
} as const satisfies CommandSpec;
