import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { readSet } from './common.js';
import { parseSignedCount, pickDistinctIndices } from './random-pick.js';

export const srandmember = {
  name: 'srandmember',
  arity: -2,
  flags: ['readonly'],
  group: 'set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get one or multiple random members from a set',
  since: '1.0.0',
  complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
  run(s, args) {
    const random = s.node.keyspace.random;
    if (args.length > 3) throw new ReplyError(Err.syntax);
    if (args.length === 2) {
      const set = readSet(s, args[1]!);
      if (set === undefined) s.out.nil();
      else s.out.bulk(set.map.keys[Math.floor(random() * set.size)]!);
      return;
    }
    const l = parseSignedCount(args[2]!);
    const set = readSet(s, args[1]!);
    const count = Math.abs(l);
    if (set === undefined || count === 0) {
      s.out.array(0);
      return;
    }
    const keys = set.map.keys;
    const size = keys.length;
    // SRANDMEMBER answers with an array (not a set) even in RESP3, as Redis 7.0 does.
    if (l < 0 || count === 1) {
      s.out.array(count);
      for (let n = 0; n < count; n++) s.out.bulk(keys[Math.floor(random() * size)]!);
      return;
    }
    if (count >= size) {
      s.out.bulks(set.compact ? set.members() : keys);
      return;
    }
    const picks = pickDistinctIndices(size, count, random);
    s.out.array(count);
    for (let n = 0; n < count; n++) s.out.bulk(keys[picks[n]!]!);
  },
} as const satisfies CommandSpec;
