import assert from 'node:assert/strict';
import { Harness, type TestClient } from '../support/harness.js';
import { RespError } from '../../src/resp/decoder.js';
import { stringEncoding } from '../../src/keyspace/types/strings.js';
import type { Container } from '../../src/keyspace/values.js';

const T0 = 1_700_000_000_000;

function errOf(reply: unknown): string {
  assert.ok(reply instanceof RespError, `expected an error, got ${JSON.stringify(reply)}`);
  return reply.message;
}

/** Records keyspace notifications as "class:event:key". */
function recordEvents(h: Harness): string[] {
  const events: string[] = [];
  h.node.notify = (cls: string, event: string, key: string) => {
    events.push(`${cls}:${event}:${key}`);
  };
  return events;
}

function setup(): { h: Harness; c: TestClient } {
  const h = new Harness({ nowMs: T0 });
  return { h, c: h.client() };
}

/** A stand-in value of another type, so WRONGTYPE paths do not depend on the list commands. */
function putList(c: TestClient, key: string): void {
  const fake: Container = { type: 'list', bytes: 64, size: 1, snapshotHolds: 0, encoding: () => 'listpack', clone: () => fake };
  c.session.db.set(key, fake);
}

function valueOf(h: Harness, key: string): unknown {
  return h.node.keyspace.db(0).peek(key, h.node.keyspace.nowMs);
}

