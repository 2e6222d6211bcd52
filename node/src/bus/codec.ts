// Protobuf codec of the cluster bus: BusMessage (types.ts) <-> bytes of
// proto/cluster_bus.proto. This is the one place where decoded protobuf
// objects become the core's types, so every field is validated here: a peer's
// bytes are untrusted input and must turn into an error, never a crash or a
// half-formed message inside the core.
//
// Encoding choices (see the .proto for the wire itself):
// - node ids travel as 20 raw bytes instead of 40 hex chars: gossip carries
//   three ids per entry and is the bulk of the bus traffic at 1,500 nodes;
// - flags are a bitmask; decoding returns them in FLAG_BITS order, so a round
//   trip preserves the set of flags, not the order they were listed in;
// - Pub/Sub channel and message are latin1 strings in the node (one char per
//   byte) and bytes on the wire;
// - fingerprints and the members digest are uint32 hashes: fixed32 on the
//   wire (4 bytes, where a varint of a hash takes 5), the table summary packed;
// - every optional field of types.ts keeps "absent" apart from its zero value
//   (proto3 `optional`, or a wrapper message for lists): the core reads
//   presence (a header without slots is not a node without slots).
//   bus-codec.test.ts generates every field of every kind from the types and
//   fails when one does not survive the round trip.
//
// The .proto files are loaded at run time with protobufjs (no generated code
// to keep in sync); only the bus adapter imports this module.

import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type Long from 'long';
import type { BusMessage, GossipEntry, NodeFlag, NodeHeader, SlotRange } from '../cluster/types.js';
import { SLOT_COUNT } from '../cluster/types.js';

/**
 * Version sent in the handshake. Bump when a peer must know what the other
 * speaks. Still 1 after membersDigest, gossip slots, tableSummary and
 * fullTable were added: all are optional, a version-1 peer skips them, and
 * their absence is handled by the core (no digest: no anti-entropy request;
 * no entry slots: slots come from headers and UPDATE), so the two still
 * interoperate without either knowing.
 */
export const BUS_PROTOCOL_VERSION = 1;
/** Oldest peer version this node talks to. */
export const BUS_MIN_PROTOCOL_VERSION = 1;

/** gRPC path of the bus stream: package.Service/Method as in the .proto. */
export const BUS_LINK_METHOD = '/tessera.bus.v1.ClusterBus/Link';
export const REPLICATION_SYNC_METHOD = '/tessera.replication.v1.Replication/Sync';

/** Bit positions of the flags bitmask; part of the wire, never reorder. */
export const FLAG_BITS: readonly NodeFlag[] = ['myself', 'master', 'slave', 'pfail', 'fail', 'handshake', 'noaddr', 'nofailover'];

export type BusCodecErrorCode = 'invalid' | 'unknown-kind';

