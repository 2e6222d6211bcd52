import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { incrDecr, parseCounter } from './incr-common.js';

export const incrby = {
  name: 'incrby',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Increment the integer value of a key by the given amount',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    const incr = parseCounter(args[2]!);
    if (incr === null) throw new ReplyError(Err.notInteger);
    incrDecr(s, args[1]!, incr);
  },
} as const satisfies CommandSpec;
