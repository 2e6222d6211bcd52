import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { HashValue } from '../../keyspace/types/hash.js';
import { INT64, parseInt64, parseInteger } from '../args.js';
import { commitHash, hashLimits, writeHash } from './common.js';

export const hincrby = {
  name: 'hincrby',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Increment the integer value of a hash field by the given number',
  since: '2.0.0',
  complexity: 'O(1)',
  run(s, args) {
    const key = args[1]!;
    const field = args[2]!;
    const incr = parseInteger(args[3]!);
    if (incr === null) throw new ReplyError(Err.notInteger);
    const existing = writeHash(s, key);
    const old = existing?.get(field);
    let cur = 0;
    if (old !== undefined) {
      const n = parseInteger(old);
      if (n === null) throw new ReplyError('ERR hash value is not an integer');
      cur = n;
    }
    let text: string;
    const sum = cur + incr;
    if (Number.isSafeInteger(cur) && Number.isSafeInteger(incr) && Number.isSafeInteger(sum)) text = String(sum);
    else {
      // Beyond 2^53 the doubles above are rounded: redo it exactly.
      const big = (old === undefined ? 0n : parseInt64(old)!) + parseInt64(args[3]!)!;
      if (big > INT64.max || big < INT64.min) throw new ReplyError(Err.overflow);
      text = String(big);
    }
    const h = existing ?? new HashValue();
    h.set(field, text, hashLimits(s.node.config));
    commitHash(s, key, h, existing === undefined);
    s.notify('h', 'hincrby', key);
    s.out.raw(`:${text}\r\n`);
  },
} as const satisfies CommandSpec;
