import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { is, parseInteger } from '../args.js';
import { readKey } from '../string/common.js';
import { findBit } from './bits.js';

export const bitpos = {
  name: 'bitpos',
  arity: -3,
  flags: ['readonly'],
  group: 'bitmap',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Find first bit set or clear in a string',
  since: '2.8.7',
  complexity: 'O(N)',
  run(s, args) {
    const bitArg = parseInteger(args[2]!);
    if (bitArg === null) throw new ReplyError(Err.notInteger);
    if (bitArg !== 0 && bitArg !== 1) throw new ReplyError('ERR The bit argument must be 1 or 0.');
    const bit = bitArg;
    const v = readKey(s, args[1]!);
    // A missing key is an endless run of zeros.
    if (v === undefined) {
      s.out.int(bit ? -1 : 0);
      return;
    }
    if (typeof v !== 'string' && !Buffer.isBuffer(v)) {
      s.error(Err.wrongType);
      return;
    }
    const len = v.length;
    const argc = args.length;
    let start = 0;
    let end = len - 1;
    let isBit = false;
    let endGiven = false;
    if (argc >= 4 && argc <= 6) {
      const st = parseInteger(args[3]!);
      if (st === null) throw new ReplyError(Err.notInteger);
      start = st;
      if (argc === 6) {
        if (is(args[5], 'bit')) isBit = true;
        else if (!is(args[5], 'byte')) throw new ReplyError(Err.syntax);
      }
      const total = isBit ? len * 8 : len;
      if (argc >= 5) {
        const en = parseInteger(args[4]!);
        if (en === null) throw new ReplyError(Err.notInteger);
        end = en;
        endGiven = true;
      } else end = total - 1;
      if (start < 0) start = total + start;
      if (end < 0) end = total + end;
      if (start < 0) start = 0;
      if (end < 0) end = 0;
      if (end >= total) end = total - 1;
    } else if (argc !== 3) throw new ReplyError(Err.syntax);
    // An empty range holds neither a 0 nor a 1.
    if (start > end) {
      s.out.int(-1);
      return;
    }
    const startBit = isBit ? start : start * 8;
    const endBit = isBit ? end : end * 8 + 7;
    const pos = findBit(v, startBit, endBit, bit);
    if (pos >= 0 || bit === 1 || endGiven) {
      s.out.int(pos);
      return;
    }
    // Looking for a 0 with no end given: the string continues with zeros.
    s.out.int(len * 8);
  },
} as const satisfies CommandSpec;
