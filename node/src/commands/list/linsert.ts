import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { is } from '../args.js';
import { writeList } from './common.js';

export const linsert = {
  name: 'linsert',
  arity: 5,
  flags: ['write', 'denyoom'],
  group: 'list',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Insert an element before or after another element in a list',
  since: '2.2.0',
  complexity: 'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
  run(s, args) {
    let after: boolean;
    if (is(args[2], 'after')) after = true;
    else if (is(args[2], 'before')) after = false;
    else throw new ReplyError(Err.syntax);
    const key = args[1]!;
    const list = writeList(s, key);
    if (list === undefined) {
      s.out.int(0);
      return;
    }
    const at = list.indexOf(args[3]!);
    if (at < 0) {
      s.out.int(-1);
      return;
    }
    list.insertAt(after ? at + 1 : at, args[4]!);
    s.db.changed(key);
    s.notify('l', 'linsert', key);
    s.out.int(list.size);
  },
} as const satisfies CommandSpec;
