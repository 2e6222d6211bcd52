import assert from 'node:assert/strict';
import { Harness, type TestClient } from '../support/harness.js';
import { RespError } from '../../src/resp/decoder.js';
import { seededRandom } from '../../src/core/random.js';
import type { Container } from '../../src/keyspace/values.js';
import { stringEncoding } from '../../src/keyspace/types/strings.js';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

function errOf(reply: unknown): string {
  assert.ok(reply instanceof RespError, `expected an error, got ${JSON.stringify(reply)}`);
  return reply.message;
}

function setup(): { h: Harness; c: TestClient } {
  const h = new Harness();
  return { h, c: h.client() };
}

function putList(c: TestClient, key: string): void {
  const fake: Container = { type: 'list', bytes: 64, size: 1, snapshotHolds: 0, encoding: () => 'listpack', clone: () => fake };
  c.session.db.set(key, fake);
}

function recordEvents(h: Harness): string[] {
  const events: string[] = [];
  h.node.notify = (cls: string, event: string, key: string) => {
    events.push(`${cls}:${event}:${key}`);
  };
  return events;
}

/** Bytes as a latin1 string, the way values travel. */
function bytes(...b: number[]): string {
  return String.fromCharCode(...b);
}

describe('bitmaps: SETBIT and GETBIT', () => {
  it('sets bits MSB first, growing with zeros', () => {
    const { c } = setup();
    assert.equal(c.run('SETBIT', 'k', 7, 1), 0);
    assert.equal(c.run('GET', 'k'), bytes(0x01));
    assert.equal(c.run('SETBIT', 'k', 0, 1), 0);
    assert.equal(c.run('GET', 'k'), bytes(0x81));
    assert.equal(c.run('SETBIT', 'k', 0, 0), 1);
    assert.equal(c.run('SETBIT', 'k', 20, 1), 0);
    assert.equal(c.run('GET', 'k'), bytes(0x01, 0x00, 0x08));
    assert.equal(c.run('GETBIT', 'k', 20), 1);
    assert.equal(c.run('GETBIT', 'k', 21), 0);
    assert.equal(c.run('GETBIT', 'k', 7), 1);
    assert.equal(c.run('GETBIT', 'k', 1000), 0);
    assert.equal(c.run('GETBIT', 'missing', 3), 0);
  });

  it('works on a value stored as a plain string', () => {
    const { c } = setup();
    c.run('SET', 'k', 'a'); // 0x61 = 0110 0001
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => c.run('GETBIT', 'k', i)), [0, 1, 1, 0, 0, 0, 0, 1]);
    assert.equal(c.run('SETBIT', 'k', 6, 1), 0);
    assert.equal(c.run('GET', 'k'), 'c');
    c.run('SET', 'n', '12');
    assert.equal(c.run('GETBIT', 'n', 2), 1); // '1' = 0x31
  });

  it('emits setbit only when the bit or the length changes', () => {
    const { h, c } = setup();
    const events = recordEvents(h);
    c.run('SETBIT', 'b', 0, 0); // new key
    c.run('SETBIT', 'b', 0, 0); // no change
    c.run('SETBIT', 'b', 100, 0); // grows
    c.run('SETBIT', 'b', 3, 1); // changes
    c.run('SETBIT', 'b', 3, 1); // no change
    assert.deepEqual(events, ['$:setbit:b', '$:setbit:b', '$:setbit:b']);
    assert.equal(c.run('STRLEN', 'b'), 13);
  });

  it('a no-op SETBIT on a plain string still makes it raw, silently', () => {
    const { h, c } = setup();
    c.run('SET', 'k', 'a');
    const events = recordEvents(h);
    const dirty = h.node.keyspace.dirty;
    assert.equal(c.run('SETBIT', 'k', 1, 1), 1);
    assert.deepEqual(events, []);
    assert.equal(h.node.keyspace.dirty, dirty);
    const v = h.node.keyspace.db(0).peek('k', h.node.keyspace.nowMs);
    assert.ok(Buffer.isBuffer(v));
    assert.equal(stringEncoding(v), 'raw');
    assert.equal(c.run('GET', 'k'), 'a');
  });

  it('validates offset and bit with Redis words, offset first', () => {
    const { c } = setup();
    const badOffset = 'ERR bit offset is not an integer or out of range';
    const badBit = 'ERR bit is not an integer or out of range';
    for (const off of ['-1', 'x', '0x', '01', '4294967296', '100000000000']) {
      assert.equal(errOf(c.run('SETBIT', 'k', off, 1)), badOffset, off);
      assert.equal(errOf(c.run('GETBIT', 'k', off)), badOffset, off);
    }
    for (const bit of ['2', '-1', 'x', '01', '']) assert.equal(errOf(c.run('SETBIT', 'k', 0, bit)), badBit, bit);
    assert.equal(errOf(c.run('SETBIT', 'k', 'x', 2)), badOffset);
    assert.equal(c.run('GETBIT', 'k', 4294967295), 0);
    putList(c, 'l');
    assert.equal(errOf(c.run('SETBIT', 'l', 0, 1)), WRONGTYPE);
    assert.equal(errOf(c.run('GETBIT', 'l', 0)), WRONGTYPE);
  });

  it('honours a smaller proto-max-bulk-len for the offset limit', () => {
    const h = new Harness({ config: { 'proto-max-bulk-len': '1048576' } });
    const c = h.client();
    assert.equal(c.run('SETBIT', 'k', 1048576 * 8 - 1, 1), 0);
    assert.equal(errOf(c.run('SETBIT', 'k', 1048576 * 8, 1)), 'ERR bit offset is not an integer or out of range');
  });

  it('keeps a TTL', () => {
    const { h, c } = setup();
    c.run('SET', 'k', 'a', 'PX', 1000);
    c.run('SETBIT', 'k', 100, 1);
    assert.equal(h.node.keyspace.db(0).getExpire('k'), h.node.keyspace.nowMs + 1000);
  });
});

