import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { is, parseInteger } from '../args.js';
import { readKey } from '../string/common.js';
import { popcount } from './bits.js';

export const bitcount = {
  name: 'bitcount',
  arity: -2,
  flags: ['readonly'],
  group: 'bitmap',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Count set bits in a string',
  since: '2.6.0',
  complexity: 'O(N)',
  run(s, args) {
    // Redis looks the key up first: a missing key answers 0 whatever follows.
    const v = readKey(s, args[1]!);
    if (v === undefined) {
      s.out.int(0);
      return;
    }
    if (typeof v !== 'string' && !Buffer.isBuffer(v)) {
      s.error(Err.wrongType);
      return;
    }
    const len = v.length;
    const argc = args.length;
    if (argc === 2) {
      s.out.int(len === 0 ? 0 : popcount(v, 0, len - 1));
      return;
    }
    if (argc !== 4 && argc !== 5) throw new ReplyError(Err.syntax);
    let start = parseInteger(args[2]!);
    let end = parseInteger(args[3]!);
    if (start === null || end === null) throw new ReplyError(Err.notInteger);
    if (start < 0 && end < 0 && start > end) {
      s.out.int(0);
      return;
    }
    let isBit = false;
    if (argc === 5) {
      if (is(args[4], 'bit')) isBit = true;
      else if (!is(args[4], 'byte')) throw new ReplyError(Err.syntax);
    }
    const total = isBit ? len * 8 : len;
    if (start < 0) start = total + start;
    if (end < 0) end = total + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= total) end = total - 1;
    if (start > end) {
      s.out.int(0);
      return;
    }
    if (!isBit) {
      s.out.int(popcount(v, start, end));
      return;
    }
    const firstByte = Math.floor(start / 8);
    const lastByte = Math.floor(end / 8);
    let count = popcount(v, firstByte, lastByte);
    // Take back the bits of the edge bytes that lie outside the bit range.
    const first = typeof v === 'string' ? v.charCodeAt(firstByte) : v[firstByte]!;
    const last = typeof v === 'string' ? v.charCodeAt(lastByte) : v[lastByte]!;
    const headMask = (0xff << (8 - (start & 7))) & 0xff;
    const tailMask = (1 << (7 - (end & 7))) - 1;
    count -= popcount8(first & headMask) + popcount8(last & tailMask);
    s.out.int(count);
  },
} as const satisfies CommandSpec;

function popcount8(b: number): number {
  let n = 0;
  for (; b; b &= b - 1) n++;
  return n;
}
