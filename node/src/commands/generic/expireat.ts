import type { CommandSpec } from '../spec.js';
import { expireGeneric } from './expire-generic.js';

export const expireat = {
  name: 'expireat',
  arity: -3,
  flags: ['write', 'fast'],
  group: 'generic',
  keys: { first: 1, last: 1, step: 1 },
  acl: ['@keyspace'],
  summary: "Set the expiration for a key as a UNIX timestamp",
  since: '1.2.0',
  complexity: 'O(1)',
  run(s, args) {
    expireGeneric(s, args, 'expireat', false, true);
  },
} as const satisfies CommandSpec;
