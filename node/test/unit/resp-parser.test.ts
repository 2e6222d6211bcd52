// The RESP parser as a pure core: the same byte stream cut byte by byte, at
// random points or whole must give the same commands; inline commands follow
// sdssplitargs; protocol errors use Redis's words. Also the writer's output
// round-trips through the decoder in RESP2 and RESP3.

import assert from 'node:assert/strict';
import { parseAll, encodeCommand } from '../support/harness.js';
import { RespParser } from '../../src/resp/parser.js';
import { borrowBytes } from '../../src/persistence/lent-bytes.js';
import { ReplyWriter } from '../../src/resp/writer.js';
import { RespDecoder, RespDouble, RespMap, RespSet } from '../../src/resp/decoder.js';
import { seededRandom } from '../../src/core/random.js';

function randomArg(rnd: () => number): string {
  const len = rnd() < 0.1 ? Math.floor(rnd() * 70000) : Math.floor(rnd() * 40);
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(rnd() * 256));
  return s;
}

function splitRandomly(buf: Buffer, rnd: () => number): Buffer[] {
  const out: Buffer[] = [];
  let i = 0;
  while (i < buf.length) {
    const n = 1 + Math.floor(rnd() * 200);
    out.push(buf.subarray(i, i + n));
    i += n;
  }
  return out;
}

