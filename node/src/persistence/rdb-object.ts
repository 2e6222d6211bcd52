// One value in Redis's RDB object encoding (what DUMP serialises and what an
// .rdb file holds per key): a type byte, then the value in that type's layout.
//
// Reading accepts every layout redis-server 7.0 can load for the types
// Tessera has: strings (raw, int-encoded, LZF), lists (plain, ziplist,
// quicklist of ziplists, quicklist v2 of listpacks or plain nodes), sets
// (plain, intset), hashes (plain, ziplist, listpack), sorted sets (plain with
// text scores, ZSET_2 with binary doubles, ziplist, listpack). Writing
// produces what redis-server 7.0 itself writes: the compact layout
// (listpack, intset) while the value is compact by Redis's thresholds, the
// plain one beyond, and lists always as a quicklist v2 of listpack nodes.
//
// Decoded values are built through the type classes' public APIs with the
// node's encoding limits, so OBJECT ENCODING reports what Redis would after
// loading the same data. Anything malformed throws RdbFormatError.

import { ByteWriter } from './byte-writer.js';
import { RdbFormatError, check } from './errors.js';
import { LZF_OUT_SLACK, LzfDecoder, lzfCompress, lzfCompressInto, lzfDecompress } from './lzf.js';
import { buildListpack, listpackEntryBytes, readListpack, LISTPACK_EMPTY_BYTES } from './listpack.js';
import { readZiplist } from './ziplist.js';
import { buildIntset, readIntset } from './intset.js';
import { isCanonicalInt64 } from './integers.js';
import { readLatin1 } from './latin1.js';
import type { Value } from '../keyspace/values.js';
import { ListValue } from '../keyspace/types/list.js';
import { SetValue, DEFAULT_SET_LIMITS, type SetLimits } from '../keyspace/types/set.js';
import { HashValue, DEFAULT_HASH_LIMITS, type HashLimits } from '../keyspace/types/hash.js';
import { ZSetValue, DEFAULT_ZSET_LIMITS, type ZSetLimits } from '../keyspace/types/zset.js';

/** RDB object types (rdb.h). */
export const RdbType = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  MODULE_2: 7,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
} as const;

/** Quicklist v2 node containers. */
const QUICKLIST_NODE_PLAIN = 1;
const QUICKLIST_NODE_PACKED = 2;

/** Length prefixes (rdbSaveLen/rdbLoadLen): the two top bits of the first byte. */
const LEN_6BIT = 0;
const LEN_14BIT = 1;
const LEN_32BIT = 0x80;
const LEN_64BIT = 0x81;
const LEN_ENCVAL = 3;
/** Special string encodings after an ENCVAL prefix. */
const ENC_INT8 = 0;
const ENC_INT16 = 1;
const ENC_INT32 = 2;
const ENC_LZF = 3;

/** Redis compresses only strings longer than this (rdbSaveRawString). */
const LZF_MIN_BYTES = 20;

/**
 * Strings at least this long are handled in slices by the stepped reader and
 * writer, with a yield between slices, and the stepped reader returns them as
 * Buffers. Slices are sized in time, not just bytes: the first slices run
 * before the JIT has optimised the loop (a cold 1 MB LZF slice took 15-50 ms
 * here, a warm one 3-5 ms), and a copy into fresh memory pays its page faults
 * (about 0.5 ms per MB). LZF slices grow from 16 KB to 256 KB, copies are
 * 1 MB: each step stays within a few ms, cold or warm.
 */
export const BIG_STRING_BYTES = 1 << 20;
const LZF_MAX_SLICE_BYTES = 256 << 10;
/** LZF slices start this small and double (the cold first slices are the slow ones). */
const LZF_FIRST_SLICE_BYTES = 16 << 10;
const COPY_SLICE_BYTES = 1 << 20;