export class BusCodecError extends Error {
  override readonly name = 'BusCodecError';
  constructor(
    readonly code: BusCodecErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The first frame of each direction of a Link stream. */
export interface BusHandshake {
  readonly protocolVersion: number;
  readonly nodeId: string; // 40 hex chars, or '' when the sender has no id yet
  readonly ip: string;
  readonly port: number;
  readonly busPort: number;
  /** The address the sender dialed ('' on the receiver's reply). */
  readonly dialedIp: string;
  readonly dialedBusPort: number;
}

export interface DecodedBusFrame {
  readonly handshake: BusHandshake | null;
  readonly messages: BusMessage[];
  /** Messages of a kind this node does not know (a newer peer): skipped, as the wire promises. */
  readonly skippedUnknown: number;
}

// dist/node/src/bus/codec.js -> <repo>/proto
const PROTO_DIR = fileURLToPath(new URL('../../../../proto/', import.meta.url));

const root = protobuf.loadSync([PROTO_DIR + 'cluster_bus.proto', PROTO_DIR + 'replication.proto']);
const T = {
  frame: root.lookupType('tessera.bus.v1.BusFrame'),
  handshake: root.lookupType('tessera.bus.v1.Handshake'),
  message: root.lookupType('tessera.bus.v1.BusMessage'),
};

/** The loaded protobuf root, for the replication adapter (next issue). */
export function protoRoot(): protobuf.Root {
  return root;
}

// ---------------------------------------------------------------------------
// Encoding

const HEX_ID = /^[0-9a-f]{40}$/;

/**
 * Hex id -> 20 bytes, cached: the same few thousand ids appear in every
 * gossip section, and validating + converting them was a third of the
 * encoding time. Bounded by clearing (ids of a cluster are far fewer).
 */
const idCache = new Map<string, Uint8Array>();
const ID_CACHE_MAX = 16_384;

function idBytes(id: string, field: string, allowEmpty: boolean): Uint8Array {
  if (id === '' && allowEmpty) return EMPTY;
  const cached = idCache.get(id);
  if (cached) return cached;
  if (!HEX_ID.test(id)) throw new BusCodecError('invalid', `${field}: expected 40 lowercase hex chars, got ${JSON.stringify(id.slice(0, 64))}`);
  const bytes = Buffer.from(id, 'hex');
  if (idCache.size >= ID_CACHE_MAX) idCache.clear();
  idCache.set(id, bytes);
  return bytes;
}

const EMPTY = new Uint8Array(0);

function uint(n: number, field: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new BusCodecError('invalid', `${field}: expected a non-negative integer, got ${n}`);
  return n;
}

function sint(n: number, field: string): number {
  if (!Number.isSafeInteger(n)) throw new BusCodecError('invalid', `${field}: expected an integer, got ${n}`);
  return n;
}

function u32(n: number, field: string): number {
  if (n >>> 0 !== n) throw new BusCodecError('invalid', `${field}: expected a uint32, got ${n}`);
  return n;
}

/** Checked in place: the summary can list thousands of fingerprints, and protobufjs reads the array as it is. */
function u32List(list: readonly number[], field: string): readonly number[] {
  for (const n of list) u32(n, field);
  return list;
}

function port(n: number, field: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new BusCodecError('invalid', `${field}: expected a port, got ${n}`);
  return n;
}

function flagMask(flags: readonly NodeFlag[]): number {
  let mask = 0;
  for (const f of flags) {
    const bit = FLAG_BITS.indexOf(f);
    if (bit < 0) throw new BusCodecError('invalid', `unknown flag ${JSON.stringify(f)}`);
    mask |= 1 << bit;
  }
  return mask;
}

function slotRanges(ranges: readonly SlotRange[], field: string): { start: number; end: number }[] {
  return ranges.map(([start, end]) => {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end >= SLOT_COUNT) {
      throw new BusCodecError('invalid', `${field}: bad slot range [${start}, ${end}]`);
    }
    return { start, end };
  });
}

function headerObject(h: NodeHeader): Record<string, unknown> {
  const o: Record<string, unknown> = {
    id: idBytes(h.id, 'header.id', false),
    ip: h.ip,
    port: port(h.port, 'header.port'),
    busPort: port(h.busPort, 'header.busPort'),
    hostname: h.hostname,
    currentEpoch: uint(h.currentEpoch, 'header.currentEpoch'),
    configEpoch: uint(h.configEpoch, 'header.configEpoch'),
    flags: flagMask(h.flags),
    primaryId: idBytes(h.primaryId, 'header.primaryId', true),
    shardId: idBytes(h.shardId, 'header.shardId', true),
    zone: h.zone,
    replOffset: uint(h.replOffset, 'header.replOffset'),
    slotsDigest: sint(h.slotsDigest, 'header.slotsDigest'),
  };
  if (h.slots !== undefined) o['slots'] = { ranges: slotRanges(h.slots, 'header.slots') };
  if (h.seenReceiverDigest !== undefined) o['seenReceiverDigest'] = sint(h.seenReceiverDigest, 'header.seenReceiverDigest');
  if (h.membersDigest !== undefined) o['membersDigest'] = u32(h.membersDigest, 'header.membersDigest');
  return o;
}

function gossipObject(g: GossipEntry): Record<string, unknown> {
  const o: Record<string, unknown> = {
    id: idBytes(g.id, 'gossip.id', false),
    ip: g.ip,
    port: port(g.port, 'gossip.port'),
    busPort: port(g.busPort, 'gossip.busPort'),
    hostname: g.hostname,
    flags: flagMask(g.flags),
    pingSentMs: uint(g.pingSentMs, 'gossip.pingSentMs'),
    pongRecvMs: uint(g.pongRecvMs, 'gossip.pongRecvMs'),
    configEpoch: uint(g.configEpoch, 'gossip.configEpoch'),
    primaryId: idBytes(g.primaryId, 'gossip.primaryId', true),
    shardId: idBytes(g.shardId, 'gossip.shardId', true),
    zone: g.zone,
  };
  if (g.slots !== undefined) o['slots'] = { ranges: slotRanges(g.slots, 'gossip.slots') };
  return o;
}

function messageObject(msg: BusMessage): Record<string, unknown> {
  const header = headerObject(msg.header);
  switch (msg.kind) {
    case 'ping':
    case 'pong':
    case 'meet': {
      const body: Record<string, unknown> = { entries: msg.gossip.map(gossipObject) };
      if (msg.probeFor !== undefined) body['probeFor'] = msg.probeFor;
      if (msg.probeReply !== undefined) body['probeReply'] = msg.probeReply;
      if (msg.tableSummary !== undefined) body['tableSummary'] = { values: u32List(msg.tableSummary, 'tableSummary') };
      if (msg.fullTable !== undefined) body['fullTable'] = msg.fullTable;
      return { header, [msg.kind]: body };
    }
    case 'fail':
      return { header, fail: { failedId: idBytes(msg.failedId, 'fail.failedId', false) } };
    case 'update':
      return {
        header,
        update: {
          nodeId: idBytes(msg.nodeId, 'update.nodeId', false),
          configEpoch: uint(msg.configEpoch, 'update.configEpoch'),
          slots: slotRanges(msg.slots, 'update.slots'),
        },
      };
    case 'publish':
      return {
        header,
        publish: { channel: Buffer.from(msg.channel, 'latin1'), message: Buffer.from(msg.message, 'latin1'), sharded: msg.sharded },
      };
    case 'failover-auth-request':
      return { header, failoverAuthRequest: { force: msg.force } };
    case 'failover-auth-ack':
      return { header, failoverAuthAck: {} };
    case 'mfstart':
      return { header, mfstart: {} };
  }
}

/** One message as the protobuf BusMessage. Throws BusCodecError on a value the wire cannot carry. */
export function encodeBusMessage(msg: BusMessage): Uint8Array {
  return T.message.encode(messageObject(msg)).finish();
}

export function encodeHandshake(h: BusHandshake): Uint8Array {
  return T.handshake
    .encode({
      protocolVersion: uint(h.protocolVersion, 'handshake.protocolVersion'),
      nodeId: idBytes(h.nodeId, 'handshake.nodeId', true),
      ip: h.ip,
      port: port(h.port, 'handshake.port'),
      busPort: port(h.busPort, 'handshake.busPort'),
      dialedIp: h.dialedIp,
      dialedBusPort: port(h.dialedBusPort, 'handshake.dialedBusPort'),
    })
    .finish();
}

// A BusFrame is field 1 (handshake) and repeated field 2 (messages), both
// length-delimited. Writing it by hand from already-encoded parts lets the
// adapter encode each message once (when queued, which also gives its exact
// size for the queue bound) and concatenate at flush time.
const TAG_HANDSHAKE = (1 << 3) | 2;
const TAG_MESSAGE = (2 << 3) | 2;

/** Bytes of `n` (a safe non-negative integer) as a protobuf varint. */
export function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/** Writes `n` as a protobuf varint at `pos`; returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[pos++] = n;
  return pos;
}

/** Bytes a message of `len` encoded bytes adds to a frame (tag + length + payload). */
export function framedLength(len: number): number {
  return 1 + varintLength(len) + len;
}

/** A BusFrame from an encoded handshake (or null) and encoded messages. */
export function encodeBusFrameParts(handshake: Uint8Array | null, messages: readonly Uint8Array[]): Buffer {
  let total = handshake ? framedLength(handshake.length) : 0;
  for (const m of messages) total += framedLength(m.length);
  const buf = Buffer.allocUnsafe(total);
  let pos = 0;
  const put = (tag: number, part: Uint8Array): void => {
    buf[pos++] = tag;
    pos = writeVarint(buf, pos, part.length);
    buf.set(part, pos);
    pos += part.length;
  };
  if (handshake) put(TAG_HANDSHAKE, handshake);
  for (const m of messages) put(TAG_MESSAGE, m);
  return buf;
}

export function encodeBusFrame(frame: { readonly handshake?: BusHandshake | null; readonly messages: readonly BusMessage[] }): Buffer {
  return encodeBusFrameParts(frame.handshake ? encodeHandshake(frame.handshake) : null, frame.messages.map(encodeBusMessage));
}

// ---------------------------------------------------------------------------
// Decoding. Decoded protobufjs messages are typed loosely (fields may be
// absent, 64-bit ints arrive as Long); `Decoded` is how we look at them.

type Decoded = Record<string, unknown>;
/** The core's readonly types, while the decoder fills in optional fields. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function has(o: Decoded, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function isLong(v: unknown): v is Long {
  return typeof v === 'object' && v !== null && typeof (v as Long).toNumber === 'function' && typeof (v as Long).high === 'number';
}

function dNum(o: Decoded, key: string, field: string): number {
  const v = o[key];
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (isLong(v)) {
    const n = v.toNumber();
    // Long.toNumber loses precision silently above 2^53; epochs and offsets never get there legitimately.
    if (!Number.isSafeInteger(n)) throw new BusCodecError('invalid', `${field}: integer out of range`);
    return n;
  }
  throw new BusCodecError('invalid', `${field}: expected an integer`);
}

function dPort(o: Decoded, key: string, field: string): number {
  const n = dNum(o, key, field);
  if (n > 65535) throw new BusCodecError('invalid', `${field}: port out of range (${n})`);
  return n;
}

function dStr(o: Decoded, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

function dBytes(o: Decoded, key: string): Uint8Array {
  const v = o[key];
  return v instanceof Uint8Array ? v : EMPTY;
}

/** protobufjs hands out Buffers on Node; wrap only when it did not. */
function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function dLatin1(o: Decoded, key: string): string {
  return asBuffer(dBytes(o, key)).toString('latin1');
}

function dId(o: Decoded, key: string, field: string, allowEmpty: boolean): string {
  const b = dBytes(o, key);
  if (b.length === 0 && allowEmpty) return '';
  if (b.length !== 20) throw new BusCodecError('invalid', `${field}: expected a 20-byte id, got ${b.length} bytes`);
  return asBuffer(b).toString('hex');
}

function dSub(o: Decoded, key: string): Decoded | null {
  const v = o[key];
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) ? (v as Decoded) : null;
}