describe('RESP parser', () => {
  const commands: string[][] = [];
  const rnd = seededRandom(42);
  for (let c = 0; c < 300; c++) {
    const argc = 1 + Math.floor(rnd() * 6);
    const args: string[] = [];
    for (let a = 0; a < argc; a++) args.push(randomArg(rnd));
    commands.push(args);
  }
  const stream = Buffer.concat(commands.map((c) => encodeCommand(c)));

  it('gives the same commands whole, byte by byte and in random splits (binary-safe latin1)', function () {
    this.timeout(60000);
    assert.deepEqual(parseAll([stream]).commands, commands);
    // Byte by byte over the commands without the big bulks (those are covered by the random splits).
    const small = commands.filter((c) => c.every((a) => a.length < 100));
    const smallStream = Buffer.concat(small.map((c) => encodeCommand(c)));
    const bytes: Buffer[] = [];
    for (let i = 0; i < smallStream.length; i++) bytes.push(smallStream.subarray(i, i + 1));
    assert.deepEqual(parseAll(bytes).commands, small);
    for (let seed = 1; seed <= 5; seed++) {
      const r = parseAll(splitRandomly(stream, seededRandom(seed)));
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.commands, commands);
    }
  });

  it('parses inline commands with quotes and escapes, and skips empty lines', () => {
    const r = parseAll([Buffer.from('PING\r\n\r\nSET k "a b\\x41\\n" \'c\\\'d\'\nGET k\n')]);
    assert.deepEqual(r.commands, [['PING'], ['SET', 'k', 'a bA\n', "c'd"], ['GET', 'k']]);
    assert.deepEqual(r.errors, []);
  });

  it('skips *0 and *-1, as Redis does', () => {
    assert.deepEqual(parseAll([Buffer.from('*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n')]).commands, [['PING']]);
  });

  it('reports protocol errors in Redis words', () => {
    const cases: [string, string][] = [
      ['*1\r\n+PING\r\n', "expected '$', got '+'"],
      ['*abc\r\n', 'invalid multibulk length'],
      ['*1\r\n$-5\r\n', 'invalid bulk length'],
      ['*1\r\n$999999999999\r\n', 'invalid bulk length'],
      ['SET "a\r\n', 'unbalanced quotes in request'],
    ];
    for (const [input, reason] of cases) assert.deepEqual(parseAll([Buffer.from(input)]).errors, [reason], input);
  });

  it('limits unterminated inline requests and bulk lengths', () => {
    assert.deepEqual(parseAll([Buffer.alloc(70 * 1024, 0x61)]).errors, ['too big inline request']);
    const p = new RespParser({ maxBulkBytes: 1024, maxQueryBytes: 1 << 30 });
    const errors: string[] = [];
    p.feed(Buffer.from('*1\r\n$2048\r\n'), { onCommand: () => true, onProtocolError: (r) => errors.push(r) });
    assert.deepEqual(errors, ['invalid bulk length']);
  });

  it('assembles huge bulks (>= 1 MB) as they arrive: in 64 KB reads, with commands after them, and with a read larger than the slack', () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
    const bigText = big.latin1Slice(0, big.length);
    const cmds = [
      ['RESTORE', 'k', '0', bigText],
      ['SET', 'a', 'b'],
      ['RESTORE', 'k2', '0', bigText, 'REPLACE'],
      ['PING'],
    ];
    const stream = Buffer.concat(cmds.map((c) => encodeCommand(c)));
    for (const size of [65536, 1000, 2 * 1024 * 1024 + 3, stream.length]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      const r = parseAll(chunks);
      assert.deepEqual(r.errors, []);
      assert.equal(r.commands.length, cmds.length, `reads of ${size}`);
      for (let i = 0; i < cmds.length; i++) assert.ok(r.commands[i]!.length === cmds[i]!.length && r.commands[i]!.every((a, j) => a === cmds[i]![j]), `command ${i}, reads of ${size}`);
    }
    // The bytes held count toward the query buffer limit while it is assembled.
    const p = new RespParser({ maxBulkBytes: 1 << 29, maxQueryBytes: 2 * 1024 * 1024 });
    const errors: string[] = [];
    const sink = { onCommand: () => true, onProtocolError: (reason: string) => errors.push(reason) };
    p.feed(Buffer.from('*2\r\n$3\r\nSET\r\n$4000000\r\n'), sink);
    p.feed(Buffer.alloc(1024 * 1024), sink);
    assert.equal(p.pendingBytes, 1024 * 1024);
    p.feed(Buffer.alloc(1024 * 1024 + 1), sink);
    assert.equal(p.overLimit, true);
    assert.equal(errors.length, 1);
  });

  it("lends a huge RESTORE payload's bytes while its command runs (and only RESTORE's)", () => {
    const big = Buffer.alloc(2 * 1024 * 1024 + 5);
    for (let i = 0; i < big.length; i++) big[i] = (i * 13 + 1) & 0xff;
    const bigText = big.latin1Slice(0, big.length);
    const cmds = [
      ['restore-asking', 'k', '0', bigText, 'REPLACE'],
      ['SET', 'a', bigText],
      ['RESTORE', 'k', '0', bigText],
    ];
    const stream = Buffer.concat(cmds.map((c) => encodeCommand(c)));
    for (const size of [65536, 777, stream.length]) {
      const p = new RespParser({ maxBulkBytes: 1 << 29, maxQueryBytes: 1 << 30 });
      const seen: { args: string[]; lent: Buffer | null }[] = [];
      const sink = {
        onCommand: (args: string[]) => {
          const lent = args.length > 3 ? borrowBytes(args[3]!) : null;
          seen.push({ args, lent: lent === null ? null : Buffer.from(lent) });
          return true;
        },
        onProtocolError: (reason: string) => assert.fail(reason),
      };
      for (let i = 0; i < stream.length; i += size) p.feed(stream.subarray(i, i + size), sink);
      assert.equal(seen.length, 3, `reads of ${size}`);
      for (let i = 0; i < cmds.length; i++) assert.ok(seen[i]!.args.every((a, j) => a === cmds[i]![j]), `command ${i}, reads of ${size}`);
      // A read as large as the stream completes the bulk in one go: nothing to lend, the string is made whole.
      const huge = size < stream.length;
      assert.deepEqual(seen[0]!.lent, huge ? big : null);
      assert.equal(seen[1]!.lent, null);
      assert.deepEqual(seen[2]!.lent, huge ? big : null);
      // The loan ends with its command.
      assert.equal(borrowBytes(bigText), null);
    }
  });

  it('closes a client whose unparsed bytes exceed client-query-buffer-limit', () => {
    const p = new RespParser({ maxBulkBytes: 1 << 29, maxQueryBytes: 100 * 1024 });
    const errors: string[] = [];
    const sink = { onCommand: () => true, onProtocolError: (r: string) => errors.push(r) };
    p.feed(Buffer.from('*1\r\n$200000\r\n'), sink);
    p.feed(Buffer.alloc(150 * 1024, 0x61), sink);
    assert.equal(p.overLimit, true);
    assert.equal(errors.length, 1);
  });

  it('pauses after a command that blocks and resumes with the rest', () => {
    const p = new RespParser({ maxBulkBytes: 1 << 29, maxQueryBytes: 1 << 30 });
    const seen: string[] = [];
    let block = true;
    const sink = {
      onCommand: (a: string[]) => {
        seen.push(a[0]!);
        if (a[0] === 'BLPOP' && block) return false;
        return true;
      },
      onProtocolError: () => {},
    };
    p.feed(Buffer.concat([encodeCommand(['BLPOP', 'l', '0']), encodeCommand(['PING'])]), sink);
    assert.deepEqual(seen, ['BLPOP']);
    block = false;
    p.resume(sink);
    assert.deepEqual(seen, ['BLPOP', 'PING']);
  });

  it('parses on while paused: queued commands run in order on resume (pausing again), a huge RESTORE with its bytes lent then', () => {
    const big = Buffer.alloc(2 * 1024 * 1024 + 3);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7 + 3) & 0xff;
    const bigText = big.latin1Slice(0, big.length);
    const cmds = [['BLPOP', 'l', '0'], ['SET', 'a', '1'], ['RESTORE', 'k', '0', bigText], ['BLPOP', 'm', '0'], ['GET', 'a']];
    const stream = Buffer.concat(cmds.map((c) => encodeCommand(c)));
    const p = new RespParser({ maxBulkBytes: 1 << 29, maxQueryBytes: 1 << 30 });
    const seen: string[] = [];
    let lent: Buffer | null = null;
    const sink = {
      onCommand: (a: string[]) => {
        seen.push(a[0]!);
        if (a[0] === 'RESTORE') lent = borrowBytes(a[3]!);
        return a[0] !== 'BLPOP';
      },
      onProtocolError: (r: string) => assert.fail(r),
    };
    for (let i = 0; i < stream.length; i += 65536) p.feed(stream.subarray(i, i + 65536), sink);
    assert.deepEqual(seen, ['BLPOP']);
    // Everything after the blocked command is parsed and held (it counts toward the query buffer).
    assert.ok(p.pendingBytes >= big.length, String(p.pendingBytes));
    p.resume(sink);
    assert.deepEqual(seen, ['BLPOP', 'SET', 'RESTORE', 'BLPOP']);
    assert.deepEqual(lent, big);
    assert.equal(borrowBytes(bigText), null);
    p.feed(encodeCommand(['PING']), sink);
    assert.deepEqual(seen, ['BLPOP', 'SET', 'RESTORE', 'BLPOP']);
    p.resume(sink);
    assert.deepEqual(seen, ['BLPOP', 'SET', 'RESTORE', 'BLPOP', 'GET', 'PING']);
    assert.equal(p.pendingBytes, 0);
  });

  it('a protocol error behind a paused command is reported after the queued commands ran', () => {
    const p = new RespParser({ maxBulkBytes: 1 << 29, maxQueryBytes: 1 << 30 });
    const events: string[] = [];
    const sink = {
      onCommand: (a: string[]) => {
        events.push(a[0]!);
        return a[0] !== 'BLPOP';
      },
      onProtocolError: (r: string) => events.push(`error: ${r}`),
    };
    p.feed(Buffer.concat([encodeCommand(['BLPOP', 'l', '0']), encodeCommand(['PING']), Buffer.from('*1\r\n$x\r\n')]), sink);
    assert.deepEqual(events, ['BLPOP']);
    p.feed(encodeCommand(['ECHO', 'ignored']), sink);
    p.resume(sink);
    assert.deepEqual(events, ['BLPOP', 'PING', 'error: invalid bulk length']);
    // Right behind the blocked command, too.
    const q = new RespParser({ maxBulkBytes: 1 << 29, maxQueryBytes: 1 << 30 });
    events.length = 0;
    q.feed(Buffer.concat([encodeCommand(['BLPOP', 'l', '0']), Buffer.from('*x\r\n')]), sink);
    assert.deepEqual(events, ['BLPOP']);
    q.resume(sink);
    assert.deepEqual(events, ['BLPOP', 'error: invalid multibulk length']);
  });
});

