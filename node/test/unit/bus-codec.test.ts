// Round trips of every bus message kind through the protobuf codec, the frame
// layout written by hand against protobufjs's own decoder, and garbage input:
// a peer's bytes must become a BusCodecError, never a crash or a bad message.

import assert from 'node:assert/strict';
import { seededRandom } from '../../src/core/random.js';
import type { BusMessage, GossipEntry, NodeHeader } from '../../src/cluster/types.js';
import {
  BUS_PROTOCOL_VERSION,
  BusCodecError,
  decodeBusFrame,
  decodeBusMessage,
  decodeHandshake,
  encodeBusFrame,
  encodeBusFrameParts,
  encodeBusMessage,
  encodeHandshake,
  protoRoot,
  redisMessageTypeName,
  type BusHandshake,
} from '../../src/bus/codec.js';

const ID_A = 'a'.repeat(40);
const ID_B = '0123456789abcdef0123456789abcdef01234567';
const ID_C = 'ffffffffffffffffffffffffffffffffffffffff';

const header: NodeHeader = {
  id: ID_A,
  ip: '127.0.1.1',
  port: 7000,
  busPort: 17000,
  hostname: 'node-a.example',
  currentEpoch: 42,
  configEpoch: 7,
  flags: ['master'],
  primaryId: '',
  shardId: ID_C,
  zone: 'a',
  replOffset: 2 ** 40 + 3,
  slotsDigest: -123456789,
};

const headerFull: NodeHeader = {
  ...header,
  flags: ['slave', 'nofailover'],
  primaryId: ID_B,
  slots: [
    [0, 5460],
    [10000, 10000],
    [16383, 16383],
  ],
  seenReceiverDigest: 987654321987,
};

const entry: GossipEntry = {
  id: ID_B,
  ip: '127.0.2.1',
  port: 7001,
  busPort: 17001,
  hostname: '',
  flags: ['master', 'pfail'],
  pingSentMs: 1_700_000_000_123,
  pongRecvMs: 1_700_000_000_456,
  configEpoch: 3,
  primaryId: '',
  shardId: ID_B,
  zone: 'b',
};

const latin1 = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

const samples: BusMessage[] = [
  { kind: 'ping', header, gossip: [] },
  { kind: 'ping', header: headerFull, gossip: [entry, { ...entry, id: ID_C, flags: ['slave', 'fail'], primaryId: ID_B }] },
  { kind: 'pong', header, gossip: [entry], probeReply: ID_C },
  { kind: 'meet', header, gossip: [], probeFor: ID_B },
  { kind: 'fail', header, failedId: ID_B },
  { kind: 'update', header, nodeId: ID_B, configEpoch: 9, slots: [[100, 200]] },
  { kind: 'update', header, nodeId: ID_B, configEpoch: 0, slots: [] },
  { kind: 'publish', header, channel: 'news', message: latin1, sharded: false },
  { kind: 'publish', header, channel: '{user1}:ch', message: '', sharded: true },
  { kind: 'failover-auth-request', header, force: true },
  { kind: 'failover-auth-request', header, force: false },
  { kind: 'failover-auth-ack', header },
  { kind: 'mfstart', header: headerFull },
];

