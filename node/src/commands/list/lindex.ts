import type { CommandSpec } from '../spec.js';
import { parseLong, readList } from './common.js';

export const lindex = {
  name: 'lindex',
  arity: 3,
  flags: ['readonly'],
  group: 'list',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get an element from a list by its index',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
  run(s, args) {
    // Redis looks the key up before it parses the index.
    const list = readList(s, args[1]!);
    if (list === undefined) {
      s.out.nil();
      return;
    }
    let i = parseLong(args[2]!);
    if (i < 0) i += list.size;
    if (i < 0 || i >= list.size) s.out.nil();
    else s.out.bulk(list.at(i));
  },
} as const satisfies CommandSpec;
