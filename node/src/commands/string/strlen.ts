import type { CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { readKey } from './common.js';

export const strlen = {
  name: 'strlen',
  arity: 2,
  flags: ['readonly', 'fast'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get the length of the value stored in a key',
  since: '2.2.0',
  complexity: 'O(1)',
  run(s, args) {
    const v = readKey(s, args[1]!);
    if (v === undefined) s.out.int(0);
    else if (typeof v === 'string' || Buffer.isBuffer(v)) s.out.int(v.length);
    else s.error(Err.wrongType);
  },
} as const satisfies CommandSpec;
