import type { CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { readKey, replyValue } from './common.js';

export const getdel = {
  name: 'getdel',
  arity: 2,
  flags: ['write', 'fast'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get the value of a key and delete the key',
  since: '6.2.0',
  complexity: 'O(1)',
  run(s, args) {
    const key = args[1]!;
    const v = readKey(s, key);
    if (v === undefined) {
      s.out.nil();
      return;
    }
    if (typeof v !== 'string' && !Buffer.isBuffer(v)) {
      s.error(Err.wrongType);
      return;
    }
    replyValue(s, v);
    s.db.delete(key);
    s.notify('g', 'del', key);
  },
} as const satisfies CommandSpec;
