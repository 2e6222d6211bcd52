import { NO_KEYS, type CommandSpec } from '../spec.js';
import { discardTransaction } from './state.js';

export const discard = {
  name: 'discard',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  group: 'transactions',
  keys: NO_KEYS,
  summary: 'Discard all commands issued after MULTI',
  since: '2.0.0',
  complexity: 'O(N), when N is the number of queued commands',
  run(s) {
    if (!s.inMulti) {
      s.error('ERR DISCARD without MULTI');
      return;
    }
    discardTransaction(s);
    s.out.ok();
  },
} as const satisfies CommandSpec;