describe('strings: SET and its options', () => {
  it('sets and overwrites, removing the TTL unless KEEPTTL', () => {
    const { h, c } = setup();
    assert.equal(c.run('SET', 'k', 'v1'), 'OK');
    assert.equal(c.run('SET', 'k', 'v2', 'EX', 100), 'OK');
    assert.equal(h.node.keyspace.db(0).getExpire('k'), T0 + 100_000);
    assert.equal(c.run('SET', 'k', 'v3', 'KEEPTTL'), 'OK');
    assert.equal(h.node.keyspace.db(0).getExpire('k'), T0 + 100_000);
    assert.equal(c.run('SET', 'k', 'v4'), 'OK');
    assert.equal(h.node.keyspace.db(0).getExpire('k'), undefined);
    assert.equal(c.run('GET', 'k'), 'v4');
  });

  it('EX, PX, EXAT, PXAT set absolute expiry times', () => {
    const { h, c } = setup();
    const db = h.node.keyspace.db(0);
    c.run('SET', 'a', 'v', 'EX', 10);
    c.run('SET', 'b', 'v', 'px', 1500);
    c.run('SET', 'c', 'v', 'EXAT', T0 / 1000 + 20);
    c.run('SET', 'd', 'v', 'PXAT', T0 + 2500);
    assert.equal(db.getExpire('a'), T0 + 10_000);
    assert.equal(db.getExpire('b'), T0 + 1500);
    assert.equal(db.getExpire('c'), T0 + 20_000);
    assert.equal(db.getExpire('d'), T0 + 2500);
    h.advance(1500);
    assert.equal(c.run('GET', 'b'), null);
    assert.equal(c.run('GET', 'a'), 'v');
    h.advance(8500);
    assert.equal(c.run('GET', 'a'), null);
  });

  it('a repeated expire option wins last; conflicting options are syntax errors', () => {
    const { h, c } = setup();
    assert.equal(c.run('SET', 'k', 'v', 'EX', 10, 'EX', 20), 'OK');
    assert.equal(h.node.keyspace.db(0).getExpire('k'), T0 + 20_000);
    assert.equal(c.run('SET', 'k', 'v', 'NX', 'NX'), null);
    for (const bad of [
      ['NX', 'XX'],
      ['XX', 'NX'],
      ['EX', '10', 'PX', '10'],
      ['PX', '10', 'EXAT', '10'],
      ['KEEPTTL', 'EX', '10'],
      ['EX', '10', 'KEEPTTL'],
      ['EX'],
      ['PERSIST'],
      ['FOO'],
      ['GET', 'EX'],
    ]) {
      assert.equal(errOf(c.run('SET', 'k', 'v', ...bad)), 'ERR syntax error', bad.join(' '));
    }
  });

  it('rejects bad expire times with Redis words', () => {
    const { h, c } = setup();
    const invalid = "ERR invalid expire time in 'set' command";
    assert.equal(errOf(c.run('SET', 'k', 'v', 'EX', 0)), invalid);
    assert.equal(errOf(c.run('SET', 'k', 'v', 'PX', -1)), invalid);
    assert.equal(errOf(c.run('SET', 'k', 'v', 'EX', 'abc')), 'ERR value is not an integer or out of range');
    assert.equal(errOf(c.run('SET', 'k', 'v', 'EX', '01')), 'ERR value is not an integer or out of range');
    // Scaled or shifted past int64.
    assert.equal(errOf(c.run('SET', 'k', 'v', 'EX', '9223372036854775')), invalid);
    assert.equal(errOf(c.run('SET', 'k', 'v', 'EXAT', '9223372036854776')), invalid);
    assert.equal(errOf(c.run('SET', 'k', 'v', 'PX', '9223372036854775807')), invalid);
    assert.equal(c.run('SET', 'k', 'v', 'PXAT', '9223372036854775807'), 'OK');
    assert.equal(c.run('SET', 'k', 'v', 'EXAT', '9223372036854775'), 'OK');
    assert.equal(c.run('GET', 'k'), 'v');
  });

  it('NX and XX', () => {
    const { h, c } = setup();
    assert.equal(c.run('SET', 'k', 'v', 'XX'), null);
    assert.equal(c.run('GET', 'k'), null);
    assert.equal(c.run('SET', 'k', 'v', 'NX'), 'OK');
    assert.equal(c.run('SET', 'k', 'w', 'NX'), null);
    assert.equal(c.run('SET', 'k', 'x', 'XX'), 'OK');
    assert.equal(c.run('GET', 'k'), 'x');
  });

  it('GET returns the old value, also when NX/XX refuse, and WRONGTYPE aborts', () => {
    const { h, c } = setup();
    assert.equal(c.run('SET', 'k', 'v1', 'GET'), null);
    assert.equal(c.run('SET', 'k', 'v2', 'GET'), 'v1');
    assert.equal(c.run('SET', 'k', 'v3', 'NX', 'GET'), 'v2');
    assert.equal(c.run('GET', 'k'), 'v2');
    assert.equal(c.run('SET', 'm', 'v', 'XX', 'GET'), null);
    assert.equal(valueOf(h, 'm'), undefined);
    assert.equal(c.run('SET', 'n', 'v', 'NX', 'GET'), null);
    assert.equal(c.run('GET', 'n'), 'v');
    putList(c, 'l');
    assert.equal(errOf(c.run('SET', 'l', 'v', 'GET')), 'WRONGTYPE Operation against a key holding the wrong kind of value');
    assert.equal(c.run('SET', 'l', 'v'), 'OK');
  });

  it('emits set and expire; a past EXAT leaves the key to expire lazily', () => {
    const { h, c } = setup();
    const events = recordEvents(h);
    c.run('SET', 'k', 'v', 'EXAT', 1);
    assert.deepEqual(events, ['$:set:k', 'g:expire:k']);
    assert.equal(c.run('GET', 'k'), null);
    c.run('SET', 'j', 'v', 'KEEPTTL');
    assert.deepEqual(events.slice(2), ['$:set:j']);
  });

  it('SETNX, SETEX, PSETEX', () => {
    const { h, c } = setup();
    assert.equal(c.run('SETNX', 'k', 'a'), 1);
    assert.equal(c.run('SETNX', 'k', 'b'), 0);
    assert.equal(c.run('GET', 'k'), 'a');
    assert.equal(c.run('SETEX', 'k', 5, 'c'), 'OK');
    assert.equal(h.node.keyspace.db(0).getExpire('k'), T0 + 5000);
    assert.equal(c.run('PSETEX', 'p', 250, 'd'), 'OK');
    assert.equal(h.node.keyspace.db(0).getExpire('p'), T0 + 250);
    assert.equal(errOf(c.run('SETEX', 'k', 0, 'v')), "ERR invalid expire time in 'setex' command");
    assert.equal(errOf(c.run('PSETEX', 'k', -1, 'v')), "ERR invalid expire time in 'psetex' command");
    assert.equal(errOf(c.run('SETEX', 'k', 'x', 'v')), 'ERR value is not an integer or out of range');
    assert.equal(errOf(c.run('SETEX', 'k', 1)), "ERR wrong number of arguments for 'setex' command");
    h.advance(5000);
    assert.equal(c.run('GET', 'k'), null);
  });
});

