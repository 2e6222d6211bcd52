// Ziplist, the compact encoding before listpack (Redis <= 6.2). Redis 7.0
// never writes it but still loads it from older RDB files and DUMP payloads
// (RDB types LIST_ZIPLIST, LIST_QUICKLIST, HASH_ZIPLIST, ZSET_ZIPLIST):
//   <zlbytes u32 LE> <zltail u32 LE> <zllen u16 LE> <entry>... 0xFF
// each entry being <prevlen: 1 byte, or 0xFE + u32 LE> <encoding> <data>.
// Only read here, with every bound checked against the blob.

import { RdbFormatError, check } from './errors.js';
import { readLatin1 } from './latin1.js';

const HEADER_BYTES = 10;
const END = 0xff;
const COUNT_UNKNOWN = 65535;

export function readZiplist(blob: Buffer): string[] {
  check(blob.length >= HEADER_BYTES + 1, 'ziplist too short');
  const total = blob.readUInt32LE(0);
  check(total === blob.length, 'ziplist size mismatch');
  const tail = blob.readUInt32LE(4);
  check(tail < total, 'ziplist tail out of range');
  const count = blob.readUInt16LE(8);
  check(blob[total - 1] === END, 'ziplist without terminator');
  const end = total - 1;
  const out: string[] = [];
  let p = HEADER_BYTES;
  let prevEntryBytes = 0;
  while (p < end) {
    const start = p;
    // prevlen
    let prevlen: number;
    if (blob[p]! < 254) {
      prevlen = blob[p]!;
      p += 1;
    } else {
      check(blob[p] === 254 && p + 5 <= end, 'ziplist bad prevlen');
      prevlen = blob.readUInt32LE(p + 1);
      p += 5;
    }
    check(prevlen === prevEntryBytes, 'ziplist prevlen mismatch');
    check(p < end, 'ziplist entry out of range');
    const b = blob[p]!;
    let value: string;
    switch (b >>> 6) {
      case 0: {
        const len = b & 0x3f;
        check(p + 1 + len <= end, 'ziplist string out of range');
        value = readLatin1(blob, p + 1, p + 1 + len);
        p += 1 + len;
        break;
      }
      case 1: {
        check(p + 2 <= end, 'ziplist string out of range');
        const len = ((b & 0x3f) << 8) | blob[p + 1]!;
        check(p + 2 + len <= end, 'ziplist string out of range');
        value = readLatin1(blob, p + 2, p + 2 + len);
        p += 2 + len;
        break;
      }
      case 2: {
        check(b === 0x80 && p + 5 <= end, 'ziplist bad string encoding');
        const len = blob.readUInt32BE(p + 1);
        check(p + 5 + len <= end, 'ziplist string out of range');
        value = readLatin1(blob, p + 5, p + 5 + len);
        p += 5 + len;
        break;
      }
      default: {
        const need = (n: number): void => check(p + 1 + n <= end, 'ziplist int out of range');
        if (b === 0xc0) {
          need(2);
          value = String(blob.readInt16LE(p + 1));
          p += 3;
        } else if (b === 0xd0) {
          need(4);
          value = String(blob.readInt32LE(p + 1));
          p += 5;
        } else if (b === 0xe0) {
          need(8);
          value = blob.readBigInt64LE(p + 1).toString();
          p += 9;
        } else if (b === 0xf0) {
          need(3);
          value = String(blob.readIntLE(p + 1, 3));
          p += 4;
        } else if (b === 0xfe) {
          need(1);
          value = String(blob.readInt8(p + 1));
          p += 2;
        } else if (b >= 0xf1 && b <= 0xfd) {
          // 4-bit immediate: 0001..1101 stand for 0..12.
          value = String((b & 0x0f) - 1);
          p += 1;
        } else {
          throw new RdbFormatError('ziplist bad encoding byte');
        }
      }
    }
    prevEntryBytes = p - start;
    out.push(value);
  }
  check(p === end, 'ziplist entries overrun');
  check(count === COUNT_UNKNOWN || count === out.length, 'ziplist count mismatch');
  return out;
}
