import type { CommandSpec } from '../spec.js';
import { readHash } from './common.js';

export const hgetall = {
  name: 'hgetall',
  arity: 2,
  flags: ['readonly'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get all the fields and values in a hash',
  since: '2.0.0',
  complexity: 'O(N) where N is the size of the hash.',
  run(s, args) {
    const h = readHash(s, args[1]!);
    if (h === undefined) {
      s.out.map(0);
      return;
    }
    const keys = h.map.keys;
    const vals = h.map.vals;
    s.out.map(keys.length);
    for (let i = 0; i < keys.length; i++) {
      s.out.bulk(keys[i]!);
      s.out.bulk(vals[i]!);
    }
  },
} as const satisfies CommandSpec;
