import type { CommandSpec } from '../spec.js';
import { intersect, replyMembers } from './common.js';

export const sinter = {
  name: 'sinter',
  arity: -2,
  flags: ['readonly'],
  group: 'set',
  keys: { first: 1, last: -1, step: 1 },
  summary: 'Intersect multiple sets',
  since: '1.0.0',
  complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  run(s, args) {
    replyMembers(s, intersect(s, args.slice(1), 0));
  },
} as const satisfies CommandSpec;
