import type { CommandSpec } from '../spec.js';
import { commitShrunkSet, writeSet } from './common.js';

export const srem = {
  name: 'srem',
  arity: -3,
  flags: ['write', 'fast'],
  group: 'set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Remove one or more members from a set',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of members to be removed.',
  run(s, args) {
    const key = args[1]!;
    const set = writeSet(s, key);
    if (set === undefined) {
      s.out.int(0);
      return;
    }
    let removed = 0;
    for (let i = 2; i < args.length; i++) {
      if (set.delete(args[i]!)) {
        removed++;
        if (set.size === 0) break;
      }
    }
    if (removed > 0) {
      s.notify('s', 'srem', key);
      commitShrunkSet(s, key, set);
    }
    s.out.int(removed);
  },
} as const satisfies CommandSpec;
