// Round trips of every bus message kind through the protobuf codec, the frame
// layout written by hand against protobufjs's own decoder, and garbage input:
// a peer's bytes must become a BusCodecError, never a crash or a bad message.
// The seeded generator below is typed from types.ts so that a field or kind
// added there does not compile until it has a generator, and then fails the
// round trip until the .proto and the codec carry it: the simulator hands
// message objects over directly and never noticed that the codec dropped
// the anti-entropy fields.

import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { seededRandom } from '../../src/core/random.js';
import type { BusMessage, GossipEntry, NodeFlag, NodeHeader, SlotRange } from '../../src/cluster/types.js';
import {
  BUS_PROTOCOL_VERSION,
  FLAG_BITS,
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

// ---------------------------------------------------------------------------
// A random BusMessage for every kind, with every optional field present or
// absent, driven by the types: Shape<T> needs one generator per key of T.

type Rand = () => number;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type OptionalKeys<T> = Exclude<keyof T, RequiredKeys<T>>;
interface Shape<T> {
  readonly required: { readonly [K in RequiredKeys<T>]-?: (r: Rand) => T[K] };
  readonly optional: { readonly [K in OptionalKeys<T>]-?: (r: Rand) => Exclude<T[K], undefined> };
}
/** One union member per kind; 'ping' | 'pong' | 'meet' share one. */
type Body<K extends BusMessage['kind']> = Omit<BusMessage & { readonly kind: K }, 'kind' | 'header'>;

const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;
/** Small values mostly, the edges of the wire type sometimes. */
const uintOf = (max: number) => (r: Rand): number => pick(r, [0, 1, max, int(r, Math.min(max, 1000) + 1), int(r, Math.min(max, 2 ** 32) + 1), int(r, max + 1)]);
const u53 = uintOf(Number.MAX_SAFE_INTEGER);
const u32 = uintOf(2 ** 32 - 1);
const s53 = (r: Rand): number => (r() < 0.5 ? -u53(r) : u53(r)) || 0;
const portOf = uintOf(65535);
const hexId = (r: Rand): string => Array.from({ length: 40 }, () => int(r, 16).toString(16)).join('');
const idOrEmpty = (r: Rand): string => (r() < 0.3 ? '' : hexId(r));
const bool = (r: Rand): boolean => r() < 0.5;
// Strings: ASCII, accents, CJK and astral characters (UTF-8 on the wire); never lone surrogates.
const ALPHABET = ['a', 'Z', '0', '.', '-', ':', ' ', 'é', 'ß', '中', '\u{1F600}', '\0'];
const text = (r: Rand): string => Array.from({ length: pick(r, [0, 1, 5, 30]) }, () => pick(r, ALPHABET)).join('');
/** Pub/Sub payloads are latin1 strings in the node: one char per byte. */
const latin1Text = (r: Rand): string => String.fromCharCode(...Array.from({ length: pick(r, [0, 1, 7, 300]) }, () => int(r, 256)));
/** Any subset, in bit order (the codec returns flags in bit order). */
const flagSet = (r: Rand): NodeFlag[] => FLAG_BITS.filter(() => r() < 0.3);
const slotList = (r: Rand): SlotRange[] =>
  Array.from({ length: pick(r, [0, 1, 3, 40]) }, () => {
    const a = int(r, 16384);
    return [a, pick(r, [a, 16383, a + int(r, 16384 - a)])] as const;
  });
const list = <T>(r: Rand, max: number, item: (r: Rand) => T): T[] => Array.from({ length: pick(r, [0, 1, int(r, max), max]) }, () => item(r));

/** What a header and a gossip entry share: the address (NodeAddress) and the shard placement. */
const placement = {
  ip: text,
  port: portOf,
  busPort: portOf,
  hostname: text,
  flags: flagSet,
  configEpoch: u53,
  primaryId: idOrEmpty,
  shardId: idOrEmpty,
  zone: text,
} satisfies Partial<Shape<NodeHeader>['required'] & Shape<GossipEntry>['required']>;

const headerShape: Shape<NodeHeader> = {
  required: {
    ...placement,
    id: hexId,
    currentEpoch: u53,
    replOffset: u53,
    slotsDigest: s53,
  },
  optional: { slots: slotList, seenReceiverDigest: s53, membersDigest: u32 },
};

const entryShape: Shape<GossipEntry> = {
  required: { ...placement, id: hexId, pingSentMs: u53, pongRecvMs: u53 },
  optional: { slots: slotList },
};

/** How often each optional field was drawn present and absent: proof the sweep covered both. */
const coverage = new Map<string, { present: number; absent: number }>();

function build<T>(r: Rand, name: string, shape: Shape<T>): T {
  const out: Record<string, unknown> = {};
  for (const [k, gen] of Object.entries<(r: Rand) => unknown>(shape.required)) out[k] = gen(r);
  for (const [k, gen] of Object.entries<(r: Rand) => unknown>(shape.optional)) {
    const c = coverage.get(`${name}.${k}`) ?? { present: 0, absent: 0 };
    coverage.set(`${name}.${k}`, c);
    if (bool(r)) {
      out[k] = gen(r);
      c.present++;
    } else c.absent++;
  }
  // Every key of T was generated by a function typed T[K]: the shape is the proof.
  return out as T;
}

const gossipBody: Shape<Body<'ping'>> = {
  required: { gossip: (r) => list(r, 20, (r) => build(r, 'gossip', entryShape)) },
  optional: {
    probeFor: (r) => (r() < 0.8 ? hexId(r) : text(r)),
    probeReply: (r) => (r() < 0.8 ? hexId(r) : text(r)),
    fullTable: bool,
    tableSummary: (r) => list(r, 200, u32), // 1,500 (a full-size cluster) in the packing test below
  },
};

const bodies: { readonly [K in BusMessage['kind']]: Shape<Body<K>> } = {
  ping: gossipBody,
  pong: gossipBody,
  meet: gossipBody,
  fail: { required: { failedId: hexId }, optional: {} },
  update: { required: { nodeId: hexId, configEpoch: u53, slots: slotList }, optional: {} },
  publish: { required: { channel: latin1Text, message: latin1Text, sharded: bool }, optional: {} },
  'failover-auth-request': { required: { force: bool }, optional: {} },
  'failover-auth-ack': { required: {}, optional: {} },
  mfstart: { required: {}, optional: {} },
};
const KINDS = Object.keys(bodies) as BusMessage['kind'][];

/** Paths whose values differ (first few), instead of a diff of two whole messages. */
function differences(a: unknown, b: unknown, path = 'msg', out: string[] = []): string[] {
  if (out.length >= 5 || Object.is(a, b)) return out;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    out.push(`${path}: ${JSON.stringify(a)?.slice(0, 80)} became ${JSON.stringify(b)?.slice(0, 80)}`);
    return out;
  }
  const ka = a as Record<string, unknown>;
  const kb = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ka), ...Object.keys(kb)])) {
    if (!(k in kb)) out.push(`${path}.${k}: dropped`);
    else if (!(k in ka)) out.push(`${path}.${k}: appeared`);
    else differences(ka[k], kb[k], `${path}.${k}`, out);
  }
  return out;
}

