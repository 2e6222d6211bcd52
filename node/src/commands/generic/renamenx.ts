import type { CommandSpec } from '../spec.js';
import { renameKey } from './rename.js';

export const renamenx = {
  name: 'renamenx',
  arity: 3,
  flags: ['write', 'fast'],
  group: 'generic',
  keys: { first: 1, last: 2, step: 1 },
  acl: ['@keyspace'],
  summary: 'Rename a key, only if the new key does not exist',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    renameKey(s, args, true);
  },
} as const satisfies CommandSpec;
