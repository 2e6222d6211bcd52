// LZF, the compression Redis applies to strings longer than 20 bytes in RDB
// data (rdbcompression yes) and to compressed quicklist nodes. The format is
// a sequence of runs: a control byte below 32 starts a literal run of
// ctrl+1 bytes; otherwise the top 3 bits are a back-reference length (7
// means "read one more length byte") and the low 5 bits plus the next byte
// are the distance - 1, and the copy may overlap its own output.

import { check } from './errors.js';

/**
 * Back-references at least this long are copied with typed-array builtins
 * (fill, copyWithin) instead of a byte loop: about 4x faster on the 264-byte
 * matches a run of one byte compresses to.
 */
const LONG_REF_BYTES = 32;
/** Uint8Array's builtin fill (Buffer#fill validates its arguments in JS first). */
const fillBytes = Uint8Array.prototype.fill;

/** Decompresses `input` into exactly `outLength` bytes; throws RdbFormatError on any inconsistency. */
export function lzfDecompress(input: Uint8Array, outLength: number): Buffer {
  const d = new LzfDecoder(input, outLength);
  d.step(Infinity);
  return d.result();
}

/**
 * A resumable decompressor: `step(n)` decodes runs until about n more output
 * bytes exist (or the input ends), so a multi-MB string can be inflated over
 * several event-loop turns. Runs are never split, and back-references only
 * reach into the output already written, so pausing between runs is free.
 */
export class LzfDecoder {
  private readonly out: Buffer;
  private ip = 0;
  private op = 0;

  constructor(
    private readonly input: Uint8Array,
    private readonly outLength: number,
  ) {
    this.out = Buffer.allocUnsafe(outLength);
  }

  /** Decodes about `budget` output bytes; true once the input is consumed. */
  step(budget: number): boolean {
    const input = this.input;
    const out = this.out;
    const outLength = this.outLength;
    const inEnd = input.length;
    let ip = this.ip;
    let op = this.op;
    const stopAt = op + budget;
    while (ip < inEnd && op < stopAt) {
      const ctrl = input[ip++]!;
      if (ctrl < 32) {
        const run = ctrl + 1;
        check(op + run <= outLength && ip + run <= inEnd, 'Invalid LZF compressed string');
        for (let k = 0; k < run; k++) out[op++] = input[ip++]!;
        continue;
      }
      let len = ctrl >>> 5;
      if (len === 7) {
        check(ip < inEnd, 'Invalid LZF compressed string');
        len += input[ip++]!;
      }
      check(ip < inEnd, 'Invalid LZF compressed string');
      const ref = op - ((ctrl & 0x1f) << 8) - input[ip++]! - 1;
      len += 2;
      check(ref >= 0 && op + len <= outLength, 'Invalid LZF compressed string');
      const dist = op - ref;
      if (len < LONG_REF_BYTES) {
        // Byte by byte: the reference may overlap the bytes being written.
        for (let k = 0; k < len; k++) out[op++] = out[ref + k]!;
      } else if (dist === 1) {
        // A run of one byte (the common long match: padding, repeated characters).
        fillBytes.call(out, out[ref]!, op, op + len);
        op += len;
      } else {
        // The output repeats with period dist from ref on: copy the pattern,
        // then ever larger blocks of it (each a multiple of dist, so aligned).
        let block = dist;
        const stop = op + len;
        while (op < stop) {
          const n = Math.min(block, stop - op);
          out.copyWithin(op, op - block, op - block + n);
          op += n;
          block *= 2;
        }
      }
    }
    this.ip = ip;
    this.op = op;
    return ip >= inEnd;
  }

  /** The output, once `step` returned true; throws if it is not exactly outLength bytes. */
  result(): Buffer {
    check(this.ip >= this.input.length && this.op === this.outLength, 'Invalid LZF compressed string');
    return this.out;
  }
}

const HASH_LOG = 14;
const HASH_SIZE = 1 << HASH_LOG;
const MAX_LITERAL = 32;
const MAX_OFFSET = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/**
 * The hash table of recent positions, shared by every call and never
 * cleared: an entry left by an earlier input is only a candidate, used if it
 * lies before the current position and its bytes really match, which makes
 * any such entry a valid back-reference. Clearing 64 KB per call would cost
 * more than compressing a short string.
 */
const sharedTable = new Int32Array(HASH_SIZE).fill(-1);

/**
 * Compresses `input`; returns null when the result would not be shorter
 * than `maxOut` bytes (Redis then stores the string uncompressed).
 */
export function lzfCompress(input: Uint8Array, maxOut: number): Buffer | null {
  if (input.length < 4 || maxOut <= 0) return null;
  const out = Buffer.allocUnsafe(maxOut + LZF_OUT_SLACK);
  const n = lzfCompressInto(input, maxOut, out, 0);
  return n < 0 ? null : out.subarray(0, n);
}

/** Room an output needs beyond maxOut (a literal run may overshoot before the check). */
export const LZF_OUT_SLACK = MAX_LITERAL + 1;

/**
 * lzfCompress into out[outStart, outStart + maxOut + LZF_OUT_SLACK) (no
 * allocation: a multi-MB string is compressed slice by slice straight into
 * its payload). Returns the bytes written, or -1 when the result would not be
 * shorter than maxOut bytes.
 */
export function lzfCompressInto(input: Uint8Array, maxOut: number, out: Uint8Array, outStart: number): number {
  const inLen = input.length;
  if (inLen < 4 || maxOut <= 0) return -1;
  const limit = outStart + maxOut;
  const table = sharedTable;
  const words = new DataView(input.buffer, input.byteOffset, inLen);
  let ip = 0;
  let op = outStart + 1; // room for the first literal's control byte
  let lit = 0;
  const hashAt = (i: number): number => {
    const v = (input[i]! << 16) | (input[i + 1]! << 8) | input[i + 2]!;
    return ((v * 2654435761) >>> (32 - HASH_LOG)) & (HASH_SIZE - 1);
  };
  while (ip < inLen - 2) {
    const h = hashAt(ip);
    const ref = table[h]!;
    table[h] = ip;
    const off = ip - ref - 1;
    if (
      ref >= 0 &&
      ref < ip &&
      off < MAX_OFFSET &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1] &&
      input[ref + 2] === input[ip + 2]
    ) {
      let len = 3;
      const maxLen = Math.min(inLen - ip - 2, MAX_REF);
      // The first three bytes matched; extend the match four bytes per load
      // while it lasts (about 3x the byte loop on long matches), then by bytes.
      while (len + 4 <= maxLen && words.getInt32(ref + len) === words.getInt32(ip + len)) len += 4;
      while (len < maxLen && input[ref + len] === input[ip + len]) len++;
      len -= 2; // the format stores length - 2
      if (op + 3 + 1 > limit) return -1;
      // Close the pending literal run (drop its control byte if empty).
      out[op - lit - 1] = lit - 1;
      if (lit === 0) op--;
      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start a new literal run
      ip += len + 2;
      if (ip >= inLen - 2) break;
      // Index the positions inside the match so later data can refer to them.
      table[hashAt(ip - 1)] = ip - 1;
      continue;
    }
    if (op >= limit) return -1;
    lit++;
    out[op++] = input[ip++]!;
    if (lit === MAX_LITERAL) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  while (ip < inLen) {
    if (op >= limit) return -1;
    lit++;
    out[op++] = input[ip++]!;
    if (lit === MAX_LITERAL) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  if (op > limit) return -1;
  return op - outStart;
}
