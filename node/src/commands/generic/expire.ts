import type { CommandSpec } from '../spec.js';
import { expireGeneric } from './expire-generic.js';

export const expire = {
  name: 'expire',
  arity: -3,
  flags: ['write', 'fast'],
  group: 'generic',
  keys: { first: 1, last: 1, step: 1 },
  acl: ['@keyspace'],
  summary: "Set a key's time to live in seconds",
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    expireGeneric(s, args, 'expire', true, true);
  },
} as const satisfies CommandSpec;
