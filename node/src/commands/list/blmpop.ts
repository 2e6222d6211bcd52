import type { CommandSpec } from '../spec.js';
import { parseBlockingTimeout } from './timeout.js';
import { findNumkeys, parseMpop } from './common.js';
import { blockingPop } from './block.js';

export const blmpop = {
  name: 'blmpop',
  arity: -5,
  flags: ['write', 'blocking'],
  group: 'list',
  keys: { first: 0, last: 0, step: 0, find: (args) => findNumkeys(args, 2) },
  summary: 'Pop elements from a list, or block until one is available',
  since: '7.0.0',
  complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
  run(s, args) {
    // Redis checks numkeys, LEFT|RIGHT and COUNT before the timeout.
    const { keys, left, count } = parseMpop(args, 2);
    const deadlineMs = parseBlockingTimeout(args[1]!, s.nowMs);
    blockingPop(s, keys, left, count === -1 ? 1 : count, deadlineMs);
  },
} as const satisfies CommandSpec;
