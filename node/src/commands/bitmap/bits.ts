// Bit-level reads over a string value (a latin1 string or a Buffer), in
// Redis's bit order: bit 0 is the most significant bit of byte 0. Buffers
// are counted a 32-bit word at a time; latin1 strings a byte at a time.

import type { Session } from '../session.js';
import { ReplyError } from '../../core/errors.js';
import { Err } from '../../core/errors.js';
import { protoMaxBulkLen } from '../string/common.js';

const POPCOUNT8 = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT8[i] = (i & 1) + POPCOUNT8[i >> 1]!;

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Set bits in bytes [start, end] (inclusive; 0 <= start <= end < length). */
export function popcount(v: string | Buffer, start: number, end: number): number {
  let count = 0;
  let i = start;
  if (typeof v === 'string') {
    for (; i <= end; i++) count += POPCOUNT8[v.charCodeAt(i)]!;
    return count;
  }
  while (i <= end && ((v.byteOffset + i) & 3) !== 0) count += POPCOUNT8[v[i++]!]!;
  const words = (end + 1 - i) >>> 2;
  if (words > 0) {
    const u32 = new Uint32Array(v.buffer, v.byteOffset + i, words);
    for (let k = 0; k < words; k++) count += popcount32(u32[k]!);
    i += words * 4;
  }
  for (; i <= end; i++) count += POPCOUNT8[v[i]!]!;
  return count;
}

/** Index of the highest set bit counted from the left (0..7) of a non-zero byte. */
function leftmostBit(b: number): number {
  return Math.clz32(b) - 24;
}

/**
 * First bit index in [startBit, endBit] (inclusive, within the value) whose
 * value is `bit`, or -1.
 */
export function findBit(v: string | Buffer, startBit: number, endBit: number, bit: 0 | 1): number {
  const firstByte = startBit >>> 3;
  const lastByte = endBit >>> 3;
  // Bits outside the range are masked off after flipping, so "looking for a
  // 0" becomes "looking for a 1" in the complement.
  const flip = bit === 1 ? 0 : 0xff;
  const isString = typeof v === 'string';
  for (let i = firstByte; i <= lastByte; i++) {
    let b = (isString ? (v as string).charCodeAt(i) : (v as Buffer)[i]!) ^ flip;
    if (i === firstByte) b &= 0xff >>> (startBit & 7);
    if (i === lastByte) b &= (0xff << (7 - (endBit & 7))) & 0xff;
    if (b !== 0) return i * 8 + leftmostBit(b);
  }
  return -1;
}

/** getBitOffsetFromArgument: a canonical integer below proto-max-bulk-len * 8. */
export function parseBitOffset(s: Session, text: string): number {
  const n = text.length;
  let ok = n > 0 && n <= 20;
  let i = 0;
  if (ok && text.charCodeAt(0) === 45) ok = false; // negative offsets are refused anyway
  if (ok && text.charCodeAt(0) === 48 && n > 1) ok = false;
  for (; ok && i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) ok = false;
  }
  if (ok) {
    const offset = Number(text);
    if (Math.floor(offset / 8) < protoMaxBulkLen(s)) return offset;
  }
  throw new ReplyError(Err.bitOffset);
}
