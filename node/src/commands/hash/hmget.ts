import type { CommandSpec } from '../spec.js';
import { readHash } from './common.js';

export const hmget = {
  name: 'hmget',
  arity: -3,
  flags: ['readonly', 'fast'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get the values of all the given hash fields',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of fields being requested.',
  run(s, args) {
    const h = readHash(s, args[1]!);
    s.out.array(args.length - 2);
    for (let i = 2; i < args.length; i++) {
      const v = h?.get(args[i]!);
      if (v === undefined) s.out.nil();
      else s.out.bulk(v);
    }
  },
} as const satisfies CommandSpec;
