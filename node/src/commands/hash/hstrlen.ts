import type { CommandSpec } from '../spec.js';
import { readHash } from './common.js';

export const hstrlen = {
  name: 'hstrlen',
  arity: 3,
  flags: ['readonly', 'fast'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get the length of the value of a hash field',
  since: '3.2.0',
  complexity: 'O(1)',
  run(s, args) {
    s.out.int(readHash(s, args[1]!)?.get(args[2]!)?.length ?? 0);
  },
} as const satisfies CommandSpec;
