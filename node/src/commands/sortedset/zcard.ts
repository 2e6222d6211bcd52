import type { CommandSpec } from '../spec.js';
import { readZset } from './common.js';

export const zcard = {
  name: 'zcard',
  arity: 2,
  flags: ['readonly', 'fast'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get the number of members in a sorted set',
  since: '1.2.0',
  complexity: 'O(1)',
  run(s, args) {
    const z = readZset(s, args[1]!);
    s.out.int(z === undefined ? 0 : z.size);
  },
} as const satisfies CommandSpec;