describe('bitmaps: BITCOUNT', () => {
  it('counts bytes ranges and bit ranges (Redis 7.0 replies)', () => {
    const { c } = setup();
    c.run('SET', 's', 'foobar');
    assert.equal(c.run('BITCOUNT', 's'), 26);
    assert.equal(c.run('BITCOUNT', 's', 0, 0), 4);
    assert.equal(c.run('BITCOUNT', 's', 1, 1), 6);
    assert.equal(c.run('BITCOUNT', 's', 1, 2, 'bit'), 2);
    assert.equal(c.run('BITCOUNT', 's', 5, 30, 'BIT'), 17);
    assert.equal(c.run('BITCOUNT', 's', 0, -1, 'BIT'), 26);
    assert.equal(c.run('BITCOUNT', 's', 0, -1, 'byte'), 26);
    assert.equal(c.run('BITCOUNT', 's', -1, -2), 0);
    assert.equal(c.run('BITCOUNT', 's', -1, -2, 'foo'), 0); // Redis answers before reading the unit
    assert.equal(c.run('BITCOUNT', 's', -2, -1), 7);
    assert.equal(c.run('BITCOUNT', 's', '9223372036854775807', '9223372036854775807'), 0);
    assert.equal(c.run('BITCOUNT', 's', '-9223372036854775808', -1, 'bit'), 26);
    c.run('SET', 'ff', bytes(0xff, 0xf0, 0x00));
    assert.equal(c.run('BITCOUNT', 'ff', 0, 11, 'bit'), 12);
    assert.equal(c.run('BITCOUNT', 'ff', 4, 11, 'bit'), 8);
    assert.equal(c.run('BITCOUNT', 'ff', 3, 3, 'bit'), 1);
    assert.equal(c.run('BITCOUNT', 'ff', -5, -1, 'bit'), 0);
    c.run('SET', 'e', '');
    assert.equal(c.run('BITCOUNT', 'e'), 0);
    assert.equal(c.run('BITCOUNT', 'e', 0, -1), 0);
  });

  it('looks the key up before checking the arguments', () => {
    const { c } = setup();
    assert.equal(c.run('BITCOUNT', 'nosuch', 'a', 'b'), 0);
    assert.equal(c.run('BITCOUNT', 'nosuch', 1), 0);
    c.run('SET', 's', 'foobar');
    assert.equal(errOf(c.run('BITCOUNT', 's', 1)), 'ERR syntax error');
    assert.equal(errOf(c.run('BITCOUNT', 's', 'a', 'b')), 'ERR value is not an integer or out of range');
    assert.equal(errOf(c.run('BITCOUNT', 's', 1, 2, 'bits')), 'ERR syntax error');
    assert.equal(errOf(c.run('BITCOUNT', 's', 1, 2, 'byte', 'x')), 'ERR syntax error');
    putList(c, 'l');
    assert.equal(errOf(c.run('BITCOUNT', 'l')), WRONGTYPE);
  });

  it('matches a per-bit model on random data, for strings and mutated Buffers', () => {
    const { c } = setup();
    const rnd = seededRandom(7);
    for (let round = 0; round < 40; round++) {
      const len = 1 + Math.floor(rnd() * 40);
      let v = '';
      for (let i = 0; i < len; i++) v += String.fromCharCode(Math.floor(rnd() * 256));
      c.run('SET', 'k', v);
      // Odd rounds turn the value into a Buffer at an arbitrary alignment.
      if (round % 2 === 1) c.run('SETRANGE', 'k', 0, v[0]!);
      const bitsOf = (i: number): number => (v.charCodeAt(i >> 3) >> (7 - (i & 7))) & 1;
      for (let q = 0; q < 10; q++) {
        const a = Math.floor(rnd() * (len * 8 + 10)) - 5;
        const b = Math.floor(rnd() * (len * 8 + 10)) - 5;
        let start = a < 0 ? len * 8 + a : a;
        let end = b < 0 ? len * 8 + b : b;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= len * 8) end = len * 8 - 1;
        let want = 0;
        if (!(a < 0 && b < 0 && a > b)) for (let i = start; i <= end; i++) want += bitsOf(i);
        assert.equal(c.run('BITCOUNT', 'k', a, b, 'BIT'), want, `${round} ${a} ${b}`);
      }
    }
  });

  it('counts a large Buffer value word by word', () => {
    const { c } = setup();
    for (let i = 0; i < 100_000; i += 3) c.run('SETBIT', 'big', i, 1);
    assert.equal(c.run('BITCOUNT', 'big'), Math.ceil(100_000 / 3));
    assert.equal(c.run('BITCOUNT', 'big', 1, 1000), Math.floor(8007 / 3) - Math.floor(7 / 3));
  });
});

