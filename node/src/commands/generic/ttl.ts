import type { CommandSpec } from '../spec.js';
import { ttlGeneric } from './ttl-generic.js';

export const ttl = {
  name: 'ttl',
  arity: 2,
  flags: ['readonly', 'fast'],
  group: 'generic',
  keys: { first: 1, last: 1, step: 1 },
  acl: ['@keyspace'],
  summary: 'Get the time to live for a key in seconds',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    ttlGeneric(s, args[1]!, false, false);
  },
} as const satisfies CommandSpec;
