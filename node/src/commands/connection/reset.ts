import { NO_KEYS, type CommandSpec } from '../spec.js';
import { discardTransaction } from '../transactions/state.js';

export const reset = {
  name: 'reset',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  group: 'connection',
  keys: NO_KEYS,
  summary: 'Reset the connection',
  since: '6.2.0',
  complexity: 'O(1)',
  run(s) {
    // Redis's clearClientConnectionState: as if the client had just connected.
    if (s.kindFlags.includes('O')) {
      s.node.monitors.sessions.delete(s);
      s.kindFlags = s.kindFlags.replace('O', '');
    }
    if (s.kindFlags.includes('S') || s.kindFlags.includes('M')) {
      s.error('ERR can only reset normal client connections');
      return;
    }
    discardTransaction(s);
    s.node.pubsub.removeSession(s);
    s.channels.clear();
    s.patterns.clear();
    s.shardChannels.clear();
    s.select(0);
    s.resp = 2;
    s.out.resp = 2;
    s.user = 'default';
    s.authenticated = s.node.config.requirepass() === '';
    s.name = '';
    s.asking = false;
    s.readOnly = false;
    s.noEvict = false;
    s.replyMode = 'on';
    s.out.simple('RESET');
  },
} as const satisfies CommandSpec;
