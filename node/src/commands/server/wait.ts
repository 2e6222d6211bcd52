import { NO_KEYS, type CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { parseInteger } from '../args.js';

/**
 * WAIT numreplicas timeout: blocks until `numreplicas` replicas acknowledged
 * this client's last write, or `timeout` ms passed (0: forever); replies the
 * number that did. Replication does the bookkeeping (NodeReplication.wait).
 */
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
    const repl = s.node.replication;
    if (repl?.state.isReplica) {
      s.error('ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.');
      return;
    }
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
    if (repl === null) {
      s.out.int(0);
      return;
    }
    repl.wait(s, numReplicas, timeout);
  },
} as const satisfies CommandSpec;
