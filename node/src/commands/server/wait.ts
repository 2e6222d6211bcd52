import { NO_KEYS, type CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { parseInteger } from '../args.js';

export const wait = {
  name: 'wait',
  arity: 3,
  flags: ['noscript'],
  // Redis files WAIT under "generic" but gives it only @connection; the group
  // here carries the ACL category, which is what permissions depend on.
  group: 'connection',
  keys: NO_KEYS,
  tips: ['request_policy:all_shards', 'response_policy:agg_min'],
  summary: 'Wait for the synchronous replication of all the write commands sent in the context of the current connection',
  since: '3.0.0',
  complexity: 'O(1)',
  run(s, args) {
    const numReplicas = parseInteger(args[1]!);
    if (numReplicas === null) {
      s.error(Err.notInteger);
      return;
    }
    const timeout = parseInteger(args[2]!);
    if (timeout === null) {
      s.error('ERR timeout is not an integer or out of range');
      return;
    }
    if (timeout < 0) {
      s.error(Err.timeoutNegative);
      return;
    }
    // No replicas exist yet, so zero have acknowledged, whatever was asked;
    // Redis answers at once when none are connected either.
    s.out.int(0);
  },
} as const satisfies CommandSpec;
