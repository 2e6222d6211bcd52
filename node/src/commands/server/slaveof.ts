import { NO_KEYS, type CommandSpec } from '../spec.js';
import { replicaofRun } from './replicaof.js';

/** SLAVEOF: the old name of REPLICAOF, same behaviour. */
export const slaveof = {
  name: 'slaveof',
  arity: 3,
  flags: ['admin', 'noscript', 'stale', 'no_async_loading'],
  group: 'server',
  keys: NO_KEYS,
  summary: 'Make the server a replica of another instance, or promote it as master.',
  since: '1.0.0',
  complexity: 'O(1)',
  run: replicaofRun,
} as const satisfies CommandSpec;