describe('bus codec', () => {
  describe('round trips', () => {
    for (const msg of samples) {
      it(`${msg.kind} ${JSON.stringify(msg).length} chars`, () => {
        const bytes = encodeBusMessage(msg);
        assert.deepEqual(decodeBusMessage(bytes), msg);
      });
    }

    it('keeps an absent slots list apart from an empty one', () => {
      const absent = decodeBusMessage(encodeBusMessage({ kind: 'ping', header, gossip: [] }));
      assert.equal(absent.header.slots, undefined);
      assert.equal(absent.header.seenReceiverDigest, undefined);
      const empty = decodeBusMessage(encodeBusMessage({ kind: 'ping', header: { ...header, slots: [], seenReceiverDigest: 0 }, gossip: [] }));
      assert.deepEqual(empty.header.slots, []);
      assert.equal(empty.header.seenReceiverDigest, 0);
    });

    it('returns flags in bit order whatever order they were listed in', () => {
      const m = decodeBusMessage(encodeBusMessage({ kind: 'ping', header: { ...header, flags: ['nofailover', 'slave', 'slave'] }, gossip: [] }));
      assert.deepEqual(m.header.flags, ['slave', 'nofailover']);
    });

    it('carries ids as 20 raw bytes (gossip is the bulk of the traffic)', () => {
      const oneEntry = encodeBusMessage({ kind: 'ping', header, gossip: [entry] }).length;
      const noEntry = encodeBusMessage({ kind: 'ping', header, gossip: [] }).length;
      // id + shardId as bytes (2 x 22) + addresses, flags, times: well under 3 x 40 hex chars.
      assert.ok(oneEntry - noEntry < 110, `gossip entry costs ${oneEntry - noEntry} bytes`);
    });

    it('names message types as Redis CLUSTER INFO does', () => {
      assert.deepEqual(
        samples.map(redisMessageTypeName),
        ['ping', 'ping', 'pong', 'meet', 'fail', 'update', 'update', 'publish', 'publishshard', 'auth-req', 'auth-req', 'auth-ack', 'mfstart'],
      );
    });
  });

  describe('frames', () => {
    const hs: BusHandshake = {
      protocolVersion: BUS_PROTOCOL_VERSION,
      nodeId: ID_A,
      ip: '127.0.1.1',
      port: 7000,
      busPort: 17000,
      dialedIp: '127.0.2.1',
      dialedBusPort: 17001,
    };

    it('round-trips a handshake alone, messages alone, and both', () => {
      assert.deepEqual(decodeHandshake(encodeHandshake(hs)), hs);
      assert.deepEqual(decodeBusFrame(encodeBusFrame({ handshake: hs, messages: [] })), { handshake: hs, messages: [], skippedUnknown: 0 });
      assert.deepEqual(decodeBusFrame(encodeBusFrame({ messages: samples })), { handshake: null, messages: samples, skippedUnknown: 0 });
      assert.deepEqual(decodeBusFrame(encodeBusFrame({ handshake: hs, messages: samples })), { handshake: hs, messages: samples, skippedUnknown: 0 });
    });

    it('writes the same bytes protobufjs writes (hand-built frame layout)', () => {
      const frameType = protoRoot().lookupType('tessera.bus.v1.BusFrame');
      const parts = samples.map(encodeBusMessage);
      // A length that needs a 3-byte varint.
      const big = encodeBusMessage({ kind: 'publish', header, channel: 'c', message: 'x'.repeat(300_000), sharded: false });
      const ours = encodeBusFrameParts(encodeHandshake(hs), [...parts, big]);
      const theirs = frameType
        .encode({
          handshake: protoRoot().lookupType('tessera.bus.v1.Handshake').decode(encodeHandshake(hs)),
          messages: [...parts, big].map((p) => protoRoot().lookupType('tessera.bus.v1.BusMessage').decode(p)),
        })
        .finish();
      assert.equal(Buffer.compare(ours, Buffer.from(theirs)), 0);
    });

    it('skips messages of a kind a newer peer may send (field 11+), keeps the rest', () => {
      // BusMessage { header = 1; <field 11, length-delimited, empty> }: an unknown oneof member.
      const type = protoRoot().lookupType('tessera.bus.v1.BusMessage');
      const decodedHeader = (type.decode(encodeBusMessage(samples[0]!)) as unknown as { header: object }).header;
      const headerOnly = type.encode({ header: decodedHeader }).finish();
      const unknownKind = Buffer.concat([headerOnly, Buffer.from([(11 << 3) | 2, 0])]);
      const frame = encodeBusFrameParts(null, [encodeBusMessage(samples[0]!), unknownKind, encodeBusMessage(samples[4]!)]);
      const decoded = decodeBusFrame(frame);
      assert.deepEqual(decoded.messages, [samples[0], samples[4]]);
      assert.equal(decoded.skippedUnknown, 1);
    });

    it('ignores flag bits of a newer peer', () => {
      const type = protoRoot().lookupType('tessera.bus.v1.BusMessage');
      const obj = type.decode(encodeBusMessage(samples[0]!)) as unknown as { header: { flags: number } };
      obj.header.flags |= 1 << 20;
      assert.deepEqual(decodeBusMessage(type.encode(obj).finish()).header.flags, ['master']);
    });
  });

  describe('rejection', () => {
    function rejects(fn: () => unknown, pattern?: RegExp): void {
      assert.throws(fn, (err: unknown) => {
        assert.ok(err instanceof BusCodecError, `expected BusCodecError, got ${String(err)}`);
        if (pattern) assert.match(err.message, pattern);
        return true;
      });
    }

    it('refuses to encode what the wire cannot carry', () => {
      rejects(() => encodeBusMessage({ ...samples[0]!, header: { ...header, id: 'node-1' } }), /header.id/);
      rejects(() => encodeBusMessage({ ...samples[0]!, header: { ...header, id: ID_A.toUpperCase() } }), /header.id/);
      rejects(() => encodeBusMessage({ ...samples[0]!, header: { ...header, port: 70000 } }), /port/);
      rejects(() => encodeBusMessage({ ...samples[0]!, header: { ...header, currentEpoch: -1 } }), /currentEpoch/);
      rejects(() => encodeBusMessage({ ...samples[0]!, header: { ...header, configEpoch: 1.5 } }), /configEpoch/);
      rejects(() => encodeBusMessage({ ...samples[0]!, header: { ...header, slots: [[5, 4]] } }), /slot range/);
      rejects(() => encodeBusMessage({ ...samples[0]!, header: { ...header, slots: [[0, 16384]] } }), /slot range/);
      rejects(() => encodeBusMessage({ kind: 'fail', header, failedId: '' }), /failedId/);
    });

    it('rejects a message without header, with a short id, or with a bad slot range', () => {
      const type = protoRoot().lookupType('tessera.bus.v1.BusMessage');
      rejects(() => decodeBusMessage(type.encode({ ping: {} }).finish()), /header/);
      rejects(() => decodeBusMessage(type.encode({ header: { id: Buffer.alloc(19) }, ping: {} }).finish()), /header.id/);
      rejects(() => decodeBusMessage(type.encode({ header: { id: Buffer.alloc(20), port: 70000 }, ping: {} }).finish()), /port/);
      rejects(
        () => decodeBusMessage(type.encode({ header: { id: Buffer.alloc(20) }, update: { nodeId: Buffer.alloc(20), slots: [{ start: 9, end: 3 }] } }).finish()),
        /slot range/,
      );
      rejects(() => decodeBusMessage(new Uint8Array(0)));
    });

    it('turns 8,000 random and mutated inputs into messages or BusCodecErrors, nothing else', () => {
      const random = seededRandom(0xb05);
      const valid = encodeBusFrame({ messages: samples });
      let rejected = 0;
      for (let i = 0; i < 8_000; i++) {
        let bytes: Uint8Array;
        if (i % 2 === 0) {
          bytes = new Uint8Array(Math.floor(random() * 200));
          for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
        } else {
          // Flip, drop or truncate a few bytes of a valid frame: structurally close to real input.
          const copy = Buffer.from(valid);
          const edits = 1 + Math.floor(random() * 4);
          for (let e = 0; e < edits; e++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
          bytes = random() < 0.3 ? copy.subarray(0, Math.floor(random() * copy.length)) : copy;
        }
        try {
          const frame = decodeBusFrame(bytes);
          // Whatever decodes must be a well-formed message that encodes again.
          for (const m of frame.messages) assert.deepEqual(decodeBusMessage(encodeBusMessage(m)), m);
        } catch (err) {
          if (!(err instanceof BusCodecError)) throw err;
          rejected++;
        }
        try {
          decodeBusMessage(bytes);
        } catch (err) {
          if (!(err instanceof BusCodecError)) throw err;
        }
      }
      assert.ok(rejected > 4_000, `only ${rejected} rejected`);
    });
  });
});
