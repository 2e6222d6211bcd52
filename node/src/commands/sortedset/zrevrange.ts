import type { CommandSpec } from '../spec.js';
import { BY_RANK, DIR_REVERSE, zrangeGeneric } from './range.js';

export const zrevrange = {
  name: 'zrevrange',
  arity: -4,
  flags: ['readonly'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low',
  since: '1.2.0',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
  run(s, args) {
    zrangeGeneric(s, args, 1, false, BY_RANK, DIR_REVERSE);
  },
} as const satisfies CommandSpec;
