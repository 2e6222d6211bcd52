import type { CommandSpec } from '../spec.js';
import { numkeysFinder } from './common.js';
import { OP_INTER, zsetOpGeneric } from './setops.js';

export const zinterstore = {
  name: 'zinterstore',
  arity: -4,
  flags: ['write', 'denyoom', 'movablekeys'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1, find: numkeysFinder(2, [1]) },
  summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key',
  since: '2.0.0',
  complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
  run(s, args) {
    zsetOpGeneric(s, args, args[1]!, 2, OP_INTER, false);
  },
} as const satisfies CommandSpec;
