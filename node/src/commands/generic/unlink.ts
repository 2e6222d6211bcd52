import type { CommandSpec } from '../spec.js';
import { deleteKeys } from './del.js';

export const unlink = {
  name: 'unlink',
  arity: -2,
  flags: ['write', 'fast'],
  group: 'generic',
  keys: { first: 1, last: -1, step: 1 },
  acl: ['@keyspace'],
  summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.',
  since: '4.0.0',
  complexity: 'O(1) for each key removed regardless of its size.',
  run: deleteKeys,
} as const satisfies CommandSpec;
