import type { CommandSpec } from '../spec.js';
import { parseLexRange, readZset } from './common.js';

export const zlexcount = {
  name: 'zlexcount',
  arity: 4,
  flags: ['readonly', 'fast'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Count the number of members in a sorted set between a given lexicographical range',
  since: '2.8.9',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  run(s, args) {
    const range = parseLexRange(args[2]!, args[3]!);
    const z = readZset(s, args[1]!);
    s.out.int(z === undefined ? 0 : z.countInLexRange(range));
  },
} as const satisfies CommandSpec;
