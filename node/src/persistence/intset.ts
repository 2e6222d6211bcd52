// Intset, Redis's sorted array of integers for small all-integer sets:
//   <encoding u32 LE: 2, 4 or 8 bytes per value> <length u32 LE> <values LE, ascending>
// Written with the narrowest width that holds every member, as Redis's
// intsetAdd upgrades it; read with the bounds and order checked.

import { ByteWriter } from './byte-writer.js';
import { check } from './errors.js';
import { INT64_MAX, INT64_MIN } from './integers.js';

export function readIntset(blob: Buffer): string[] {
  check(blob.length >= 8, 'intset too short');
  const width = blob.readUInt32LE(0);
  check(width === 2 || width === 4 || width === 8, 'intset bad encoding');
  const count = blob.readUInt32LE(4);
  check(blob.length === 8 + count * width, 'intset size mismatch');
  const out = new Array<string>(count);
  let prev: bigint | number | null = null;
  for (let i = 0; i < count; i++) {
    const off = 8 + i * width;
    const v: number | bigint = width === 2 ? blob.readInt16LE(off) : width === 4 ? blob.readInt32LE(off) : blob.readBigInt64LE(off);
    // Strictly ascending: an intset holds no duplicates and is searched by bisection.
    check(prev === null || prev < v, 'intset not sorted');
    prev = v;
    out[i] = v.toString();
  }
  return out;
}

/** Builds an intset from canonical integer strings (any order, no duplicates). */
export function buildIntset(members: readonly string[]): Buffer {
  const values = members.map((m) => BigInt(m));
  values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const v of values) {
    if (v < INT64_MIN || v > INT64_MAX) throw new Error('assertion failed: intset member out of range');
    if (v < -2147483648n || v > 2147483647n) width = 8;
    else if ((v < -32768n || v > 32767n) && width < 4) width = 4;
  }
  const w = new ByteWriter(8 + values.length * width);
  w.u32le(width);
  w.u32le(values.length);
  for (const v of values) {
    if (width === 8) w.i64le(v);
    else w.intLE(Number(v), width);
  }
  return w.take();
}
