import { NO_KEYS, type CommandSpec } from '../spec.js';

export const quit = {
  name: 'quit',
  arity: -1,
  flags: ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'],
  group: 'connection',
  keys: NO_KEYS,
  summary: 'Close the connection',
  since: '1.0.0',
  run(s) {
    s.out.ok();
    s.closeAfterReply = true;
  },
} as const satisfies CommandSpec;
