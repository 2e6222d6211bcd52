import type { CommandSpec } from '../spec.js';
import { zaddGeneric } from './add.js';

export const zadd = {
  name: 'zadd',
  arity: -4,
  flags: ['write', 'denyoom', 'fast'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Add one or more members to a sorted set, or update its score if it already exists',
  since: '1.2.0',
  complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
  run(s, args) {
    zaddGeneric(s, args, 0);
  },
} as const satisfies CommandSpec;
