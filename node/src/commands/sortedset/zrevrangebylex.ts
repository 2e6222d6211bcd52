import type { CommandSpec } from '../spec.js';
import { BY_LEX, DIR_REVERSE, zrangeGeneric } from './range.js';

export const zrevrangebylex = {
  name: 'zrevrangebylex',
  arity: -4,
  flags: ['readonly'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.',
  since: '2.8.9',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned.',
  run(s, args) {
    zrangeGeneric(s, args, 1, false, BY_LEX, DIR_REVERSE);
  },
} as const satisfies CommandSpec;
