import type { CommandSpec } from '../spec.js';
import { expireGeneric } from './expire-generic.js';

export const pexpire = {
  name: 'pexpire',
  arity: -3,
  flags: ['write', 'fast'],
  group: 'generic',
  keys: { first: 1, last: 1, step: 1 },
  acl: ['@keyspace'],
  summary: "Set a key's time to live in milliseconds",
  since: '2.6.0',
  complexity: 'O(1)',
  run(s, args) {
    expireGeneric(s, args, 'pexpire', true, false);
  },
} as const satisfies CommandSpec;
