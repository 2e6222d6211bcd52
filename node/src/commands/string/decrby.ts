import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { incrDecr, parseCounter } from './incr-common.js';

export const decrby = {
  name: 'decrby',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Decrement the integer value of a key by the given number',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    const decr = parseCounter(args[2]!);
    if (decr === null) throw new ReplyError(Err.notInteger);
    // -LLONG_MIN does not fit in int64.
    if (decr === -9223372036854775808n) throw new ReplyError('ERR decrement would overflow');
    incrDecr(s, args[1]!, -decr);
  },
} as const satisfies CommandSpec;