function dList(o: Decoded, key: string): Decoded[] {
  const v = o[key];
  return Array.isArray(v) ? (v as Decoded[]) : [];
}

/** A packed fixed32 list: protobufjs yields uint32 numbers for each element, so only the container is checked. */
function dU32List(o: Decoded, key: string): number[] {
  const v = o[key];
  return Array.isArray(v) ? (v as number[]) : [];
}

function dFlags(o: Decoded, key: string, field: string): NodeFlag[] {
  const mask = dNum(o, key, field);
  const flags: NodeFlag[] = [];
  // Bits above FLAG_BITS belong to flags of a newer peer: ignored, not an error.
  FLAG_BITS.forEach((f, bit) => {
    if (mask & (1 << bit)) flags.push(f);
  });
  return flags;
}

function dSlots(list: Decoded[], field: string): SlotRange[] {
  return list.map((r) => {
    const start = dNum(r, 'start', field);
    const end = dNum(r, 'end', field);
    if (end < start || end >= SLOT_COUNT) throw new BusCodecError('invalid', `${field}: bad slot range [${start}, ${end}]`);
    return [start, end] as const;
  });
}

function dHeader(h: Decoded): NodeHeader {
  const out: Mutable<NodeHeader> = {
    id: dId(h, 'id', 'header.id', false),
    ip: dStr(h, 'ip'),
    port: dPort(h, 'port', 'header.port'),
    busPort: dPort(h, 'busPort', 'header.busPort'),
    hostname: dStr(h, 'hostname'),
    currentEpoch: dNum(h, 'currentEpoch', 'header.currentEpoch'),
    configEpoch: dNum(h, 'configEpoch', 'header.configEpoch'),
    flags: dFlags(h, 'flags', 'header.flags'),
    primaryId: dId(h, 'primaryId', 'header.primaryId', true),
    shardId: dId(h, 'shardId', 'header.shardId', true),
    zone: dStr(h, 'zone'),
    replOffset: dNum(h, 'replOffset', 'header.replOffset'),
    slotsDigest: dNum(h, 'slotsDigest', 'header.slotsDigest'),
  };
  const slotSet = has(h, 'slots') ? dSub(h, 'slots') : null;
  if (slotSet) out.slots = dSlots(dList(slotSet, 'ranges'), 'header.slots');
  if (has(h, 'seenReceiverDigest')) out.seenReceiverDigest = dNum(h, 'seenReceiverDigest', 'header.seenReceiverDigest');
  if (has(h, 'membersDigest')) out.membersDigest = dNum(h, 'membersDigest', 'header.membersDigest');
  return out;
}

