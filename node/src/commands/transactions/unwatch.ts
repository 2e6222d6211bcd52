import { NO_KEYS, type CommandSpec } from '../spec.js';

export const unwatch = {
  name: 'unwatch',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  group: 'transactions',
  keys: NO_KEYS,
  summary: 'Forget about all watched keys',
  since: '2.2.0',
  complexity: 'O(1)',
  run(s) {
    s.node.watches.unwatchAll(s);
    s.out.ok();
  },
} as const satisfies CommandSpec;
