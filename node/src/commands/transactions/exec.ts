import { NO_KEYS, type CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { discardTransaction, expireWatchedKeys } from './state.js';

export const exec = {
  name: 'exec',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'skip_slowlog'],
  group: 'transactions',
  keys: NO_KEYS,
  summary: 'Execute all commands issued after MULTI',
  since: '1.2.0',
  complexity: 'Depends on commands in the transaction',
  run(s) {
    if (!s.inMulti) {
      s.error('ERR EXEC without MULTI');
      return;
    }
    if (s.watched.size > 0 && !s.watchDirty) expireWatchedKeys(s);
    if (s.multiError) {
      discardTransaction(s);
      s.error(Err.execAbort);
      return;
    }
    if (s.watchDirty) {
      discardTransaction(s);
      s.out.nilArray();
      return;
    }
    const queue = s.multiQueue;
    // Unwatch first: the transaction's own writes must not dirty anything.
    discardTransaction(s);
    const dispatcher = s.node.dispatcher;
    s.out.array(queue.length);
    s.inExec = true;
    try {
      for (const q of queue) dispatcher.call(s, q.cmd, q.args);
    } finally {
      s.inExec = false;
    }
  },
} as const satisfies CommandSpec;
