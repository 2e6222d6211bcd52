import type { CommandSpec } from '../spec.js';
import { bzpopCommand } from './pop.js';

export const bzpopmax = {
  name: 'bzpopmax',
  arity: -3,
  flags: ['write', 'noscript', 'blocking', 'fast'],
  group: 'sorted-set',
  keys: { first: 1, last: -2, step: 1 },
  summary: 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available',
  since: '5.0.0',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  run(s, args) {
    bzpopCommand(s, args, true);
  },
} as const satisfies CommandSpec;
