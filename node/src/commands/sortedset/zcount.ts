import type { CommandSpec } from '../spec.js';
import { parseScoreRange, readZset } from './common.js';

export const zcount = {
  name: 'zcount',
  arity: 4,
  flags: ['readonly', 'fast'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Count the members in a sorted set with scores within the given values',
  since: '2.0.0',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  run(s, args) {
    const range = parseScoreRange(args[2]!, args[3]!);
    const z = readZset(s, args[1]!);
    s.out.int(z === undefined ? 0 : z.countInScoreRange(range));
  },
} as const satisfies CommandSpec;