function dGossip(g: Decoded): GossipEntry {
  const out: Mutable<GossipEntry> = {
    id: dId(g, 'id', 'gossip.id', false),
    ip: dStr(g, 'ip'),
    port: dPort(g, 'port', 'gossip.port'),
    busPort: dPort(g, 'busPort', 'gossip.busPort'),
    hostname: dStr(g, 'hostname'),
    flags: dFlags(g, 'flags', 'gossip.flags'),
    pingSentMs: dNum(g, 'pingSentMs', 'gossip.pingSentMs'),
    pongRecvMs: dNum(g, 'pongRecvMs', 'gossip.pongRecvMs'),
    configEpoch: dNum(g, 'configEpoch', 'gossip.configEpoch'),
    primaryId: dId(g, 'primaryId', 'gossip.primaryId', true),
    shardId: dId(g, 'shardId', 'gossip.shardId', true),
    zone: dStr(g, 'zone'),
  };
  const slotSet = has(g, 'slots') ? dSub(g, 'slots') : null;
  if (slotSet) out.slots = dSlots(dList(slotSet, 'ranges'), 'gossip.slots');
  return out;
}

/** The oneof field names of BusMessage.body, in the order of their field numbers. */
const BODY_FIELDS = ['ping', 'pong', 'meet', 'fail', 'update', 'publish', 'failoverAuthRequest', 'failoverAuthAck', 'mfstart'] as const;

