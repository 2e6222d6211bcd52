import type { CommandSpec } from '../spec.js';
import { readHash } from './common.js';

export const hlen = {
  name: 'hlen',
  arity: 2,
  flags: ['readonly', 'fast'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get the number of fields in a hash',
  since: '2.0.0',
  complexity: 'O(1)',
  run(s, args) {
    s.out.int(readHash(s, args[1]!)?.size ?? 0);
  },
} as const satisfies CommandSpec;
