import type { CommandSpec } from '../spec.js';
import { expireGeneric } from './expire-generic.js';

export const pexpireat = {
  name: 'pexpireat',
  arity: -3,
  flags: ['write', 'fast'],
  group: 'generic',
  keys: { first: 1, last: 1, step: 1 },
  acl: ['@keyspace'],
  summary: "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
  since: '2.6.0',
  complexity: 'O(1)',
  run(s, args) {
    expireGeneric(s, args, 'pexpireat', false, false);
  },
} as const satisfies CommandSpec;
