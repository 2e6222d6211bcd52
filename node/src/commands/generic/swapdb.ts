import { NO_KEYS, type CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { parseDbIndex } from './db-index.js';

export const swapdb = {
  name: 'swapdb',
  arity: 3,
  flags: ['write', 'fast'],
  group: 'server',
  keys: NO_KEYS,
  acl: ['@keyspace', '@dangerous'],
  summary: 'Swaps two Redis databases',
  since: '4.0.0',
  complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
  run(s, args) {
    if (s.node.clusterEnabled) {
      s.error('ERR SWAPDB is not allowed in cluster mode');
      return;
    }
    const a = parseDbIndex(args[1]!);
    if (a === null) {
      s.error('ERR invalid first DB index');
      return;
    }
    const b = parseDbIndex(args[2]!);
    if (b === null) {
      s.error('ERR invalid second DB index');
      return;
    }
    const ks = s.node.keyspace;
    if (a < 0 || a >= ks.dbs.length || b < 0 || b >= ks.dbs.length) {
      s.error(Err.dbIndexOutOfRange);
      return;
    }
    if (a !== b) ks.db(a).swapWith(ks.db(b));
    s.out.ok();
  },
} as const satisfies CommandSpec;
