// The RDB codec on its own: CRC64 and LZF against known values and random
// round trips, listpack/intset/ziplist layouts (every integer width and
// string length class), whole objects of every type round-tripped through
// DUMP payloads, and corrupt input always refused with RdbFormatError (or a
// failed checksum), never a crash or an out-of-range read.

import assert from 'node:assert/strict';
import { Crc64, crc64 } from '../../src/persistence/crc64.js';
import { lzfCompress, lzfDecompress } from '../../src/persistence/lzf.js';
import { buildListpack, listpackEntryBytes, readListpack } from '../../src/persistence/listpack.js';
import { buildIntset, readIntset } from '../../src/persistence/intset.js';
import { readZiplist } from '../../src/persistence/ziplist.js';
import { RdbFormatError } from '../../src/persistence/errors.js';
import { createDumpPayload, decodeDumpPayload, decodeDumpPayloadSteps, verifyDumpPayload } from '../../src/persistence/dump-payload.js';
import { endLoan, lendBytes } from '../../src/persistence/lent-bytes.js';
import { readLatin1, writeLatin1 } from '../../src/persistence/latin1.js';
import { RdbReader, RdbType, readObject, scoreText } from '../../src/persistence/rdb-object.js';
import { seededRandom } from '../../src/core/random.js';
import { ListValue } from '../../src/keyspace/types/list.js';
import { SetValue } from '../../src/keyspace/types/set.js';
import { HashValue } from '../../src/keyspace/types/hash.js';
import { ZSetValue } from '../../src/keyspace/types/zset.js';
import type { Value } from '../../src/keyspace/values.js';

const SEED = Number(process.env.RDB_SEED ?? 7);

function randomString(rnd: () => number, maxLen: number): string {
  const len = Math.floor(rnd() * rnd() * maxLen);
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(rnd() * 256));
  return s;
}

/** Integers around every encoding boundary, as canonical strings. */
const BOUNDARY_INTS = [
  0, 1, 12, 13, 127, 128, -1, -4096, -4097, 4095, 4096, 32767, 32768, -32768, -32769, 8388607, 8388608, -8388608,
  -8388609, 2147483647, 2147483648, -2147483648, -2147483649,
].map(String).concat(['9223372036854775807', '-9223372036854775808', '9007199254740993']);

/** Snapshot of a value for deep comparison. */
function snapshot(v: Value): unknown {
  if (typeof v === 'string') return ['string', v];
  if (Buffer.isBuffer(v)) return ['string', v.latin1Slice(0, v.length)];
  switch (v.type) {
    case 'list': {
      const l = v as ListValue;
      return ['list', l.slice(0, l.size - 1)];
    }
    case 'set':
      return ['set', [...(v as SetValue).map.keys].sort()];
    case 'hash': {
      const h = v as HashValue;
      return ['hash', h.map.keys.map((k, i) => [k, h.map.vals[i]]).sort()];
    }
    case 'zset': {
      const out: [string, number][] = [];
      for (let n = (v as ZSetValue).first(); n !== null; n = n.next[0] ?? null) out.push([n.member, n.score]);
      return ['zset', out];
    }
    default:
      return ['?'];
  }
}

