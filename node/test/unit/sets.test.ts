import assert from 'node:assert/strict';
import { Harness, type TestClient } from '../support/harness.js';
import { RespError, RespSet } from '../../src/resp/decoder.js';
import { SetValue } from '../../src/keyspace/types/set.js';

function err(v: unknown): string {
  assert.ok(v instanceof RespError, `expected an error, got ${JSON.stringify(v)}`);
  return v.message;
}

function setAt(h: Harness, key: string): SetValue {
  const v = h.node.keyspace.db(0).peek(key, h.node.keyspace.nowMs);
  assert.ok(v instanceof SetValue);
  return v;
}

function recordEvents(h: Harness): string[] {
  const events: string[] = [];
  h.node.notify = (cls, event, key) => {
    events.push(`${cls}:${event}:${key}`);
  };
  return events;
}

function sorted(v: unknown): string[] {
  assert.ok(Array.isArray(v), `expected an array, got ${JSON.stringify(v)}`);
  return [...(v as string[])].sort();
}

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

describe('sets', () => {
  let h: Harness;
  let c: TestClient;
  beforeEach(() => {
    h = new Harness({ seed: 11 });
    c = h.client();
  });

  it('SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS', () => {
    const events = recordEvents(h);
    assert.equal(c.run('SADD', 's', '3', '1', '2'), 3);
    assert.equal(c.run('SADD', 's', '2', '4'), 1);
    assert.equal(c.run('SADD', 's', '2'), 0);
    // An intset replies in numeric order.
    assert.deepEqual(c.run('SMEMBERS', 's'), ['1', '2', '3', '4']);
    assert.equal(c.run('SCARD', 's'), 4);
    assert.equal(c.run('SCARD', 'nokey'), 0);
    assert.equal(c.run('SISMEMBER', 's', '1'), 1);
    assert.equal(c.run('SISMEMBER', 's', '9'), 0);
    assert.equal(c.run('SISMEMBER', 'nokey', '1'), 0);
    assert.deepEqual(c.run('SMISMEMBER', 's', '1', '9', '2'), [1, 0, 1]);
    assert.deepEqual(c.run('SMISMEMBER', 'nokey', '1'), [0]);
    assert.deepEqual(c.run('SMEMBERS', 'nokey'), []);
    assert.equal(c.run('SREM', 's', '9'), 0);
    assert.equal(c.run('SREM', 's', '1', '9', '1'), 1);
    assert.equal(c.run('SREM', 'nokey', 'a'), 0);
    assert.equal(c.run('SREM', 's', '2', '3', '4'), 3);
    assert.equal(h.node.keyspace.db(0).size, 0);
    assert.deepEqual(events, ['s:sadd:s', 's:sadd:s', 's:srem:s', 's:srem:s', 'g:del:s']);
    c.run('HELLO', '3');
    c.run('SADD', 's', 'x');
    const r = c.run('SMEMBERS', 's');
    assert.ok(r instanceof RespSet);
    assert.deepEqual(r.items, ['x']);
  });

  it('refuses other types with WRONGTYPE', () => {
    c.run('SET', 'str', 'v');
    c.run('SADD', 's', 'a');
    for (const cmd of [
      ['SADD', 'str', 'a'],
      ['SREM', 'str', 'a'],
      ['SCARD', 'str'],
      ['SMEMBERS', 'str'],
      ['SPOP', 'str'],
      ['SPOP', 'str', '2'],
      ['SRANDMEMBER', 'str'],
      ['SMOVE', 's', 'str', 'a'],
      ['SMOVE', 'str', 's', 'a'],
      // Every key is type-checked, even after a missing one.
      ['SINTER', 'nokey', 'str'],
      ['SINTERSTORE', 'd', 'nokey', 'str'],
      ['SINTERCARD', '2', 'nokey', 'str'],
      ['SUNION', 's', 'str'],
      ['SDIFF', 'nokey', 'str'],
      ['SSCAN', 'str', '0'],
    ]) {
      assert.equal(err(c.run(...cmd)), WRONGTYPE, cmd.join(' '));
    }
    assert.deepEqual(c.run('SMEMBERS', 's'), ['a']);
  });

  it('SINTER, SUNION, SDIFF and their STORE forms', () => {
    const events = recordEvents(h);
    c.run('SADD', 's', '2', '3', '4');
    c.run('SADD', 't', '3', '4', '5', 'a');
    assert.deepEqual(c.run('SINTER', 's', 't'), ['3', '4']);
    assert.deepEqual(c.run('SINTER', 's', 'nokey'), []);
    assert.deepEqual(sorted(c.run('SUNION', 's', 't', 'nokey')), ['2', '3', '4', '5', 'a']);
    assert.deepEqual(c.run('SDIFF', 's', 't'), ['2']);
    assert.deepEqual(sorted(c.run('SDIFF', 't', 's', 'nokey')), ['5', 'a']);
    assert.deepEqual(c.run('SDIFF', 'nokey', 's'), []);
    c.run('SADD', 'n1', '10', '-5', '300', '7');
    c.run('SADD', 'n2', '7', '-5', '9223372036854775807', '-9223372036854775808');
    assert.deepEqual(c.run('SUNION', 'n1', 'n2'), ['-9223372036854775808', '-5', '7', '10', '300', '9223372036854775807']);
    events.length = 0;
    assert.equal(c.run('SINTERSTORE', 'd', 's', 't'), 2);
    assert.deepEqual(c.run('SMEMBERS', 'd'), ['3', '4']);
    assert.equal(setAt(h, 'd').encoding(), 'intset');
    assert.equal(c.run('SUNIONSTORE', 'd', 's', 't'), 5);
    assert.equal(setAt(h, 'd').encoding(), 'hashtable');
    assert.equal(c.run('SDIFFSTORE', 'd', 't', 's'), 2);
    assert.equal(c.run('SINTERSTORE', 'd', 's', 'nokey'), 0);
    assert.equal(c.run('SDIFFSTORE', 'gone', 's', 's'), 0);
    assert.deepEqual(events, ['s:sinterstore:d', 's:sunionstore:d', 's:sdiffstore:d', 'g:del:d']);
    assert.equal(h.node.keyspace.db(0).exists('d', 0), false);
    // A source may be the destination; the old TTL is dropped.
    const db = h.node.keyspace.db(0);
    db.setExpire('s', h.node.keyspace.nowMs + 5000);
    assert.equal(c.run('SUNIONSTORE', 's', 's', 't'), 5);
    assert.equal(db.getExpire('s'), undefined);
  });

  it('SINTERCARD: LIMIT and errors', () => {
    c.run('SADD', 'a', '1', '2', '3', '4');
    c.run('SADD', 'b', '2', '3', '4', '5');
    assert.equal(c.run('SINTERCARD', '2', 'a', 'b'), 3);
    assert.equal(c.run('SINTERCARD', '2', 'a', 'b', 'LIMIT', '0'), 3);
    assert.equal(c.run('SINTERCARD', '2', 'a', 'b', 'limit', '2'), 2);
    assert.equal(c.run('SINTERCARD', '2', 'a', 'nokey'), 0);
    assert.equal(c.run('SINTERCARD', '1', 'a'), 4);
    assert.equal(err(c.run('SINTERCARD', '0', 'a')), 'ERR numkeys should be greater than 0');
    assert.equal(err(c.run('SINTERCARD', 'x', 'a')), 'ERR numkeys should be greater than 0');
    assert.equal(err(c.run('SINTERCARD', '3', 'a', 'b')), "ERR Number of keys can't be greater than number of args");
    assert.equal(err(c.run('SINTERCARD', '1', 'a', 'LIMIT', '-1')), "ERR LIMIT can't be negative");
    assert.equal(err(c.run('SINTERCARD', '1', 'a', 'LIMIT', 'x')), "ERR LIMIT can't be negative");
    assert.equal(err(c.run('SINTERCARD', '1', 'a', 'LIMIT')), 'ERR syntax error');
    assert.equal(err(c.run('SINTERCARD', '1', 'a', 'foo')), 'ERR syntax error');
    const spec = h.node.registry.lookup('sintercard')!.spec;
    assert.deepEqual(spec.keys.find?.(['sintercard', '2', 'a', 'b', 'LIMIT', '1']), [2, 3]);
    assert.deepEqual(spec.keys.find?.(['sintercard', 'x', 'a']), []);
  });

  it('SMOVE', () => {
    const events = recordEvents(h);
    c.run('SADD', 's', '1', '2');
    c.run('SADD', 't', '2');
    events.length = 0;
    assert.equal(c.run('SMOVE', 's', 't', '2'), 1);
    assert.equal(c.run('SMOVE', 's', 't', '2'), 0);
    assert.equal(c.run('SMOVE', 'nokey', 't', '2'), 0);
    assert.equal(c.run('SMOVE', 's', 's', '1'), 1);
    assert.equal(c.run('SMOVE', 's', 's', '9'), 0);
    assert.equal(c.run('SMOVE', 's', 'new', '1'), 1);
    assert.equal(h.node.keyspace.db(0).exists('s', 0), false);
    assert.deepEqual(c.run('SMEMBERS', 'new'), ['1']);
    assert.deepEqual(c.run('SMEMBERS', 't'), ['2']);
    assert.deepEqual(events, ['s:srem:s', 's:srem:s', 'g:del:s', 's:sadd:new']);
  });

  it('SRANDMEMBER', () => {
    c.run('SADD', 's', 'a', 'b', 'c');
    assert.ok(['a', 'b', 'c'].includes(c.run('SRANDMEMBER', 's') as string));
    assert.equal(c.run('SRANDMEMBER', 'nokey'), null);
    assert.deepEqual(c.run('SRANDMEMBER', 'nokey', '3'), []);
    assert.deepEqual(c.run('SRANDMEMBER', 's', '0'), []);
    assert.deepEqual(sorted(c.run('SRANDMEMBER', 's', '10')), ['a', 'b', 'c']);
    const two = c.run('SRANDMEMBER', 's', '2') as string[];
    assert.equal(new Set(two).size, 2);
    const rep = c.run('SRANDMEMBER', 's', '-10') as string[];
    assert.equal(rep.length, 10);
    assert.equal(err(c.run('SRANDMEMBER', 's', '1', '2')), 'ERR syntax error');
    assert.equal(err(c.run('SRANDMEMBER', 's', 'x')), 'ERR value is not an integer or out of range');
    assert.equal(
      err(c.run('SRANDMEMBER', 's', '-9223372036854775808')),
      'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
    );
    // RESP3: still an array, not a set.
    c.run('HELLO', '3');
    assert.ok(Array.isArray(c.run('SRANDMEMBER', 's', '2')));
    for (let i = 0; i < 200; i++) c.run('SADD', 'big', `m${i}`);
    for (const n of [10, 100, 190]) assert.equal(new Set(c.run('SRANDMEMBER', 'big', String(n)) as string[]).size, n);
  });

  it('SPOP with and without count', () => {
    const events = recordEvents(h);
    assert.equal(c.run('SPOP', 'nokey'), null);
    assert.deepEqual(c.run('SPOP', 'nokey', '3'), []);
    c.run('SADD', 's', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');
    assert.deepEqual(c.run('SPOP', 's', '0'), []);
    assert.equal(err(c.run('SPOP', 's', '-1')), 'ERR value is out of range, must be positive');
    assert.equal(err(c.run('SPOP', 's', 'abc')), 'ERR value is out of range, must be positive');
    assert.equal(err(c.run('SPOP', 's', '1', '2')), 'ERR syntax error');
    const one = c.run('SPOP', 's') as string;
    assert.equal(c.run('SISMEMBER', 's', one), 0);
    const two = c.run('SPOP', 's', '2') as string[];
    assert.equal(new Set(two).size, 2);
    const rest = c.run('SPOP', 's', '6') as string[];
    assert.equal(rest.length, 6);
    assert.equal(c.run('SCARD', 's'), 1);
    const all = new Set([one, ...two, ...rest, ...(c.run('SMEMBERS', 's') as string[])]);
    assert.equal(all.size, 10);
    assert.equal((c.run('SPOP', 's', '5') as string[]).length, 1);
    assert.equal(h.node.keyspace.db(0).size, 0);
    assert.deepEqual(events.slice(-2), ['s:spop:s', 'g:del:s']);
    c.run('HELLO', '3');
    c.run('SADD', 's', 'x', 'y');
    const r = c.run('SPOP', 's', '1');
    assert.ok(r instanceof RespSet);
    assert.ok(c.run('SPOP', 'nokey', '1') instanceof RespSet);
  });

  it('encodings: intset limits, canonical integers, SPOP rebuild back to intset', () => {
    c.run('SADD', 'i', '1', '-2', '9223372036854775807');
    assert.equal(setAt(h, 'i').encoding(), 'intset');
    c.run('SADD', 'z', '01');
    assert.equal(setAt(h, 'z').encoding(), 'hashtable');
    c.run('SADD', 'o', '9223372036854775808');
    assert.equal(setAt(h, 'o').encoding(), 'hashtable');
    for (let i = 0; i < 512; i++) c.run('SADD', 'many', String(i));
    assert.equal(setAt(h, 'many').encoding(), 'intset');
    c.run('SADD', 'many', '512');
    assert.equal(setAt(h, 'many').encoding(), 'hashtable');
    c.run('SREM', 'many', '512');
    assert.equal(setAt(h, 'many').encoding(), 'hashtable');
    c.run('SADD', 'mix', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'x');
    c.run('SREM', 'mix', 'x');
    assert.equal(setAt(h, 'mix').encoding(), 'hashtable');
    // Popping nearly everything rebuilds the set from what stays, as Redis does.
    c.run('SPOP', 'mix', '9');
    assert.equal(setAt(h, 'mix').encoding(), 'intset');
    c.run('SADD', 'm', '5');
    c.run('SMOVE', 'mix', 'm2', 'zz');
    c.run('SADD', 'src', 'x');
    c.run('SMOVE', 'src', 'm3', 'x');
    assert.equal(setAt(h, 'm3').encoding(), 'hashtable');
  });

  it('SSCAN: whole intset at once in order; cursor walk of a hashtable', () => {
    c.run('SADD', 'n', '3', '2', '1', '10');
    assert.deepEqual(c.run('SSCAN', 'n', '0', 'COUNT', '1'), ['0', ['1', '2', '3', '10']]);
    assert.deepEqual(c.run('SSCAN', 'n', '0', 'MATCH', '1*'), ['0', ['1', '10']]);
    assert.deepEqual(c.run('SSCAN', 'nokey', '0', 'COUNT', '0'), ['0', []]);
    assert.equal(err(c.run('SSCAN', 'n', '0', 'TYPE', 'set')), 'ERR syntax error');
    assert.equal(err(c.run('SSCAN', 'n', 'x')), 'ERR invalid cursor');
    for (let i = 0; i < 300; i++) c.run('SADD', 'big', `m${i}`);
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, items] = c.run('SSCAN', 'big', cursor, 'COUNT', '20') as [string, string[]];
      for (const m of items) seen.add(m);
      if (calls === 2) c.run('SREM', 'big', 'm0', 'm1');
      cursor = next;
      calls++;
    } while (cursor !== '0');
    assert.ok(calls >= 10);
    for (let i = 2; i < 300; i++) assert.ok(seen.has(`m${i}`), `m${i}`);
  });

  it('counts hits and misses on reads only, and tracks bytes', () => {
    const stats = h.node.keyspace.stats;
    c.run('SADD', 's', 'a');
    c.run('SPOP', 'nokey');
    assert.equal(stats.keyspaceHits + stats.keyspaceMisses, 0);
    c.run('SISMEMBER', 's', 'a');
    c.run('SINTER', 's', 'nokey');
    assert.equal(stats.keyspaceHits, 2);
    assert.equal(stats.keyspaceMisses, 1);
    const v = setAt(h, 's');
    const b = v.bytes;
    c.run('SADD', 's', 'x'.repeat(500));
    assert.ok(v.bytes >= b + 500);
    c.run('SREM', 's', 'x'.repeat(500));
    assert.equal(v.bytes, b);
    const copy = v.clone();
    v.add('q');
    assert.equal(copy.size, 1);
  });
});
