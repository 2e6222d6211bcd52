import type { CommandSpec } from '../spec.js';
import { BY_AUTO, DIR_AUTO, zrangeGeneric } from './range.js';

export const zrangestore = {
  name: 'zrangestore',
  arity: -5,
  flags: ['write', 'denyoom'],
  group: 'sorted-set',
  keys: { first: 1, last: 2, step: 1 },
  summary: 'Store a range of members from sorted set into another key',
  since: '6.2.0',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
  run(s, args) {
    zrangeGeneric(s, args, 2, true, BY_AUTO, DIR_AUTO);
  },
} as const satisfies CommandSpec;
