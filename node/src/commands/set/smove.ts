import type { CommandSpec } from '../spec.js';
import { SetValue } from '../../keyspace/types/set.js';
import { commitShrunkSet, setLimits, writeSet } from './common.js';

export const smove = {
  name: 'smove',
  arity: 4,
  flags: ['write', 'fast'],
  group: 'set',
  keys: { first: 1, last: 2, step: 1 },
  summary: 'Move a member from one set to another',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    const src = args[1]!;
    const dst = args[2]!;
    const member = args[3]!;
    const srcSet = writeSet(s, src);
    // Redis answers 0 for a missing source before it type-checks the destination.
    if (srcSet === undefined) {
      s.out.int(0);
      return;
    }
    const dstSet = writeSet(s, dst);
    if (srcSet === dstSet) {
      s.out.int(srcSet.has(member) ? 1 : 0);
      return;
    }
    if (!srcSet.delete(member)) {
      s.out.int(0);
      return;
    }
    s.notify('s', 'srem', src);
    commitShrunkSet(s, src, srcSet);
    const target = dstSet ?? new SetValue();
    if (target.add(member, setLimits(s.node.config))) {
      if (dstSet === undefined) s.db.set(dst, target);
      else s.db.changed(dst);
      s.notify('s', 'sadd', dst);
    }
    s.out.int(1);
  },
} as const satisfies CommandSpec;
