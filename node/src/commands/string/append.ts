import type { CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { writableString } from '../../keyspace/types/strings.js';
import { checkStringLength } from './common.js';

export const append = {
  name: 'append',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Append a value to a key',
  since: '2.0.0',
  complexity: 'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
  run(s, args) {
    const key = args[1]!;
    const tail = args[2]!;
    const db = s.db;
    const cur = db.read(key, s.nowMs);
    let total: number;
    if (cur === undefined) {
      // A new key holds the argument as given (int/embstr/raw by content).
      db.set(key, tail);
      total = tail.length;
    } else {
      if (typeof cur !== 'string' && !Buffer.isBuffer(cur)) {
        s.error(Err.wrongType);
        return;
      }
      const oldLength = cur.length;
      checkStringLength(s, oldLength, tail.length);
      total = oldLength + tail.length;
      // In place in a Buffer with spare capacity: amortised O(1) per append.
      const b = writableString(cur, total, oldLength, false);
      b.latin1Write(tail, oldLength);
      db.replace(key, b);
    }
    s.notify('$', 'append', key);
    s.out.int(total);
  },
} as const satisfies CommandSpec;
