import type { CommandSpec } from '../spec.js';
import { wrongArity } from '../../core/errors.js';

export const mset = {
  name: 'mset',
  arity: -3,
  flags: ['write', 'denyoom'],
  group: 'string',
  keys: { first: 1, last: -1, step: 2 },
  tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
  summary: 'Set multiple keys to multiple values',
  since: '1.0.1',
  complexity: 'O(N) where N is the number of keys to set.',
  run(s, args) {
    const n = args.length;
    if (n % 2 === 0) {
      s.error(wrongArity('mset'));
      return;
    }
    const db = s.db;
    for (let i = 1; i < n; i += 2) {
      db.set(args[i]!, args[i + 1]!);
      s.notify('$', 'set', args[i]!);
    }
    s.out.ok();
  },
} as const satisfies CommandSpec;