describe('strings: GET family', () => {
  it('GET counts hits and misses and refuses other types', () => {
    const { h, c } = setup();
    const stats = h.node.keyspace.stats;
    c.run('SET', 'k', 'v');
    c.run('GET', 'k');
    c.run('GET', 'nope');
    c.run('MGET', 'k', 'nope', 'k');
    assert.equal(stats.keyspaceHits, 3);
    assert.equal(stats.keyspaceMisses, 2);
    putList(c, 'l');
    assert.equal(errOf(c.run('GET', 'l')), 'WRONGTYPE Operation against a key holding the wrong kind of value');
  });

  it('GETSET returns the old value and drops the TTL', () => {
    const { h, c } = setup();
    assert.equal(c.run('GETSET', 'k', 'a'), null);
    h.node.keyspace.db(0).setExpire('k', T0 + 100_000);
    assert.equal(c.run('GETSET', 'k', 'b'), 'a');
    assert.equal(h.node.keyspace.db(0).getExpire('k'), undefined);
    putList(c, 'l');
    assert.ok(c.run('GETSET', 'l', 'v') instanceof RespError);
    assert.equal((valueOf(h, 'l') as Container).type, 'list');
  });

  it('GETDEL deletes and emits del', () => {
    const { h, c } = setup();
    const events = recordEvents(h);
    c.run('SET', 'k', 'v');
    assert.equal(c.run('GETDEL', 'k'), 'v');
    assert.equal(c.run('GET', 'k'), null);
    assert.equal(c.run('GETDEL', 'k'), null);
    assert.deepEqual(events, ['$:set:k', 'g:del:k']);
  });

  it('GETEX sets, persists, and deletes on a past absolute time', () => {
    const { h, c } = setup();
    const db = h.node.keyspace.db(0);
    const events = recordEvents(h);
    c.run('SET', 'k', 'v');
    assert.equal(c.run('GETEX', 'k'), 'v');
    assert.equal(db.getExpire('k'), undefined);
    assert.equal(c.run('GETEX', 'k', 'EX', 10), 'v');
    assert.equal(db.getExpire('k'), T0 + 10_000);
    assert.equal(c.run('GETEX', 'k', 'PXAT', T0 + 50), 'v');
    assert.equal(db.getExpire('k'), T0 + 50);
    assert.equal(c.run('GETEX', 'k', 'PERSIST'), 'v');
    assert.equal(db.getExpire('k'), undefined);
    assert.equal(c.run('GETEX', 'k', 'PERSIST'), 'v'); // no TTL: no event
    assert.equal(c.run('GETEX', 'k', 'EXAT', 1), 'v');
    assert.equal(c.run('GET', 'k'), null);
    assert.deepEqual(events, ['$:set:k', 'g:expire:k', 'g:expire:k', 'g:persist:k', 'g:del:k']);
  });

  it('GETEX checks option syntax before the key, the time after it', () => {
    const { h, c } = setup();
    assert.equal(c.run('GETEX', 'nope', 'EX', -1), null);
    assert.equal(errOf(c.run('GETEX', 'nope', 'NX')), 'ERR syntax error');
    c.run('SET', 'k', 'v');
    for (const bad of [['KEEPTTL'], ['GET'], ['EX'], ['PERSIST', 'EX', '1'], ['EX', '1', 'PERSIST'], ['EX', '1', 'PX', '1']]) {
      assert.equal(errOf(c.run('GETEX', 'k', ...bad)), 'ERR syntax error', bad.join(' '));
    }
    assert.equal(errOf(c.run('GETEX', 'k', 'EX', 0)), "ERR invalid expire time in 'getex' command");
    assert.equal(errOf(c.run('GETEX', 'k', 'EX', 'x')), 'ERR value is not an integer or out of range');
    putList(c, 'l');
    assert.ok(c.run('GETEX', 'l') instanceof RespError);
  });

  it('MGET reads other types as nil', () => {
    const { h, c } = setup();
    c.run('SET', 'a', '1');
    putList(c, 'l');
    assert.deepEqual(c.run('MGET', 'a', 'l', 'missing', 'a'), ['1', null, null, '1']);
  });
});

