import type { CommandSpec } from '../spec.js';
import { REM_LEX, zremrangeGeneric } from './remrange.js';

export const zremrangebylex = {
  name: 'zremrangebylex',
  arity: 4,
  flags: ['write'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Remove all members in a sorted set between the given lexicographical range',
  since: '2.8.9',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
  run(s, args) {
    zremrangeGeneric(s, args, REM_LEX);
  },
} as const satisfies CommandSpec;
