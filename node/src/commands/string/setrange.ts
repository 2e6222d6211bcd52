import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { parseInteger } from '../args.js';
import { writableString } from '../../keyspace/types/strings.js';
import { checkStringLength } from './common.js';

export const setrange = {
  name: 'setrange',
  arity: 4,
  flags: ['write', 'denyoom'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Overwrite part of a string at key starting at the specified offset',
  since: '2.2.0',
  complexity: 'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
  run(s, args) {
    const key = args[1]!;
    const value = args[3]!;
    const offset = parseInteger(args[2]!);
    if (offset === null) throw new ReplyError(Err.notInteger);
    if (offset < 0) throw new ReplyError('ERR offset is out of range');
    const db = s.db;
    const cur = db.read(key, s.nowMs);
    if (cur === undefined) {
      // Setting nothing on a missing key creates nothing.
      if (value.length === 0) {
        s.out.int(0);
        return;
      }
      checkStringLength(s, offset, value.length);
      const b = writableString('', offset + value.length, 0, true);
      b.latin1Write(value, offset);
      db.set(key, b);
      s.notify('$', 'setrange', key);
      s.out.int(b.length);
      return;
    }
    if (typeof cur !== 'string' && !Buffer.isBuffer(cur)) {
      s.error(Err.wrongType);
      return;
    }
    if (value.length === 0) {
      s.out.int(cur.length);
      return;
    }
    checkStringLength(s, offset, value.length);
    const b = writableString(cur, offset + value.length, offset < cur.length ? offset : cur.length, true);
    b.latin1Write(value, offset);
    db.replace(key, b);
    s.notify('$', 'setrange', key);
    s.out.int(b.length);
  },
} as const satisfies CommandSpec;