describe('strings: MSET and MSETNX', () => {
  it('sets pairs and checks the argument count', () => {
    const { h, c } = setup();
    const events = recordEvents(h);
    assert.equal(c.run('MSET', 'a', '1', 'b', '2'), 'OK');
    assert.deepEqual(c.run('MGET', 'a', 'b'), ['1', '2']);
    assert.deepEqual(events, ['$:set:a', '$:set:b']);
    assert.equal(errOf(c.run('MSET', 'a', '1', 'b')), "ERR wrong number of arguments for 'mset' command");
    assert.equal(errOf(c.run('MSETNX', 'a', '1', 'b')), "ERR wrong number of arguments for 'msetnx' command");
  });

  it('MSETNX sets all or nothing', () => {
    const { h, c } = setup();
    c.run('SET', 'a', 'x');
    assert.equal(c.run('MSETNX', 'a', '1', 'c', '2'), 0);
    assert.equal(c.run('GET', 'c'), null);
    assert.equal(c.run('MSETNX', 'c', '1', 'd', '2', 'c', '3'), 1);
    assert.deepEqual(c.run('MGET', 'c', 'd'), ['3', '2']);
  });
});

describe('strings: APPEND, STRLEN, GETRANGE, SETRANGE', () => {
  it('APPEND creates, extends and keeps the TTL', () => {
    const { h, c } = setup();
    const events = recordEvents(h);
    assert.equal(c.run('APPEND', 'k', 'hello'), 5);
    h.node.keyspace.db(0).setExpire('k', T0 + 1000);
    assert.equal(c.run('APPEND', 'k', ' world'), 11);
    assert.equal(c.run('APPEND', 'k', ''), 11);
    assert.equal(c.run('GET', 'k'), 'hello world');
    assert.equal(h.node.keyspace.db(0).getExpire('k'), T0 + 1000);
    assert.deepEqual(events, ['$:append:k', '$:append:k', '$:append:k']);
    putList(c, 'l');
    assert.ok(c.run('APPEND', 'l', 'x') instanceof RespError);
  });

  it('APPEND keeps binary bytes and many appends stay correct', () => {
    const { h, c } = setup();
    let expected = '';
    for (let i = 0; i < 2000; i++) {
      const piece = String.fromCharCode(i & 0xff, 0, 0xff) + i;
      expected += piece;
      assert.equal(c.run('APPEND', 'k', piece), expected.length);
    }
    assert.equal(c.run('GET', 'k'), expected);
    assert.equal(c.run('STRLEN', 'k'), expected.length);
  });

  it('APPEND and SETRANGE refuse to grow past proto-max-bulk-len', () => {
    const h = new Harness({ nowMs: T0, config: { 'proto-max-bulk-len': '1048576' } });
    const c = h.client();
    const tooLong = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
    c.run('SET', 'k', 'x'.repeat(1048570));
    assert.equal(c.run('APPEND', 'k', 'abcdef'), 1048576);
    assert.equal(errOf(c.run('APPEND', 'k', 'a')), tooLong);
    assert.equal(errOf(c.run('SETRANGE', 'n', 1048576, 'a')), tooLong);
    assert.equal(c.run('SETRANGE', 'n', 1048575, 'a'), 1048576);
    assert.equal(c.run('SETRANGE', 'n', 1048576, ''), 1048576);
  });

  it('STRLEN', () => {
    const { h, c } = setup();
    assert.equal(c.run('STRLEN', 'k'), 0);
    c.run('SET', 'k', 'héllo');
    assert.equal(c.run('STRLEN', 'k'), 5);
    c.run('SET', 'n', '12345');
    assert.equal(c.run('STRLEN', 'n'), 5);
    putList(c, 'l');
    assert.ok(c.run('STRLEN', 'l') instanceof RespError);
  });

  it('GETRANGE and SUBSTR with Redis index rules', () => {
    const { h, c } = setup();
    c.run('SET', 's', 'foobar');
    const cases: [number | string, number | string, string][] = [
      [0, 2, 'foo'],
      [0, -1, 'foobar'],
      [-3, -1, 'bar'],
      [4, 100, 'ar'],
      [-100, -50, 'f'],
      [0, -100, 'f'],
      [-1, -5, ''],
      [3, 2, ''],
      [6, 10, ''],
      [-1, 0, ''],
    ];
    for (const [a, b, want] of cases) {
      assert.equal(c.run('GETRANGE', 's', a, b), want, `${a} ${b}`);
      assert.equal(c.run('SUBSTR', 's', a, b), want, `${a} ${b}`);
    }
    assert.equal(c.run('GETRANGE', 'nope', 0, 1), '');
    assert.equal(errOf(c.run('GETRANGE', 'nope', 'a', 1)), 'ERR value is not an integer or out of range');
    c.run('SET', 'e', '');
    assert.equal(c.run('GETRANGE', 'e', 0, -1), '');
    putList(c, 'l');
    assert.ok(c.run('GETRANGE', 'l', 0, 1) instanceof RespError);
  });

  it('SETRANGE overwrites, pads with zeros and keeps the TTL', () => {
    const { h, c } = setup();
    const events = recordEvents(h);
    c.run('SET', 'k', 'Hello World');
    h.node.keyspace.db(0).setExpire('k', T0 + 1000);
    assert.equal(c.run('SETRANGE', 'k', 6, 'Redis'), 11);
    assert.equal(c.run('GET', 'k'), 'Hello Redis');
    assert.equal(c.run('SETRANGE', 'k', 13, '!'), 14);
    assert.equal(c.run('GET', 'k'), 'Hello Redis\0\0!');
    assert.equal(h.node.keyspace.db(0).getExpire('k'), T0 + 1000);
    assert.equal(c.run('SETRANGE', 'new', 3, 'ab'), 5);
    assert.equal(c.run('GET', 'new'), '\0\0\0ab');
    assert.equal(c.run('SETRANGE', 'none', 5, ''), 0);
    assert.equal(valueOf(h, 'none'), undefined);
    assert.equal(c.run('SETRANGE', 'k', 100, ''), 14);
    assert.deepEqual(events, ['$:set:k', '$:setrange:k', '$:setrange:k', '$:setrange:new']);
    assert.equal(errOf(c.run('SETRANGE', 'k', -1, 'x')), 'ERR offset is out of range');
    assert.equal(errOf(c.run('SETRANGE', 'k', 'x', 'x')), 'ERR value is not an integer or out of range');
    assert.equal(errOf(c.run('SETRANGE', 'k', 536870912, 'x')), 'ERR string exceeds maximum allowed size (proto-max-bulk-len)');
    putList(c, 'l');
    assert.ok(c.run('SETRANGE', 'l', 0, '') instanceof RespError);
  });

  it('APPEND, SETRANGE and SETBIT mutate in place once the value is a Buffer', () => {
    const { h, c } = setup();
    c.run('SET', 'k', 'x'.repeat(1000));
    c.run('APPEND', 'k', 'y'); // string -> Buffer with headroom
    const first = valueOf(h, 'k') as Buffer;
    assert.ok(Buffer.isBuffer(first));
    for (let i = 0; i < 100; i++) c.run('APPEND', 'k', 'z');
    c.run('SETRANGE', 'k', 5, 'abc');
    c.run('SETBIT', 'k', 7, 0);
    const later = valueOf(h, 'k') as Buffer;
    assert.equal(later.buffer, first.buffer, 'same memory: no copy per call');
    // After GET exposed the bytes, appending still writes in place (beyond
    // what the reply holds) but overwriting copies once.
    c.run('GET', 'k');
    c.run('APPEND', 'k', 'w');
    assert.equal((valueOf(h, 'k') as Buffer).buffer, first.buffer);
    c.run('SETRANGE', 'k', 0, 'Q');
    const copied = valueOf(h, 'k') as Buffer;
    assert.notEqual(copied.buffer, first.buffer);
    c.run('SETRANGE', 'k', 1, 'R');
    assert.equal((valueOf(h, 'k') as Buffer).buffer, copied.buffer);
    assert.equal(c.run('GETRANGE', 'k', 0, 8), 'QRxxxabc' + String.fromCharCode(0x78 & 0xfe));
  });

  it('a reply already handed out never sees a later in-place mutation', () => {
    const { h, c } = setup();
    const big = 'a'.repeat(100_000);
    c.run('SET', 'k', big);
    c.run('SETRANGE', 'k', 0, 'b'); // now a mutable Buffer
    // Run GET and SETRANGE in one writer batch, as a pipeline would.
    const s = c.session;
    h.node.dispatcher.execute(s, ['GET', 'k']);
    h.node.dispatcher.execute(s, ['SETRANGE', 'k', '1', 'XYZ']);
    h.node.dispatcher.execute(s, ['APPEND', 'k', 'tail']);
    h.node.dispatcher.execute(s, ['GETRANGE', 'k', '0', '-1']);
    h.node.dispatcher.execute(s, ['SETRANGE', 'k', '5', 'Q']);
    const bytes = h.writer.take();
    assert.ok(bytes);
    c.transport.decoder.feed(bytes);
    const replies = c.transport.decoder.all();
    assert.equal(replies[0], 'b' + big.slice(1));
    assert.equal(replies[1], 100_000);
    assert.equal(replies[2], 100_004);
    assert.equal(replies[3], 'bXYZ' + big.slice(4) + 'tail');
    assert.equal(c.run('GETRANGE', 'k', 0, 6), 'bXYZaQa');
  });
});

