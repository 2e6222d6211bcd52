import type { CommandSpec } from '../spec.js';
import { SetFlag, expireAtMs } from './common.js';
import { setGeneric } from './set.js';

export const setex = {
  name: 'setex',
  arity: 4,
  flags: ['write', 'denyoom'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Set the value and expiration of a key',
  since: '2.0.0',
  complexity: 'O(1)',
  run(s, args) {
    const atMs = expireAtMs(s, args[2]!, SetFlag.EX, 'setex');
    setGeneric(s, args[1]!, args[3]!, SetFlag.EX, atMs, null, null);
  },
} as const satisfies CommandSpec;
