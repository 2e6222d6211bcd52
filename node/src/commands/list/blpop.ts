import type { CommandSpec } from '../spec.js';
import { parseBlockingTimeout } from './timeout.js';
import { blockingPop } from './block.js';

export const blpop = {
  name: 'blpop',
  arity: -3,
  flags: ['write', 'noscript', 'blocking'],
  group: 'list',
  keys: { first: 1, last: -2, step: 1 },
  summary: 'Remove and get the first element in a list, or block until one is available',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of provided keys.',
  run(s, args) {
    const deadlineMs = parseBlockingTimeout(args[args.length - 1]!, s.nowMs);
    blockingPop(s, args.slice(1, -1), true, -1, deadlineMs);
  },
} as const satisfies CommandSpec;
