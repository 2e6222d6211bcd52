import type { CommandSpec } from '../spec.js';
import { setFields } from './hset.js';

export const hmset = {
  name: 'hmset',
  arity: -4,
  flags: ['write', 'denyoom', 'fast'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Set multiple hash fields to multiple values',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of fields being set.',
  run(s, args) {
    if (setFields(s, args, 'hmset') !== null) s.out.ok();
  },
} as const satisfies CommandSpec;
