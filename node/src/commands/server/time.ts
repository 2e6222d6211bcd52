import { NO_KEYS, type CommandSpec } from '../spec.js';

export const time = {
  name: 'time',
  arity: 1,
  flags: ['loading', 'stale', 'fast'],
  group: 'server',
  keys: NO_KEYS,
  tips: ['nondeterministic_output'],
  summary: 'Return the current server time',
  since: '2.6.0',
  complexity: 'O(1)',
  run(s) {
    // The keyspace clock has ms resolution; the microseconds are its fraction.
    const ms = s.nowMs;
    const sec = Math.floor(ms / 1000);
    s.out.array(2);
    s.out.bulk(String(sec));
    s.out.bulk(String(Math.round((ms - sec * 1000) * 1000)));
  },
} as const satisfies CommandSpec;
