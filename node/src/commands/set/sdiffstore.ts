import type { CommandSpec } from '../spec.js';
import { storeResult, unionOrDiff } from './common.js';

export const sdiffstore = {
  name: 'sdiffstore',
  arity: -3,
  flags: ['write', 'denyoom'],
  group: 'set',
  keys: { first: 1, last: -1, step: 1 },
  summary: 'Subtract multiple sets and store the resulting set in a key',
  since: '1.0.0',
  complexity: 'O(N) where N is the total number of elements in all given sets.',
  run(s, args) {
    storeResult(s, args[1]!, unionOrDiff(s, args.slice(2), true), 'sdiffstore');
  },
} as const satisfies CommandSpec;
