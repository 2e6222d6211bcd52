import type { CommandSpec } from '../spec.js';
import { popGeneric } from './common.js';

export const lpop = {
  name: 'lpop',
  arity: -2,
  flags: ['write', 'fast'],
  group: 'list',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Remove and get the first elements in a list',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of elements returned',
  run(s, args) {
    popGeneric(s, args, true);
  },
} as const satisfies CommandSpec;
