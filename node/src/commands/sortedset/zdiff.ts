import type { CommandSpec } from '../spec.js';
import { numkeysFinder } from './common.js';
import { OP_DIFF, zsetOpGeneric } from './setops.js';

export const zdiff = {
  name: 'zdiff',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  group: 'sorted-set',
  keys: { first: 0, last: 0, step: 0, find: numkeysFinder(1) },
  summary: 'Subtract multiple sorted sets',
  since: '6.2.0',
  complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
  run(s, args) {
    zsetOpGeneric(s, args, null, 1, OP_DIFF, false);
  },
} as const satisfies CommandSpec;
