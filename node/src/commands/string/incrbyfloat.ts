import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { stringText } from '../../keyspace/types/strings.js';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from '../hash/long-double.js';

// Redis adds in C long double (x87 80-bit on x86-64) and stores "%.17Lf" with
// trailing zeros trimmed, so 10.5 + 0.1 gives "10.6" and 2^34 + 0.1 gives
// "17179869184.09999999962747097"; the emulation shared with HINCRBYFLOAT
// reproduces both exactly.

export const incrbyfloat = {
  name: 'incrbyfloat',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Increment the float value of a key by the given amount',
  since: '2.6.0',
  complexity: 'O(1)',
  run(s, args) {
    const key = args[1]!;
    const db = s.db;
    const cur = db.read(key, s.nowMs);
    let curText = '0';
    if (cur !== undefined) {
      if (typeof cur !== 'string' && !Buffer.isBuffer(cur)) {
        s.error(Err.wrongType);
        return;
      }
      curText = typeof cur === 'string' ? cur : stringText(cur);
    }
    const value = parseLongDouble(curText);
    const incr = value === null ? null : parseLongDouble(args[2]!);
    if (value === null || incr === null) throw new ReplyError(Err.notFloat);
    const sum = addLongDouble(value, incr);
    if (sum.inf) throw new ReplyError('ERR increment would produce NaN or Infinity');
    const text = formatLongDoubleHuman(sum);
    db.replace(key, text);
    s.notify('$', 'incrbyfloat', key);
    // Replicas store the result: float formatting must not be redone elsewhere.
    s.propagate(['set', key, text, 'keepttl']);
    s.out.bulk(text);
  },
} as const satisfies CommandSpec;