describe('bitmaps: BITPOS', () => {
  it('answers as Redis 7.0 does', () => {
    const { c } = setup();
    c.run('SET', 'ff', bytes(0xff, 0xf0, 0x00));
    const cases: [(string | number)[], number][] = [
      [[0], 12],
      [[1], 0],
      [[0, 0, 0], -1],
      [[0, 0], 12],
      [[1, 2], -1],
      [[0, 3, -1, 'bit'], 12],
      [[0, 0, 7, 'bit'], -1],
      [[0, 0, 11, 'bit'], -1],
      [[1, 12, -1, 'bit'], -1],
      [[0, 2, 2], 16],
      [[1, -1], -1],
      [[0, -100, -50], -1],
      [[1, 5, 2, 'bit'], -1],
      [[1, 4, 4, 'BIT'], 4],
      [[1, '-9223372036854775808', '9223372036854775807', 'bit'], 0],
    ];
    for (const [a, want] of cases) assert.equal(c.run('BITPOS', 'ff', ...a), want, a.join(' '));
    c.run('SET', 'f2', bytes(0xff, 0xff));
    const cases2: [(string | number)[], number][] = [
      [[0], 16],
      [[0, 0], 16],
      [[0, 0, -1], -1],
      [[0, 0, -1, 'bit'], -1],
      [[0, 3, 15, 'bit'], -1],
      [[0, 3, 100, 'byte'], -1],
      [[0, 1, 1], -1],
    ];
    for (const [a, want] of cases2) assert.equal(c.run('BITPOS', 'f2', ...a), want, a.join(' '));
    c.run('SET', 'e', '');
    assert.equal(c.run('BITPOS', 'e', 0), -1);
    assert.equal(c.run('BITPOS', 'e', 1), -1);
    assert.equal(c.run('BITPOS', 'nosuch', 0), 0);
    assert.equal(c.run('BITPOS', 'nosuch', 1, 'x'), -1);
  });

  it('errors in Redis order: bit, key, start, unit, end', () => {
    const { c } = setup();
    c.run('SET', 's', 'foobar');
    assert.equal(errOf(c.run('BITPOS', 'nosuch', 2)), 'ERR The bit argument must be 1 or 0.');
    assert.equal(errOf(c.run('BITPOS', 's', 'x')), 'ERR value is not an integer or out of range');
    assert.equal(errOf(c.run('BITPOS', 's', 1, 'a')), 'ERR value is not an integer or out of range');
    assert.equal(errOf(c.run('BITPOS', 's', 1, 1, 'a', 'foo')), 'ERR syntax error');
    assert.equal(errOf(c.run('BITPOS', 's', 1, 1, 'a', 'bit')), 'ERR value is not an integer or out of range');
    assert.equal(errOf(c.run('BITPOS', 's', 1, 0, 1, 2, 3)), 'ERR syntax error');
    assert.equal(errOf(c.run('BITPOS', 's', 0, 3, 'bit')), 'ERR value is not an integer or out of range');
    assert.equal(c.run('BITPOS', 'nosuch', 1, 1, 2, 'foo'), -1);
    putList(c, 'l');
    assert.equal(errOf(c.run('BITPOS', 'l', 1)), WRONGTYPE);
  });

  it('matches a per-bit model on random data', () => {
    const { c } = setup();
    const rnd = seededRandom(11);
    for (let round = 0; round < 60; round++) {
      const len = 1 + Math.floor(rnd() * 12);
      let v = '';
      // Mostly-0xff or mostly-0x00 bytes so that both searches have to scan.
      const fill = rnd() < 0.5 ? 0xff : 0;
      for (let i = 0; i < len; i++) v += String.fromCharCode(rnd() < 0.8 ? fill : Math.floor(rnd() * 256));
      c.run('SET', 'k', v);
      const bitOf = (i: number): number => (v.charCodeAt(i >> 3) >> (7 - (i & 7))) & 1;
      for (let q = 0; q < 10; q++) {
        const bit = rnd() < 0.5 ? 0 : 1;
        const a = Math.floor(rnd() * (len * 8 + 6)) - 3;
        const b = Math.floor(rnd() * (len * 8 + 6)) - 3;
        let start = a < 0 ? len * 8 + a : a;
        let end = b < 0 ? len * 8 + b : b;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= len * 8) end = len * 8 - 1;
        let want = -1;
        for (let i = start; i <= end; i++) {
          if (bitOf(i) === bit) {
            want = i;
            break;
          }
        }
        assert.equal(c.run('BITPOS', 'k', bit, a, b, 'BIT'), want, `${round} ${bit} ${a} ${b}`);
      }
    }
  });
});

