import type { CommandSpec } from '../spec.js';
import { ttlGeneric } from './ttl-generic.js';

export const pexpiretime = {
  name: 'pexpiretime',
  arity: 2,
  flags: ['readonly', 'fast'],
  group: 'generic',
  keys: { first: 1, last: 1, step: 1 },
  acl: ['@keyspace'],
  summary: 'Get the expiration Unix timestamp for a key in milliseconds',
  since: '7.0.0',
  complexity: 'O(1)',
  run(s, args) {
    ttlGeneric(s, args[1]!, true, true);
  },
} as const satisfies CommandSpec;
