import { NO_KEYS, type CommandSpec } from '../spec.js';

export const lastsave = {
  name: 'lastsave',
  arity: 1,
  flags: ['loading', 'stale', 'fast'],
  group: 'server',
  keys: NO_KEYS,
  acl: ['@admin', '@dangerous'],
  tips: ['nondeterministic_output'],
  summary: 'Get the UNIX time stamp of the last successful save to disk',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s) {
    s.out.int(Math.floor(s.node.lastSaveMs / 1000));
  },
} as const satisfies CommandSpec;
