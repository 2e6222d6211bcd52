// PSUBSCRIBE pattern [pattern ...]: glob patterns as KEYS uses them.
import { NO_KEYS, type CommandSpec } from '../spec.js';

export const psubscribe = {
  name: 'psubscribe',
  arity: -2,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  group: 'pubsub',
  keys: NO_KEYS,
  summary: 'Listen for messages published to channels matching the given patterns',
  since: '2.0.0',
  run(s, args) {
    s.node.pubsub.psubscribe(s, args.slice(1));
  },
} as const satisfies CommandSpec;
