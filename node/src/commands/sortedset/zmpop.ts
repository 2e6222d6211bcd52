import type { CommandSpec } from '../spec.js';
import { numkeysFinder } from './common.js';
import { zmpopCommand } from './pop.js';

export const zmpop = {
  name: 'zmpop',
  arity: -4,
  flags: ['write', 'movablekeys'],
  group: 'sorted-set',
  keys: { first: 0, last: 0, step: 0, find: numkeysFinder(1) },
  summary: 'Remove and return members with scores in a sorted set',
  since: '7.0.0',
  complexity: 'O(K) + O(N*log(M)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
  run(s, args) {
    zmpopCommand(s, args, 1, false);
  },
} as const satisfies CommandSpec;