describe('bitmaps: long values (word-at-a-time paths)', () => {
  it('BITPOS and BITCOUNT match a model on long strings and Buffers', () => {
    const { c } = setup();
    const rnd = seededRandom(99);
    for (let round = 0; round < 24; round++) {
      const len = 200 + Math.floor(rnd() * 1800);
      const fill = round % 4 < 2 ? 0 : 0xff;
      const codes: number[] = [];
      for (let i = 0; i < len; i++) codes.push(fill);
      // A few odd bytes near the end, so scans cross many skipped words.
      for (let k = 0; k < 3; k++) codes[len - 1 - Math.floor(rnd() * 100)] = Math.floor(rnd() * 256);
      const v = String.fromCharCode(...codes);
      c.run('SET', 'k', v);
      if (round % 2 === 1) c.run('SETRANGE', 'k', 0, v[0]!); // now a Buffer
      const bitOf = (i: number): number => (codes[i >> 3]! >> (7 - (i & 7))) & 1;
      for (let q = 0; q < 6; q++) {
        const bit = q % 2;
        const startByte = Math.floor(rnd() * len);
        const endByte = startByte + Math.floor(rnd() * (len - startByte));
        let want = -1;
        let ones = 0;
        for (let i = startByte * 8; i <= endByte * 8 + 7; i++) {
          if (want < 0 && bitOf(i) === bit) want = i;
          ones += bitOf(i);
        }
        assert.equal(c.run('BITPOS', 'k', bit, startByte, endByte), want, `${round} ${bit} ${startByte} ${endByte}`);
        assert.equal(c.run('BITCOUNT', 'k', startByte, endByte), ones);
        const sb = startByte * 8 + Math.floor(rnd() * 8);
        let wantBit = -1;
        for (let i = sb; i < len * 8; i++) {
          if (bitOf(i) === bit) {
            wantBit = i;
            break;
          }
        }
        assert.equal(c.run('BITPOS', 'k', bit, sb, -1, 'BIT'), wantBit);
      }
    }
  });

  it('BITOP matches a byte model for every op and alignment', () => {
    const { c } = setup();
    const rnd = seededRandom(5);
    const ops: Record<string, (a: number, b: number) => number> = {
      AND: (a, b) => a & b,
      OR: (a, b) => a | b,
      XOR: (a, b) => a ^ b,
    };
    for (let round = 0; round < 30; round++) {
      const srcs: number[][] = [];
      const n = 1 + Math.floor(rnd() * 3);
      for (let j = 0; j < n; j++) {
        const len = Math.floor(rnd() * 45);
        const bytesOf: number[] = [];
        for (let i = 0; i < len; i++) bytesOf.push(Math.floor(rnd() * 256));
        srcs.push(bytesOf);
        c.run('SET', `s${j}`, String.fromCharCode(...bytesOf));
        // Some sources become Buffers, some stay strings (different offsets).
        if (rnd() < 0.5 && len > 0) c.run('APPEND', `s${j}`, '');
        if (rnd() < 0.3 && len > 0) c.run('SETRANGE', `s${j}`, 0, String.fromCharCode(bytesOf[0]!));
      }
      const maxLen = Math.max(...srcs.map((x) => x.length));
      const names = srcs.map((_, j) => `s${j}`);
      for (const [name, f] of Object.entries(ops)) {
        const want: number[] = [];
        for (let i = 0; i < maxLen; i++) {
          let acc = srcs[0]![i] ?? 0;
          for (let j = 1; j < n; j++) acc = f(acc, srcs[j]![i] ?? 0);
          want.push(acc);
        }
        assert.equal(c.run('BITOP', name, 'd', ...names), maxLen);
        assert.equal(c.run('GET', 'd'), maxLen === 0 ? null : String.fromCharCode(...want), `${round} ${name}`);
      }
      const first = srcs[0]!;
      assert.equal(c.run('BITOP', 'NOT', 'd', 's0'), first.length);
      assert.equal(c.run('GET', 'd'), first.length === 0 ? null : String.fromCharCode(...first.map((x) => ~x & 0xff)));
    }
  });
});

