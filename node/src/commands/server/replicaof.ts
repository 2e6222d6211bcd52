import { NO_KEYS, type CommandSpec, type CommandRun } from '../spec.js';
import { is, parseInteger } from '../args.js';

/** REPLICAOF host port | NO ONE (Redis 7.0's replicaofCommand). */
export const replicaofRun: CommandRun = (s, args) => {
  if (s.node.clusterEnabled) {
    s.error('ERR REPLICAOF not allowed in cluster mode.');
    return;
  }
  const repl = s.node.replication;
  if (repl === null) {
    s.error('ERR replication is not available on this node');
    return;
  }
  if (is(args[1], 'no') && is(args[2], 'one')) {
    repl.promote();
    s.out.ok();
    return;
  }
  if (s.kindFlags.includes('S')) {
    s.error('ERR Command is not valid when client is a replica.');
    return;
  }
  const port = parseInteger(args[2]!);
  if (port === null || port < 0 || port > 65535) {
    s.error('ERR Invalid master port');
    return;
  }
  s.out.simple(repl.replicaOf(args[1]!, port));
};

export const replicaof = {
  name: 'replicaof',
  arity: 3,
  flags: ['admin', 'noscript', 'stale', 'no_async_loading'],
  group: 'server',
  keys: NO_KEYS,
  summary: 'Make the server a replica of another instance, or promote it as master.',
  since: '5.0.0',
  complexity: 'O(1)',
  run: replicaofRun,
} as const satisfies CommandSpec;
