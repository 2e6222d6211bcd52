import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { HashValue } from '../../keyspace/types/hash.js';
import { commitHash, hashLimits, writeHash } from './common.js';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from './long-double.js';

export const hincrbyfloat = {
  name: 'hincrbyfloat',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Increment the float value of a hash field by the given amount',
  since: '2.6.0',
  complexity: 'O(1)',
  run(s, args) {
    const key = args[1]!;
    const field = args[2]!;
    const incr = parseLongDouble(args[3]!);
    if (incr === null) throw new ReplyError(Err.notFloat);
    if (incr.inf) throw new ReplyError('ERR value is NaN or Infinity');
    const existing = writeHash(s, key);
    const old = existing?.get(field);
    let result = incr;
    if (old !== undefined) {
      const cur = parseLongDouble(old);
      if (cur === null) throw new ReplyError('ERR hash value is not a float');
      result = addLongDouble(cur, incr);
    }
    if (result.inf) throw new ReplyError('ERR increment would produce NaN or Infinity');
    const text = formatLongDoubleHuman(result);
    const h = existing ?? new HashValue();
    h.set(field, text, hashLimits(s.node.config));
    commitHash(s, key, h, existing === undefined);
    s.notify('h', 'hincrbyfloat', key);
    // Replicas store the result: float formatting must not be redone elsewhere.
    s.propagate(['hset', key, field, text]);
    s.out.bulk(text);
  },
} as const satisfies CommandSpec;
