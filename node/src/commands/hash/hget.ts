import type { CommandSpec } from '../spec.js';
import { readHash } from './common.js';

export const hget = {
  name: 'hget',
  arity: 3,
  flags: ['readonly', 'fast'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get the value of a hash field',
  since: '2.0.0',
  complexity: 'O(1)',
  run(s, args) {
    const v = readHash(s, args[1]!)?.get(args[2]!);
    if (v === undefined) s.out.nil();
    else s.out.bulk(v);
  },
} as const satisfies CommandSpec;
