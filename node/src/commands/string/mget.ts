import type { CommandSpec } from '../spec.js';
import { readKey, replyValue } from './common.js';

export const mget = {
  name: 'mget',
  arity: -2,
  flags: ['readonly', 'fast'],
  group: 'string',
  keys: { first: 1, last: -1, step: 1 },
  tips: ['request_policy:multi_shard'],
  summary: 'Get the values of all the given keys',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of keys to retrieve.',
  run(s, args) {
    const n = args.length;
    s.out.array(n - 1);
    for (let i = 1; i < n; i++) {
      const v = readKey(s, args[i]!);
      // A key of another type reads as nil here, not as an error.
      if (typeof v === 'string') s.out.bulk(v);
      else if (Buffer.isBuffer(v)) replyValue(s, v);
      else s.out.nil();
    }
  },
} as const satisfies CommandSpec;
