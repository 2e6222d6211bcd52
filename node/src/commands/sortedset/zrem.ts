import type { CommandSpec } from '../spec.js';
import { writeZset } from './common.js';

export const zrem = {
  name: 'zrem',
  arity: -3,
  flags: ['write', 'fast'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Remove one or more members from a sorted set',
  since: '1.2.0',
  complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
  run(s, args) {
    const key = args[1]!;
    const z = writeZset(s, key);
    if (z === undefined) {
      s.out.int(0);
      return;
    }
    let deleted = 0;
    for (let i = 2; i < args.length; i++) {
      if (z.delete(args[i]!)) {
        deleted++;
        if (z.size === 0) break;
      }
    }
    if (deleted > 0) {
      s.notify('z', 'zrem', key);
      if (z.size === 0) {
        s.db.delete(key);
        s.notify('g', 'del', key);
      } else s.db.changed(key);
    }
    s.out.int(deleted);
  },
} as const satisfies CommandSpec;
