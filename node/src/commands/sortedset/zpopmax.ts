import type { CommandSpec } from '../spec.js';
import { zpopCommand } from './pop.js';

export const zpopmax = {
  name: 'zpopmax',
  arity: -2,
  flags: ['write', 'fast'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Remove and return members with the highest scores in a sorted set',
  since: '5.0.0',
  complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
  run(s, args) {
    zpopCommand(s, args, true);
  },
} as const satisfies CommandSpec;
