import type { CommandSpec } from '../spec.js';

export const watch = {
  name: 'watch',
  arity: -2,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  group: 'transactions',
  keys: { first: 1, last: -1, step: 1 },
  summary: 'Watch the given keys to determine execution of the MULTI/EXEC block',
  since: '2.2.0',
  complexity: 'O(1) for every key.',
  run(s, args) {
    if (s.inMulti) {
      s.error('ERR WATCH inside MULTI is not allowed');
      return;
    }
    // Already doomed: watching more cannot change the outcome.
    if (!s.watchDirty) {
      const ks = s.node.keyspace;
      for (let i = 1; i < args.length; i++) {
        const key = args[i]!;
        // A key already past its TTL is deleted now, so its deletion does not
        // count as a change after WATCH (Redis remembers it as expired).
        s.db.peek(key, ks.nowMs);
        s.node.watches.watch(s, s.dbIndex, key);
      }
    }
    s.out.ok();
  },
} as const satisfies CommandSpec;