export interface DecodeLimits {
  readonly set: SetLimits;
  readonly hash: HashLimits;
  readonly zset: ZSetLimits;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { set: DEFAULT_SET_LIMITS, hash: DEFAULT_HASH_LIMITS, zset: DEFAULT_ZSET_LIMITS };

export interface EncodeOptions {
  /** list-max-listpack-size: negative = node size class (-2 = 8 KB), positive = entries per node. */
  readonly listMaxListpackSize: number;
  /** rdbcompression: LZF-compress strings longer than 20 bytes when that saves space. */
  readonly compress: boolean;
}

export const DEFAULT_ENCODE_OPTIONS: EncodeOptions = { listMaxListpackSize: -2, compress: false };

// ---------------------------------------------------------------- reading

/** A cursor over an RDB byte range with Redis's primitive loaders. */
export class RdbReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  /** Throws RdbFormatError unless n more bytes are left. */
  need(n: number): void {
    check(this.pos + n <= this.end, 'unexpected end of RDB data');
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  /** rdbLoadLenByRef: returns [value, isEncoded]. */
  lenWithFlag(): [number, boolean] {
    const first = this.byte();
    const kind = first >>> 6;
    if (kind === LEN_ENCVAL) return [first & 0x3f, true];
    if (kind === LEN_6BIT) return [first & 0x3f, false];
    if (kind === LEN_14BIT) return [((first & 0x3f) << 8) | this.byte(), false];
    if (first === LEN_32BIT) {
      this.need(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return [v, false];
    }
    if (first === LEN_64BIT) {
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      // Nothing longer than the remaining bytes can follow anyway.
      check(v <= BigInt(Number.MAX_SAFE_INTEGER), 'RDB length too large');
      return [Number(v), false];
    }
    throw new RdbFormatError('unknown RDB length encoding');
  }

  len(): number {
    const [v, enc] = this.lenWithFlag();
    check(!enc, 'unexpected encoded length');
    return v;
  }

  /** rdbGenericLoadStringObject as raw bytes (a view into the payload when not compressed). */
  stringBytes(): Buffer {
    const [v, enc] = this.lenWithFlag();
    if (enc) {
      switch (v) {
        case ENC_INT8:
        case ENC_INT16:
        case ENC_INT32:
          return Buffer.from(this.encodedInt(v), 'latin1');
        case ENC_LZF: {
          const clen = this.len();
          const len = this.len();
          this.need(clen);
          const out = lzfDecompress(this.buf.subarray(this.pos, this.pos + clen), len);
          this.pos += clen;
          return out;
        }
        default:
          throw new RdbFormatError('unknown RDB string encoding');
      }
    }
    this.need(v);
    const out = this.buf.subarray(this.pos, this.pos + v);
    this.pos += v;
    return out;
  }

  /** A string as latin1 text. */
  string(): string {
    // The common case first (a plain string under 64 bytes: one length byte),
    // without lenWithFlag's tuple: a 1M-field hash reads 2M of these.
    const pos = this.pos;
    if (pos < this.end) {
      const first = this.buf[pos]!;
      if (first >>> 6 === LEN_6BIT && pos + 1 + first <= this.end) {
        this.pos = pos + 1 + first;
        return readLatin1(this.buf, pos + 1, pos + 1 + first);
      }
      // 64 B to 16 KB (a migrated 100-byte value): a two-byte length.
      if (first >>> 6 === LEN_14BIT && pos + 1 < this.end) {
        const n = ((first & 0x3f) << 8) | this.buf[pos + 1]!;
        if (pos + 2 + n <= this.end) {
          this.pos = pos + 2 + n;
          return readLatin1(this.buf, pos + 2, pos + 2 + n);
        }
      }
    }
    const [v, enc] = this.lenWithFlag();
    if (enc && v !== ENC_LZF) return this.encodedInt(v);
    if (!enc) {
      this.need(v);
      const s = readLatin1(this.buf, this.pos, this.pos + v);
      this.pos += v;
      return s;
    }
    this.pos--; // re-read the prefix through the generic path
    const b = this.stringBytes();
    return b.latin1Slice(0, b.length);
  }

  private encodedInt(enc: number): string {
    if (enc === ENC_INT8) {
      this.need(1);
      return String(this.buf.readInt8(this.pos++));
    }
    if (enc === ENC_INT16) {
      this.need(2);
      const v = this.buf.readInt16LE(this.pos);
      this.pos += 2;
      return String(v);
    }
    if (enc === ENC_INT32) {
      this.need(4);
      const v = this.buf.readInt32LE(this.pos);
      this.pos += 4;
      return String(v);
    }
    throw new RdbFormatError('unknown RDB integer encoding');
  }

  /** rdbLoadBinaryDoubleValue. */
  binaryDouble(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** rdbLoadDoubleValue (old ZSET type): a length byte, 253 nan, 254 +inf, 255 -inf, else text. */
  textDouble(): number {
    const len = this.byte();
    if (len === 253) return NaN;
    if (len === 254) return Infinity;
    if (len === 255) return -Infinity;
    this.need(len);
    const s = this.buf.latin1Slice(this.pos, this.pos + len);
    this.pos += len;
    return parseScore(s);
  }
}

/** strtod as zzlStrtod uses it, for scores stored as text. NaN if not a number. */
export function parseScore(s: string): number {
  const t = s.trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (t.length === 0) return NaN;
  return Number(t);
}

function scoreOf(s: string): number {
  const v = parseScore(s);
  check(!Number.isNaN(v), 'zset score is not a number');
  return v;
}

/** Reads the type byte and the object after it (rdbLoadObjectType + rdbLoadObject). */
export function readObject(r: RdbReader, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Value {
  const type = r.byte();
  return readObjectOfType(r, type, limits);
}

export function readObjectOfType(r: RdbReader, type: number, limits: DecodeLimits): Value {
  switch (type) {
    case RdbType.STRING:
      return r.string();
    case RdbType.LIST:
    case RdbType.LIST_QUICKLIST:
    case RdbType.LIST_QUICKLIST_2:
    case RdbType.SET:
    case RdbType.HASH:
    case RdbType.ZSET:
    case RdbType.ZSET_2: {
      // Element by element: one decoder (the stepped one), run to completion.
      const steps = readCollectionSteps(r, type, limits);
      for (;;) {
        const res = steps.next();
        if (res.done) return res.value;
      }
    }
    case RdbType.LIST_ZIPLIST:
      return nonEmpty(listOf(readZiplist(r.stringBytes())));
    case RdbType.SET_INTSET: {
      const set = new SetValue();
      for (const m of readIntset(r.stringBytes())) check(set.add(m, limits.set), 'duplicate set member');
      return nonEmpty(set);
    }
    case RdbType.HASH_ZIPLIST:
    case RdbType.HASH_LISTPACK: {
      const blob = r.stringBytes();
      const items = type === RdbType.HASH_ZIPLIST ? readZiplist(blob) : readListpack(blob);
      check(items.length % 2 === 0, 'hash with an odd number of elements');
      const hash = new HashValue();
      for (let i = 0; i < items.length; i += 2) check(hash.set(items[i]!, items[i + 1]!, limits.hash), 'duplicate hash field');
      return nonEmpty(hash);
    }
    case RdbType.ZSET_ZIPLIST:
    case RdbType.ZSET_LISTPACK: {
      const blob = r.stringBytes();
      const items = type === RdbType.ZSET_ZIPLIST ? readZiplist(blob) : readListpack(blob);
      check(items.length % 2 === 0, 'zset with an odd number of elements');
      const zset = new ZSetValue();
      for (let i = 0; i < items.length; i += 2) check(zset.set(items[i]!, scoreOf(items[i + 1]!), limits.zset), 'duplicate zset member');
      return nonEmpty(zset);
    }
    default:
      throw new RdbFormatError(`unsupported RDB object type ${type}`);
  }
}

/** Elements decoded between yields of the stepped reader. */
const READ_STEP_ELEMENTS = 1024;

/**
 * readObject in bounded steps: yields every thousand elements or so, and
 * between slices (up to 256 KB) of a big LZF string, so a huge value can be decoded
 * over several event-loop turns into a value nobody else sees yet (RESTORE
 * installs it at the end). A big plain string comes back as a Buffer that is
 * a view of `r.buf` (the caller owns that buffer). Compact encodings
 * (listpack, ziplist, intset blobs) are small by construction and decoded in
 * one step.
 */
export function* readObjectSteps(r: RdbReader, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Generator<void, Value, void> {
  const type = r.byte();
  switch (type) {
    case RdbType.STRING:
      return yield* readStringSteps(r);
    case RdbType.LIST:
    case RdbType.LIST_QUICKLIST:
    case RdbType.LIST_QUICKLIST_2:
    case RdbType.SET:
    case RdbType.HASH:
    case RdbType.ZSET:
    case RdbType.ZSET_2:
      return yield* readCollectionSteps(r, type, limits);
    default:
      return readObjectOfType(r, type, limits);
  }
}

function* readStringSteps(r: RdbReader): Generator<void, string | Buffer, void> {
  const start = r.pos;
  const [v, enc] = r.lenWithFlag();
  if (enc && v === ENC_LZF) {
    const clen = r.len();
    const len = r.len();
    if (len >= BIG_STRING_BYTES) {
      r.need(clen);
      const d = new LzfDecoder(r.buf.subarray(r.pos, r.pos + clen), len);
      let slice = LZF_FIRST_SLICE_BYTES;
      while (!d.step(slice)) {
        slice = Math.min(slice * 2, LZF_MAX_SLICE_BYTES);
        yield;
      }
      r.pos += clen;
      return d.result();
    }
  } else if (!enc && v >= BIG_STRING_BYTES) {
    r.need(v);
    const out = r.buf.subarray(r.pos, r.pos + v);
    r.pos += v;
    return out;
  }
  r.pos = start;
  return r.string();
}

/** The element-by-element layouts (rdbLoadObject's plain encodings and quicklists), yielding between steps. */
function* readCollectionSteps(r: RdbReader, type: number, limits: DecodeLimits): Generator<void, Value, void> {
  let budget = READ_STEP_ELEMENTS;
  switch (type) {
    case RdbType.LIST: {
      const n = r.len();
      const list = new ListValue(Math.min(n, 1 << 16));
      for (let i = 0; i < n; i++) {
        list.pushBack(r.string());
        if (--budget === 0) {
          budget = READ_STEP_ELEMENTS;
          yield;
        }
      }
      return nonEmpty(list);
    }
    case RdbType.LIST_QUICKLIST:
    case RdbType.LIST_QUICKLIST_2: {
      const nodes = r.len();
      const list = new ListValue();
      for (let i = 0; i < nodes; i++) {
        let container = QUICKLIST_NODE_PACKED;
        if (type === RdbType.LIST_QUICKLIST_2) {
          container = r.len();
          check(container === QUICKLIST_NODE_PACKED || container === QUICKLIST_NODE_PLAIN, 'bad quicklist node container');
        }
        const blob = r.stringBytes();
        if (container === QUICKLIST_NODE_PLAIN) {
          list.pushBack(blob.latin1Slice(0, blob.length));
          budget -= Math.max(1, blob.length >>> 6);
        } else {
          // Empty nodes are skipped, as Redis 7.0 does; an empty list fails below.
          const items = type === RdbType.LIST_QUICKLIST ? readZiplist(blob) : readListpack(blob);
          for (const item of items) list.pushBack(item);
          budget -= items.length;
        }
        if (budget <= 0) {
          budget = READ_STEP_ELEMENTS;
          yield;
        }
      }
      return nonEmpty(list);
    }
    case RdbType.SET: {
      const n = r.len();
      const set = new SetValue();
      for (let i = 0; i < n; i++) {
        check(set.add(r.string(), limits.set), 'duplicate set member');
        if (--budget === 0) {
          budget = READ_STEP_ELEMENTS;
          yield;
        }
      }
      return nonEmpty(set);
    }
    case RdbType.HASH: {
      const n = r.len();
      const hash = new HashValue();
      for (let i = 0; i < n; i++) {
        const field = r.string();
        const value = r.string();
        check(hash.set(field, value, limits.hash), 'duplicate hash field');
        if (--budget === 0) {
          budget = READ_STEP_ELEMENTS;
          yield;
        }
      }
      return nonEmpty(hash);
    }
    case RdbType.ZSET:
    case RdbType.ZSET_2: {
      const n = r.len();
      const zset = new ZSetValue();
      for (let i = 0; i < n; i++) {
        const member = r.string();
        const score = type === RdbType.ZSET_2 ? r.binaryDouble() : r.textDouble();
        check(!Number.isNaN(score), 'zset with NAN score');
        check(zset.set(member, score, limits.zset), 'duplicate zset member');
        if (--budget === 0) {
          budget = READ_STEP_ELEMENTS;
          yield;
        }
      }
      return nonEmpty(zset);
    }
    default:
      throw new RdbFormatError(`unsupported RDB object type ${type}`);
  }
}

function listOf(items: readonly string[]): ListValue {
  const list = new ListValue(items.length);
  for (const item of items) list.pushBack(item);
  return list;
}

/** Redis refuses empty collections (RDB_LOAD_ERR_EMPTY_KEY), and so does RESTORE. */
function nonEmpty<T extends { readonly size: number }>(v: T): T {
  check(v.size > 0, 'empty collection');
  return v;
}

// ---------------------------------------------------------------- writing

/** rdbSaveLen. */
export function writeLen(w: ByteWriter, len: number): void {
  if (len < 1 << 6) {
    w.byte((LEN_6BIT << 6) | len);
  } else if (len < 1 << 14) {
    w.byte((LEN_14BIT << 6) | (len >>> 8));
    w.byte(len & 0xff);
  } else if (len <= 0xffffffff) {
    w.byte(LEN_32BIT);
    w.u32be(len);
  } else {
    w.byte(LEN_64BIT);
    w.u64be(BigInt(len));
  }
}

/** Strings up to this long are LZF-compressed through the scratch buffers below. */
const LZF_SCRATCH_BYTES = 16 * 1024;
/** Encoding is synchronous, so one pair of buffers serves every short string. */
const lzfScratchIn = Buffer.allocUnsafe(LZF_SCRATCH_BYTES);
const lzfScratchOut = Buffer.allocUnsafe(LZF_SCRATCH_BYTES + LZF_OUT_SLACK);

/**
 * s LZF-compressed, or null unless that saves more than 4 bytes (Redis's
 * rule). A short string (the common value) goes through the reused buffers:
 * the result is a view of lzfScratchOut, valid until the next call.
 */
function lzfPacked(s: string | Buffer, len: number): Buffer | null {
  if (len > LZF_SCRATCH_BYTES) return lzfCompress(typeof s === 'string' ? Buffer.from(s, 'latin1') : s, len - 4);
  const input = typeof s === 'string' ? lzfScratchIn.subarray(0, lzfScratchIn.latin1Write(s, 0)) : s;
  const n = lzfCompressInto(input, len - 4, lzfScratchOut, 0);
  return n > 0 ? lzfScratchOut.subarray(0, n) : null;
}

/** rdbSaveRawString: int encoding for short canonical 32-bit integers, LZF when asked and worth it, else raw. */
export function writeString(w: ByteWriter, s: string | Buffer, compress = false): void {
  const len = s.length;
  if (len <= 11) {
    const text = typeof s === 'string' ? s : s.latin1Slice(0, len);
    if (isCanonicalInt64(text)) {
      const v = Number(text);
      if (v >= -128 && v <= 127) {
        w.byte((LEN_ENCVAL << 6) | ENC_INT8);
        w.intLE(v, 1);
        return;
      }
      if (v >= -32768 && v <= 32767) {
        w.byte((LEN_ENCVAL << 6) | ENC_INT16);
        w.intLE(v, 2);
        return;
      }
      if (v >= -2147483648 && v <= 2147483647) {
        w.byte((LEN_ENCVAL << 6) | ENC_INT32);
        w.intLE(v, 4);
        return;
      }
    }
  }
  if (compress && len > LZF_MIN_BYTES) {
    const packed = lzfPacked(s, len);
    if (packed !== null) {
      w.byte((LEN_ENCVAL << 6) | ENC_LZF);
      writeLen(w, packed.length);
      writeLen(w, len);
      w.bytes(packed);
      return;
    }
  }
  writeLen(w, len);
  if (typeof s === 'string') w.latin1(s);
  else w.bytes(s);
}

/**
 * writeString for a multi-MB string, in bounded steps. LZF runs over slices
 * (16 KB growing to 256 KB), each compressed on its own straight into the
 * writer: a back-reference never crosses a slice boundary, so the
 * concatenation is one valid LZF stream that any reader (redis-server
 * included) decompresses in one go. If a slice does not shrink, or the whole
 * saves 4 bytes or less, the string is written raw instead, as Redis would.
 * Copies into the writer go in 1 MB slices. No buffer per slice is
 * allocated: 256 of them per 64 MB string were external memory that made V8
 * run extra scavenges ("external memory pressure"), one of them 60 ms.
 */
function* writeBigStringSteps(w: ByteWriter, s: string | Buffer, compress: boolean): Generator<void, void, void> {
  const len = s.length;
  if (compress) {
    const start = w.length;
    w.byte((LEN_ENCVAL << 6) | ENC_LZF);
    // The compressed length is known at the end: room for its 32-bit form, narrowed then if shorter.
    const clenAt = w.length;
    w.byte(LEN_32BIT);
    w.u32be(0);
    writeLen(w, len);
    const dataAt = w.length;
    const scratch = typeof s === 'string' ? Buffer.allocUnsafe(LZF_MAX_SLICE_BYTES) : null;
    let shrank = true;
    let sliceBytes = LZF_FIRST_SLICE_BYTES;
    for (let at = 0; at < len && shrank; at += sliceBytes, sliceBytes = Math.min(sliceBytes * 2, LZF_MAX_SLICE_BYTES)) {
      const to = Math.min(len, at + sliceBytes);
      const part = typeof s === 'string' ? scratch!.subarray(0, scratch!.latin1Write(s.substring(at, to), 0)) : s.subarray(at, to);
      if (part.length <= 32) {
        // A short tail is one literal run.
        w.byte(part.length - 1);
        w.bytes(part);
      } else {
        shrank = w.writeInPlace(part.length - 1 + LZF_OUT_SLACK, (buf, o) => lzfCompressInto(part, part.length - 1, buf, o)) > 0;
      }
      yield;
    }
    const packedLen = w.length - dataAt;
    if (shrank && packedLen < len - 4) {
      // rdbSaveLen's shortest form, as Redis writes it: rewrite the length and close the gap.
      const lenAt = w.length;
      writeLen(w, packedLen);
      const lenBytes = w.length - lenAt;
      const narrow = Buffer.from(w.view().subarray(lenAt));
      w.length = lenAt;
      if (lenBytes < 5) w.shiftDown(clenAt + 5, 5 - lenBytes);
      for (let i = 0; i < lenBytes; i++) w.patchU8(clenAt + i, narrow[i]!);
      return;
    }
    w.length = start;
  }
  writeLen(w, len);
  w.reserve(len);
  for (let at = 0; at < len; at += COPY_SLICE_BYTES) {
    const to = Math.min(len, at + COPY_SLICE_BYTES);
    if (typeof s === 'string') w.latin1(s.substring(at, to));
    else w.bytes(s.subarray(at, to));
    if (to < len) yield;
  }
}

/** Node size limit in bytes for a negative list-max-listpack-size (quicklist's optimization_level). */
function nodeBytesLimit(fill: number): number {
  const levels = [4096, 8192, 16384, 32768, 65536];
  return levels[Math.min(-fill, levels.length) - 1] ?? 8192;
}
/** quicklist's SIZE_SAFETY_LIMIT: a positive fill still caps nodes at 8 KB. */
const SIZE_SAFETY_LIMIT = 8192;

/**
 * How many elements between yields of the incremental encoder: small enough
 * that one step of a huge value takes well under a millisecond or so.
 */
const STEP_ELEMENTS = 2048;

/**
 * Writes the type byte and the object, yielding every few thousand elements
 * so a caller (MIGRATE) can let the event loop breathe while a huge value is
 * serialised. `writeObject` runs it to completion.
 */
export function* writeObjectSteps(w: ByteWriter, v: Value, opts: EncodeOptions = DEFAULT_ENCODE_OPTIONS): Generator<void, void, void> {
  if (typeof v === 'string' || Buffer.isBuffer(v)) {
    w.byte(RdbType.STRING);
    if (v.length >= BIG_STRING_BYTES) yield* writeBigStringSteps(w, v, opts.compress);
    else writeString(w, v, opts.compress);
    return;
  }
  switch (v.type) {
    case 'list': {
      const list = v as ListValue;
      w.byte(RdbType.LIST_QUICKLIST_2);
      const fill = opts.listMaxListpackSize;
      const maxBytes = fill < 0 ? nodeBytesLimit(fill) : SIZE_SAFETY_LIMIT;
      const maxCount = fill > 0 ? fill : 65535;
      // Node boundaries first (cheap), so the node count can precede the nodes.
      const bounds: number[] = [];
      let nodeBytes = LISTPACK_EMPTY_BYTES;
      let nodeCount = 0;
      for (let i = 0; i < list.size; i++) {
        const b = listpackEntryBytes(list.at(i));
        // A node always takes its first element, however large (as quicklist does).
        if (nodeCount > 0 && (nodeBytes + b > maxBytes || nodeCount >= maxCount)) {
          bounds.push(i);
          nodeBytes = LISTPACK_EMPTY_BYTES;
          nodeCount = 0;
        }
        nodeBytes += b;
        nodeCount++;
      }
      bounds.push(list.size);
      writeLen(w, bounds.length);
      let from = 0;
      let sinceYield = 0;
      for (const to of bounds) {
        writeLen(w, QUICKLIST_NODE_PACKED);
        writeString(w, buildListpack(list.slice(from, to - 1)), opts.compress);
        sinceYield += to - from;
        from = to;
        if (sinceYield >= STEP_ELEMENTS) {
          sinceYield = 0;
          yield;
        }
      }
      return;
    }
    case 'set': {
      const set = v as SetValue;
      const members = set.map.keys;
      if (set.compact) {
        w.byte(RdbType.SET_INTSET);
        writeString(w, buildIntset(members), false);
        return;
      }
      w.byte(RdbType.SET);
      writeLen(w, members.length);
      for (let i = 0; i < members.length; i++) {
        writeString(w, members[i]!, opts.compress);
        if ((i + 1) % STEP_ELEMENTS === 0) yield;
      }
      return;
    }
    case 'hash': {
      const hash = v as HashValue;
      const fields = hash.map.keys;
      const values = hash.map.vals;
      if (hash.compact) {
        const items: string[] = [];
        for (let i = 0; i < fields.length; i++) items.push(fields[i]!, values[i]!);
        w.byte(RdbType.HASH_LISTPACK);
        writeString(w, buildListpack(items), opts.compress);
        return;
      }
      w.byte(RdbType.HASH);
      writeLen(w, fields.length);
      for (let i = 0; i < fields.length; i++) {
        writeString(w, fields[i]!, opts.compress);
        writeString(w, values[i]!, opts.compress);
        if ((i + 1) % STEP_ELEMENTS === 0) yield;
      }
      return;
    }
    case 'zset': {
      const zset = v as ZSetValue;
      if (zset.compact) {
        const items: string[] = [];
        for (let n = zset.first(); n !== null; n = n.next[0] ?? null) items.push(n.member, scoreText(n.score));
        w.byte(RdbType.ZSET_LISTPACK);
        writeString(w, buildListpack(items), opts.compress);
        return;
      }
      w.byte(RdbType.ZSET_2);
      writeLen(w, zset.size);
      // From the highest to the lowest, as Redis writes it, so a loader that
      // inserts at the head of its skiplist does no search.
      let k = 0;
      for (let n = zset.last(); n !== null; n = n.backward) {
        writeString(w, n.member, opts.compress);
        w.f64le(n.score);
        if (++k % STEP_ELEMENTS === 0) yield;
      }
      return;
    }
    default:
      throw new RdbFormatError(`cannot serialise a ${v.type} value`);
  }
}

export function writeObject(w: ByteWriter, v: Value, opts: EncodeOptions = DEFAULT_ENCODE_OPTIONS): void {
  if ((typeof v === 'string' || Buffer.isBuffer(v)) && v.length < BIG_STRING_BYTES) {
    // The common value (a small string, per key when MIGRATE moves slots): no generator for it.
    w.byte(RdbType.STRING);
    writeString(w, v, opts.compress);
    return;
  }
  const steps = writeObjectSteps(w, v, opts);
  while (!steps.next().done);
}

/**
 * A score as zzlInsertAt stores it in a listpack (d2string): integral values
 * within 64 bits as integers, others as text that strtod reads back exactly.
 */
export function scoreText(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isInteger(d) && Math.abs(d) < 2 ** 63) return Object.is(d, -0) ? '-0' : BigInt(d).toString();
  // JS's shortest round-trip form: strtod reads it back to the same double.
  return String(d);
}
