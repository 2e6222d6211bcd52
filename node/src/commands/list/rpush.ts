import type { CommandSpec } from '../spec.js';
import { pushGeneric } from './common.js';

export const rpush = {
  name: 'rpush',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  group: 'list',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Append one or multiple elements to a list',
  since: '1.0.0',
  complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  run(s, args) {
    pushGeneric(s, args, false, false);
  },
} as const satisfies CommandSpec;
