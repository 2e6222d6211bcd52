// SUBSCRIBE channel [channel ...]: each channel is confirmed with its own frame.
import { NO_KEYS, type CommandSpec } from '../spec.js';

export const subscribe = {
  name: 'subscribe',
  arity: -2,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  group: 'pubsub',
  keys: NO_KEYS,
  summary: 'Listen for messages published to the given channels',
  since: '2.0.0',
  run(s, args) {
    s.node.pubsub.subscribe(s, args.slice(1));
  },
} as const satisfies CommandSpec;
