import type { CommandSpec } from '../spec.js';
import { SetValue } from '../../keyspace/types/set.js';
import { setLimits, writeSet } from './common.js';

export const sadd = {
  name: 'sadd',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  group: 'set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Add one or more members to a set',
  since: '1.0.0',
  complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  run(s, args) {
    const key = args[1]!;
    const existing = writeSet(s, key);
    const set = existing ?? new SetValue();
    const limits = setLimits(s.node.config);
    let added = 0;
    for (let i = 2; i < args.length; i++) if (set.add(args[i]!, limits)) added++;
    if (existing === undefined) s.db.set(key, set);
    else if (added > 0) s.db.changed(key);
    if (added > 0) s.notify('s', 'sadd', key);
    s.out.int(added);
  },
} as const satisfies CommandSpec;
