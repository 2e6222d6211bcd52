import type { CommandSpec } from '../spec.js';
import { readZset } from './common.js';

export const zmscore = {
  name: 'zmscore',
  arity: -3,
  flags: ['readonly', 'fast'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get the score associated with the given members in a sorted set',
  since: '6.2.0',
  complexity: 'O(N) where N is the number of members being requested.',
  run(s, args) {
    const z = readZset(s, args[1]!);
    s.out.array(args.length - 2);
    for (let i = 2; i < args.length; i++) {
      const score = z === undefined ? undefined : z.score(args[i]!);
      if (score === undefined) s.out.nil();
      else s.out.double(score);
    }
  },
} as const satisfies CommandSpec;
