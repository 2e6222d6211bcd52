import assert from 'node:assert/strict';
import { Harness, type TestClient } from '../support/harness.js';
import { RespDouble, RespError, type RespValue } from '../../src/resp/decoder.js';
import { SetValue } from '../../src/keyspace/types/set.js';
import { ZSetValue } from '../../src/keyspace/types/zset.js';

function err(v: RespValue | undefined): string {
  assert.ok(v instanceof RespError, `expected an error, got ${JSON.stringify(v)}`);
  return v.message;
}

/** RESP3 doubles as their text, so pair replies compare as plain arrays. */
function plain(v: RespValue | undefined): unknown {
  if (v instanceof RespDouble) return v.text;
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

function setup(): { h: Harness; c: TestClient; events: string[] } {
  const h = new Harness({ seed: 7 });
  const c = h.client();
  const events: string[] = [];
  // Observe keyspace notifications where commands raise them.
  const node = h.node;
  const original = node.notify.bind(node);
  node.notify = (cls: string, event: string, key: string, db: number): void => {
    events.push(`${cls}:${event}:${key}`);
    original(cls, event, key, db);
  };
  return { h, c, events };
}

describe('sorted sets', () => {
  describe('ZADD / ZINCRBY', () => {
    it('adds, updates and reports per flags', () => {
      const { c, events } = setup();
      assert.equal(c.run('ZADD', 'z', '1', 'a', '2', 'b'), 2);
      assert.deepEqual(events, ['z:zadd:z']);
      assert.equal(c.run('ZADD', 'z', '1', 'a'), 0);
      assert.equal(c.run('ZADD', 'z', 'CH', '5', 'a', '3', 'c'), 2);
      assert.equal(c.run('ZADD', 'z', 'NX', '100', 'a', '4', 'd'), 1);
      assert.equal(c.run('ZSCORE', 'z', 'a'), '5');
      assert.equal(c.run('ZADD', 'z', 'XX', 'CH', '6', 'a', '9', 'new'), 1);
      assert.equal(c.run('ZSCORE', 'z', 'new'), null);
      assert.equal(c.run('ZADD', 'z', 'GT', 'CH', '1', 'a', '10', 'b'), 1);
      assert.equal(c.run('ZADD', 'z', 'LT', 'CH', '0', 'a', '20', 'b'), 1);
      assert.deepEqual(c.run('ZRANGE', 'z', '0', '-1', 'WITHSCORES'), ['a', '0', 'c', '3', 'd', '4', 'b', '10']);
      // GT/LT never stop new members.
      assert.equal(c.run('ZADD', 'z', 'GT', '-5', 'e'), 1);
      // XX on a missing key creates nothing.
      assert.equal(c.run('ZADD', 'nokey', 'XX', '1', 'a'), 0);
      assert.equal(c.run('EXISTS', 'nokey'), 0);
    });

    it('INCR replies the new score, or nil when a flag stopped it', () => {
      const { c, events } = setup();
      assert.equal(c.run('ZADD', 'z', 'INCR', '1.5', 'a'), '1.5');
      assert.equal(c.run('ZADD', 'z', 'INCR', '1', 'a'), '2.5');
      assert.equal(c.run('ZADD', 'z', 'XX', 'INCR', '1', 'zz'), null);
      assert.equal(c.run('ZADD', 'z', 'NX', 'INCR', '1', 'a'), null);
      assert.equal(c.run('ZADD', 'z', 'GT', 'INCR', '-5', 'a'), null);
      assert.equal(c.run('ZADD', 'z', 'INCR', 'inf', 'a'), 'inf');
      assert.equal(err(c.run('ZADD', 'z', 'INCR', '-inf', 'a')), 'ERR resulting score is not a number (NaN)');
      assert.equal(c.run('ZSCORE', 'z', 'a'), 'inf');
      assert.equal(c.run('ZINCRBY', 'z', '2', 'b'), '2');
      assert.equal(c.run('ZINCRBY', 'z', '-0.5', 'b'), '1.5');
      assert.equal(err(c.run('ZINCRBY', 'z', '-inf', 'a')), 'ERR resulting score is not a number (NaN)');
      assert.equal(err(c.run('ZINCRBY', 'z', 'abc', 'a')), 'ERR value is not a valid float');
      assert.deepEqual(events, ['z:zincr:z', 'z:zincr:z', 'z:zincr:z', 'z:zincr:z', 'z:zincr:z']);
    });

    it('refuses bad options with Redis errors and changes nothing', () => {
      const { c } = setup();
      assert.equal(err(c.run('ZADD', 'z', 'XX', 'NX', '1', 'a')), 'ERR XX and NX options at the same time are not compatible');
      assert.equal(err(c.run('ZADD', 'z', 'GT', 'LT', '1', 'a')), 'ERR GT, LT, and/or NX options at the same time are not compatible');
      assert.equal(err(c.run('ZADD', 'z', 'GT', 'NX', '1', 'a')), 'ERR GT, LT, and/or NX options at the same time are not compatible');
      assert.equal(err(c.run('ZADD', 'z', 'NX', 'XX', 'GT', '1', 'a')), 'ERR XX and NX options at the same time are not compatible');
      assert.equal(err(c.run('ZADD', 'z', 'INCR', '1', 'a', '2', 'b')), 'ERR INCR option supports a single increment-element pair');
      assert.equal(err(c.run('ZADD', 'z', '1', 'a', '2')), 'ERR syntax error');
      assert.equal(err(c.run('ZADD', 'z', 'LT', '1')), 'ERR syntax error');
      assert.equal(err(c.run('ZADD', 'z', '1')), "ERR wrong number of arguments for 'zadd' command");
      assert.equal(err(c.run('ZADD', 'z', '1', 'a', 'nan', 'b')), 'ERR value is not a valid float');
      assert.equal(err(c.run('ZADD', 'z', '1', 'a', '1e400', 'b')), 'ERR value is not a valid float');
      assert.equal(err(c.run('ZADD', 'z', '1e-400', 'a')), 'ERR value is not a valid float'); // underflow, as strtod's ERANGE
      assert.equal(err(c.run('ZUNION', '1', 'z', 'WEIGHTS', '1e400')), 'ERR weight value is not a float');
      assert.equal(c.run('EXISTS', 'z'), 0);
      c.run('SET', 's', 'x');
      assert.equal(err(c.run('ZADD', 's', '1', 'a')), 'WRONGTYPE Operation against a key holding the wrong kind of value');
      // Scores are checked before the type (Redis parses them first).
      assert.equal(err(c.run('ZADD', 's', 'x', 'a')), 'ERR value is not a valid float');
    });

    it('formats scores as Redis 7.0 does (%.17g), checked against redis-server 7.0.15', () => {
      const { c } = setup();
      c.run('ZADD', 'z', '1.1', 'a', '3.5e20', 'b', '0.1', 'c', '1.5e-7', 'd', '12345678901234567890', 'e', '-inf', 'f');
      assert.equal(c.run('ZSCORE', 'z', 'a'), '1.1000000000000001');
      assert.deepEqual(c.run('ZRANGE', 'z', '0', '-1', 'WITHSCORES'), [
        'f', '-inf', 'd', '1.4999999999999999e-07', 'c', '0.10000000000000001', 'a', '1.1000000000000001',
        'e', '1.2345678901234567e+19', 'b', '3.5e+20',
      ]);
      // An exact tie at the 18th digit rounds half to even, like printf.
      c.run('ZADD', 'z', '1432228088.37890625', 't');
      assert.equal(c.run('ZSCORE', 'z', 't'), '1432228088.3789062');
    });

    it('keeps -0 only outside the listpack encoding, as Redis does', () => {
      const { c } = setup();
      c.run('ZADD', 'lp', '-0.0', 'a');
      assert.equal(c.run('ZSCORE', 'lp', 'a'), '0');
      const long = 'x'.repeat(70);
      c.run('ZADD', 'sk', '-0.0', long);
      assert.equal(c.run('OBJECT', 'ENCODING', 'sk'), 'skiplist');
      assert.equal(c.run('ZSCORE', 'sk', long), '-0');
    });
  });

  describe('encoding', () => {
    it('converts to skiplist past the listpack limits and never back', () => {
      const { c, h } = setup();
      h.config.set('zset-max-listpack-entries', '3');
      c.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
      assert.equal(c.run('OBJECT', 'ENCODING', 'z'), 'listpack');
      c.run('ZADD', 'z', '4', 'd');
      assert.equal(c.run('OBJECT', 'ENCODING', 'z'), 'skiplist');
      c.run('ZREM', 'z', 'd', 'c');
      assert.equal(c.run('OBJECT', 'ENCODING', 'z'), 'skiplist');
      // A store result is re-encoded for its own size.
      c.run('ZUNIONSTORE', 'd', '1', 'z');
      assert.equal(c.run('OBJECT', 'ENCODING', 'd'), 'listpack');
      c.run('ZADD', 'long', '1', 'y'.repeat(65));
      assert.equal(c.run('OBJECT', 'ENCODING', 'long'), 'skiplist');
    });
  });

  describe('ZREM / ZCARD / ZSCORE / ZMSCORE / ZRANK', () => {
    it('removes members and deletes the emptied key', () => {
      const { c, events } = setup();
      c.run('ZADD', 'z', '1', 'a', '2', 'b');
      events.length = 0;
      assert.equal(c.run('ZREM', 'z', 'a', 'nope'), 1);
      assert.equal(c.run('ZREM', 'z', 'nope'), 0);
      assert.equal(c.run('ZREM', 'z', 'b', 'a'), 1);
      assert.equal(c.run('EXISTS', 'z'), 0);
      assert.deepEqual(events, ['z:zrem:z', 'z:zrem:z', 'g:del:z']);
      assert.equal(c.run('ZREM', 'z', 'a'), 0);
    });

    it('answers reads on missing keys and wrong types', () => {
      const { c } = setup();
      c.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
      c.run('SET', 's', 'x');
      assert.equal(c.run('ZCARD', 'z'), 3);
      assert.equal(c.run('ZCARD', 'nokey'), 0);
      assert.equal(c.run('ZSCORE', 'z', 'nope'), null);
      assert.deepEqual(c.run('ZMSCORE', 'z', 'a', 'nope', 'c'), ['1', null, '3']);
      assert.deepEqual(c.run('ZMSCORE', 'nokey', 'a', 'b'), [null, null]);
      assert.equal(c.run('ZRANK', 'z', 'c'), 2);
      assert.equal(c.run('ZREVRANK', 'z', 'c'), 0);
      assert.equal(c.run('ZRANK', 'z', 'nope'), null);
      assert.equal(c.run('ZRANK', 'nokey', 'a'), null);
      assert.equal(err(c.run('ZREVRANK', 'z', 'a', 'WITHSCORE')), "ERR wrong number of arguments for 'zrevrank' command");
      for (const cmd of [['ZCARD', 's'], ['ZSCORE', 's', 'a'], ['ZMSCORE', 's', 'a'], ['ZRANK', 's', 'a'], ['ZREM', 's', 'a']]) {
        assert.equal(err(c.run(...cmd)), 'WRONGTYPE Operation against a key holding the wrong kind of value');
      }
    });

    it('counts keyspace hits and misses for reads only', () => {
      const { c, h } = setup();
      const stats = h.node.keyspace.stats;
      c.run('ZADD', 'z', '1', 'a');
      const hits = stats.keyspaceHits;
      const misses = stats.keyspaceMisses;
      c.run('ZSCORE', 'z', 'a');
      c.run('ZSCORE', 'nokey', 'a');
      c.run('ZADD', 'z', '2', 'b');
      assert.equal(stats.keyspaceHits, hits + 1);
      assert.equal(stats.keyspaceMisses, misses + 1);
    });
  });

  describe('ranges', () => {
    function filled(): TestClient {
      const { c } = setup();
      c.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e');
      return c;
    }

    it('ZRANGE by rank, with REV and out-of-range indexes', () => {
      const c = filled();
      assert.deepEqual(c.run('ZRANGE', 'z', '0', '-1'), ['a', 'b', 'c', 'd', 'e']);
      assert.deepEqual(c.run('ZRANGE', 'z', '-2', '100'), ['d', 'e']);
      assert.deepEqual(c.run('ZRANGE', 'z', '-100', '1'), ['a', 'b']);
      assert.deepEqual(c.run('ZRANGE', 'z', '3', '1'), []);
      assert.deepEqual(c.run('ZRANGE', 'z', '5', '10'), []);
      assert.deepEqual(c.run('ZRANGE', 'z', '1', '3', 'REV'), ['d', 'c', 'b']);
      assert.deepEqual(c.run('ZREVRANGE', 'z', '0', '1', 'WITHSCORES'), ['e', '5', 'd', '4']);
      assert.deepEqual(c.run('ZRANGE', 'nokey', '0', '-1'), []);
      // LIMIT 0 -1 is Redis's default and passes unnoticed with a rank range.
      assert.deepEqual(c.run('ZRANGE', 'z', '0', '0', 'LIMIT', '0', '-1'), ['a']);
    });

    it('ZRANGE BYSCORE with exclusive bounds, infinities and LIMIT', () => {
      const c = filled();
      assert.deepEqual(c.run('ZRANGE', 'z', '(1', '3', 'BYSCORE'), ['b', 'c']);
      assert.deepEqual(c.run('ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '2', 'WITHSCORES'), ['b', '2', 'c', '3']);
      assert.deepEqual(c.run('ZRANGE', 'z', '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', '1', '2'), ['d', 'c']);
      assert.deepEqual(c.run('ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '-1'), ['b', 'c', 'd', 'e']);
      assert.deepEqual(c.run('ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '-1', '2'), []);
      assert.deepEqual(c.run('ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '0'), []);
      assert.deepEqual(c.run('ZRANGE', 'z', '(1', '(1', 'BYSCORE'), []);
      assert.deepEqual(c.run('ZRANGEBYSCORE', 'z', '(', '(5'), ['a', 'b', 'c', 'd']); // "(" alone reads as 0
      assert.deepEqual(c.run('ZRANGEBYSCORE', 'z', ' 4', '+inf'), ['d', 'e']); // strtod skips leading spaces
      assert.deepEqual(c.run('ZREVRANGEBYSCORE', 'z', '5', '(3', 'WITHSCORES'), ['e', '5', 'd', '4']);
      assert.equal(c.run('ZCOUNT', 'z', '(1', '3'), 2);
      assert.equal(c.run('ZCOUNT', 'z', '', ''), 0);
      // Ranges use plain strtod: overflow reads as infinity.
      assert.equal(c.run('ZCOUNT', 'z', '-1e400', '1e400'), 5);
      assert.equal(c.run('ZCOUNT', 'nokey', '-inf', '+inf'), 0);
    });

    it('ZRANGE BYLEX and ZLEXCOUNT', () => {
      const { c } = setup();
      c.run('ZADD', 'l', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e');
      assert.deepEqual(c.run('ZRANGE', 'l', '[b', '(d', 'BYLEX'), ['b', 'c']);
      assert.deepEqual(c.run('ZRANGE', 'l', '+', '-', 'BYLEX', 'REV', 'LIMIT', '1', '2'), ['d', 'c']);
      assert.deepEqual(c.run('ZRANGEBYLEX', 'l', '-', '+'), ['a', 'b', 'c', 'd', 'e']);
      assert.deepEqual(c.run('ZREVRANGEBYLEX', 'l', '(c', '-'), ['b', 'a']);
      assert.deepEqual(c.run('ZRANGEBYLEX', 'l', '-', '-'), []);
      assert.deepEqual(c.run('ZRANGEBYLEX', 'l', '+', '-'), []);
      assert.equal(c.run('ZLEXCOUNT', 'l', '[b', '+'), 4);
      assert.equal(c.run('ZLEXCOUNT', 'l', '(e', '+'), 0);
    });

    it('refuses bad range arguments with Redis errors', () => {
      const c = filled();
      assert.equal(err(c.run('ZRANGE', 'z', '0', '-1', 'LIMIT', '0', '1')), 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
      assert.equal(err(c.run('ZRANGE', 'z', '[a', '[b', 'BYLEX', 'WITHSCORES')), 'ERR syntax error, WITHSCORES not supported in combination with BYLEX');
      assert.equal(err(c.run('ZRANGE', 'z', '0', '1', 'BYLEX')), 'ERR min or max not valid string range item');
      assert.equal(err(c.run('ZRANGE', 'z', 'x', 'y', 'BYSCORE')), 'ERR min or max is not a float');
      assert.equal(err(c.run('ZRANGE', 'z', '(1', '+inf', 'BYSCORE', 'LIMIT', '0')), 'ERR syntax error');
      assert.equal(err(c.run('ZRANGE', 'z', '1', '2', 'REV', 'BYLEX', 'BYSCORE')), 'ERR syntax error');
      assert.equal(err(c.run('ZRANGE', 'z', '0', 'x')), 'ERR value is not an integer or out of range');
      assert.equal(err(c.run('ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', 'a', 'b')), 'ERR value is not an integer or out of range');
      assert.equal(err(c.run('ZRANGEBYSCORE', 'z', '-inf', '+inf', 'BYSCORE')), 'ERR syntax error');
      assert.equal(err(c.run('ZREVRANGE', 'z', '0', '1', 'REV')), 'ERR syntax error');
      assert.equal(err(c.run('ZCOUNT', 'z', 'nan', '5')), 'ERR min or max is not a float');
      assert.equal(err(c.run('ZCOUNT', 'z', '  ', '5')), 'ERR min or max is not a float');
      assert.equal(err(c.run('ZCOUNT', 'z', '1', '5 ')), 'ERR min or max is not a float');
      assert.equal(err(c.run('ZLEXCOUNT', 'z', 'a', 'b')), 'ERR min or max not valid string range item');
      assert.equal(err(c.run('ZRANGEBYLEX', 'z', '+a', '+')), 'ERR min or max not valid string range item');
      // The range is checked before the key.
      assert.equal(err(c.run('ZRANGE', 'nokey', '0', '1', 'BYLEX')), 'ERR min or max not valid string range item');
      c.run('SET', 's', 'x');
      assert.equal(err(c.run('ZRANGE', 's', '0', '1')), 'WRONGTYPE Operation against a key holding the wrong kind of value');
    });

    it('ZRANGESTORE stores, drops the TTL, and deletes on an empty result', () => {
      const { c, h, events } = setup();
      c.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
      c.run('SET', 'd', 'old');
      h.node.keyspace.db(0).setExpire('d', h.node.keyspace.nowMs + 100000);
      events.length = 0;
      assert.equal(c.run('ZRANGESTORE', 'd', 'z', '1', '-1'), 2);
      assert.deepEqual(c.run('ZRANGE', 'd', '0', '-1', 'WITHSCORES'), ['b', '2', 'c', '3']);
      assert.equal(c.run('TTL', 'd'), -1);
      assert.equal(c.run('ZRANGESTORE', 'd', 'z', '(1', '2', 'BYSCORE'), 1);
      assert.equal(c.run('ZRANGESTORE', 'd', 'z', '+', '[b', 'BYLEX', 'REV'), 2);
      assert.deepEqual(c.run('ZRANGE', 'd', '0', '-1'), ['b', 'c']);
      assert.equal(c.run('ZRANGESTORE', 'd', 'z', '5', '10'), 0);
      assert.equal(c.run('EXISTS', 'd'), 0);
      assert.equal(c.run('ZRANGESTORE', 'd', 'nokey', '0', '-1'), 0);
      assert.deepEqual(events, ['z:zrangestore:d', 'z:zrangestore:d', 'z:zrangestore:d', 'g:del:d']);
      assert.equal(err(c.run('ZRANGESTORE', 'd', 'z', '0', '-1', 'WITHSCORES')), 'ERR syntax error');
    });

    it('replies [member, score] pairs with WITHSCORES in RESP3', () => {
      const c = filled();
      c.session.resp = 3;
      const r = c.run('ZRANGE', 'z', '0', '1', 'WITHSCORES');
      assert.deepEqual(plain(r), [['a', '1'], ['b', '2']]);
      assert.ok(Array.isArray(r) && Array.isArray(r[0]) && r[0][1] instanceof RespDouble);
      assert.deepEqual(plain(c.run('ZRANGEBYSCORE', 'z', '4', '+inf', 'WITHSCORES')), [['d', '4'], ['e', '5']]);
      assert.deepEqual(c.run('ZRANGE', 'z', '0', '1'), ['a', 'b']);
      assert.ok(c.run('ZSCORE', 'z', 'a') instanceof RespDouble);
      assert.equal(c.run('ZSCORE', 'z', 'nope'), null);
    });
  });

  describe('ZREMRANGEBY*', () => {
    it('removes by rank, score and lex, with events and key deletion', () => {
      const { c, events } = setup();
      c.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f');
      events.length = 0;
      assert.equal(c.run('ZREMRANGEBYRANK', 'z', '0', '1'), 2);
      assert.equal(c.run('ZREMRANGEBYRANK', 'z', '10', '20'), 0);
      assert.equal(c.run('ZREMRANGEBYSCORE', 'z', '(3', '4'), 1);
      assert.deepEqual(c.run('ZRANGE', 'z', '0', '-1'), ['c', 'e', 'f']);
      assert.equal(c.run('ZREMRANGEBYLEX', 'z', '-', '+'), 3);
      assert.equal(c.run('EXISTS', 'z'), 0);
      assert.deepEqual(events, ['z:zremrangebyrank:z', 'z:zremrangebyscore:z', 'z:zremrangebylex:z', 'g:del:z']);
      assert.equal(c.run('ZREMRANGEBYRANK', 'z', '0', '-1'), 0);
      assert.equal(err(c.run('ZREMRANGEBYRANK', 'z', 'a', '1')), 'ERR value is not an integer or out of range');
      assert.equal(err(c.run('ZREMRANGEBYSCORE', 'z', 'a', '1')), 'ERR min or max is not a float');
      assert.equal(err(c.run('ZREMRANGEBYLEX', 'z', 'a', 'b')), 'ERR min or max not valid string range item');
    });
  });

  describe('set operations', () => {
    function two(): { c: TestClient; h: Harness; events: string[] } {
      const t = setup();
      t.c.run('ZADD', 'z1', '1', 'a', '2', 'b', '3', 'c');
      t.c.run('ZADD', 'z2', '10', 'b', '20', 'c', '30', 'd');
      return t;
    }

    it('ZUNION / ZINTER / ZDIFF with WEIGHTS and AGGREGATE', () => {
      const { c } = two();
      assert.deepEqual(c.run('ZUNION', '2', 'z1', 'z2', 'WITHSCORES'), ['a', '1', 'b', '12', 'c', '23', 'd', '30']);
      assert.deepEqual(c.run('ZUNION', '2', 'z1', 'z2', 'WEIGHTS', '2', '0.5', 'AGGREGATE', 'MAX', 'WITHSCORES'), ['a', '2', 'b', '5', 'c', '10', 'd', '15']);
      assert.deepEqual(c.run('ZINTER', '2', 'z1', 'z2', 'AGGREGATE', 'MIN', 'WITHSCORES'), ['b', '2', 'c', '3']);
      assert.deepEqual(c.run('ZINTER', '2', 'z1', 'z2'), ['b', 'c']);
      assert.deepEqual(c.run('ZDIFF', '2', 'z1', 'z2', 'WITHSCORES'), ['a', '1']);
      assert.deepEqual(c.run('ZINTER', '2', 'z1', 'nokey'), []);
      assert.deepEqual(c.run('ZDIFF', '1', 'nokey'), []);
      assert.equal(c.run('ZINTERCARD', '2', 'z1', 'z2'), 2);
      assert.equal(c.run('ZINTERCARD', '2', 'z1', 'z2', 'LIMIT', '1'), 1);
      assert.equal(c.run('ZINTERCARD', '2', 'z1', 'z2', 'LIMIT', '0'), 2);
    });

    it('follows Redis on inf * 0 and inf - inf (cross-checked with redis-server)', () => {
      const { c } = setup();
      c.run('ZADD', 'a', '45', 'zz', '1', 'x', '2', 'y');
      c.run('ZADD', 'b', '0', 'zz', '1', 'x', '5', 'y');
      assert.deepEqual(c.run('ZINTER', '3', 'a', 'b', 'b', 'WEIGHTS', '2.5', 'inf', '1', 'AGGREGATE', 'SUM', 'WITHSCORES'), ['zz', '0', 'x', 'inf', 'y', 'inf']);
      c.run('ZADD', 'i1', 'inf', 'p', '-inf', 'q');
      c.run('ZADD', 'i2', '-inf', 'p', 'inf', 'q');
      assert.deepEqual(c.run('ZUNION', '2', 'i1', 'i2', 'WITHSCORES'), ['p', '0', 'q', '0']);
      assert.deepEqual(c.run('ZUNION', '2', 'i1', 'i2', 'WEIGHTS', '0', '1', 'WITHSCORES'), ['p', '-inf', 'q', 'inf']);
      // Float sums depend on the order sources are visited (smallest first).
      c.run('ZADD', 'f1', '0.1', 'a');
      c.run('ZADD', 'f2', '0.2', 'a');
      c.run('ZADD', 'f3', '0.3', 'a', '1', 'b');
      assert.deepEqual(c.run('ZUNION', '3', 'f3', 'f2', 'f1', 'WITHSCORES'), ['a', '0.60000000000000009', 'b', '1']);
    });

    it('accepts plain sets as inputs with score 1', () => {
      const { c, h } = two();
      const set = new SetValue();
      for (const m of ['a', 'd', 'e']) set.add(m);
      h.node.keyspace.db(0).set('s', set);
      assert.deepEqual(c.run('ZUNION', '2', 'z1', 's', 'WITHSCORES'), ['d', '1', 'e', '1', 'a', '2', 'b', '2', 'c', '3']);
      assert.deepEqual(c.run('ZINTER', '2', 's', 'z2', 'WEIGHTS', '5', '1', 'WITHSCORES'), ['d', '35']);
      assert.deepEqual(c.run('ZDIFF', '2', 's', 'z1', 'WITHSCORES'), ['d', '1', 'e', '1']);
      assert.equal(c.run('ZINTERCARD', '2', 's', 'z1'), 1);
    });

    it('STORE forms store, replace and delete with events', () => {
      const { c, events } = two();
      events.length = 0;
      assert.equal(c.run('ZUNIONSTORE', 'd', '2', 'z1', 'z2'), 4);
      assert.deepEqual(c.run('ZRANGE', 'd', '0', '-1', 'WITHSCORES'), ['a', '1', 'b', '12', 'c', '23', 'd', '30']);
      assert.equal(c.run('ZINTERSTORE', 'd', '2', 'z1', 'z2', 'WEIGHTS', '1', '0'), 2);
      assert.deepEqual(c.run('ZRANGE', 'd', '0', '-1', 'WITHSCORES'), ['b', '2', 'c', '3']);
      assert.equal(c.run('ZDIFFSTORE', 'd', '2', 'z1', 'z1'), 0);
      assert.equal(c.run('EXISTS', 'd'), 0);
      assert.equal(c.run('ZUNIONSTORE', 'z1', '2', 'z1', 'z2'), 4); // a source may be the destination
      assert.deepEqual(events, ['z:zunionstore:d', 'z:zinterstore:d', 'g:del:d', 'z:zunionstore:z1']);
    });

    it('refuses bad arguments with Redis errors, the type before the options', () => {
      const { c } = two();
      c.run('SET', 'str', 'x');
      assert.equal(err(c.run('ZUNION', '0', 'z1')), "ERR at least 1 input key is needed for 'zunion' command");
      assert.equal(err(c.run('ZUNIONSTORE', 'd', '0', 'z1')), "ERR at least 1 input key is needed for 'zunionstore' command");
      assert.equal(err(c.run('ZINTERCARD', '0', 'z1')), "ERR at least 1 input key is needed for 'zintercard' command");
      assert.equal(err(c.run('ZUNION', 'x', 'z1')), 'ERR value is not an integer or out of range');
      assert.equal(err(c.run('ZUNION', '2', 'z1')), 'ERR syntax error');
      assert.equal(err(c.run('ZUNION', '1', 'z1', 'WEIGHTS')), 'ERR syntax error');
      assert.equal(err(c.run('ZUNION', '1', 'z1', 'WEIGHTS', 'x')), 'ERR weight value is not a float');
      assert.equal(err(c.run('ZUNION', '1', 'z1', 'AGGREGATE', 'foo')), 'ERR syntax error');
      assert.equal(err(c.run('ZDIFF', '1', 'z1', 'WEIGHTS', '1')), 'ERR syntax error');
      assert.equal(err(c.run('ZUNIONSTORE', 'd', '1', 'z1', 'WITHSCORES')), 'ERR syntax error');
      assert.equal(err(c.run('ZINTERCARD', '1', 'z1', 'LIMIT', '-1')), "ERR LIMIT can't be negative");
      assert.equal(err(c.run('ZINTERCARD', '1', 'z1', 'WITHSCORES')), 'ERR syntax error');
      assert.equal(err(c.run('ZUNION', '2', 'str', 'z1', 'WEIGHTS', 'x')), 'WRONGTYPE Operation against a key holding the wrong kind of value');
    });

    it('declares where the keys are', () => {
      const { h } = two();
      const reg = h.node.registry;
      const keysOf = (args: string[]): number[] => {
        const spec = reg.lookup(args[0]!)!.spec;
        return spec.keys.find!(args);
      };
      assert.deepEqual(keysOf(['zunion', '2', 'a', 'b', 'WEIGHTS', '1', '2']), [2, 3]);
      assert.deepEqual(keysOf(['zunionstore', 'd', '2', 'a', 'b']), [1, 3, 4]);
      assert.deepEqual(keysOf(['zmpop', '1', 'a', 'MIN']), [2]);
      assert.deepEqual(keysOf(['bzmpop', '0', '2', 'a', 'b', 'MIN']), [3, 4]);
      assert.deepEqual(keysOf(['zintercard', 'x', 'a']), []);
    });
  });

  describe('pops', () => {
    it('ZPOPMIN / ZPOPMAX in RESP2 and RESP3 shapes', () => {
      const { c, events } = setup();
      c.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
      events.length = 0;
      assert.deepEqual(c.run('ZPOPMIN', 'z'), ['a', '1']);
      assert.deepEqual(c.run('ZPOPMAX', 'z', '2'), ['d', '4', 'c', '3']);
      assert.deepEqual(c.run('ZPOPMIN', 'z', '0'), []);
      c.session.resp = 3;
      c.run('ZADD', 'z', '5', 'e');
      assert.deepEqual(plain(c.run('ZPOPMIN', 'z')), ['b', '2']);
      assert.deepEqual(plain(c.run('ZPOPMIN', 'z', '5')), [['e', '5']]);
      assert.equal(c.run('EXISTS', 'z'), 0);
      assert.deepEqual(c.run('ZPOPMIN', 'z'), []);
      assert.deepEqual(events, ['z:zpopmin:z', 'z:zpopmax:z', 'z:zadd:z', 'z:zpopmin:z', 'z:zpopmin:z', 'g:del:z']);
      c.run('SET', 's', 'x');
      assert.equal(err(c.run('ZPOPMIN', 's', '0')), 'WRONGTYPE Operation against a key holding the wrong kind of value');
      assert.equal(err(c.run('ZPOPMIN', 'z', '-1')), 'ERR value is out of range, must be positive');
      assert.equal(err(c.run('ZPOPMIN', 'z', 'x')), 'ERR value is out of range, must be positive');
    });

    it('ZMPOP picks the first non-empty key and nests the reply', () => {
      const { c } = setup();
      c.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
      assert.deepEqual(c.run('ZMPOP', '2', 'nokey', 'z', 'MAX', 'COUNT', '2'), ['z', [['c', '3'], ['b', '2']]]);
      assert.deepEqual(c.run('ZMPOP', '1', 'z', 'MIN'), ['z', [['a', '1']]]);
      assert.equal(c.run('ZMPOP', '1', 'z', 'MIN'), null);
      c.session.resp = 3;
      c.run('ZADD', 'z', '1.5', 'a');
      assert.deepEqual(plain(c.run('ZMPOP', '1', 'z', 'MIN')), ['z', [['a', '1.5']]]);
      assert.equal(c.run('ZMPOP', '1', 'z', 'MIN'), null);
      assert.equal(err(c.run('ZMPOP', '0', 'z', 'MIN')), 'ERR numkeys should be greater than 0');
      assert.equal(err(c.run('ZMPOP', 'x', 'z', 'MIN')), 'ERR numkeys should be greater than 0');
      assert.equal(err(c.run('ZMPOP', '5', 'z', 'MIN')), 'ERR syntax error');
      assert.equal(err(c.run('ZMPOP', '1', 'z', 'foo')), 'ERR syntax error');
      assert.equal(err(c.run('ZMPOP', '1', 'z', 'MIN', 'COUNT', '0')), 'ERR count should be greater than 0');
      assert.equal(err(c.run('ZMPOP', '1', 'z', 'MIN', 'COUNT', '1', 'COUNT', '2')), 'ERR syntax error');
      c.run('SET', 's', 'x');
      assert.equal(err(c.run('ZMPOP', '2', 's', 'z', 'MIN')), 'WRONGTYPE Operation against a key holding the wrong kind of value');
    });
  });

  describe('blocking pops', () => {
    it('pops at once when a key has members', () => {
      const { c } = setup();
      c.run('ZADD', 'z', '1', 'a', '2', 'b');
      assert.deepEqual(c.run('BZPOPMIN', 'nokey', 'z', '0'), ['z', 'a', '1']);
      assert.deepEqual(c.run('BZPOPMAX', 'z', '0'), ['z', 'b', '2']);
      c.run('ZADD', 'z', '1', 'a', '2', 'b');
      assert.deepEqual(c.run('BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '5'), ['z', [['a', '1'], ['b', '2']]]);
    });

    it('blocks, is served by a later ZADD, and times out on the virtual clock', () => {
      const { h, c } = setup();
      const waiter = h.client();
      assert.equal(waiter.run('BZPOPMIN', 'z1', 'z2', '0'), undefined);
      assert.notEqual(waiter.session.blocked, null);
      c.run('ZADD', 'z2', '5', 'x', '6', 'y');
      assert.deepEqual(waiter.pending().pop(), ['z2', 'x', '5']);
      assert.deepEqual(c.run('ZRANGE', 'z2', '0', '-1'), ['y']);

      const m = h.client();
      m.session.resp = 3;
      assert.equal(m.run('BZMPOP', '0', '1', 'q', 'MAX', 'COUNT', '2'), undefined);
      c.run('ZADD', 'q', '1', 'a', '2', 'b', '3', 'c');
      assert.deepEqual(plain(m.pending().pop()), ['q', [['c', '3'], ['b', '2']]]);

      const t = h.client();
      assert.equal(t.run('BZPOPMAX', 'nothing', '1.5'), undefined);
      h.advance(1000);
      assert.deepEqual(t.pending(), []);
      h.advance(600);
      assert.deepEqual(t.pending(), [null]);
    });

    it('stays blocked when the key gets another type', () => {
      const { h, c } = setup();
      const waiter = h.client();
      assert.equal(waiter.run('BZPOPMIN', 'k', '0'), undefined);
      c.run('SET', 'k', 'str');
      assert.deepEqual(waiter.pending(), []);
      c.run('DEL', 'k');
      c.run('ZADD', 'k', '1', 'm');
      assert.deepEqual(waiter.pending().pop(), ['k', 'm', '1']);
      assert.equal(c.run('EXISTS', 'k'), 0);
    });

    it('answers as on timeout inside MULTI/EXEC', () => {
      const { c } = setup();
      c.run('MULTI');
      c.run('BZPOPMIN', 'nokey', '0');
      c.run('BZMPOP', '0', '1', 'nokey', 'MIN');
      assert.deepEqual(c.run('EXEC'), [null, null]);
    });

    it('refuses bad timeouts and wrong types', () => {
      const { c } = setup();
      c.run('SET', 's', 'x');
      assert.equal(err(c.run('BZPOPMIN', 'z', '-1')), 'ERR timeout is negative');
      assert.equal(err(c.run('BZPOPMIN', 'z', 'x')), 'ERR timeout is not a float or out of range');
      assert.equal(err(c.run('BZPOPMIN', 'z', '1e30')), 'ERR timeout is negative');
      assert.equal(err(c.run('BZPOPMIN', 's', 'x')), 'ERR timeout is not a float or out of range');
      assert.equal(err(c.run('BZPOPMIN', 'nokey', 's', '0')), 'WRONGTYPE Operation against a key holding the wrong kind of value');
      // BZMPOP checks numkeys and MIN/MAX before the timeout.
      assert.equal(err(c.run('BZMPOP', 'x', '0', 'z', 'MIN')), 'ERR numkeys should be greater than 0');
      assert.equal(err(c.run('BZMPOP', '-1', '1', 'z', 'foo')), 'ERR syntax error');
      assert.equal(err(c.run('BZMPOP', 'x', '1', 'z', 'MIN')), 'ERR timeout is not a float or out of range');
    });
  });

  describe('ZRANDMEMBER', () => {
    it('returns members, distinct for a positive count, repeated for a negative one', () => {
      const { c } = setup();
      const members = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
      c.run('ZADD', 'z', ...members.flatMap((m, i) => [String(i), m]));
      const one = c.run('ZRANDMEMBER', 'z');
      assert.ok(typeof one === 'string' && members.includes(one));
      for (const n of [1, 2, 4, 9]) {
        const r = c.run('ZRANDMEMBER', 'z', String(n)) as string[];
        assert.equal(r.length, n);
        assert.equal(new Set(r).size, n);
        for (const m of r) assert.ok(members.includes(m));
      }
      // The whole set, highest first, as Redis walks a listpack.
      assert.deepEqual(c.run('ZRANDMEMBER', 'z', '100'), [...members].reverse());
      const rep = c.run('ZRANDMEMBER', 'z', '-30') as string[];
      assert.equal(rep.length, 30);
      assert.ok(new Set(rep).size < 30);
      const ws = c.run('ZRANDMEMBER', 'z', '-3', 'WITHSCORES') as string[];
      assert.equal(ws.length, 6);
      for (let i = 0; i < 6; i += 2) assert.equal(ws[i + 1], String(members.indexOf(ws[i]!)));
      c.session.resp = 3;
      const pairs = plain(c.run('ZRANDMEMBER', 'z', '2', 'WITHSCORES')) as string[][];
      assert.equal(pairs.length, 2);
      for (const [m, sc] of pairs) assert.equal(sc, String(members.indexOf(m!)));
    });

    it('handles missing keys, zero and bad counts like Redis', () => {
      const { c } = setup();
      c.run('ZADD', 'z', '1', 'a');
      assert.equal(c.run('ZRANDMEMBER', 'nokey'), null);
      assert.deepEqual(c.run('ZRANDMEMBER', 'nokey', '5'), []);
      assert.deepEqual(c.run('ZRANDMEMBER', 'z', '0'), []);
      assert.equal(err(c.run('ZRANDMEMBER', 'z', 'x')), 'ERR value is not an integer or out of range');
      assert.equal(err(c.run('ZRANDMEMBER', 'z', '-0')), 'ERR value is not an integer or out of range');
      assert.equal(err(c.run('ZRANDMEMBER', 'z', '1', 'foo')), 'ERR syntax error');
      assert.equal(err(c.run('ZRANDMEMBER', 'z', '-9223372036854775808')), 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
      assert.equal(err(c.run('ZRANDMEMBER', 'z', '9223372036854775807', 'WITHSCORES')), 'ERR value is out of range');
    });
  });

  describe('ZSCAN', () => {
    it('returns a listpack whole with cursor 0, filtered by MATCH', () => {
      const { c } = setup();
      c.run('ZADD', 'z', '2', 'b', '1', 'a', '1.5', 'ab');
      assert.deepEqual(c.run('ZSCAN', 'z', '0'), ['0', ['a', '1', 'ab', '1.5', 'b', '2']]);
      assert.deepEqual(c.run('ZSCAN', 'z', '123', 'MATCH', 'a*', 'COUNT', '1'), ['0', ['a', '1', 'ab', '1.5']]);
      assert.deepEqual(c.run('ZSCAN', 'nokey', '0', 'FOO'), ['0', []]); // options are read after the key
      assert.equal(err(c.run('ZSCAN', 'z', 'x')), 'ERR invalid cursor');
      assert.equal(err(c.run('ZSCAN', 'z', '0', 'COUNT', '0')), 'ERR syntax error');
      assert.equal(err(c.run('ZSCAN', 'z', '0', 'TYPE', 'zset')), 'ERR syntax error');
    });

    it('walks a skiplist in steps and returns every member', () => {
      const { c } = setup();
      const n = 300;
      const args: string[] = [];
      for (let i = 0; i < n; i++) args.push(String(i), `m${i}`);
      c.run('ZADD', 'z', ...args);
      assert.equal(c.run('OBJECT', 'ENCODING', 'z'), 'skiplist');
      const seen = new Map<string, string>();
      let cursor = '0';
      let calls = 0;
      do {
        const [next, items] = c.run('ZSCAN', 'z', cursor, 'COUNT', '50') as [string, string[]];
        for (let i = 0; i < items.length; i += 2) seen.set(items[i]!, items[i + 1]!);
        cursor = next;
        calls++;
      } while (cursor !== '0' && calls < 100);
      assert.ok(calls > 2);
      assert.equal(seen.size, n);
      assert.equal(seen.get('m42'), '42');
    });
  });

  describe('value', () => {
    it('clones deep and reports its type', () => {
      const z = new ZSetValue();
      z.set('a', 1);
      const c = z.clone();
      c.set('b', 2);
      assert.equal(z.size, 1);
      assert.equal(c.size, 2);
      assert.equal(z.type, 'zset');
    });
  });
});
