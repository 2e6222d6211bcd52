import type { CommandSpec } from '../spec.js';
import { readList } from './common.js';

export const llen = {
  name: 'llen',
  arity: 2,
  flags: ['readonly', 'fast'],
  group: 'list',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get the length of a list',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    s.out.int(readList(s, args[1]!)?.size ?? 0);
  },
} as const satisfies CommandSpec;
