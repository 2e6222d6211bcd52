import type { CommandSpec } from '../spec.js';
import { numkeysFinder } from './common.js';
import { OP_DIFF, zsetOpGeneric } from './setops.js';

export const zdiffstore = {
  name: 'zdiffstore',
  arity: -4,
  flags: ['write', 'denyoom', 'movablekeys'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1, find: numkeysFinder(2, [1]) },
  summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key',
  since: '6.2.0',
  complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
  run(s, args) {
    zsetOpGeneric(s, args, args[1]!, 2, OP_DIFF, false);
  },
} as const satisfies CommandSpec;
