import type { CommandSpec } from '../spec.js';
import { SetFlag } from './common.js';
import { setGeneric } from './set.js';

export const setnx = {
  name: 'setnx',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Set the value of a key, only if the key does not exist',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    setGeneric(s, args[1]!, args[2]!, SetFlag.NX, undefined, 1, 0);
  },
} as const satisfies CommandSpec;
