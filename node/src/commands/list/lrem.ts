import type { CommandSpec } from '../spec.js';
import { parseLong, writeList } from './common.js';

export const lrem = {
  name: 'lrem',
  arity: 4,
  flags: ['write'],
  group: 'list',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Remove elements from a list',
  since: '1.0.0',
  complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
  run(s, args) {
    const count = parseLong(args[2]!);
    const key = args[1]!;
    const list = writeList(s, key);
    if (list === undefined) {
      s.out.int(0);
      return;
    }
    const removed = list.remove(args[3]!, Math.abs(count), count < 0);
    if (removed > 0) {
      s.notify('l', 'lrem', key);
      if (list.size === 0) {
        s.db.delete(key);
        s.notify('g', 'del', key);
      } else {
        s.db.changed(key);
      }
    }
    s.out.int(removed);
  },
} as const satisfies CommandSpec;
