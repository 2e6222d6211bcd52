import type { CommandSpec } from '../spec.js';
import { numkeysFinder } from './common.js';
import { OP_UNION, zsetOpGeneric } from './setops.js';

export const zunionstore = {
  name: 'zunionstore',
  arity: -4,
  flags: ['write', 'denyoom', 'movablekeys'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1, find: numkeysFinder(2, [1]) },
  summary: 'Add multiple sorted sets and store the resulting sorted set in a new key',
  since: '2.0.0',
  complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
  run(s, args) {
    zsetOpGeneric(s, args, args[1]!, 2, OP_UNION, false);
  },
} as const satisfies CommandSpec;