function randomMessage(r: Rand, kind: BusMessage['kind'] = pick(r, KINDS)): BusMessage {
  const body: Body<typeof kind> = build(r, kind === 'ping' || kind === 'pong' || kind === 'meet' ? 'gossip-body' : kind, bodies[kind]);
  // body was built from bodies[kind], so kind and body agree.
  return { kind, header: build(r, 'header', headerShape), ...body } as BusMessage;
}

describe('bus codec', () => {
  describe('seeded random messages: every kind, every optional field', () => {
    const SEEDS = 3000;

    it(`${SEEDS} seeds round-trip exactly (encode, decode, deep-equal)`, () => {
      const kinds = new Map<string, number>();
      // Every field that fails, with the first seed it failed on (one failing field must not hide another).
      const broken = new Map<string, number>();
      for (let seed = 1; seed <= SEEDS; seed++) {
        const r = seededRandom(seed);
        const msg = randomMessage(r, KINDS[seed % KINDS.length]);
        kinds.set(msg.kind, (kinds.get(msg.kind) ?? 0) + 1);
        let back: BusMessage;
        try {
          back = decodeBusMessage(encodeBusMessage(msg));
        } catch (err) {
          throw new Error(`seed ${seed} (${msg.kind}): ${String(err)}`, { cause: err });
        }
        if (isDeepStrictEqual(back, msg)) continue;
        for (const d of differences(msg, back)) {
          const field = `${msg.kind} ${d.replace(/\.\d+/g, '[]')}`;
          if (!broken.has(field)) broken.set(field, seed);
        }
      }
      const report = [...broken].map(([field, seed]) => `${field} (seed ${seed})`);
      if (report.length > 0) assert.fail(`fields that do not survive the wire:\n        ${report.join('\n        ')}`);
      assert.deepEqual([...kinds.keys()].sort(), [...KINDS].sort());
      for (const [field, c] of coverage) assert.ok(c.present > 50 && c.absent > 50, `${field}: present ${c.present}, absent ${c.absent} times`);
    });

    it('batches of random messages round-trip as one frame', () => {
      for (let seed = 1; seed <= 200; seed++) {
        const r = seededRandom(0xf00 + seed);
        const messages = Array.from({ length: int(r, 12) }, () => randomMessage(r));
        const back = decodeBusFrame(encodeBusFrame({ messages }));
        if (!isDeepStrictEqual(back, { handshake: null, messages, skippedUnknown: 0 })) assert.fail(`seed ${seed}: ${differences(messages, back.messages).join('; ')}`);
      }
    });

    it('packs tableSummary as fixed32: 4 bytes a fingerprint', () => {
      const summary = Array.from({ length: 1500 }, (_, i) => (i * 2654435761) >>> 0);
      const msg: BusMessage = { kind: 'ping', header, gossip: [] };
      const extra = encodeBusMessage({ ...msg, tableSummary: summary }).length - encodeBusMessage(msg).length;
      assert.ok(extra >= 1500 * 4 && extra <= 1500 * 4 + 8, `1,500 fingerprints cost ${extra} bytes`);
    });
  });

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
      rejects(() => encodeBusMessage({ ...samples[0]!, header: { ...header, membersDigest: -1 } }), /membersDigest/);
      rejects(() => encodeBusMessage({ ...samples[0]!, header: { ...header, membersDigest: 2 ** 32 } }), /membersDigest/);
      rejects(() => encodeBusMessage({ kind: 'ping', header, gossip: [], tableSummary: [1, 2.5] }), /tableSummary/);
      rejects(() => encodeBusMessage({ kind: 'ping', header, gossip: [{ ...entry, slots: [[9, 3]] }] }), /gossip.slots/);
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
