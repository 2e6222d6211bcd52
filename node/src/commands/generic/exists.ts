import type { CommandSpec } from '../spec.js';
import { lookupReadNoTouch } from './common.js';

export const exists = {
  name: 'exists',
  arity: -2,
  flags: ['readonly', 'fast'],
  group: 'generic',
  keys: { first: 1, last: -1, step: 1 },
  acl: ['@keyspace'],
  summary: 'Determine if a key exists',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of keys to check.',
  run(s, args) {
    let n = 0;
    // A key named twice counts twice, as in Redis.
    for (let i = 1; i < args.length; i++) if (lookupReadNoTouch(s, args[i]!) !== undefined) n++;
    s.out.int(n);
  },
} as const satisfies CommandSpec;
