import type { CommandSpec } from '../spec.js';
import { typeOf } from '../../keyspace/values.js';
import { lookupReadNoTouch } from './common.js';

export const type = {
  name: 'type',
  arity: 2,
  flags: ['readonly', 'fast'],
  group: 'generic',
  keys: { first: 1, last: 1, step: 1 },
  acl: ['@keyspace'],
  summary: 'Determine the type stored at key',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    const v = lookupReadNoTouch(s, args[1]!);
    s.out.simple(v === undefined ? 'none' : typeOf(v));
  },
} as const satisfies CommandSpec;
