import type { CommandSpec } from '../spec.js';
import { NO_KEYS } from '../spec.js';
import { wrongArity } from '../../core/errors.js';

export const ping = {
  name: 'ping',
  arity: -1,
  flags: ['fast'],
  group: 'connection',
  keys: NO_KEYS,
  tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  summary: 'Ping the server',
  since: '1.0.0',
  run(s, args) {
    if (args.length > 2) {
      s.error(wrongArity('ping'));
      return;
    }
    if (s.inPubSubMode) {
      // A subscribed RESP2 client gets a two-element array, as in Redis.
      s.out.array(2);
      s.out.bulk('pong');
      s.out.bulk(args.length === 2 ? args[1]! : '');
      return;
    }
    if (args.length === 2) s.out.bulk(args[1]!);
    else s.out.simple('PONG');
  },
} as const satisfies CommandSpec;
