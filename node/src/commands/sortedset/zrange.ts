import type { CommandSpec } from '../spec.js';
import { BY_AUTO, DIR_AUTO, zrangeGeneric } from './range.js';

export const zrange = {
  name: 'zrange',
  arity: -4,
  flags: ['readonly'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Return a range of members in a sorted set',
  since: '1.2.0',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
  run(s, args) {
    zrangeGeneric(s, args, 1, false, BY_AUTO, DIR_AUTO);
  },
} as const satisfies CommandSpec;
