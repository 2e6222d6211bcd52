import type { CommandSpec } from '../spec.js';
import { replyMembers, unionOrDiff } from './common.js';

export const sunion = {
  name: 'sunion',
  arity: -2,
  flags: ['readonly'],
  group: 'set',
  keys: { first: 1, last: -1, step: 1 },
  summary: 'Add multiple sets',
  since: '1.0.0',
  complexity: 'O(N) where N is the total number of elements in all given sets.',
  run(s, args) {
    replyMembers(s, unionOrDiff(s, args.slice(1), false).members());
  },
} as const satisfies CommandSpec;