describe('strings: INCR family', () => {
  it('INCR, DECR, INCRBY, DECRBY', () => {
    const { h, c } = setup();
    const events = recordEvents(h);
    assert.equal(c.run('INCR', 'n'), 1);
    assert.equal(c.run('INCRBY', 'n', 10), 11);
    assert.equal(c.run('DECR', 'n'), 10);
    assert.equal(c.run('DECRBY', 'n', 15), -5);
    assert.equal(c.run('GET', 'n'), '-5');
    assert.deepEqual(new Set(events), new Set(['$:incrby:n']));
    assert.equal(events.length, 4);
  });

  it('keeps the TTL', () => {
    const { h, c } = setup();
    c.run('SET', 'n', '5', 'EX', 100);
    c.run('INCR', 'n');
    assert.equal(h.node.keyspace.db(0).getExpire('n'), T0 + 100_000);
  });

  it('refuses values that are not canonical int64', () => {
    const { h, c } = setup();
    for (const v of [' 1', '1 ', '01', '+1', '-0', '1.0', '', 'abc', '9223372036854775808', '1e3']) {
      c.run('SET', 'k', v);
      assert.equal(errOf(c.run('INCR', 'k')), 'ERR value is not an integer or out of range', JSON.stringify(v));
    }
    assert.equal(errOf(c.run('INCRBY', 'n', '1.5')), 'ERR value is not an integer or out of range');
    assert.equal(errOf(c.run('DECRBY', 'n', '')), 'ERR value is not an integer or out of range');
    putList(c, 'l');
    assert.ok(c.run('INCR', 'l') instanceof RespError);
  });

  it('is exact across the whole int64 range and reports overflow', () => {
    const { h, c } = setup();
    const overflow = 'ERR increment or decrement would overflow';
    c.run('SET', 'k', '9007199254740991');
    assert.equal(c.run('INCR', 'k'), 9007199254740992n);
    assert.equal(c.run('GET', 'k'), '9007199254740992');
    assert.equal(c.run('INCR', 'k'), 9007199254740993n);
    assert.equal(c.run('GET', 'k'), '9007199254740993');
    c.run('SET', 'k', '9223372036854775806');
    assert.equal(c.run('INCR', 'k'), 9223372036854775807n);
    assert.equal(errOf(c.run('INCR', 'k')), overflow);
    assert.equal(c.run('GET', 'k'), '9223372036854775807');
    c.run('SET', 'k', '-9223372036854775808');
    assert.equal(errOf(c.run('DECR', 'k')), overflow);
    assert.equal(c.run('INCRBY', 'k', '9223372036854775807'), -1);
    assert.equal(c.run('INCRBY', 'z', '-9223372036854775808'), -9223372036854775808n);
    assert.equal(errOf(c.run('INCRBY', 'z', -1)), overflow);
    assert.equal(errOf(c.run('DECRBY', 'i', '-9223372036854775808')), 'ERR decrement would overflow');
    assert.equal(c.run('DECRBY', 'i', '9223372036854775807'), -9223372036854775807n);
    assert.equal(c.run('DECRBY', 'i', '1'), -9223372036854775808n);
    assert.equal(errOf(c.run('DECRBY', 'i', '1')), overflow);
    assert.equal(errOf(c.run('INCRBY', 'i', '9223372036854775808')), 'ERR value is not an integer or out of range');
  });

  it('works on values made by APPEND (Buffers)', () => {
    const { h, c } = setup();
    c.run('SET', 'k', '1');
    c.run('APPEND', 'k', '9');
    assert.equal(c.run('INCR', 'k'), 20);
  });
});

