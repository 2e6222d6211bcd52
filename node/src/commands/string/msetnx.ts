import type { CommandSpec } from '../spec.js';
import { wrongArity } from '../../core/errors.js';

export const msetnx = {
  name: 'msetnx',
  arity: -3,
  flags: ['write', 'denyoom'],
  group: 'string',
  keys: { first: 1, last: -1, step: 2 },
  tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
  summary: 'Set multiple keys to multiple values, only if none of the keys exist',
  since: '1.0.1',
  complexity: 'O(N) where N is the number of keys to set.',
  run(s, args) {
    const n = args.length;
    if (n % 2 === 0) {
      s.error(wrongArity('msetnx'));
      return;
    }
    const db = s.db;
    const now = s.nowMs;
    for (let i = 1; i < n; i += 2) {
      if (db.read(args[i]!, now) !== undefined) {
        s.out.int(0);
        return;
      }
    }
    for (let i = 1; i < n; i += 2) {
      db.set(args[i]!, args[i + 1]!);
      s.notify('$', 'set', args[i]!);
    }
    s.out.int(1);
  },
} as const satisfies CommandSpec;
