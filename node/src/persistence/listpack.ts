// Listpack, Redis 7's compact sequence of strings and integers (hash, zset
// and list nodes are stored as one in RDB data):
//   <total-bytes u32 LE> <count u16 LE, 65535 = unknown> <entry>... 0xFF
// and each entry is <encoding+data> <backlen>, where backlen is the size of
// encoding+data in 1-5 bytes of 7 bits, so the list can be walked backwards.
// Integers are stored in the smallest of 7/13/16/24/32/64 bits; strings with
// a 6-bit, 12-bit or 32-bit length.
//
// The reader validates every bound against the blob it was given, since the
// blob comes from the network (RESTORE) and must never read out of range.

import { ByteWriter } from './byte-writer.js';
import { RdbFormatError, check } from './errors.js';
import { isCanonicalInt64, parseCanonical } from './integers.js';
import { readLatin1 } from './latin1.js';

const HEADER_BYTES = 6;
const EOF_BYTE = 0xff;
/** The count field saturates here; the real count is then found by walking. */
const COUNT_UNKNOWN = 65535;

/** Decodes every entry of a listpack as a latin1 string (integers in decimal). */
export function readListpack(blob: Buffer): string[] {
  check(blob.length >= HEADER_BYTES + 1, 'listpack too short');
  const total = blob.readUInt32LE(0);
  check(total === blob.length, 'listpack size mismatch');
  const count = blob.readUInt16LE(4);
  check(blob[total - 1] === EOF_BYTE, 'listpack without terminator');
  const out: string[] = [];
  const end = total - 1;
  let p = HEADER_BYTES;
  while (p < end) {
    const start = p;
    const b = blob[p]!;
    let value: string;
    if ((b & 0x80) === 0) {
      value = String(b & 0x7f);
      p += 1;
    } else if ((b & 0xc0) === 0x80) {
      const len = b & 0x3f;
      check(p + 1 + len <= end, 'listpack string out of range');
      value = readLatin1(blob, p + 1, p + 1 + len);
      p += 1 + len;
    } else if ((b & 0xe0) === 0xc0) {
      check(p + 2 <= end, 'listpack int out of range');
      const uv = ((b & 0x1f) << 8) | blob[p + 1]!;
      value = String(uv >= 1 << 12 ? uv - (1 << 13) : uv);
      p += 2;
    } else if ((b & 0xf0) === 0xe0) {
      check(p + 2 <= end, 'listpack string out of range');
      const len = ((b & 0x0f) << 8) | blob[p + 1]!;
      check(p + 2 + len <= end, 'listpack string out of range');
      value = readLatin1(blob, p + 2, p + 2 + len);
      p += 2 + len;
    } else {
      switch (b) {
        case 0xf0: {
          check(p + 5 <= end, 'listpack string out of range');
          const len = blob.readUInt32LE(p + 1);
          check(p + 5 + len <= end, 'listpack string out of range');
          value = readLatin1(blob, p + 5, p + 5 + len);
          p += 5 + len;
          break;
        }
        case 0xf1:
          check(p + 3 <= end, 'listpack int out of range');
          value = String(blob.readInt16LE(p + 1));
          p += 3;
          break;
        case 0xf2:
          check(p + 4 <= end, 'listpack int out of range');
          value = String(blob.readIntLE(p + 1, 3));
          p += 4;
          break;
        case 0xf3:
          check(p + 5 <= end, 'listpack int out of range');
          value = String(blob.readInt32LE(p + 1));
          p += 5;
          break;
        case 0xf4:
          check(p + 9 <= end, 'listpack int out of range');
          value = blob.readBigInt64LE(p + 1).toString();
          p += 9;
          break;
        default:
          throw new RdbFormatError('listpack bad encoding byte');
      }
    }
    const entryBytes = p - start;
    const backlenBytes = backlenSize(entryBytes);
    check(p + backlenBytes <= end, 'listpack backlen out of range');
    check(decodeBacklen(blob, p + backlenBytes - 1) === entryBytes, 'listpack backlen mismatch');
    p += backlenBytes;
    out.push(value);
  }
  check(p === end, 'listpack entries overrun');
  check(count === COUNT_UNKNOWN || count === out.length, 'listpack count mismatch');
  return out;
}

