// UNSUBSCRIBE [channel ...]: without channels, drops them all (one null frame if there were none).
import { NO_KEYS, type CommandSpec } from '../spec.js';

export const unsubscribe = {
  name: 'unsubscribe',
  arity: -1,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  group: 'pubsub',
  keys: NO_KEYS,
  summary: 'Stop listening for messages posted to the given channels',
  since: '2.0.0',
  run(s, args) {
    s.node.pubsub.unsubscribe(s, args.slice(1));
  },
} as const satisfies CommandSpec;
