import type { CommandSpec } from '../spec.js';
import { ttlGeneric } from './ttl-generic.js';

export const pttl = {
  name: 'pttl',
  arity: 2,
  flags: ['readonly', 'fast'],
  group: 'generic',
  keys: { first: 1, last: 1, step: 1 },
  acl: ['@keyspace'],
  summary: 'Get the time to live for a key in milliseconds',
  since: '2.6.0',
  complexity: 'O(1)',
  run(s, args) {
    ttlGeneric(s, args[1]!, true, false);
  },
} as const satisfies CommandSpec;
