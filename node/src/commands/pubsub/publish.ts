// PUBLISH channel message: the reply counts channel and pattern receivers.
import { NO_KEYS, type CommandSpec } from '../spec.js';

export const publish = {
  name: 'publish',
  arity: 3,
  flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
  group: 'pubsub',
  keys: NO_KEYS,
  summary: 'Post a message to a channel',
  since: '2.0.0',
  run(s, args) {
    s.out.int(s.node.pubsub.publish(args[1]!, args[2]!));
  },
} as const satisfies CommandSpec;
