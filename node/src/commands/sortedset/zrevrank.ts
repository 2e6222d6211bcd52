import type { CommandSpec } from '../spec.js';
import { readZset } from './common.js';

export const zrevrank = {
  name: 'zrevrank',
  arity: 3,
  flags: ['readonly', 'fast'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low',
  since: '2.0.0',
  complexity: 'O(log(N))',
  run(s, args) {
    const z = readZset(s, args[1]!);
    const rank = z === undefined ? -1 : z.rank(args[2]!, true);
    if (rank < 0) s.out.nil();
    else s.out.int(rank);
  },
} as const satisfies CommandSpec;
