import type { CommandSpec } from '../spec.js';
import { HashValue } from '../../keyspace/types/hash.js';
import { commitHash, hashLimits, writeHash } from './common.js';

export const hsetnx = {
  name: 'hsetnx',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Set the value of a hash field, only if the field does not exist',
  since: '2.0.0',
  complexity: 'O(1)',
  run(s, args) {
    const key = args[1]!;
    const existing = writeHash(s, key);
    if (existing !== undefined && existing.has(args[2]!)) {
      s.out.int(0);
      return;
    }
    const h = existing ?? new HashValue();
    h.set(args[2]!, args[3]!, hashLimits(s.node.config));
    commitHash(s, key, h, existing === undefined);
    s.notify('h', 'hset', key);
    s.out.int(1);
  },
} as const satisfies CommandSpec;
