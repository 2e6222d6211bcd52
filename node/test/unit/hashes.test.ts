import assert from 'node:assert/strict';
import { Harness, type TestClient } from '../support/harness.js';
import { RespError, RespMap } from '../../src/resp/decoder.js';
import { HashValue } from '../../src/keyspace/types/hash.js';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from '../../src/commands/hash/long-double.js';

function err(v: unknown): string {
  assert.ok(v instanceof RespError, `expected an error, got ${JSON.stringify(v)}`);
  return v.message;
}

function hashAt(h: Harness, key: string): HashValue {
  const v = h.node.keyspace.db(0).peek(key, h.node.keyspace.nowMs);
  assert.ok(v instanceof HashValue);
  return v;
}

/** Records keyspace notifications as "class:event:key". */
function recordEvents(h: Harness): string[] {
  const events: string[] = [];
  h.node.notify = (cls, event, key) => {
    events.push(`${cls}:${event}:${key}`);
  };
  return events;
}

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

describe('hashes', () => {
  let h: Harness;
  let c: TestClient;
  beforeEach(() => {
    h = new Harness({ seed: 7 });
    c = h.client();
  });

  it('HSET/HMSET/HSETNX/HGET/HMGET', () => {
    assert.equal(c.run('HSET', 'h', 'a', '1', 'b', '2'), 2);
    assert.equal(c.run('HSET', 'h', 'a', '10', 'c', '3'), 1);
    assert.equal(err(c.run('HSET', 'h', 'a', '1', 'b')), "ERR wrong number of arguments for 'hset' command");
    assert.equal(err(c.run('HMSET', 'h', 'a')), "ERR wrong number of arguments for 'hmset' command");
    assert.equal(c.run('HMSET', 'h', 'd', '4'), 'OK');
    assert.equal(c.run('HGET', 'h', 'a'), '10');
    assert.equal(c.run('HGET', 'h', 'zz'), null);
    assert.equal(c.run('HGET', 'nokey', 'a'), null);
    assert.deepEqual(c.run('HMGET', 'h', 'a', 'zz', 'd'), ['10', null, '4']);
    assert.deepEqual(c.run('HMGET', 'nokey', 'a', 'b'), [null, null]);
    assert.equal(c.run('HSETNX', 'h', 'a', 'x'), 0);
    assert.equal(c.run('HSETNX', 'h', 'e', 'x'), 1);
    assert.equal(c.run('HSETNX', 'new', 'f', 'v'), 1);
    assert.equal(c.run('HGET', 'h', 'e'), 'x');
    // Binary-safe fields and values.
    assert.equal(c.run('HSET', 'bin', '\x00\xff', '\r\n\x80'), 1);
    assert.equal(c.run('HGET', 'bin', '\x00\xff'), '\r\n\x80');
  });

  it('HDEL, HLEN, HSTRLEN, HEXISTS and deletion of emptied hashes', () => {
    const events = recordEvents(h);
    c.run('HSET', 'h', 'a', '1', 'b', 'hello');
    assert.equal(c.run('HLEN', 'h'), 2);
    assert.equal(c.run('HLEN', 'nokey'), 0);
    assert.equal(c.run('HSTRLEN', 'h', 'b'), 5);
    assert.equal(c.run('HSTRLEN', 'h', 'zz'), 0);
    assert.equal(c.run('HEXISTS', 'h', 'a'), 1);
    assert.equal(c.run('HEXISTS', 'h', 'zz'), 0);
    assert.equal(c.run('HEXISTS', 'nokey', 'a'), 0);
    assert.equal(c.run('HDEL', 'h', 'zz'), 0);
    assert.equal(c.run('HDEL', 'nokey', 'a'), 0);
    assert.equal(c.run('HDEL', 'h', 'a', 'a', 'zz'), 1);
    assert.equal(c.run('HDEL', 'h', 'b', 'zz'), 1);
    assert.equal(h.node.keyspace.db(0).size, 0);
    assert.deepEqual(events, ['h:hset:h', 'h:hdel:h', 'h:hdel:h', 'g:del:h']);
  });

  it('HKEYS, HVALS, HGETALL keep listpack insertion order across deletions', () => {
    c.run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4');
    c.run('HDEL', 'h', 'b');
    c.run('HSET', 'h', 'e', '5', 'b', '6');
    assert.deepEqual(c.run('HKEYS', 'h'), ['a', 'c', 'd', 'e', 'b']);
    assert.deepEqual(c.run('HVALS', 'h'), ['1', '3', '4', '5', '6']);
    assert.deepEqual(c.run('HGETALL', 'h'), ['a', '1', 'c', '3', 'd', '4', 'e', '5', 'b', '6']);
    assert.deepEqual(c.run('HGETALL', 'nokey'), []);
    assert.deepEqual(c.run('HKEYS', 'nokey'), []);
    c.run('HELLO', '3');
    const m = c.run('HGETALL', 'h');
    assert.ok(m instanceof RespMap);
    assert.deepEqual(m.entries[0], ['a', '1']);
    assert.equal(m.entries.length, 5);
    const empty = c.run('HGETALL', 'nokey');
    assert.ok(empty instanceof RespMap);
    assert.equal(empty.entries.length, 0);
  });

  it('refuses other types with WRONGTYPE', () => {
    c.run('SET', 's', 'v');
    for (const cmd of [
      ['HGET', 's', 'a'],
      ['HSET', 's', 'a', 'b'],
      ['HSETNX', 's', 'a', 'b'],
      ['HMGET', 's', 'a'],
      ['HDEL', 's', 'a'],
      ['HLEN', 's'],
      ['HGETALL', 's'],
      ['HKEYS', 's'],
      ['HINCRBY', 's', 'f', '1'],
      ['HINCRBYFLOAT', 's', 'f', '1'],
      ['HRANDFIELD', 's'],
      ['HRANDFIELD', 's', '2'],
      ['HSCAN', 's', '0', 'COUNT', '0'],
    ]) {
      assert.equal(err(c.run(...cmd)), WRONGTYPE, cmd.join(' '));
    }
    assert.equal(c.run('GET', 's'), 'v');
  });

  it('HINCRBY: errors checked in Redis order, int64 overflow', () => {
    const events = recordEvents(h);
    assert.equal(c.run('HINCRBY', 'h', 'f', '5'), 5);
    assert.equal(c.run('HINCRBY', 'h', 'f', '-7'), -2);
    assert.equal(err(c.run('HINCRBY', 'h', 'f', 'x')), 'ERR value is not an integer or out of range');
    assert.equal(err(c.run('HINCRBY', 'h', 'f', '1.5')), 'ERR value is not an integer or out of range');
    c.run('SET', 'str', 'v');
    // The increment is parsed before the key is looked up.
    assert.equal(err(c.run('HINCRBY', 'str', 'f', 'x')), 'ERR value is not an integer or out of range');
    c.run('HSET', 'h', 's', 'abc', 'lz', '01', 'big', '9223372036854775806');
    assert.equal(err(c.run('HINCRBY', 'h', 's', '1')), 'ERR hash value is not an integer');
    assert.equal(err(c.run('HINCRBY', 'h', 'lz', '1')), 'ERR hash value is not an integer');
    assert.equal(c.run('HINCRBY', 'h', 'big', '1'), 9223372036854775807n);
    assert.equal(err(c.run('HINCRBY', 'h', 'big', '1')), 'ERR increment or decrement would overflow');
    assert.equal(c.run('HINCRBY', 'h', 'big', '-9223372036854775807'), 0);
    assert.equal(c.run('HINCRBY', 'h', 'big', '-9223372036854775807'), -9223372036854775807n);
    assert.equal(c.run('HINCRBY', 'h', 'big', '-1'), -9223372036854775808n);
    assert.equal(err(c.run('HINCRBY', 'h', 'big', '-1')), 'ERR increment or decrement would overflow');
    assert.equal(c.run('HGET', 'h', 'big'), '-9223372036854775808');
    assert.deepEqual(events.slice(0, 2), ['h:hincrby:h', 'h:hincrby:h']);
  });

  it('HINCRBYFLOAT matches Redis long double arithmetic and formatting', () => {
    const cases: [string, string][] = [
      ['1.5', '1.5'],
      ['0.1', '1.6'],
      ['1000.1', '1001.69999999999999996'],
      ['1e20', '100000000000000001000'],
      ['-1e20', '1000'],
    ];
    for (const [incr, want] of cases) assert.equal(c.run('HINCRBYFLOAT', 'h', 'g', incr), want, incr);
    assert.equal(c.run('HINCRBYFLOAT', 'h', 'g2', '0.1'), '0.1');
    assert.equal(c.run('HINCRBYFLOAT', 'h', 'g2', '0.2'), '0.3');
    assert.equal(c.run('HINCRBYFLOAT', 'h', 'g2', '-0.3'), '0');
    assert.equal(c.run('HINCRBYFLOAT', 'h', 'n', '9223372036854775807'), '9223372036854775807');
    assert.equal(c.run('HINCRBYFLOAT', 'h', 'n2', '1.23456789012345678901234567890'), '1.23456789012345679');
    assert.equal(c.run('HINCRBYFLOAT', 'h', 'x', '0x10'), '16');
    assert.equal(c.run('HINCRBYFLOAT', 'h', 'x', '.5'), '16.5');
    assert.equal(c.run('HINCRBYFLOAT', 'h', 'x', '3.0e3'), '3016.5');
    const huge = c.run('HINCRBYFLOAT', 'h', 'huge', '1e400');
    assert.equal(typeof huge, 'string');
    assert.equal((huge as string).length, 401);
    assert.ok((huge as string).startsWith('10000000000000000000281880683947586514586'));
    assert.equal(err(c.run('HINCRBYFLOAT', 'h', 'g', 'inf')), 'ERR value is NaN or Infinity');
    for (const bad of ['nan', ' 1', '1x', '1e', '', '1e5000', '1e-5000', '1\x00']) {
      assert.equal(err(c.run('HINCRBYFLOAT', 'h', 'g', bad)), 'ERR value is not a valid float', JSON.stringify(bad));
    }
    c.run('HSET', 'h', 'i', 'inf', 's', 'abc');
    assert.equal(err(c.run('HINCRBYFLOAT', 'h', 'i', '1')), 'ERR increment would produce NaN or Infinity');
    assert.equal(err(c.run('HINCRBYFLOAT', 'h', 's', '1')), 'ERR hash value is not a float');
    c.run('SET', 'str', 'v');
    assert.equal(err(c.run('HINCRBYFLOAT', 'str', 'f', 'x')), 'ERR value is not a valid float');
  });

  it('long double helpers round to nearest-even at 64 bits', () => {
    const two63 = parseLongDouble('9223372036854775807');
    assert.ok(two63);
    assert.equal(formatLongDoubleHuman(two63), '9223372036854775807');
    // 2^64 + 1 is not representable: it rounds to 2^64.
    const over = parseLongDouble('18446744073709551617');
    assert.ok(over);
    assert.equal(formatLongDoubleHuman(over), '18446744073709551616');
    const a = parseLongDouble('-0.5');
    const b = parseLongDouble('0.5');
    assert.ok(a && b);
    assert.equal(formatLongDoubleHuman(addLongDouble(a, b)), '0');
    assert.equal(formatLongDoubleHuman(a), '-0.5');
  });

  it('HRANDFIELD: count forms, WITHVALUES shapes, errors', () => {
    c.run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    const one = c.run('HRANDFIELD', 'h');
    assert.ok(['a', 'b', 'c'].includes(one as string));
    assert.equal(c.run('HRANDFIELD', 'nokey'), null);
    assert.deepEqual(c.run('HRANDFIELD', 'nokey', '5'), []);
    assert.deepEqual(c.run('HRANDFIELD', 'h', '0'), []);
    assert.deepEqual(c.run('HRANDFIELD', 'h', '5'), ['a', 'b', 'c']);
    assert.deepEqual(c.run('HRANDFIELD', 'h', '3', 'WITHVALUES'), ['a', '1', 'b', '2', 'c', '3']);
    const two = c.run('HRANDFIELD', 'h', '2') as string[];
    assert.equal(two.length, 2);
    assert.notEqual(two[0], two[1]);
    const many = c.run('HRANDFIELD', 'h', '-20') as string[];
    assert.equal(many.length, 20);
    assert.ok(many.every((f) => ['a', 'b', 'c'].includes(f)));
    const pairs = c.run('HRANDFIELD', 'h', '-4', 'withvalues') as string[];
    assert.equal(pairs.length, 8);
    for (let i = 0; i < 8; i += 2) assert.equal(c.run('HGET', 'h', pairs[i]!), pairs[i + 1]);
    assert.equal(err(c.run('HRANDFIELD', 'h', '1', 'x')), 'ERR syntax error');
    assert.equal(err(c.run('HRANDFIELD', 'h', '1', 'withvalues', 'x')), 'ERR syntax error');
    assert.equal(err(c.run('HRANDFIELD', 'h', 'x')), 'ERR value is not an integer or out of range');
    assert.equal(
      err(c.run('HRANDFIELD', 'h', '-9223372036854775808')),
      'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
    );
    assert.equal(err(c.run('HRANDFIELD', 'h', '4611686018427387904', 'withvalues')), 'ERR value is out of range');
    c.run('HELLO', '3');
    assert.deepEqual(c.run('HRANDFIELD', 'h', '0', 'WITHVALUES'), []);
    const nested = c.run('HRANDFIELD', 'h', '-3', 'WITHVALUES') as string[][];
    assert.equal(nested.length, 3);
    for (const p of nested) {
      assert.equal(p.length, 2);
      assert.equal(c.run('HGET', 'h', p[0]!), p[1]);
    }
    assert.deepEqual(c.run('HRANDFIELD', 'h', '3', 'WITHVALUES'), [['a', '1'], ['b', '2'], ['c', '3']]);
  });

  it('HRANDFIELD with a distinct count picks distinct fields from a big hash', () => {
    for (let i = 0; i < 100; i++) c.run('HSET', 'h', `f${i}`, `${i}`);
    for (const n of [5, 40, 90]) {
      const got = c.run('HRANDFIELD', 'h', String(n)) as string[];
      assert.equal(got.length, n);
      assert.equal(new Set(got).size, n);
    }
  });

  it('tracks listpack -> hashtable conversion and never converts back', () => {
    c.run('HSET', 'h', 'f', 'x'.repeat(64));
    assert.equal(hashAt(h, 'h').encoding(), 'listpack');
    c.run('HSET', 'h', 'g', 'x'.repeat(65));
    assert.equal(hashAt(h, 'h').encoding(), 'hashtable');
    c.run('HDEL', 'h', 'g');
    assert.equal(hashAt(h, 'h').encoding(), 'hashtable');
    c.run('HINCRBYFLOAT', 'long', 'f'.repeat(65), '1');
    assert.equal(hashAt(h, 'long').encoding(), 'hashtable');
    for (let i = 0; i < 512; i++) c.run('HSET', 'many', `f${i}`, 'v');
    assert.equal(hashAt(h, 'many').encoding(), 'listpack');
    c.run('HSET', 'many', 'f512', 'v');
    assert.equal(hashAt(h, 'many').encoding(), 'hashtable');
  });

  it('reads the listpack thresholds from the configuration when it has them', () => {
    const h2 = new Harness();
    if (h2.config.get('hash-max-listpack-entries') === undefined) return; // directive not in the table yet
    h2.config.set('hash-max-listpack-entries', '2');
    const c2 = h2.client();
    c2.run('HSET', 'h', 'a', '1', 'b', '2');
    const v = h2.node.keyspace.db(0).peek('h', 0);
    assert.ok(v instanceof HashValue);
    assert.equal(v.encoding(), 'listpack');
    c2.run('HSET', 'h', 'c', '3');
    assert.equal(v.encoding(), 'hashtable');
  });

  it('tracks bytes incrementally', () => {
    c.run('HSET', 'h', 'a', '1');
    const v = hashAt(h, 'h');
    const b1 = v.bytes;
    c.run('HSET', 'h', 'b', 'x'.repeat(100));
    assert.ok(v.bytes > b1 + 100);
    c.run('HSET', 'h', 'b', '1');
    c.run('HDEL', 'h', 'b');
    assert.equal(v.bytes, b1);
    const before = h.node.keyspace.dataBytes;
    c.run('HSET', 'h', 'c', 'x'.repeat(1000));
    assert.ok(h.node.keyspace.dataBytes >= before + 1000);
  });

  it('HSCAN: whole listpack in one call; cursor walk of a hashtable', () => {
    c.run('HSET', 'h', 'a', '1', 'b', '2', 'ab', '3');
    assert.deepEqual(c.run('HSCAN', 'h', '0'), ['0', ['a', '1', 'b', '2', 'ab', '3']]);
    assert.deepEqual(c.run('HSCAN', 'h', '0', 'COUNT', '1', 'MATCH', 'a*'), ['0', ['a', '1', 'ab', '3']]);
    assert.deepEqual(c.run('HSCAN', 'nokey', '0', 'COUNT', '0'), ['0', []]);
    assert.equal(err(c.run('HSCAN', 'h', '0', 'COUNT', '0')), 'ERR syntax error');
    assert.equal(err(c.run('HSCAN', 'h', '0', 'TYPE', 'hash')), 'ERR syntax error');
    assert.equal(err(c.run('HSCAN', 'h', 'abc')), 'ERR invalid cursor');
    assert.equal(err(c.run('HSCAN', 'nokey', 'abc')), 'ERR invalid cursor');
    for (let i = 0; i < 600; i++) c.run('HSET', 'big', `f${i}`, `${i}`);
    const seen = new Map<string, string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, items] = c.run('HSCAN', 'big', cursor, 'COUNT', '50') as [string, string[]];
      for (let i = 0; i < items.length; i += 2) seen.set(items[i]!, items[i + 1]!);
      // Deleting during the scan must not hide fields that stay.
      if (calls === 3) c.run('HDEL', 'big', 'f0', 'f1', 'f2');
      cursor = next;
      calls++;
    } while (cursor !== '0');
    assert.ok(calls > 5);
    for (let i = 3; i < 600; i++) assert.equal(seen.get(`f${i}`), `${i}`);
  });

  it('counts keyspace hits and misses on reads only', () => {
    const stats = h.node.keyspace.stats;
    c.run('HSET', 'h', 'a', '1');
    assert.equal(stats.keyspaceHits + stats.keyspaceMisses, 0);
    c.run('HGET', 'h', 'a');
    c.run('HGET', 'nokey', 'a');
    c.run('HLEN', 'h');
    assert.equal(stats.keyspaceHits, 2);
    assert.equal(stats.keyspaceMisses, 1);
    c.run('HDEL', 'nokey', 'a');
    c.run('HINCRBY', 'h', 'n', '1');
    assert.equal(stats.keyspaceHits, 2);
    assert.equal(stats.keyspaceMisses, 1);
  });

  it('honours expiry and keeps the TTL on update', () => {
    c.run('HSET', 'h', 'a', '1');
    const db = h.node.keyspace.db(0);
    db.setExpire('h', h.node.keyspace.nowMs + 1000);
    c.run('HSET', 'h', 'b', '2');
    assert.equal(db.getExpire('h'), h.node.keyspace.nowMs + 1000);
    h.advance(1001);
    assert.equal(c.run('HGET', 'h', 'a'), null);
    assert.equal(c.run('HLEN', 'h'), 0);
  });

  it('clone is deep', () => {
    c.run('HSET', 'h', 'a', '1');
    const v = hashAt(h, 'h');
    const copy = v.clone();
    v.set('b', '2');
    assert.equal(copy.size, 1);
    assert.equal(copy.bytes < v.bytes, true);
  });
});
