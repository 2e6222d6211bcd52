import type { CommandSpec } from '../spec.js';
import { lmoveGeneric } from './common.js';

export const rpoplpush = {
  name: 'rpoplpush',
  arity: 3,
  flags: ['write', 'denyoom'],
  group: 'list',
  keys: { first: 1, last: 2, step: 1 },
  summary: 'Remove the last element in a list, prepend it to another list and return it',
  since: '1.2.0',
  complexity: 'O(1)',
  run(s, args) {
    lmoveGeneric(s, args[1]!, args[2]!, false, true);
  },
} as const satisfies CommandSpec;
