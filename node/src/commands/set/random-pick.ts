// Random selection shared by HRANDFIELD, SRANDMEMBER and SPOP. Redis picks
// distinct elements in two ways by how much of the collection is wanted:
// near the whole of it, shuffling is cheaper than rejecting repeats;
// for a small part, rejection sampling costs O(count) expected.

import { Err, ReplyError } from '../../core/errors.js';
import { parseInteger } from '../args.js';

/** `count` distinct indices of [0, size) in random order; requires count <= size. */
export function pickDistinctIndices(size: number, count: number, random: () => number): number[] {
  if (count * 3 > size) {
    const idx: number[] = new Array<number>(size);
    for (let i = 0; i < size; i++) idx[i] = i;
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(random() * (size - i));
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
    }
    idx.length = count;
    return idx;
  }
  const seen = new Set<number>();
  const out: number[] = [];
  while (out.length < count) {
    const j = Math.floor(random() * size);
    if (!seen.has(j)) {
      seen.add(j);
      out.push(j);
    }
  }
  return out;
}

/**
 * Parses a count in [-LONG_MAX, LONG_MAX] as Redis's getRangeLongFromObjectOrReply
 * does when given no message (SRANDMEMBER, HRANDFIELD); throws the reply error.
 */
export function parseSignedCount(arg: string): number {
  const n = parseInteger(arg);
  if (n === null) throw new ReplyError(Err.notInteger);
  // LONG_MIN is the one int64 outside the range; as a double it is not distinguishable, so compare the text.
  if (arg === '-9223372036854775808') {
    throw new ReplyError('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  }
  return n;
}
