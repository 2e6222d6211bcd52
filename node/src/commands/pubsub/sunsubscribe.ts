// SUNSUBSCRIBE [shardchannel ...]: counts reported are shard subscriptions only, as in Redis.
import { type CommandSpec } from '../spec.js';

export const sunsubscribe = {
  name: 'sunsubscribe',
  arity: -1,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  group: 'pubsub',
  keys: { first: 1, last: -1, step: 1 },
  summary: 'Stop listening for messages posted to the given shard channels',
  since: '7.0.0',
  run(s, args) {
    s.node.pubsub.sunsubscribe(s, args.slice(1));
  },
} as const satisfies CommandSpec;