describe('strings: INCRBYFLOAT', () => {
  // Expected values come from redis-server 7.0.15 (x87 long double).
  const cases: [string, string, string][] = [
    ['10.5', '0.1', '10.6'],
    ['0', '0.1', '0.1'],
    ['0.1', '0.2', '0.3'],
    ['1', '1', '2'],
    ['5.0e3', '2.0e2', '5200'],
    ['3', '-3', '0'],
    ['0', '-0.0000000000000000001', '0'],
    ['0', '1e-18', '0'],
    ['0', '-1e-17', '-0.00000000000000001'],
    ['1e20', '1', '100000000000000000000'],
    ['1', '0x10', '17'],
    ['1', '0x1p-2', '1.25'],
    ['1', '+1.5', '2.5'],
    ['1', '.5', '1.5'],
    ['1', '5.', '6'],
    ['1', '-0', '1'],
    ['123456789012345678', '1', '123456789012345679'],
    ['1.1', '2.2', '3.3'],
    ['17179869184', '0.1', '17179869184.09999999962747097'],
    ['0.3', '-0.1', '0.2'],
    ['1', '12345678901234567890.12345678901234567890', '12345678901234567891'],
    ['1', '1e-10', '1.0000000001'],
    ['1', '1e-20', '1'],
    ['-9223372036854775808', '1', '-9223372036854775807'],
    ['1', '1E2', '101'],
  ];
  for (const [start, incr, want] of cases) {
    it(`${start} + ${incr} = ${want}`, () => {
      const { h, c } = setup();
      c.run('SET', 'f', start);
      assert.equal(c.run('INCRBYFLOAT', 'f', incr), want);
      assert.equal(c.run('GET', 'f'), want);
    });
  }

  it('matches the long-double formatting of huge values', () => {
    const { h, c } = setup();
    c.run('SET', 'f', '1.5e308');
    const r = c.run('INCRBYFLOAT', 'f', '1e308');
    assert.equal(typeof r, 'string');
    assert.ok((r as string).startsWith('249999999999999999996587356145314113691576940812476512174930733416101840935529'));
    assert.equal((r as string).length, 309);
    c.run('SET', 'g', '1e4000');
    const g = c.run('INCRBYFLOAT', 'g', 1) as string;
    // 1e4000 rounds to a long double just below 10^4000.
    assert.ok(g.startsWith('99999999999999999999654638730996237849324925835069576313015083330432619433063'));
    assert.equal(g.length, 4000);
  });

  it('errors', () => {
    const { h, c } = setup();
    const events = recordEvents(h);
    const notFloat = 'ERR value is not a valid float';
    const nanInf = 'ERR increment would produce NaN or Infinity';
    c.run('SET', 'f', '1');
    for (const bad of ['nan', ' 1', '1 ', '', '1e', 'abc', '1'.repeat(5119), '1'.repeat(5120)]) {
      assert.equal(errOf(c.run('INCRBYFLOAT', 'f', bad)), notFloat, bad.slice(0, 10));
    }
    for (const bad of ['inf', 'infinity', '-inf', '1e5000']) {
      const e = errOf(c.run('INCRBYFLOAT', 'f', bad));
      assert.equal(e, bad === '1e5000' ? notFloat : nanInf, bad);
    }
    c.run('SET', 'f', 'abc');
    assert.equal(errOf(c.run('INCRBYFLOAT', 'f', '1')), notFloat);
    c.run('SET', 'f', 'inf');
    assert.equal(errOf(c.run('INCRBYFLOAT', 'f', '1')), nanInf);
    c.run('SET', 'f', '1.5e4932'); // beyond the long double range
    assert.equal(errOf(c.run('INCRBYFLOAT', 'f', '1')), notFloat);
    c.run('SET', 'f', '1.1e4932');
    assert.equal(errOf(c.run('INCRBYFLOAT', 'f', '1e4932')), nanInf);
    c.run('SET', 'f', '1');
    assert.equal(errOf(c.run('INCRBYFLOAT', 'f', '1e-5000')), notFloat); // underflows to zero
    assert.equal(c.run('INCRBYFLOAT', 'f', '1e-4950'), '1');
    assert.equal(c.run('INCRBYFLOAT', 'f', '0e-99999'), '1');
    putList(c, 'l');
    assert.ok(c.run('INCRBYFLOAT', 'l', '1') instanceof RespError);
    assert.equal(c.run('INCRBYFLOAT', 'new', '2.5'), '2.5');
    assert.deepEqual(events.filter((e) => e.includes('incrbyfloat')), ['$:incrbyfloat:f', '$:incrbyfloat:f', '$:incrbyfloat:new']);
  });

  it('keeps the TTL', () => {
    const { h, c } = setup();
    c.run('SET', 'f', '1', 'PX', 5000);
    c.run('INCRBYFLOAT', 'f', '0.5');
    assert.equal(h.node.keyspace.db(0).getExpire('f'), T0 + 5000);
  });
});

