// Replication.Sync frames (proto/replication.proto) <-> plain objects, and
// the gRPC service definition. Frames carry Buffers end to end (identity
// (de)serializers), encoded here with the protobuf root the bus codec loads.
// A peer's bytes are untrusted: decoding validates what the adapters rely on
// and throws ReplWireError otherwise.

import type * as grpc from '@grpc/grpc-js';
import { protoRoot, REPLICATION_SYNC_METHOD, varintLength, writeVarint } from '../bus/codec.js';

/** 2: the primary sends its acknowledged offset (ReplAcked, CommandBatch.acked_offset). */
export const REPL_PROTOCOL_VERSION = 2;
/** The first version whose replicas understand the ReplAcked frame. */
export const REPL_ACKED_FRAME_VERSION = 2;
/** Snapshot format: RESP commands that recreate the keyspace (SELECT, SET, RPUSH, ..., PEXPIREAT). */
export const SNAPSHOT_FORMAT = 'tessera-commands';
export const SNAPSHOT_FORMAT_VERSION = 1;

export class ReplWireError extends Error {
  override readonly name = 'ReplWireError';
}

export interface HelloFrame {
  readonly kind: 'hello';
  readonly protocolVersion: number;
  readonly replicaId: string;
  readonly ip: string;
  readonly port: number;
  readonly replid: string;
  readonly offset: number;
  readonly zone: string;
}

export type ReplFrame =
  | HelloFrame
  | { readonly kind: 'ack'; readonly offset: number }
  | { readonly kind: 'helloReply'; readonly protocolVersion: number; readonly primaryId: string }
  | { readonly kind: 'fullSyncBegin'; readonly replid: string; readonly offset: number; readonly format: string; readonly formatVersion: number }
  | { readonly kind: 'snapshotChunk'; readonly seq: number; readonly data: Buffer }
  | { readonly kind: 'fullSyncEnd'; readonly chunks: number; readonly snapshotBytes: number }
  | { readonly kind: 'continueSync'; readonly replid: string; readonly offset: number }
  | { readonly kind: 'commandBatch'; readonly startOffset: number; readonly endOffset: number; readonly payload: Buffer; readonly ackedOffset: number }
  | { readonly kind: 'acked'; readonly offset: number }
  | { readonly kind: 'ping'; readonly offset: number }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

const Frame = protoRoot().lookupType('tessera.replication.v1.ReplFrame');

const EMPTY = Buffer.alloc(0);

function idBytes(hex: string): Buffer {
  return /^[0-9a-f]{40}$/.test(hex) ? Buffer.from(hex, 'hex') : EMPTY;
}

/**
 * The two frames that carry bulk bytes (snapshot chunks, the live command
 * stream), encoded by hand: protobufjs copies a bytes field several times
 * over and cost about 11 ns per byte (730 ms for a 64 MB chunk); this is
 * one allocation and one copy. `fields` are [number, varint] pairs; the
 * bytes field comes last. Wire-compatible with the generated encoding.
 */
function bytesFrame(frameField: number, fields: readonly (readonly [number, number])[], bytesField: number, data: Buffer): Buffer {
  let inner = 0;
  for (const [, v] of fields) inner += 1 + varintLength(v);
  inner += 1 + varintLength(data.length) + data.length;
  const out = Buffer.allocUnsafe(1 + varintLength(inner) + inner);
  let at = 0;
  out[at++] = (frameField << 3) | 2;
  at = writeVarint(out, at, inner);
  for (const [field, v] of fields) {
    out[at++] = field << 3;
    at = writeVarint(out, at, v);
  }
  out[at++] = (bytesField << 3) | 2;
  at = writeVarint(out, at, data.length);
  data.copy(out, at);
  return out;
}

