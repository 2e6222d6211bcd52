import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { parseLong, writeList } from './common.js';

export const lset = {
  name: 'lset',
  arity: 4,
  flags: ['write', 'denyoom'],
  group: 'list',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Set the value of an element in a list by its index',
  since: '1.0.0',
  complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
  run(s, args) {
    const key = args[1]!;
    const list = writeList(s, key);
    if (list === undefined) throw new ReplyError(Err.noSuchKey);
    let i = parseLong(args[2]!);
    if (i < 0) i += list.size;
    if (i < 0 || i >= list.size) throw new ReplyError(Err.outOfRange);
    list.setAt(i, args[3]!);
    s.db.changed(key);
    s.out.ok();
    s.notify('l', 'lset', key);
  },
} as const satisfies CommandSpec;