describe('strings: OBJECT ENCODING rules (stringEncoding)', () => {
  it('int, embstr, raw by content for values stored as given', () => {
    assert.equal(stringEncoding('12345'), 'int');
    assert.equal(stringEncoding('-9223372036854775808'), 'int');
    assert.equal(stringEncoding('9223372036854775807'), 'int');
    assert.equal(stringEncoding('9223372036854775808'), 'embstr');
    assert.equal(stringEncoding('0'), 'int');
    assert.equal(stringEncoding('01'), 'embstr');
    assert.equal(stringEncoding('-0'), 'embstr');
    assert.equal(stringEncoding('+1'), 'embstr');
    assert.equal(stringEncoding(''), 'embstr');
    assert.equal(stringEncoding('x'.repeat(44)), 'embstr');
    assert.equal(stringEncoding('x'.repeat(45)), 'raw');
  });

  it('APPEND to an existing value and SETRANGE make raw values', () => {
    const { h, c } = setup();
    c.run('APPEND', 'a', '12');
    assert.equal(stringEncoding(valueOf(h, 'a') as string), 'int');
    c.run('APPEND', 'a', '3');
    assert.equal(stringEncoding(valueOf(h, 'a') as Buffer), 'raw');
    c.run('SET', 'b', 'abc');
    c.run('SETRANGE', 'b', 0, 'x');
    assert.equal(stringEncoding(valueOf(h, 'b') as Buffer), 'raw');
    c.run('INCR', 'a');
    assert.equal(stringEncoding(valueOf(h, 'a') as string), 'int');
  });
});
