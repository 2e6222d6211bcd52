import type { CommandSpec } from '../spec.js';
import { pushGeneric } from './common.js';

export const lpushx = {
  name: 'lpushx',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  group: 'list',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Prepend an element to a list, only if the list exists',
  since: '2.2.0',
  complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  run(s, args) {
    pushGeneric(s, args, true, true);
  },
} as const satisfies CommandSpec;
