import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { is, parseInt64 } from '../args.js';
import { readZset, writeMember } from './common.js';

const LONG_MAX = 9223372036854775807n;

export const zrandmember = {
  name: 'zrandmember',
  arity: -2,
  flags: ['readonly'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get one or multiple random elements from a sorted set',
  since: '6.2.0',
  complexity: 'O(N) where N is the number of elements returned',
  run(s, args) {
    const w = s.out;
    if (args.length === 2) {
      const z = readZset(s, args[1]!);
      if (z === undefined) w.nil();
      else w.bulk(z.dict.keys[Math.floor(s.node.keyspace.random() * z.size)]!);
      return;
    }
    const l = parseInt64(args[2]!);
    if (l === null) throw new ReplyError(Err.notInteger);
    if (l < -LONG_MAX) {
      throw new ReplyError('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
    }
    let withScores = false;
    if (args.length > 4 || (args.length === 4 && !is(args[3], 'withscores'))) throw new ReplyError(Err.syntax);
    if (args.length === 4) {
      withScores = true;
      // Redis refuses counts whose doubled reply length would overflow.
      if (l < -LONG_MAX / 2n || l > LONG_MAX / 2n) throw new ReplyError('ERR value is out of range');
    }
    const unique = l >= 0n;
    const count = Number(unique ? l : -l);
    const z = readZset(s, args[1]!);
    if (z === undefined || count === 0) {
      w.array(0);
      return;
    }
    const size = z.size;
    const keys = z.dict.keys;
    const vals = z.dict.vals;
    const random = s.node.keyspace.random;
    const pairs = withScores && w.resp === 2 ? 2 : 1;

    // With repetitions (negative count) or a single pick: independent draws.
    if (!unique || count === 1) {
      w.array(count * pairs);
      for (let i = 0; i < count; i++) {
        const k = Math.floor(random() * size);
        writeMember(w, keys[k]!, vals[k]!, withScores);
      }
      return;
    }
    // Asking for the whole set or more: all of it, highest first, the order
    // in which Redis walks a listpack here.
    if (count >= size) {
      w.array(size * pairs);
      for (let n = z.last(); n !== null; n = n.backward) writeMember(w, n.member, n.score, withScores);
      return;
    }
    w.array(count * pairs);
    if (count * 3 > size) {
      // Close to the size: a partial Fisher-Yates shuffle of the slots.
      const idx = new Array<number>(size);
      for (let i = 0; i < size; i++) idx[i] = i;
      for (let i = 0; i < count; i++) {
        const j = i + Math.floor(random() * (size - i));
        const t = idx[j]!;
        idx[j] = idx[i]!;
        idx[i] = t;
        writeMember(w, keys[t]!, vals[t]!, withScores);
      }
      return;
    }
    // Far below the size: draw until enough distinct slots came up.
    const seen = new Set<number>();
    while (seen.size < count) {
      const k = Math.floor(random() * size);
      if (seen.has(k)) continue;
      seen.add(k);
      writeMember(w, keys[k]!, vals[k]!, withScores);
    }
  },
} as const satisfies CommandSpec;
