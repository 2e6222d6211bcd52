import type { CommandSpec } from '../spec.js';
import { BY_LEX, DIR_FORWARD, zrangeGeneric } from './range.js';

export const zrangebylex = {
  name: 'zrangebylex',
  arity: -4,
  flags: ['readonly'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Return a range of members in a sorted set, by lexicographical range',
  since: '2.8.9',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned.',
  run(s, args) {
    zrangeGeneric(s, args, 1, false, BY_LEX, DIR_FORWARD);
  },
} as const satisfies CommandSpec;