export function encodeFrame(f: ReplFrame): Buffer {
  // ReplFrame.snapshot_chunk = 5 {seq = 1, data = 2}; command_batch = 8 {start_offset = 1, end_offset = 3, payload = 5, acked_offset = 6}.
  if (f.kind === 'snapshotChunk') return bytesFrame(5, [[1, f.seq]], 2, f.data);
  if (f.kind === 'commandBatch') return bytesFrame(8, [[1, f.startOffset], [3, f.endOffset], [6, f.ackedOffset]], 5, f.payload);
  let body: Record<string, unknown>;
  switch (f.kind) {
    case 'hello':
      body = { hello: { protocolVersion: f.protocolVersion, replicaId: idBytes(f.replicaId), ip: f.ip, port: f.port, replid: f.replid, offset: f.offset, zone: f.zone, capabilities: ['psync2'] } };
      break;
    case 'ack':
      body = { ack: { offset: f.offset } };
      break;
    case 'helloReply':
      body = { helloReply: { protocolVersion: f.protocolVersion, primaryId: idBytes(f.primaryId) } };
      break;
    case 'fullSyncBegin':
      body = { fullSyncBegin: { replid: f.replid, offset: f.offset, snapshotBytes: 0, format: f.format, formatVersion: f.formatVersion } };
      break;
    case 'fullSyncEnd':
      body = { fullSyncEnd: { chunks: f.chunks, snapshotBytes: f.snapshotBytes, checksum: 0 } };
      break;
    case 'continueSync':
      body = { continueSync: { replid: f.replid, offset: f.offset } };
      break;
    case 'acked':
      body = { acked: { offset: f.offset } };
      break;
    case 'ping':
      body = { ping: { offset: f.offset } };
      break;
    case 'error':
      body = { error: { code: f.code, message: f.message } };
      break;
  }
  return Buffer.from(Frame.encode(Frame.fromObject(body)).finish());
}

type Obj = Record<string, unknown>;

function num(o: Obj, field: string): number {
  const v = o[field];
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'number' ? v : Number(v as unknown as string);
  if (!Number.isSafeInteger(n)) throw new ReplWireError(`${field}: not a safe integer`);
  return n;
}

function str(o: Obj, field: string): string {
  const v = o[field];
  return typeof v === 'string' ? v : '';
}

function bytes(o: Obj, field: string): Buffer {
  const v = o[field];
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return EMPTY;
}

function hexId(o: Obj, field: string): string {
  const b = bytes(o, field);
  return b.length === 20 ? b.toString('hex') : '';
}

export function decodeFrame(buf: Buffer): ReplFrame {
  let o: Obj;
  try {
    o = Frame.toObject(Frame.decode(buf), { longs: Number, oneofs: true }) as Obj;
  } catch (e) {
    throw new ReplWireError(`undecodable frame: ${(e as Error).message}`);
  }
  const which = o['body'];
  const b = (typeof which === 'string' ? o[which] : undefined) as Obj | undefined;
  if (b === undefined) throw new ReplWireError('frame without a body (a newer peer?)');
  switch (which) {
    case 'hello':
      return { kind: 'hello', protocolVersion: num(b, 'protocolVersion'), replicaId: hexId(b, 'replicaId'), ip: str(b, 'ip'), port: num(b, 'port'), replid: str(b, 'replid'), offset: num(b, 'offset'), zone: str(b, 'zone') };
    case 'ack':
      return { kind: 'ack', offset: num(b, 'offset') };
    case 'helloReply':
      return { kind: 'helloReply', protocolVersion: num(b, 'protocolVersion'), primaryId: hexId(b, 'primaryId') };
    case 'fullSyncBegin':
      return { kind: 'fullSyncBegin', replid: str(b, 'replid'), offset: num(b, 'offset'), format: str(b, 'format'), formatVersion: num(b, 'formatVersion') };
    case 'snapshotChunk':
      return { kind: 'snapshotChunk', seq: num(b, 'seq'), data: bytes(b, 'data') };
    case 'fullSyncEnd':
      return { kind: 'fullSyncEnd', chunks: num(b, 'chunks'), snapshotBytes: num(b, 'snapshotBytes') };
    case 'continueSync':
      return { kind: 'continueSync', replid: str(b, 'replid'), offset: num(b, 'offset') };
    case 'commandBatch': {
      let payload = bytes(b, 'payload');
      const cmds = b['commands'];
      if (payload.length === 0 && Array.isArray(cmds)) payload = Buffer.concat(cmds.filter((c): c is Uint8Array => c instanceof Uint8Array));
      return { kind: 'commandBatch', startOffset: num(b, 'startOffset'), endOffset: num(b, 'endOffset'), payload, ackedOffset: num(b, 'ackedOffset') };
    }
    case 'acked':
      return { kind: 'acked', offset: num(b, 'offset') };
    case 'ping':
      return { kind: 'ping', offset: num(b, 'offset') };
    case 'error':
      return { kind: 'error', code: str(b, 'code'), message: str(b, 'message') };
    default:
      throw new ReplWireError(`unknown frame kind ${String(which)}`);
  }
}

const identity = (b: Buffer): Buffer => b;

/** The Replication service as grpc-js wants it (raw Buffers; frames coded by encodeFrame/decodeFrame). */
export const REPLICATION_SERVICE: grpc.ServiceDefinition = {
  Sync: {
    path: REPLICATION_SYNC_METHOD,
    requestStream: true,
    responseStream: true,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
    originalName: 'sync',
  },
};
