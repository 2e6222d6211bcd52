import type { CommandSpec } from '../spec.js';
import { findNumkeys, parseMpop, popRangeReply, writeList } from './common.js';

export const lmpop = {
  name: 'lmpop',
  arity: -4,
  flags: ['write'],
  group: 'list',
  keys: { first: 0, last: 0, step: 0, find: (args) => findNumkeys(args, 1) },
  summary: 'Pop elements from a list',
  since: '7.0.0',
  complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
  run(s, args) {
    const { keys, left, count } = parseMpop(args, 1);
    for (const key of keys) {
      const list = writeList(s, key);
      if (list === undefined || list.size === 0) continue;
      s.out.array(2);
      s.out.bulk(key);
      popRangeReply(s, s.out, s.db, s.dbIndex, key, list, left, count === -1 ? 1 : count);
      return;
    }
    s.out.nilArray();
  },
} as const satisfies CommandSpec;
