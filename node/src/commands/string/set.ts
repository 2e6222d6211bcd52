import type { CommandSpec } from '../spec.js';

export const set = {
  name: 'set',
  arity: -3,
  flags: ['write', 'denyoom'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Set the string value of a key',
  since: '1.0.0',
  run(s, args) {
    s.db.set(args[1]!, args[2]!);
    s.notify('$', 'set', args[1]!);
    s.out.ok();
  },
} as const satisfies CommandSpec;
