import type { CommandSpec } from '../spec.js';
import { numkeysFinder } from './common.js';
import { OP_INTER, zsetOpGeneric } from './setops.js';

export const zintercard = {
  name: 'zintercard',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  group: 'sorted-set',
  keys: { first: 0, last: 0, step: 0, find: numkeysFinder(1) },
  summary: 'Intersect multiple sorted sets and return the cardinality of the result',
  since: '7.0.0',
  complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
  run(s, args) {
    zsetOpGeneric(s, args, null, 1, OP_INTER, true);
  },
} as const satisfies CommandSpec;
