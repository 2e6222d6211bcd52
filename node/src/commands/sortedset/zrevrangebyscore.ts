import type { CommandSpec } from '../spec.js';
import { BY_SCORE, DIR_REVERSE, zrangeGeneric } from './range.js';

export const zrevrangebyscore = {
  name: 'zrevrangebyscore',
  arity: -4,
  flags: ['readonly'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low',
  since: '2.2.0',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned.',
  run(s, args) {
    zrangeGeneric(s, args, 1, false, BY_SCORE, DIR_REVERSE);
  },
} as const satisfies CommandSpec;
