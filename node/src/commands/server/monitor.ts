import { NO_KEYS, type CommandSpec } from '../spec.js';

export const monitor = {
  name: 'monitor',
  arity: 1,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  group: 'server',
  keys: NO_KEYS,
  summary: 'Listen for all requests received by the server in real time',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s) {
    if (s.inExec) {
      // A transaction expects one reply per command; a stream cannot be one.
      s.error("MONITOR isn't allowed for DENY BLOCKING client");
      return;
    }
    // Replicas and monitors already get a stream: Redis ignores the request silently.
    if (s.kindFlags.includes('S') || s.kindFlags.includes('O')) return;
    s.kindFlags += 'O';
    s.node.monitors.sessions.add(s);
    s.out.ok();
  },
} as const satisfies CommandSpec;
