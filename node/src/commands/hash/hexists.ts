import type { CommandSpec } from '../spec.js';
import { readHash } from './common.js';

export const hexists = {
  name: 'hexists',
  arity: 3,
  flags: ['readonly', 'fast'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Determine if a hash field exists',
  since: '2.0.0',
  complexity: 'O(1)',
  run(s, args) {
    s.out.int(readHash(s, args[1]!)?.has(args[2]!) ? 1 : 0);
  },
} as const satisfies CommandSpec;
