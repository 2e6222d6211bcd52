// A growable output buffer for RDB encoding: appends bytes, integers in the
// byte orders the format uses (little-endian inside listpacks/intsets,
// big-endian for RDB lengths) and latin1 strings (one char per byte).

import { writeLatin1 } from './latin1.js';

export class ByteWriter {
  private buf: Buffer;
  length = 0;

  constructor(initialBytes = 256) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Makes room for n more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    // A big jump (a multi-MB string reserved in one go): that size plus a
    // little for what follows (the payload footer), not the next power of two.
    if (cap < need) cap = need + 256;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Appends a latin1 string's bytes. */
  latin1(s: string): void {
    this.reserve(s.length);
    this.length += writeLatin1(this.buf, s, this.length);
  }

  u16le(v: number): void {
    this.reserve(2);
    this.length = this.buf.writeUInt16LE(v, this.length);
  }

  u32le(v: number): void {
    this.reserve(4);
    this.length = this.buf.writeUInt32LE(v, this.length);
  }

  u32be(v: number): void {
    this.reserve(4);
    this.length = this.buf.writeUInt32BE(v, this.length);
  }

  /** Integer of `width` bytes (1, 2, 3, 4 or 6), little-endian two's complement. */
  intLE(v: number, width: number): void {
    this.reserve(width);
    this.length = this.buf.writeIntLE(v, this.length, width);
  }

  i64le(v: bigint): void {
    this.reserve(8);
    this.length = this.buf.writeBigInt64LE(v, this.length);
  }

  u64be(v: bigint): void {
    this.reserve(8);
    this.length = this.buf.writeBigUInt64BE(v, this.length);
  }

  f64le(v: number): void {
    this.reserve(8);
    this.length = this.buf.writeDoubleLE(v, this.length);
  }

  /** Overwrites a u32 LE at `offset` (a header written before its value is known). */
  patchU32le(offset: number, v: number): void {
    this.buf.writeUInt32LE(v, offset);
  }

  patchU8(offset: number, v: number): void {
    this.buf[offset] = v;
  }

  patchU16le(offset: number, v: number): void {
    this.buf.writeUInt16LE(v, offset);
  }

  /**
   * Lets `fill` write up to maxBytes in place at the end (no intermediate
   * buffer): it gets the internal buffer and the offset, and returns how many
   * bytes it wrote, or a negative number for none. Returns the same.
   */
  writeInPlace(maxBytes: number, fill: (buf: Buffer, at: number) => number): number {
    this.reserve(maxBytes);
    const n = fill(this.buf, this.length);
    if (n > 0) this.length += n;
    return n;
  }

  /** Moves the bytes from `from` to the end back by `by` bytes (dropping the `by` bytes before `from`). */
  shiftDown(from: number, by: number): void {
    this.buf.copyWithin(from - by, from, this.length);
    this.length -= by;
  }

  /**
   * The internal buffer (valid until the next write; bytes past `length` are
   * garbage): for a caller that reads a range in place, where view() would
   * allocate a Buffer object per call (MIGRATE encodes thousands of keys a
   * second).
   */
  get backing(): Buffer {
    return this.buf;
  }

  /** Appends bytes [start, end) of `from` (another writer's backing buffer, say). */
  bytesOf(from: Buffer, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    from.copy(this.buf, this.length, start, end);
    this.length += n;
  }

  /** The bytes written so far (a view: valid until the next write). */
  view(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  /**
   * The bytes written, without a copy when they are large (a view of the
   * internal buffer; the writer must not be used afterwards), else as an
   * exact-size copy (a small result should not pin a larger buffer).
   */
  finish(): Buffer {
    if (this.length >= BIG_RESULT_BYTES) return this.buf.subarray(0, this.length);
    return this.take();
  }

  /** The bytes written, as an exact-size copy. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.length);
    this.buf.copy(out, 0, 0, this.length);
    return out;
  }
}

/** finish() hands out a view instead of copying from this size on (a 64 MB copy is a stall). */
const BIG_RESULT_BYTES = 1 << 20;
