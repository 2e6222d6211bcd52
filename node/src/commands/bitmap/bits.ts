// Bit-level reads over a string value (a latin1 string or a Buffer), in
// Redis's bit order: bit 0 is the most significant bit of byte 0. Buffers
// are counted a 32-bit word at a time; latin1 strings a byte at a time.

import type { Session } from '../session.js';
import { Err, ReplyError } from '../../core/errors.js';
import { protoMaxBulkLen } from '../string/common.js';

const POPCOUNT8 = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT8[i] = (i & 1) + POPCOUNT8[i >> 1]!;

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Ranges of a latin1 string longer than this are copied into a Buffer before
 * scanning: the copy is a memcpy, and word-at-a-time scanning of the Buffer
 * beats charCodeAt byte by byte by far on long values.
 */
const STRING_SCAN_BYTES = 256;

/** Set bits in bytes [start, end] (inclusive; 0 <= start <= end < length). */
export function popcount(v: string | Buffer, start: number, end: number): number {
  let count = 0;
  let i = start;
  if (typeof v === 'string') {
    if (end - start < STRING_SCAN_BYTES) {
      for (; i <= end; i++) count += POPCOUNT8[v.charCodeAt(i)]!;
      return count;
    }
    const b = Buffer.from(v.substring(start, end + 1), 'latin1');
    return popcount(b, 0, b.length - 1);
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

/** First index in [from, to) of a Buffer whose byte is not `skip` (0x00 or 0xff), or `to`. */
function skipBytes(b: Buffer, from: number, to: number, skip: number): number {
  let i = from;
  while (i < to && ((b.byteOffset + i) & 3) !== 0) {
    if (b[i] !== skip) return i;
    i++;
  }
  const words = (to - i) >>> 2;
  if (words > 0) {
    const u32 = new Uint32Array(b.buffer, b.byteOffset + i, words);
    const skipWord = skip === 0 ? 0 : 0xffffffff;
    let k = 0;
    while (k < words && u32[k] === skipWord) k++;
    i += k * 4;
  }
  for (; i < to; i++) if (b[i] !== skip) return i;
  return to;
}

/**
 * First bit index in [startBit, endBit] (inclusive, within the value) whose
 * value is `bit`, or -1.
 */
export function findBit(v: string | Buffer, startBit: number, endBit: number, bit: 0 | 1): number {
  const firstByte = startBit >>> 3;
  const lastByte = endBit >>> 3;
  // Searching for a 0 is searching for a 1 in the complement; bits outside
  // the range are masked off after flipping.
  const flip = bit === 1 ? 0 : 0xff;
  const headMask = 0xff >>> (startBit & 7);
  const tailMask = (0xff << (7 - (endBit & 7))) & 0xff;
  const first = ((typeof v === 'string' ? v.charCodeAt(firstByte) : v[firstByte]!) ^ flip) & headMask;
  if (firstByte === lastByte) {
    const b = first & tailMask;
    return b === 0 ? -1 : firstByte * 8 + leftmostBit(b);
  }
  if (first !== 0) return firstByte * 8 + leftmostBit(first);
  let i: number;
  if (typeof v === 'string') {
    if (lastByte - firstByte < STRING_SCAN_BYTES) {
      for (i = firstByte + 1; i < lastByte && v.charCodeAt(i) === flip; i++);
    } else {
      const b = Buffer.from(v.substring(firstByte + 1, lastByte), 'latin1');
      i = firstByte + 1 + skipBytes(b, 0, b.length, flip);
    }
  } else i = skipBytes(v, firstByte + 1, lastByte, flip);
  if (i < lastByte) {
    const b = (typeof v === 'string' ? v.charCodeAt(i) : v[i]!) ^ flip;
    return i * 8 + leftmostBit(b);
  }
  const last = ((typeof v === 'string' ? v.charCodeAt(lastByte) : v[lastByte]!) ^ flip) & tailMask;
  return last === 0 ? -1 : lastByte * 8 + leftmostBit(last);
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
