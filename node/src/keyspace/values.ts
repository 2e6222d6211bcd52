// What a key can hold. Strings are latin1 JS strings (one char per byte) or,
// once mutated in place (SETRANGE, SETBIT on a large value), Buffers. Every
// other type is a Container that tracks its own size in bytes, so memory
// accounting reads one field instead of walking the value.

export type TypeName = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream';

export interface Container {
  readonly type: Exclude<TypeName, 'string'>;
  /** Approximate heap bytes held by the value (elements and structure). */
  readonly bytes: number;
  /** Number of elements; an empty container is deleted by the command that emptied it. */
  readonly size: number;
  /** What OBJECT ENCODING reports (Redis's encodings for the same size thresholds). */
  encoding(): string;
  /** A deep copy (COPY, and copy-on-write after a snapshot). */
  clone(): Container;
  /**
   * How many replication snapshots still have to serialize this value. While
   * it is above 0 the value must not change: a command about to mutate it
   * works on a clone instead (Database.readForWrite), so taking a snapshot
   * costs no copy of a big container up front.
   */
  snapshotHolds: number;
}

export type Value = string | Buffer | Container;

export function typeOf(v: Value): TypeName {
  if (typeof v === 'string' || Buffer.isBuffer(v)) return 'string';
  return v.type;
}

export function isStringValue(v: Value): v is string | Buffer {
  return typeof v === 'string' || Buffer.isBuffer(v);
}

/** Approximate V8 heap bytes of a latin1 string of `len` chars (header + chars, 8-aligned). */
export function stringBytes(len: number): number {
  return 16 + ((len + 7) & ~7);
}

export function valueBytes(v: Value): number {
  if (typeof v === 'string') return stringBytes(v.length);
  if (Buffer.isBuffer(v)) return 96 + v.length;
  return v.bytes;
}
