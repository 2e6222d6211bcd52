import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { is } from '../args.js';
import { parseSignedCount, pickDistinctIndices } from '../set/random-pick.js';
import { readHash } from './common.js';
import type { Session } from '../session.js';
import type { HashValue } from '../../keyspace/types/hash.js';

/** LONG_MAX / 2: WITHVALUES doubles the reply, so Redis halves the range. */
const HALF_LONG_MAX = 4611686018427387903n;

function writeEntry(s: Session, h: HashValue, i: number, withValues: boolean): void {
  if (withValues) {
    if (s.resp === 3) s.out.array(2);
    s.out.bulk(h.map.keys[i]!);
    s.out.bulk(h.map.vals[i]!);
  } else s.out.bulk(h.map.keys[i]!);
}

export const hrandfield = {
  name: 'hrandfield',
  arity: -2,
  flags: ['readonly'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get one or multiple random fields from a hash',
  since: '6.2.0',
  complexity: 'O(N) where N is the number of fields returned',
  run(s, args) {
    const random = s.node.keyspace.random;
    if (args.length === 2) {
      const h = readHash(s, args[1]!);
      if (h === undefined) s.out.nil();
      else s.out.bulk(h.map.keys[Math.floor(random() * h.size)]!);
      return;
    }
    const l = parseSignedCount(args[2]!);
    if (args.length > 4 || (args.length === 4 && !is(args[3], 'withvalues'))) throw new ReplyError(Err.syntax);
    const withValues = args.length === 4;
    if (withValues && Math.abs(l) >= 4e18) {
      const big = BigInt(args[2]!);
      if (big > HALF_LONG_MAX || big < -HALF_LONG_MAX) throw new ReplyError('ERR value is out of range');
    }
    const h = readHash(s, args[1]!);
    const count = Math.abs(l);
    if (h === undefined || count === 0) {
      s.out.array(0);
      return;
    }
    const size = h.size;
    const flat = withValues && s.resp === 2;
    if (l < 0 || count === 1) {
      // Repeats allowed: independent picks.
      s.out.array(flat ? count * 2 : count);
      for (let n = 0; n < count; n++) writeEntry(s, h, Math.floor(random() * size), withValues);
      return;
    }
    if (count >= size) {
      s.out.array(flat ? size * 2 : size);
      for (let i = 0; i < size; i++) writeEntry(s, h, i, withValues);
      return;
    }
    const picks = pickDistinctIndices(size, count, random);
    s.out.array(flat ? count * 2 : count);
    for (let n = 0; n < count; n++) writeEntry(s, h, picks[n]!, withValues);
  },
} as const satisfies CommandSpec;
