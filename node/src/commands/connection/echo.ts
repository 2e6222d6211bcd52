import { NO_KEYS, type CommandSpec } from '../spec.js';

export const echo = {
  name: 'echo',
  arity: 2,
  flags: ['loading', 'stale', 'fast'],
  group: 'connection',
  keys: NO_KEYS,
  summary: 'Echo the given string',
  since: '1.0.0',
  run(s, args) {
    s.out.bulk(args[1]!);
  },
} as const satisfies CommandSpec;