describe('rdb codec', () => {
  it('CRC64 Jones matches the check value and is chunk-independent', () => {
    assert.equal(crc64(Buffer.from('123456789')), 0xe9c6d914c4b8d9can);
    assert.equal(crc64(Buffer.alloc(0)), 0n);
  });

  it('CRC64 (slicing-by-8, word loads) equals the bit-at-a-time definition at every length, alignment and split', () => {
    // The definition: shift one bit at a time through the reflected polynomial.
    const reference = (b: Uint8Array): bigint => {
      let c = 0n;
      for (const x of b) {
        c ^= BigInt(x);
        for (let k = 0; k < 8; k++) c = (c & 1n) !== 0n ? (c >> 1n) ^ 0x95ac9329ac4bc9b5n : c >> 1n;
      }
      return c;
    };
    const rnd = seededRandom(SEED);
    const base = Buffer.alloc(1200);
    for (let i = 0; i < base.length; i++) base[i] = Math.floor(rnd() * 256);
    for (const n of [0, 1, 7, 8, 9, 63, 255, 256, 257, 300, 1031]) {
      for (let off = 0; off < 8; off++) {
        const b = base.subarray(off, off + n);
        const want = reference(b);
        assert.equal(crc64(b), want, `length ${n} offset ${off}`);
        assert.equal(crc64(base, off, off + n), want, `range ${n} at ${off}`);
        const cut = Math.floor(rnd() * (n + 1));
        assert.equal(new Crc64().update(b, 0, cut).update(b, cut, n).value(), want, `split ${n} at ${cut}`);
      }
    }
  });

  it('LZF compresses and decompresses random and repetitive data', () => {
    const rnd = seededRandom(SEED);
    for (let i = 0; i < 300; i++) {
      const len = Math.floor(rnd() * 5000);
      const b = Buffer.alloc(len);
      const alphabet = 1 + Math.floor(rnd() * 255);
      for (let k = 0; k < len; k++) b[k] = rnd() < 0.3 && k > 10 ? b[k - 1 - Math.floor(rnd() * 10)]! : Math.floor(rnd() * alphabet);
      const packed = lzfCompress(b, len);
      if (packed === null) continue;
      assert.ok(packed.length <= len);
      assert.deepEqual(lzfDecompress(packed, len), b, `seed ${SEED} case ${i}`);
    }
    const big = Buffer.from('abc'.repeat(100000));
    const packed = lzfCompress(big, big.length - 4);
    assert.ok(packed !== null && packed.length < big.length / 20);
    assert.deepEqual(lzfDecompress(packed, big.length), big);
    assert.throws(() => lzfDecompress(Buffer.from([0x20, 0x00]), 5), RdbFormatError);
    assert.throws(() => lzfDecompress(Buffer.from([0x05, 1, 2]), 6), RdbFormatError);
  });

  it('short latin1 strings read and write every byte value at every length like latin1Slice/latin1Write', () => {
    const rnd = seededRandom(SEED);
    const buf = Buffer.alloc(64);
    const out = Buffer.alloc(64);
    for (let n = 0; n <= 40; n++) {
      for (let round = 0; round < 20; round++) {
        for (let i = 0; i < buf.length; i++) buf[i] = round === 0 ? 255 - i : Math.floor(rnd() * 256);
        const at = Math.floor(rnd() * (buf.length - n + 1));
        const s = readLatin1(buf, at, at + n);
        assert.equal(s, buf.latin1Slice(at, at + n), `read ${n} at ${at}`);
        out.fill(0);
        assert.equal(writeLatin1(out, s, 3), n);
        assert.deepEqual(out.subarray(3, 3 + n), buf.subarray(at, at + n), `write ${n}`);
        assert.equal(out[3 + n] ?? 0, 0);
      }
    }
  });

  it('LZF long back-references (runs of one byte, other periods, plain copies) decompress exactly', () => {
    const rnd = seededRandom(SEED);
    for (const period of [1, 2, 3, 7, 31, 32, 33, 100, 1000]) {
      const unit = Buffer.alloc(period);
      for (let i = 0; i < period; i++) unit[i] = Math.floor(rnd() * 256);
      // Repeats of the unit, with random bytes between, so matches of every length and distance occur.
      const parts: Buffer[] = [];
      for (let k = 0; k < 40; k++) {
        parts.push(Buffer.concat(Array.from({ length: 1 + Math.floor(rnd() * 20) }, () => unit)));
        parts.push(Buffer.from(Array.from({ length: Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256))));
      }
      const b = Buffer.concat(parts);
      const packed = lzfCompress(b, b.length);
      assert.ok(packed !== null, `period ${period}`);
      assert.deepEqual(lzfDecompress(packed, b.length), b, `period ${period}`);
    }
  });

  it('a multi-MB string compressed in slices writes the shortest length forms and decodes back (string and Buffer values)', () => {
    const cases: [string, number][] = [
      ['x'.repeat((1 << 20) + 1), 1], // packs to a few KB: 14-bit compressed length
      ['abcdefgh'.repeat(300000), 1],
      [Array.from({ length: 200000 }, (_, i) => `${i * 7919}`).join(','), 1], // packs to > 16 KB: 32-bit length
    ];
    for (const [text] of cases) {
      for (const v of [text, Buffer.from(text, 'latin1')]) {
        const p = createDumpPayload(v, { listMaxListpackSize: -2, compress: true });
        assert.equal(p[0], RdbType.STRING);
        assert.equal(p[1], 0xc3, 'LZF');
        const r = new RdbReader(p, 2, p.length - 10);
        const clen = r.len();
        const ulen = r.len();
        assert.equal(ulen, text.length);
        assert.equal(r.pos + clen, p.length - 10, 'compressed length covers the data exactly');
        // Shortest form: the prefix is 1, 2 or 5 bytes as the value needs.
        const want = clen < 64 ? 1 : clen < 16384 ? 2 : 5;
        assert.equal(r.pos - 2 - 5, want);
        assert.ok(verifyDumpPayload(p));
        assert.deepEqual(snapshot(decodeDumpPayload(p)), ['string', text]);
      }
    }
  });

  it('decodeDumpPayloadSteps reads a Buffer, or the bytes lent for its string, like the string itself', () => {
    const h = new HashValue();
    for (let i = 0; i < 3000; i++) h.set(`f${i}`, `v${i}`);
    const big = 'abc'.repeat(400000);
    for (const v of [h, big]) {
      const p = createDumpPayload(v, { listMaxListpackSize: -2, compress: true });
      const text = p.latin1Slice(0, p.length);
      const run = (g: Generator<void, Value | null, void>): Value | null => {
        for (;;) {
          const r = g.next();
          if (r.done) return r.value;
        }
      };
      const want = snapshot(run(decodeDumpPayloadSteps(text))!);
      assert.deepEqual(snapshot(run(decodeDumpPayloadSteps(p))!), want);
      lendBytes(text, p);
      try {
        assert.deepEqual(snapshot(run(decodeDumpPayloadSteps(text))!), want);
        const bad = Buffer.from(p);
        bad[5] = bad[5]! ^ 1;
        lendBytes(text, bad);
        assert.equal(run(decodeDumpPayloadSteps(text)), null);
      } finally {
        endLoan();
      }
    }
  });

  it('listpack: every integer width and string length class round-trips with the exact entry size', () => {
    const items = [...BOUNDARY_INTS, '', 'a', 'x'.repeat(63), 'x'.repeat(64), 'y'.repeat(4095), 'y'.repeat(4096), '012', '-0', '+1', ' 1', '1.5'];
    const lp = buildListpack(items);
    assert.deepEqual(readListpack(lp), items);
    let total = 6 + 1;
    for (const s of items) total += listpackEntryBytes(s);
    assert.equal(lp.length, total);
    // A 7-bit uint is one byte plus its 1-byte backlen.
    assert.deepEqual([...buildListpack(['5'])], [9, 0, 0, 0, 1, 0, 5, 1, 0xff]);
  });

  it('intset: narrowest width, sorted, validated', () => {
    assert.equal(buildIntset(['3', '-1', '2']).readUInt32LE(0), 2);
    assert.equal(buildIntset(['3', '40000']).readUInt32LE(0), 4);
    assert.equal(buildIntset(['3', '9223372036854775807']).readUInt32LE(0), 8);
    assert.deepEqual(readIntset(buildIntset(BOUNDARY_INTS)), [...BOUNDARY_INTS].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
    const unsorted = buildIntset(['1', '2']);
    unsorted.writeInt16LE(5, 8);
    assert.throws(() => readIntset(unsorted), RdbFormatError);
  });

  it('ziplist: reads the 6.2 layout (all encodings, long prevlen)', () => {
    const zl = buildZiplist(['abc', 'q'.repeat(300), 'r'.repeat(20000), ...BOUNDARY_INTS, '7', '-100']);
    assert.deepEqual(readZiplist(zl), ['abc', 'q'.repeat(300), 'r'.repeat(20000), ...BOUNDARY_INTS, '7', '-100']);
    const bad = Buffer.from(zl);
    bad.writeUInt16LE(3, 8);
    assert.throws(() => readZiplist(bad), RdbFormatError);
  });

  it('every type round-trips through a DUMP payload (compact and plain encodings)', () => {
    const rnd = seededRandom(SEED);
    for (let round = 0; round < 200; round++) {
      const v = randomValue(rnd, round % 2 === 0 ? 10 : 700);
      for (const compress of [false, true]) {
        const p = createDumpPayload(v, { listMaxListpackSize: round % 3 === 0 ? 5 : -2, compress });
        assert.ok(verifyDumpPayload(p));
        const back = decodeDumpPayload(p);
        assert.deepEqual(snapshot(back), snapshot(v), `seed ${SEED} round ${round}`);
        if (typeof v !== 'string' && typeof back !== 'string' && !Buffer.isBuffer(v) && !Buffer.isBuffer(back)) {
          assert.equal(back.encoding(), v.encoding(), `seed ${SEED} round ${round}`);
        }
      }
    }
  });

  it('writes the compact layouts for small values and the plain ones for large', () => {
    const small = new HashValue();
    small.set('f', 'v');
    assert.equal(createDumpPayload(small)[0], RdbType.HASH_LISTPACK);
    const big = new HashValue();
    big.set('f', 'v'.repeat(100));
    assert.equal(createDumpPayload(big)[0], RdbType.HASH);
    const ints = new SetValue();
    ints.add('1');
    assert.equal(createDumpPayload(ints)[0], RdbType.SET_INTSET);
    ints.add('x');
    assert.equal(createDumpPayload(ints)[0], RdbType.SET);
    const z = new ZSetValue();
    z.set('a', 1.5);
    assert.equal(createDumpPayload(z)[0], RdbType.ZSET_LISTPACK);
    z.set('b'.repeat(100), 2);
    assert.equal(createDumpPayload(z)[0], RdbType.ZSET_2);
    assert.equal(createDumpPayload(new ListValue().clone())[0], RdbType.LIST_QUICKLIST_2);
    assert.equal(createDumpPayload('12')[1], 0xc0); // int8 encoding
  });

  it('scores written to listpacks read back exactly', () => {
    for (const d of [0, 1, -1, 1.5, 1 / 3, 1e21, -1e-300, 2 ** 63, 2 ** 62, Infinity, -Infinity, Number.MAX_VALUE, 5e-324]) {
      assert.equal(Number(scoreText(d).replace('inf', 'Infinity')), d, String(d));
    }
  });

  it('corrupt payloads are refused by the checksum or the decoder, never crash', () => {
    const rnd = seededRandom(SEED + 1);
    for (let round = 0; round < 100; round++) {
      const v = randomValue(rnd, 50);
      const p = createDumpPayload(v);
      const flipped = Buffer.from(p);
      const at = Math.floor(rnd() * p.length);
      flipped[at] = flipped[at]! ^ (1 + Math.floor(rnd() * 255));
      assert.equal(verifyDumpPayload(flipped), false);
      assert.equal(verifyDumpPayload(p.subarray(0, Math.floor(rnd() * p.length))), false);
      // Past the checksum (a payload re-signed after corruption) the decoder must still refuse or succeed cleanly.
      const body = Buffer.from(p.subarray(0, p.length - 10));
      const pos = Math.floor(rnd() * body.length);
      body[pos] = Math.floor(rnd() * 256);
      try {
        readObject(new RdbReader(body));
      } catch (e) {
        assert.ok(e instanceof RdbFormatError, `unexpected ${String(e)}`);
      }
    }
    const wrongVersion = Buffer.from(createDumpPayload('x'));
    wrongVersion.writeUInt16LE(11, wrongVersion.length - 10);
    assert.equal(verifyDumpPayload(wrongVersion), false);
  });
});

function randomValue(rnd: () => number, maxSize: number): Value {
  const n = 1 + Math.floor(rnd() * maxSize);
  const elem = (): string =>
    rnd() < 0.3 ? BOUNDARY_INTS[Math.floor(rnd() * BOUNDARY_INTS.length)]! : rnd() < 0.1 ? 'z'.repeat(70) : randomString(rnd, 40);
  switch (Math.floor(rnd() * 5)) {
    case 0:
      return rnd() < 0.5 ? elem() : randomString(rnd, 3000);
    case 1: {
      const l = new ListValue();
      for (let i = 0; i < n; i++) l.pushBack(elem());
      return l;
    }
    case 2: {
      const s = new SetValue();
      const intsOnly = rnd() < 0.5;
      for (let i = 0; i < n; i++) s.add(intsOnly ? String(Math.floor(rnd() * 1e6) - 5e5) : elem());
      return s;
    }
    case 3: {
      const h = new HashValue();
      for (let i = 0; i < n; i++) h.set(elem(), elem());
      return h;
    }
    default: {
      const z = new ZSetValue();
      for (let i = 0; i < n; i++) z.set(elem(), rnd() < 0.3 ? Math.floor(rnd() * 100) : rnd() < 0.1 ? -Infinity : (rnd() - 0.5) * 1e6);
      return z;
    }
  }
}

/** A minimal ziplist writer (Redis 6.2's layout), only to produce test input. */
function buildZiplist(items: readonly string[]): Buffer {
  const entries: Buffer[] = [];
  let prev = 0;
  for (const s of items) {
    const prevlen = prev < 254 ? Buffer.from([prev]) : Buffer.concat([Buffer.from([254]), u32le(prev)]);
    let body: Buffer;
    const isInt = /^(0|-?[1-9][0-9]*)$/.test(s) && BigInt(s) <= 9223372036854775807n && BigInt(s) >= -9223372036854775808n;
    if (isInt) {
      const v = BigInt(s);
      if (v >= 0n && v <= 12n) body = Buffer.from([0xf1 + Number(v)]);
      else if (v >= -128n && v <= 127n) body = Buffer.from([0xfe, Number(v) & 0xff]);
      else if (v >= -32768n && v <= 32767n) body = withInt(0xc0, Number(v), 2);
      else if (v >= -8388608n && v <= 8388607n) body = withInt(0xf0, Number(v), 3);
      else if (v >= -2147483648n && v <= 2147483647n) body = withInt(0xd0, Number(v), 4);
      else {
        body = Buffer.alloc(9);
        body[0] = 0xe0;
        body.writeBigInt64LE(v, 1);
      }
    } else {
      const b = Buffer.from(s, 'latin1');
      if (b.length < 64) body = Buffer.concat([Buffer.from([b.length]), b]);
      else if (b.length < 16384) body = Buffer.concat([Buffer.from([0x40 | (b.length >> 8), b.length & 0xff]), b]);
      else {
        const h = Buffer.alloc(5);
        h[0] = 0x80;
        h.writeUInt32BE(b.length, 1);
        body = Buffer.concat([h, b]);
      }
    }
    const entry = Buffer.concat([prevlen, body]);
    entries.push(entry);
    prev = entry.length;
  }
  const payload = Buffer.concat(entries);
  const total = 10 + payload.length + 1;
  const header = Buffer.alloc(10);
  header.writeUInt32LE(total, 0);
  header.writeUInt32LE(total - 1 - prev, 4);
  header.writeUInt16LE(Math.min(items.length, 65535), 8);
  return Buffer.concat([header, payload, Buffer.from([0xff])]);
}

function u32le(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v, 0);
  return b;
}

function withInt(tag: number, v: number, width: number): Buffer {
  const b = Buffer.alloc(1 + width);
  b[0] = tag;
  b.writeIntLE(v, 1, width);
  return b;
}
