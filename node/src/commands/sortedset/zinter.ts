import type { CommandSpec } from '../spec.js';
import { numkeysFinder } from './common.js';
import { OP_INTER, zsetOpGeneric } from './setops.js';

export const zinter = {
  name: 'zinter',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  group: 'sorted-set',
  keys: { first: 0, last: 0, step: 0, find: numkeysFinder(1) },
  summary: 'Intersect multiple sorted sets',
  since: '6.2.0',
  complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
  run(s, args) {
    zsetOpGeneric(s, args, null, 1, OP_INTER, false);
  },
} as const satisfies CommandSpec;
