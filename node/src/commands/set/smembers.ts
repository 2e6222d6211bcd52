import type { CommandSpec } from '../spec.js';
import { readSet, replyMembers } from './common.js';

export const smembers = {
  name: 'smembers',
  arity: 2,
  flags: ['readonly'],
  group: 'set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get all the members in a set',
  since: '1.0.0',
  complexity: 'O(N) where N is the set cardinality.',
  run(s, args) {
    const set = readSet(s, args[1]!);
    if (set === undefined) s.out.set(0);
    else replyMembers(s, set.compact ? set.members() : set.map.keys);
  },
} as const satisfies CommandSpec;
