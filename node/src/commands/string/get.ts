import type { CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { markExposed } from '../../keyspace/types/strings.js';

export const get = {
  name: 'get',
  arity: 2,
  flags: ['readonly', 'fast'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get the value of a key',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    // The benchmark hot path: one lookup, no helper calls for the common case.
    const ks = s.node.keyspace;
    const v = s.db.read(args[1]!, ks.nowMs);
    if (v === undefined) {
      ks.stats.keyspaceMisses++;
      s.out.nil();
      return;
    }
    ks.stats.keyspaceHits++;
    if (typeof v === 'string') s.out.bulk(v);
    else if (Buffer.isBuffer(v)) {
      // The writer may send a big Buffer by reference after later commands ran.
      markExposed(v);
      s.out.bulk(v);
    } else s.error(Err.wrongType);
  },
} as const satisfies CommandSpec;
