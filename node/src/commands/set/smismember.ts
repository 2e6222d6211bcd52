import type { CommandSpec } from '../spec.js';
import { readSet } from './common.js';

export const smismember = {
  name: 'smismember',
  arity: -3,
  flags: ['readonly', 'fast'],
  group: 'set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Returns the membership associated with the given elements for a set',
  since: '6.2.0',
  complexity: 'O(N) where N is the number of elements being checked for membership',
  run(s, args) {
    const set = readSet(s, args[1]!);
    s.out.array(args.length - 2);
    for (let i = 2; i < args.length; i++) s.out.int(set?.has(args[i]!) ? 1 : 0);
  },
} as const satisfies CommandSpec;
