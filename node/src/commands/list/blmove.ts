import type { CommandSpec } from '../spec.js';
import { parseBlockingTimeout } from './timeout.js';
import { parseEnd } from './common.js';
import { blmoveGeneric } from './block.js';

export const blmove = {
  name: 'blmove',
  arity: 6,
  flags: ['write', 'denyoom', 'noscript', 'blocking'],
  group: 'list',
  keys: { first: 1, last: 2, step: 1 },
  summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
  since: '6.2.0',
  complexity: 'O(1)',
  run(s, args) {
    const fromLeft = parseEnd(args[3]!);
    const toLeft = parseEnd(args[4]!);
    const deadlineMs = parseBlockingTimeout(args[5]!, s.nowMs);
    blmoveGeneric(s, args[1]!, args[2]!, fromLeft, toLeft, deadlineMs);
  },
} as const satisfies CommandSpec;
