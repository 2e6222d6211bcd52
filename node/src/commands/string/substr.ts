import type { CommandSpec } from '../spec.js';
import { getrangeRun } from './getrange.js';

export const substr = {
  name: 'substr',
  arity: 4,
  flags: ['readonly'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get a substring of the string stored at a key',
  since: '1.0.0',
  complexity: 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
  run: getrangeRun,
} as const satisfies CommandSpec;
