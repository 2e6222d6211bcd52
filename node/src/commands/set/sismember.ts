import type { CommandSpec } from '../spec.js';
import { readSet } from './common.js';

export const sismember = {
  name: 'sismember',
  arity: 3,
  flags: ['readonly', 'fast'],
  group: 'set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Determine if a given value is a member of a set',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    s.out.int(readSet(s, args[1]!)?.has(args[2]!) ? 1 : 0);
  },
} as const satisfies CommandSpec;
