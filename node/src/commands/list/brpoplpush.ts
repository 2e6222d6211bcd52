import type { CommandSpec } from '../spec.js';
import { parseBlockingTimeout } from './timeout.js';
import { blmoveGeneric } from './block.js';

export const brpoplpush = {
  name: 'brpoplpush',
  arity: 4,
  flags: ['write', 'denyoom', 'noscript', 'blocking'],
  group: 'list',
  keys: { first: 1, last: 2, step: 1 },
  summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
  since: '2.2.0',
  complexity: 'O(1)',
  run(s, args) {
    const deadlineMs = parseBlockingTimeout(args[3]!, s.nowMs);
    blmoveGeneric(s, args[1]!, args[2]!, false, true, deadlineMs);
  },
} as const satisfies CommandSpec;