function messageFromDecoded(m: Decoded): BusMessage {
  const h = dSub(m, 'header');
  const bodyField = BODY_FIELDS.find((f) => has(m, f));
  if (!bodyField) throw new BusCodecError('unknown-kind', 'bus message without a known kind');
  if (!h) throw new BusCodecError('invalid', 'bus message without a header');
  const header = dHeader(h);
  const body = dSub(m, bodyField) ?? {};
  switch (bodyField) {
    case 'ping':
    case 'pong':
    case 'meet': {
      const gossip = dList(body, 'entries').map(dGossip);
      const msg: Mutable<BusMessage & { kind: 'ping' | 'pong' | 'meet' }> = { kind: bodyField, header, gossip };
      if (has(body, 'probeFor')) msg.probeFor = dStr(body, 'probeFor');
      if (has(body, 'probeReply')) msg.probeReply = dStr(body, 'probeReply');
      const summary = has(body, 'tableSummary') ? dSub(body, 'tableSummary') : null;
      if (summary) msg.tableSummary = dU32List(summary, 'values');
      if (has(body, 'fullTable')) msg.fullTable = body['fullTable'] === true;
      return msg;
    }
    case 'fail':
      return { kind: 'fail', header, failedId: dId(body, 'failedId', 'fail.failedId', false) };
    case 'update':
      return {
        kind: 'update',
        header,
        nodeId: dId(body, 'nodeId', 'update.nodeId', false),
        configEpoch: dNum(body, 'configEpoch', 'update.configEpoch'),
        slots: dSlots(dList(body, 'slots'), 'update.slots'),
      };
    case 'publish':
      return { kind: 'publish', header, channel: dLatin1(body, 'channel'), message: dLatin1(body, 'message'), sharded: body['sharded'] === true };
    case 'failoverAuthRequest':
      return { kind: 'failover-auth-request', header, force: body['force'] === true };
    case 'failoverAuthAck':
      return { kind: 'failover-auth-ack', header };
    case 'mfstart':
      return { kind: 'mfstart', header };
  }
}

