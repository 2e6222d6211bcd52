import type { CommandSpec } from '../spec.js';
import { lmoveGeneric, parseEnd } from './common.js';

export const lmove = {
  name: 'lmove',
  arity: 5,
  flags: ['write', 'denyoom'],
  group: 'list',
  keys: { first: 1, last: 2, step: 1 },
  summary: 'Pop an element from a list, push it to another list and return it',
  since: '6.2.0',
  complexity: 'O(1)',
  run(s, args) {
    const fromLeft = parseEnd(args[3]!);
    const toLeft = parseEnd(args[4]!);
    lmoveGeneric(s, args[1]!, args[2]!, fromLeft, toLeft);
  },
} as const satisfies CommandSpec;