/** Bytes lpEncodeBacklen uses for an entry of `l` bytes (note Redis's strict bounds). */
function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Reads a backlen whose last byte is at `p`, walking backwards as lpDecodeBacklen does. */
function decodeBacklen(blob: Buffer, p: number): number {
  let val = 0;
  let shift = 0;
  for (;;) {
    const b = blob[p]!;
    val += (b & 127) * 2 ** shift;
    if ((b & 128) === 0) break;
    shift += 7;
    p--;
    if (shift > 28) return -1;
  }
  return val;
}

function writeBacklen(w: ByteWriter, l: number): void {
  const n = backlenSize(l);
  // Most significant group first; every byte but the first has the high bit set.
  for (let k = n - 1; k >= 0; k--) {
    const group = Math.floor(l / 2 ** (7 * k)) & 127;
    w.byte(k === n - 1 ? group : group | 128);
  }
}

/** Bytes of one entry's encoding+data (without backlen). */
function writeEntry(w: ByteWriter, s: string): void {
  const start = w.length;
  if (s.length <= 20 && isCanonicalInt64(s)) {
    const v = parseCanonical(s);
    if (typeof v === 'number' && v >= 0 && v <= 127) {
      w.byte(v);
    } else if (typeof v === 'number' && v >= -4096 && v <= 4095) {
      const u = v < 0 ? (1 << 13) + v : v;
      w.byte(0xc0 | (u >>> 8));
      w.byte(u & 0xff);
    } else if (typeof v === 'number' && v >= -32768 && v <= 32767) {
      w.byte(0xf1);
      w.intLE(v, 2);
    } else if (typeof v === 'number' && v >= -8388608 && v <= 8388607) {
      w.byte(0xf2);
      w.intLE(v, 3);
    } else if (typeof v === 'number' && v >= -2147483648 && v <= 2147483647) {
      w.byte(0xf3);
      w.intLE(v, 4);
    } else {
      w.byte(0xf4);
      w.i64le(BigInt(v));
    }
  } else {
    const len = s.length;
    if (len < 64) {
      w.byte(0x80 | len);
    } else if (len < 4096) {
      w.byte(0xe0 | (len >>> 8));
      w.byte(len & 0xff);
    } else {
      w.byte(0xf0);
      w.u32le(len);
    }
    w.latin1(s);
  }
  writeBacklen(w, w.length - start);
}

/** Builds a listpack blob holding `items` in order. */
export function buildListpack(items: readonly string[]): Buffer {
  const w = new ByteWriter(HEADER_BYTES + 1 + items.length * 4);
  w.u32le(0);
  w.u16le(0);
  for (let i = 0; i < items.length; i++) writeEntry(w, items[i]!);
  w.byte(EOF_BYTE);
  w.patchU32le(0, w.length);
  w.patchU16le(4, Math.min(items.length, COUNT_UNKNOWN));
  return w.take();
}

/** Encoded size of `s` as a listpack entry, backlen included (to pack list nodes). */
export function listpackEntryBytes(s: string): number {
  let body: number;
  if (s.length <= 20 && isCanonicalInt64(s)) {
    const v = parseCanonical(s);
    if (typeof v !== 'number') body = 9;
    else if (v >= 0 && v <= 127) body = 1;
    else if (v >= -4096 && v <= 4095) body = 2;
    else if (v >= -32768 && v <= 32767) body = 3;
    else if (v >= -8388608 && v <= 8388607) body = 4;
    else if (v >= -2147483648 && v <= 2147483647) body = 5;
    else body = 9;
  } else {
    const len = s.length;
    body = len + (len < 64 ? 1 : len < 4096 ? 2 : 5);
  }
  return body + backlenSize(body);
}

/** Bytes of an empty listpack (header and terminator). */
export const LISTPACK_EMPTY_BYTES = HEADER_BYTES + 1;
