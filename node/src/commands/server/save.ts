import { NO_KEYS, type CommandSpec } from '../spec.js';

export const save = {
  name: 'save',
  arity: 1,
  flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'],
  group: 'server',
  keys: NO_KEYS,
  summary: 'Synchronously save the dataset to disk',
  since: '1.0.0',
  complexity: 'O(N) where N is the total number of keys in all databases',
  run(s) {
    // Refused rather than faked: replying OK would tell an operator data is on disk.
    s.error('ERR Persistence is not available in this version of Tessera (SAVE)');
  },
} as const satisfies CommandSpec;
