import type { CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';

export const get = {
  name: 'get',
  arity: 2,
  flags: ['readonly', 'fast'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get the value of a key',
  since: '1.0.0',
  run(s, args) {
    const ks = s.node.keyspace;
    const v = s.db.read(args[1]!, ks.nowMs);
    if (v === undefined) {
      ks.stats.keyspaceMisses++;
      s.out.nil();
      return;
    }
    ks.stats.keyspaceHits++;
    if (typeof v === 'string' || Buffer.isBuffer(v)) s.out.bulk(v);
    else s.error(Err.wrongType);
  },
} as const satisfies CommandSpec;
