import type { CommandSpec } from '../spec.js';
import { numkeysFinder } from './common.js';
import { OP_UNION, zsetOpGeneric } from './setops.js';

export const zunion = {
  name: 'zunion',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  group: 'sorted-set',
  keys: { first: 0, last: 0, step: 0, find: numkeysFinder(1) },
  summary: 'Add multiple sorted sets',
  since: '6.2.0',
  complexity: 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
  run(s, args) {
    zsetOpGeneric(s, args, null, 1, OP_UNION, false);
  },
} as const satisfies CommandSpec;
