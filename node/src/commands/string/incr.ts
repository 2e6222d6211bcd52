import type { CommandSpec } from '../spec.js';
import { incrDecr } from './incr-common.js';

export const incr = {
  name: 'incr',
  arity: 2,
  flags: ['write', 'denyoom', 'fast'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Increment the integer value of a key by one',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    incrDecr(s, args[1]!, 1);
  },
} as const satisfies CommandSpec;
