// The DUMP payload: one RDB-encoded object followed by a 10-byte footer,
// the RDB version (2 bytes LE) and the CRC64 (8 bytes LE) of everything
// before the checksum. Redis 7.0 writes and accepts RDB version 10; a
// payload from a newer version or with a wrong checksum is refused before
// anything is decoded (verifyDumpPayload), so a corrupt payload writes nothing.

import { ByteWriter } from './byte-writer.js';
import { Crc64 } from './crc64.js';
import { check } from './errors.js';
import { borrowBytes } from './lent-bytes.js';
import {
  DEFAULT_DECODE_LIMITS,
  DEFAULT_ENCODE_OPTIONS,
  RdbReader,
  readObject,
  readObjectSteps,
  writeObject,
  writeObjectSteps,
  type DecodeLimits,
  type EncodeOptions,
} from './rdb-object.js';
import type { Value } from '../keyspace/values.js';

/** RDB_VERSION of redis-server 7.0. */
export const RDB_VERSION = 10;
const FOOTER_BYTES = 10;

/**
 * CRC bytes hashed per step: 16 KB at first, doubling up to 1 MB (about 1 ms
 * warm). The first steps run before the JIT has optimised the loop: a cold
 * 256 KB step took 9 ms here, a warm one 0.25 ms.
 */
const CRC_FIRST_STEP_BYTES = 16 << 10;
const CRC_MAX_STEP_BYTES = 1 << 20;

/** Feeds buf[0, end) to crc in growing steps, yielding between them. */
function* crcSteps(crc: Crc64, buf: Buffer, end: number): Generator<void, void, void> {
  let step = CRC_FIRST_STEP_BYTES;
  for (let at = 0; at < end; ) {
    const to = Math.min(end, at + step);
    crc.update(buf, at, to);
    at = to;
    step = Math.min(step * 2, CRC_MAX_STEP_BYTES);
    if (at < end) yield;
  }
}

/**
 * Builds a payload, yielding between bounded steps (serialising a few
 * thousand elements, or checksumming up to 1 MB) and returning the payload; see
 * `createDumpPayload` for the one-shot form.
 */
export function* createDumpPayloadSteps(v: Value, opts: EncodeOptions = DEFAULT_ENCODE_OPTIONS): Generator<void, Buffer, void> {
  const w = new ByteWriter(64);
  yield* writeObjectSteps(w, v, opts);
  w.u16le(RDB_VERSION);
  const crc = new Crc64();
  const body = w.view();
  yield* crcSteps(crc, body, body.length);
  const tail = Buffer.allocUnsafe(8);
  crc.writeLE(tail, 0);
  w.bytes(tail);
  return w.finish();
}

/**
 * Appends v's payload (object, version, CRC64 of both) to w in one go,
 * checksumming in place: DUMP, and MIGRATE's batches of small keys, which
 * copy it straight into their RESP buffer.
 */
export function writeDumpPayload(w: ByteWriter, v: Value, opts: EncodeOptions = DEFAULT_ENCODE_OPTIONS): void {
  const start = w.length;
  writeObject(w, v, opts);
  w.u16le(RDB_VERSION);
  const crcAt = w.length;
  w.u32le(0);
  w.u32le(0);
  const buf = w.backing;
  new Crc64().update(buf, start, crcAt).writeLE(buf, crcAt);
}

export function createDumpPayload(v: Value, opts: EncodeOptions = DEFAULT_ENCODE_OPTIONS): Buffer {
  const w = new ByteWriter(64);
  writeDumpPayload(w, v, opts);
  return w.finish();
}

/** verifyDumpPayload: long enough, a version we can read, and the checksum matches. */
export function verifyDumpPayload(p: Buffer): boolean {
  if (p.length < FOOTER_BYTES) return false;
  const version = p.readUInt16LE(p.length - FOOTER_BYTES);
  if (version > RDB_VERSION) return false;
  return new Crc64().update(p, 0, p.length - 8).equalsLE(p, p.length - 8);
}

/**
 * Decodes the object of a verified payload (throws RdbFormatError if it is
 * malformed). The object must end exactly where the footer starts.
 */
export function decodeDumpPayload(p: Buffer, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Value {
  const end = p.length - FOOTER_BYTES;
  check(end > 0, 'payload too short');
  const r = new RdbReader(p, 0, end);
  const v = readObject(r, limits);
  check(r.pos === end, 'trailing bytes after the object');
  return v;
}

/** latin1 chars copied into the payload Buffer per step (fresh memory: page faults included). */
const COPY_STEP_BYTES = 1 << 20;

/**
 * verifyDumpPayload + decodeDumpPayload in bounded steps, for a payload
 * received as a latin1 string (RESTORE's argument) or as bytes: the bytes
 * the RESP parser lent for that very string are used as they are (see
 * lent-bytes.ts), else the string is copied to a Buffer in 1 MB slices;
 * then checksummed in steps of up to 1 MB and decoded by readObjectSteps.
 * Returns null if the version or checksum is wrong; throws RdbFormatError
 * if the object is malformed. The value may hold views of the payload bytes.
 */
export function* decodeDumpPayloadSteps(raw: string | Buffer, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Generator<void, Value | null, void> {
  const n = raw.length;
  if (n < FOOTER_BYTES) return null;
  let p: Buffer;
  if (typeof raw !== 'string') {
    p = raw;
  } else {
    const lent = borrowBytes(raw);
    if (lent !== null) {
      p = lent;
    } else {
      p = Buffer.allocUnsafe(n);
      for (let at = 0; at < n; at += COPY_STEP_BYTES) {
        const to = Math.min(n, at + COPY_STEP_BYTES);
        p.latin1Write(raw.substring(at, to), at);
        if (to < n) yield;
      }
    }
  }
  if (p.readUInt16LE(n - FOOTER_BYTES) > RDB_VERSION) return null;
  const crc = new Crc64();
  const bodyEnd = n - 8;
  yield* crcSteps(crc, p, bodyEnd);
  const expect = Buffer.allocUnsafe(8);
  crc.writeLE(expect, 0);
  if (!expect.equals(p.subarray(bodyEnd))) return null;
  const end = n - FOOTER_BYTES;
  check(end > 0, 'payload too short');
  const r = new RdbReader(p, 0, end);
  const v = yield* readObjectSteps(r, limits);
  check(r.pos === end, 'trailing bytes after the object');
  return v;
}
