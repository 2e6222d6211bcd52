import type { CommandSpec } from '../spec.js';
import { parseLong, writeList } from './common.js';

export const ltrim = {
  name: 'ltrim',
  arity: 4,
  flags: ['write'],
  group: 'list',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Trim a list to the specified range',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of elements to be removed by the operation.',
  run(s, args) {
    let start = parseLong(args[2]!);
    let end = parseLong(args[3]!);
    const key = args[1]!;
    const list = writeList(s, key);
    if (list === undefined) {
      s.out.ok();
      return;
    }
    const len = list.size;
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    let front: number;
    let back: number;
    if (start > end || start >= len) {
      // Out of range: the whole list goes.
      front = len;
      back = 0;
    } else {
      if (end >= len) end = len - 1;
      front = start;
      back = len - end - 1;
    }
    list.trim(front, back);
    // Redis notifies and signals even when nothing was trimmed.
    s.notify('l', 'ltrim', key);
    if (list.size === 0) {
      s.db.delete(key);
      s.notify('g', 'del', key);
    } else {
      s.db.changed(key);
    }
    s.out.ok();
  },
} as const satisfies CommandSpec;
