import { NO_KEYS, type CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';

export const multi = {
  name: 'multi',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  group: 'transactions',
  keys: NO_KEYS,
  summary: 'Mark the start of a transaction block',
  since: '1.2.0',
  complexity: 'O(1)',
  run(s) {
    if (s.inMulti) {
      s.error(Err.nestedMulti);
      return;
    }
    s.inMulti = true;
    s.multiQueue = [];
    s.multiError = false;
    s.out.ok();
  },
} as const satisfies CommandSpec;
