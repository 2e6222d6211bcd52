import type { CommandSpec } from '../spec.js';
import { popGeneric } from './common.js';

export const rpop = {
  name: 'rpop',
  arity: -2,
  flags: ['write', 'fast'],
  group: 'list',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Remove and get the last elements in a list',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of elements returned',
  run(s, args) {
    popGeneric(s, args, false);
  },
} as const satisfies CommandSpec;
