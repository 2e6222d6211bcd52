import type { CommandSpec } from '../spec.js';
import { replyMembers, unionOrDiff } from './common.js';

export const sdiff = {
  name: 'sdiff',
  arity: -2,
  flags: ['readonly'],
  group: 'set',
  keys: { first: 1, last: -1, step: 1 },
  summary: 'Subtract multiple sets',
  since: '1.0.0',
  complexity: 'O(N) where N is the total number of elements in all given sets.',
  run(s, args) {
    replyMembers(s, unionOrDiff(s, args.slice(1), true).members());
  },
} as const satisfies CommandSpec;
