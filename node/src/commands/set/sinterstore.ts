import type { CommandSpec } from '../spec.js';
import { SetValue } from '../../keyspace/types/set.js';
import { intersect, setLimits, storeResult } from './common.js';

export const sinterstore = {
  name: 'sinterstore',
  arity: -3,
  flags: ['write', 'denyoom'],
  group: 'set',
  keys: { first: 1, last: -1, step: 1 },
  summary: 'Intersect multiple sets and store the resulting set in a key',
  since: '1.0.0',
  complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  run(s, args) {
    const members = intersect(s, args.slice(2), 0);
    const limits = setLimits(s.node.config);
    const result = new SetValue();
    for (let i = 0; i < members.length; i++) result.add(members[i]!, limits);
    storeResult(s, args[1]!, result, 'sinterstore');
  },
} as const satisfies CommandSpec;
