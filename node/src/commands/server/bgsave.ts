import { NO_KEYS, type CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { is } from '../args.js';

export const bgsave = {
  name: 'bgsave',
  arity: -1,
  flags: ['admin', 'noscript', 'no_async_loading'],
  group: 'server',
  keys: NO_KEYS,
  summary: 'Asynchronously save the dataset to disk',
  since: '1.0.0',
  complexity: 'O(N) where N is the total number of keys in all databases',
  run(s, args) {
    if (args.length > 2 || (args.length === 2 && !is(args[1], 'schedule'))) {
      s.error(Err.syntax);
      return;
    }
    // Refused rather than faked: "Background saving started" would be a lie.
    s.error('ERR Persistence is not available in this version of Tessera (BGSAVE)');
  },
} as const satisfies CommandSpec;
