import type { CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { readKey, replyValue } from './common.js';

export const getset = {
  name: 'getset',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Set the string value of a key and return its old value',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    const key = args[1]!;
    const old = readKey(s, key);
    if (old === undefined) s.out.nil();
    else if (typeof old === 'string' || Buffer.isBuffer(old)) replyValue(s, old);
    else {
      s.error(Err.wrongType);
      return;
    }
    s.db.set(key, args[2]!);
    s.notify('$', 'set', key);
  },
} as const satisfies CommandSpec;
