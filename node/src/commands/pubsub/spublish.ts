// SPUBLISH shardchannel message: the channel is a key, so cluster routing sends it to its slot's shard.
import type { CommandSpec } from '../spec.js';

export const spublish = {
  name: 'spublish',
  arity: 3,
  flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
  group: 'pubsub',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Post a message to a shard channel',
  since: '7.0.0',
  run(s, args) {
    s.out.int(s.node.pubsub.spublish(args[1]!, args[2]!));
  },
} as const satisfies CommandSpec;
