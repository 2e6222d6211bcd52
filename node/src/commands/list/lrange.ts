import type { CommandSpec } from '../spec.js';
import { parseLong, readList } from './common.js';

export const lrange = {
  name: 'lrange',
  arity: 4,
  flags: ['readonly'],
  group: 'list',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get a range of elements from a list',
  since: '1.0.0',
  complexity: 'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
  run(s, args) {
    let start = parseLong(args[2]!);
    let end = parseLong(args[3]!);
    const list = readList(s, args[1]!);
    if (list === undefined) {
      s.out.array(0);
      return;
    }
    const len = list.size;
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    if (start > end || start >= len) {
      s.out.array(0);
      return;
    }
    if (end >= len) end = len - 1;
    const out = s.out;
    out.array(end - start + 1);
    for (let i = start; i <= end; i++) out.bulk(list.at(i));
  },
} as const satisfies CommandSpec;
