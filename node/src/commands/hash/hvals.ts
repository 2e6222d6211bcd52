import type { CommandSpec } from '../spec.js';
import { readHash } from './common.js';

export const hvals = {
  name: 'hvals',
  arity: 2,
  flags: ['readonly'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get all the values in a hash',
  since: '2.0.0',
  complexity: 'O(N) where N is the size of the hash.',
  run(s, args) {
    const h = readHash(s, args[1]!);
    if (h === undefined) {
      s.out.array(0);
      return;
    }
    const vals = h.map.vals;
    s.out.array(vals.length);
    for (let i = 0; i < vals.length; i++) s.out.bulk(vals[i]!);
  },
} as const satisfies CommandSpec;
