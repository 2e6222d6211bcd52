import type { CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { readKey } from '../string/common.js';
import { parseBitOffset } from './bits.js';

export const getbit = {
  name: 'getbit',
  arity: 3,
  flags: ['readonly', 'fast'],
  group: 'bitmap',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Returns the bit value at offset in the string value stored at key',
  since: '2.2.0',
  complexity: 'O(1)',
  run(s, args) {
    const offset = parseBitOffset(s, args[2]!);
    const v = readKey(s, args[1]!);
    if (v === undefined) {
      s.out.int(0);
      return;
    }
    if (typeof v !== 'string' && !Buffer.isBuffer(v)) {
      s.error(Err.wrongType);
      return;
    }
    const byte = Math.floor(offset / 8);
    if (byte >= v.length) {
      s.out.int(0);
      return;
    }
    const b = typeof v === 'string' ? v.charCodeAt(byte) : v[byte]!;
    s.out.int((b >> (7 - (offset & 7))) & 1);
  },
} as const satisfies CommandSpec;
