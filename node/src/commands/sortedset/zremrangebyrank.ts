import type { CommandSpec } from '../spec.js';
import { REM_RANK, zremrangeGeneric } from './remrange.js';

export const zremrangebyrank = {
  name: 'zremrangebyrank',
  arity: 4,
  flags: ['write'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Remove all members in a sorted set within the given indexes',
  since: '2.0.0',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
  run(s, args) {
    zremrangeGeneric(s, args, REM_RANK);
  },
} as const satisfies CommandSpec;