function protoDecode(type: protobuf.Type, bytes: Uint8Array, what: string): Decoded {
  try {
    return type.decode(bytes) as unknown as Decoded;
  } catch (err) {
    throw new BusCodecError('invalid', `malformed ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Bytes of one protobuf BusMessage to the core's type. Throws BusCodecError, never anything else. */
export function decodeBusMessage(bytes: Uint8Array): BusMessage {
  return messageFromDecoded(protoDecode(T.message, bytes, 'bus message'));
}

function handshakeFromDecoded(h: Decoded): BusHandshake {
  return {
    protocolVersion: dNum(h, 'protocolVersion', 'handshake.protocolVersion'),
    nodeId: dId(h, 'nodeId', 'handshake.nodeId', true),
    ip: dStr(h, 'ip'),
    port: dPort(h, 'port', 'handshake.port'),
    busPort: dPort(h, 'busPort', 'handshake.busPort'),
    dialedIp: dStr(h, 'dialedIp'),
    dialedBusPort: dPort(h, 'dialedBusPort', 'handshake.dialedBusPort'),
  };
}

export function decodeHandshake(bytes: Uint8Array): BusHandshake {
  return handshakeFromDecoded(protoDecode(T.handshake, bytes, 'handshake'));
}

/**
 * A whole BusFrame. Messages of an unknown kind (sent by a newer peer) are
 * skipped and counted; anything malformed rejects the frame with BusCodecError.
 */
export function decodeBusFrame(bytes: Uint8Array): DecodedBusFrame {
  const f = protoDecode(T.frame, bytes, 'bus frame');
  const hs = has(f, 'handshake') ? dSub(f, 'handshake') : null;
  const messages: BusMessage[] = [];
  let skippedUnknown = 0;
  for (const m of dList(f, 'messages')) {
    try {
      messages.push(messageFromDecoded(m));
    } catch (err) {
      if (err instanceof BusCodecError && err.code === 'unknown-kind') skippedUnknown++;
      else throw err;
    }
  }
  return { handshake: hs ? handshakeFromDecoded(hs) : null, messages, skippedUnknown };
}

/** The name Redis's CLUSTER INFO uses for a message type (cluster_stats_messages_<name>_sent). */
export function redisMessageTypeName(msg: BusMessage): string {
  switch (msg.kind) {
    case 'ping':
    case 'pong':
    case 'meet':
    case 'fail':
    case 'update':
    case 'mfstart':
      return msg.kind;
    case 'publish':
      return msg.sharded ? 'publishshard' : 'publish';
    case 'failover-auth-request':
      return 'auth-req';
    case 'failover-auth-ack':
      return 'auth-ack';
  }
}
