// PUNSUBSCRIBE [pattern ...]: without patterns, drops them all.
import { NO_KEYS, type CommandSpec } from '../spec.js';

export const punsubscribe = {
  name: 'punsubscribe',
  arity: -1,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  group: 'pubsub',
  keys: NO_KEYS,
  summary: 'Stop listening for messages posted to channels matching the given patterns',
  since: '2.0.0',
  run(s, args) {
    s.node.pubsub.punsubscribe(s, args.slice(1));
  },
} as const satisfies CommandSpec;
