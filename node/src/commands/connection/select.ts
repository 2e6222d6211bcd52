import { NO_KEYS, type CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { parseInteger } from '../args.js';

export const select = {
  name: 'select',
  arity: 2,
  flags: ['loading', 'stale', 'fast'],
  group: 'connection',
  keys: NO_KEYS,
  summary: 'Change the selected database for the current connection',
  since: '1.0.0',
  run(s, args) {
    const n = parseInteger(args[1]!);
    if (n === null) {
      s.error('ERR value is not an integer or out of range');
      return;
    }
    if (s.node.clusterEnabled && n !== 0) {
      s.error('ERR SELECT is not allowed in cluster mode');
      return;
    }
    if (n < 0 || n >= s.node.keyspace.dbs.length) {
      s.error(Err.dbIndexOutOfRange);
      return;
    }
    s.select(n);
    s.out.ok();
  },
} as const satisfies CommandSpec;
