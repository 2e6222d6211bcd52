import type { CommandSpec } from '../spec.js';
import { readZset } from './common.js';

export const zscore = {
  name: 'zscore',
  arity: 3,
  flags: ['readonly', 'fast'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get the score associated with the given member in a sorted set',
  since: '1.2.0',
  complexity: 'O(1)',
  run(s, args) {
    const z = readZset(s, args[1]!);
    const score = z === undefined ? undefined : z.score(args[2]!);
    if (score === undefined) s.out.nil();
    else s.out.double(score);
  },
} as const satisfies CommandSpec;
