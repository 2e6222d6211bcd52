import type { CommandSpec } from '../spec.js';
import { readSet } from './common.js';

export const scard = {
  name: 'scard',
  arity: 2,
  flags: ['readonly', 'fast'],
  group: 'set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get the number of members in a set',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    s.out.int(readSet(s, args[1]!)?.size ?? 0);
  },
} as const satisfies CommandSpec;
