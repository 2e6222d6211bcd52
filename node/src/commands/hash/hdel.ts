import type { CommandSpec } from '../spec.js';
import { commitHash, writeHash } from './common.js';

export const hdel = {
  name: 'hdel',
  arity: -3,
  flags: ['write', 'fast'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Delete one or more hash fields',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of fields to be removed.',
  run(s, args) {
    const key = args[1]!;
    const h = writeHash(s, key);
    if (h === undefined) {
      s.out.int(0);
      return;
    }
    let deleted = 0;
    for (let i = 2; i < args.length; i++) {
      if (h.delete(args[i]!)) {
        deleted++;
        // Redis stops once the hash is gone (the key is deleted below).
        if (h.size === 0) break;
      }
    }
    if (deleted > 0) {
      s.notify('h', 'hdel', key);
      commitHash(s, key, h, false);
    }
    s.out.int(deleted);
  },
} as const satisfies CommandSpec;