describe('RESP writer', () => {
  function roundTrip(resp: 2 | 3, write: (w: ReplyWriter) => void): unknown[] {
    const w = new ReplyWriter(16);
    w.resp = resp;
    write(w);
    const d = new RespDecoder();
    d.feed(w.take() ?? Buffer.alloc(0));
    return d.all();
  }

  it('maps RESP3 types onto RESP2 shapes as Redis does', () => {
    const write = (w: ReplyWriter): void => {
      w.map(1);
      w.bulk('k');
      w.double(1.5);
      w.set(2);
      w.bulk('a');
      w.int(12345678);
      w.nil();
      w.nilArray();
      w.bool(true);
      w.ok();
      w.bulk('x'.repeat(100000));
    };
    const r2 = roundTrip(2, write);
    assert.deepEqual(r2.slice(0, 6), [['k', '1.5'], ['a', 12345678], null, null, 1, 'OK']);
    assert.equal((r2[6] as string).length, 100000);
    const r3 = roundTrip(3, write);
    assert.ok(r3[0] instanceof RespMap);
    assert.ok(r3[1] instanceof RespSet);
    assert.ok(((r3[0] as RespMap).entries[0]![1] as RespDouble).value === 1.5);
    assert.deepEqual(r3.slice(2, 6), [null, null, true, 'OK']);
  });

  it('formats doubles as Redis 7.0 (%.17g)', () => {
    assert.deepEqual(roundTrip(2, (w) => [1.1, 0.1, 1e20, -0.5, Infinity].forEach((d) => w.double(d))), [
      '1.1000000000000001',
      '0.10000000000000001',
      '1e+20',
      '-0.5',
      'inf',
    ]);
  });
});