describe('bitmaps: BITOP', () => {
  it('AND, OR, XOR, NOT with zero padding', () => {
    const { c } = setup();
    c.run('SET', 'a', bytes(0xf0, 0x0f, 0xaa));
    c.run('SET', 'b', bytes(0xff, 0x01));
    assert.equal(c.run('BITOP', 'AND', 'd', 'a', 'b'), 3);
    assert.equal(c.run('GET', 'd'), bytes(0xf0, 0x01, 0x00));
    assert.equal(c.run('BITOP', 'or', 'd', 'a', 'b'), 3);
    assert.equal(c.run('GET', 'd'), bytes(0xff, 0x0f, 0xaa));
    assert.equal(c.run('BITOP', 'Xor', 'd', 'a', 'b', 'a'), 3);
    assert.equal(c.run('GET', 'd'), bytes(0xff, 0x01, 0x00));
    assert.equal(c.run('BITOP', 'NOT', 'd', 'b'), 2);
    assert.equal(c.run('GET', 'd'), bytes(0x00, 0xfe));
    assert.equal(c.run('BITOP', 'AND', 'd', 'a', 'nosuch'), 3);
    assert.equal(c.run('GET', 'd'), bytes(0, 0, 0));
    assert.equal(c.run('BITOP', 'OR', 'a', 'a', 'b'), 3); // destination among the sources
    assert.equal(c.run('GET', 'a'), bytes(0xff, 0x0f, 0xaa));
  });

  it('an empty result deletes the destination; the TTL is dropped', () => {
    const { h, c } = setup();
    const events = recordEvents(h);
    c.run('SET', 'd', 'x');
    assert.equal(c.run('BITOP', 'AND', 'd', 'nosuch'), 0);
    assert.equal(c.run('GET', 'd'), null);
    assert.equal(c.run('BITOP', 'AND', 'd', 'nosuch'), 0);
    c.run('SET', 'src', 'x');
    c.run('SET', 'd', 'y', 'EX', 100);
    c.run('BITOP', 'NOT', 'd', 'src');
    assert.equal(h.node.keyspace.db(0).getExpire('d'), undefined);
    assert.deepEqual(events, ['$:set:d', 'g:del:d', '$:set:src', '$:set:d', 'g:expire:d', '$:set:d']);
  });

  it('errors', () => {
    const { c } = setup();
    c.run('SET', 's', 'x');
    putList(c, 'l');
    assert.equal(errOf(c.run('BITOP', 'foo', 'd', 's')), 'ERR syntax error');
    assert.equal(errOf(c.run('BITOP', 'NOT', 'd', 's', 's')), 'ERR BITOP NOT must be called with a single source key.');
    assert.equal(errOf(c.run('BITOP', 'NOT', 'd')), "ERR wrong number of arguments for 'bitop' command");
    assert.equal(errOf(c.run('BITOP', 'AND', 'd', 's', 'l')), WRONGTYPE);
    assert.equal(c.run('GET', 'd'), null);
  });
});
