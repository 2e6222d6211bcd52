// String values: a latin1 JS string as the parser produced it, or a Buffer
// once a command mutated the value in place (APPEND to an existing value,
// SETRANGE, SETBIT, BITOP results). This split is also what OBJECT ENCODING
// reports: Redis makes exactly those results "raw", while values stored as
// given (SET, MSET, INCR...) are "int"/"embstr"/"raw" by their content.
//
// Mutable Buffers are allocated here, with spare capacity (as sds does), so
// APPEND is amortised O(1) and SETRANGE/SETBIT touch only the bytes they
// change. Two hazards come with mutating in place, and this module guards both:
// - a Buffer handed to the reply writer may be sent later by reference (big
//   values are not copied), so a reply must not see a later mutation. Callers
//   mark what they hand out with `markExposed`; mutating an exposed region
//   first copies the value (once; the copy is private again);
// - a Buffer made elsewhere (a pool slice, a RESTORE payload) may share memory
//   with something else, so only Buffers allocated here are mutated in place.

/** Bytes of the exposed prefix of each ArrayBuffer this module allocated (0: none). */
const ownedArrays = new WeakMap<ArrayBufferLike, number>();

/** Longest value stored as embstr by Redis (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
const EMBSTR_MAX_BYTES = 44;
/** sds stops doubling its allocation past 1 MB (SDS_MAX_PREALLOC). */
const MAX_PREALLOC_BYTES = 1024 * 1024;

/** Redis's string2l acceptance for int encoding: canonical decimal that fits in 64 bits. */
function isCanonicalLong(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45 /* - */) {
    if (n === 1) return false;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48 /* 0 */) return n === 1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (n - (s.charCodeAt(0) === 45 ? 1 : 0) < 19) return true;
  const v = BigInt(s);
  return v <= 9223372036854775807n && v >= -9223372036854775808n;
}

/**
 * What OBJECT ENCODING reports for a string value: Redis's tryObjectEncoding
 * for values stored as given (int if a canonical integer in range, embstr up
 * to 44 bytes, raw beyond), and raw for values mutated in place (Buffers).
 */
export function stringEncoding(v: string | Buffer): 'int' | 'embstr' | 'raw' {
  if (typeof v !== 'string') return 'raw';
  if (v.length <= 20 && isCanonicalLong(v)) return 'int';
  return v.length <= EMBSTR_MAX_BYTES ? 'embstr' : 'raw';
}

/** The value as a latin1 string (copies a Buffer). */
export function stringText(v: string | Buffer): string {
  return typeof v === 'string' ? v : v.latin1Slice(0, v.length);
}

/** The value as bytes: a Buffer value itself (do not mutate), a string copied. */
export function stringBytesOf(v: string | Buffer): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'latin1') : v;
}

/**
 * Records that `b` (or a view of the same memory) was handed to something that
 * may read it later (a reply, a snapshot): a later in-place mutation of that
 * region copies the value first. Cheap; call it for every Buffer handed out.
 */
export function markExposed(b: Buffer): void {
  const ab = b.buffer;
  const exposed = ownedArrays.get(ab);
  if (exposed === undefined) return;
  const end = b.byteOffset + b.length;
  if (end > exposed) ownedArrays.set(ab, end);
}

/** An independent copy of a string value (COPY, snapshots): strings are immutable, Buffers are copied. */
export function cloneStringValue(v: string | Buffer): string | Buffer {
  if (typeof v === 'string') return v;
  const b = allocOwned(v.length, v.length);
  v.copy(b, 0, 0, v.length);
  return b;
}

/** A new zero-length-capable Buffer of `length` bytes with room for `capacity`, owned here. */
function allocOwned(length: number, capacity: number): Buffer {
  // allocUnsafeSlow never hands out a slice of the shared pool, so the whole
  // ArrayBuffer is ours to grow into.
  const whole = Buffer.allocUnsafeSlow(Math.max(capacity, length, 1));
  ownedArrays.set(whole.buffer, 0);
  return whole.subarray(0, length);
}

/** Allocation for a value about to grow to `len` bytes: double below 1 MB, +1 MB above (sdsMakeRoomFor). */
function capacityFor(len: number): number {
  return len < MAX_PREALLOC_BYTES ? Math.max(len * 2, 16) : len + MAX_PREALLOC_BYTES;
}

/**
 * Returns a Buffer holding the value, at least `newLength` bytes long, whose
 * bytes from `writeFrom` on may be written in place. Bytes past the old end
 * are zeroed if `zeroFill` (SETRANGE gaps, SETBIT growth), else left for the
 * caller to write (APPEND). The result may be `v` itself, a longer view of
 * its memory, or a copy: store it back with Database.replace either way.
 */
export function writableString(v: string | Buffer, newLength: number, writeFrom: number, zeroFill: boolean): Buffer {
  const oldLength = v.length;
  const length = newLength > oldLength ? newLength : oldLength;
  if (typeof v !== 'string') {
    const ab = v.buffer;
    const exposed = ownedArrays.get(ab);
    if (
      exposed !== undefined &&
      exposed <= v.byteOffset + writeFrom &&
      v.byteOffset + length <= ab.byteLength
    ) {
      const b = length === oldLength ? v : Buffer.from(ab, v.byteOffset, length);
      if (zeroFill && length > oldLength) b.fill(0, oldLength, length);
      return b;
    }
  }
  // A value that grows is likely to grow again: leave headroom, as sds does.
  // A new value (SETRANGE/SETBIT on a missing key), or an in-range write
  // copied only because the old bytes are exposed or foreign, gets exact size.
  const b = allocOwned(length, length > oldLength && oldLength > 0 ? capacityFor(length) : length);
  if (typeof v === 'string') b.latin1Write(v, 0);
  else v.copy(b, 0, 0, oldLength);
  if (zeroFill && length > oldLength) b.fill(0, oldLength, length);
  return b;
}

/** Byte at index i of a string value (no bounds check). */
export function byteAt(v: string | Buffer, i: number): number {
  return typeof v === 'string' ? v.charCodeAt(i) : v[i]!;
}
