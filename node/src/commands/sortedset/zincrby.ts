import type { CommandSpec } from '../spec.js';
import { INCR_FLAG, zaddGeneric } from './add.js';

export const zincrby = {
  name: 'zincrby',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Increment the score of a member in a sorted set',
  since: '1.2.0',
  complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
  run(s, args) {
    zaddGeneric(s, args, INCR_FLAG);
  },
} as const satisfies CommandSpec;
