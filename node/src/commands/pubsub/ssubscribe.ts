// SSUBSCRIBE shardchannel [...]: shard channels are keys for routing (a standalone node is one shard).
import { type CommandSpec } from '../spec.js';

export const ssubscribe = {
  name: 'ssubscribe',
  arity: -2,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  group: 'pubsub',
  keys: { first: 1, last: -1, step: 1 },
  summary: 'Listen for messages published to the given shard channels',
  since: '7.0.0',
  run(s, args) {
    s.node.pubsub.ssubscribe(s, args.slice(1));
  },
} as const satisfies CommandSpec;
