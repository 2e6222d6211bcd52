import assert from 'node:assert/strict';
import { Harness, type TestClient } from '../support/harness.js';
import { RespError, type RespValue } from '../../src/resp/decoder.js';
import { EXPIRE_OVERHEAD_BYTES, KEY_OVERHEAD_BYTES } from '../../src/keyspace/database.js';

function err(v: RespValue | undefined): string {
  assert.ok(v instanceof RespError, `expected an error, got ${JSON.stringify(v)}`);
  return v.message;
}

/** Keyspace events seen by the node, as "class:event:key@db". */
function recordEvents(h: Harness): string[] {
  const seen: string[] = [];
  const ks = h.node.keyspace;
  const inner = ks.events;
  ks.events = {
    keyEvent: (cls, event, key, db) => {
      seen.push(`${cls}:${event}:${key}@${db}`);
      inner.keyEvent(cls, event, key, db);
    },
    keyModified: (db, key) => inner.keyModified(db, key),
    dbFlushed: (db) => inner.dbFlushed(db),
  };
  const node = h.node;
  const notify = node.notify.bind(node);
  node.notify = (cls, event, key, db) => {
    seen.push(`${cls}:${event}:${key}@${db}`);
    notify(cls, event, key, db);
  };
  return seen;
}

describe('generic commands', () => {
  let h: Harness;
  let c: TestClient;
  beforeEach(() => {
    h = new Harness();
    c = h.client();
  });

  describe('DEL, UNLINK, EXISTS, TYPE, TOUCH', () => {
    it('counts deleted and existing keys, with repetition for EXISTS', () => {
      c.run('SET', 'a', '1');
      c.run('SET', 'b', '2');
      assert.equal(c.run('EXISTS', 'a', 'a', 'b', 'nope'), 3);
      assert.equal(c.run('DEL', 'a', 'a', 'nope'), 1);
      assert.equal(c.run('UNLINK', 'b', 'a'), 1);
      assert.equal(c.run('EXISTS', 'a', 'b'), 0);
      assert.equal(err(c.run('DEL')), "ERR wrong number of arguments for 'del' command");
    });

    it('emits del notifications and counts hits and misses on EXISTS', () => {
      const ev = recordEvents(h);
      c.run('SET', 'a', '1');
      const ks = h.node.keyspace;
      const hits = ks.stats.keyspaceHits;
      const misses = ks.stats.keyspaceMisses;
      c.run('EXISTS', 'a', 'zz');
      assert.equal(ks.stats.keyspaceHits, hits + 1);
      assert.equal(ks.stats.keyspaceMisses, misses + 1);
      c.run('DEL', 'a');
      assert.ok(ev.includes('g:del:a@0'));
    });

    it('TYPE names the type, none when missing', () => {
      c.run('SET', 's', 'v');
      assert.equal(c.run('TYPE', 's'), 'string');
      assert.equal(c.run('TYPE', 'nope'), 'none');
    });

    it('TOUCH counts existing keys and resets the idle time', () => {
      c.run('SET', 'a', '1');
      h.advance(10_000);
      assert.equal(c.run('OBJECT', 'IDLETIME', 'a'), 10);
      assert.equal(c.run('TOUCH', 'a', 'a', 'b'), 2);
      assert.equal(c.run('OBJECT', 'IDLETIME', 'a'), 0);
    });
  });

  describe('expiry', () => {
    it('TTL, PTTL, EXPIRETIME, PEXPIRETIME', () => {
      const now = h.node.keyspace.nowMs;
      assert.equal(c.run('TTL', 'k'), -2);
      assert.equal(c.run('PTTL', 'k'), -2);
      assert.equal(c.run('EXPIRETIME', 'k'), -2);
      c.run('SET', 'k', 'v');
      assert.equal(c.run('TTL', 'k'), -1);
      assert.equal(c.run('PEXPIRETIME', 'k'), -1);
      assert.equal(c.run('PEXPIRE', 'k', 1500), 1);
      assert.equal(c.run('PTTL', 'k'), 1500);
      assert.equal(c.run('TTL', 'k'), 2); // (1500 + 500) / 1000: rounds to nearest
      assert.equal(c.run('PEXPIRETIME', 'k'), now + 1500);
      assert.equal(c.run('EXPIRETIME', 'k'), Math.floor((now + 1500 + 500) / 1000));
      h.advance(1001);
      assert.equal(c.run('TTL', 'k'), 0);
      assert.equal(c.run('PTTL', 'k'), 499);
      h.advance(499);
      assert.equal(c.run('PTTL', 'k'), -2);
      assert.equal(c.run('GET', 'k'), null);
    });

    it('an expired key is invisible to every command and fires one expired event', () => {
      const ev = recordEvents(h);
      c.run('SET', 'k', 'v');
      c.run('PEXPIRE', 'k', 10);
      h.advance(10);
      assert.equal(c.run('EXISTS', 'k'), 0);
      assert.equal(c.run('TYPE', 'k'), 'none');
      assert.deepEqual(c.run('KEYS', '*'), []);
      assert.equal(c.run('RANDOMKEY'), null);
      assert.equal(c.run('OBJECT', 'ENCODING', 'k'), null);
      assert.equal(c.run('MEMORY', 'USAGE', 'k'), null);
      assert.equal(err(c.run('RENAME', 'k', 'x')), 'ERR no such key');
      assert.equal(c.run('MOVE', 'k', 1), 0);
      assert.equal(c.run('COPY', 'k', 'y'), 0);
      assert.equal(c.run('PERSIST', 'k'), 0);
      assert.equal(c.run('EXPIRE', 'k', 100), 0);
      assert.equal(c.run('DEL', 'k'), 0);
      assert.equal(ev.filter((e) => e === 'x:expired:k@0').length, 1);
      assert.equal(h.node.keyspace.stats.expiredKeys, 1);
      assert.equal(c.run('DBSIZE'), 0);
    });

    it('KEYS and SCAN hide expired keys that have not been reaped yet', () => {
      c.run('SET', 'a', '1');
      c.run('SET', 'b', '1');
      c.run('PEXPIRE', 'b', 5);
      h.advance(5);
      assert.deepEqual(c.run('KEYS', '*'), ['a']);
      assert.deepEqual(c.run('SCAN', 0, 'COUNT', 100), ['0', ['a']]);
    });

    it('EXPIRE options NX XX GT LT', () => {
      c.run('SET', 'k', 'v');
      assert.equal(c.run('EXPIRE', 'k', 100, 'XX'), 0);
      assert.equal(c.run('EXPIRE', 'k', 100, 'GT'), 0); // no TTL counts as infinite
      assert.equal(c.run('EXPIRE', 'k', 100, 'NX'), 1);
      assert.equal(c.run('EXPIRE', 'k', 200, 'NX'), 0);
      assert.equal(c.run('EXPIRE', 'k', 200, 'xx'), 1);
      assert.equal(c.run('EXPIRE', 'k', 100, 'GT'), 0);
      assert.equal(c.run('EXPIRE', 'k', 300, 'GT'), 1);
      assert.equal(c.run('EXPIRE', 'k', 400, 'LT'), 0);
      assert.equal(c.run('EXPIRE', 'k', 50, 'LT'), 1);
      assert.equal(c.run('TTL', 'k'), 50);
      c.run('PERSIST', 'k');
      assert.equal(c.run('EXPIRE', 'k', 50, 'LT'), 1);
      assert.equal(c.run('TTL', 'k'), 50);
    });

    it('EXPIRE errors are Redis words, options checked before the number', () => {
      c.run('SET', 'a', '1');
      assert.equal(err(c.run('EXPIRE', 'a', 10, 'NX', 'XX')), 'ERR NX and XX, GT or LT options at the same time are not compatible');
      assert.equal(err(c.run('EXPIRE', 'a', 'abc', 'NX', 'GT')), 'ERR NX and XX, GT or LT options at the same time are not compatible');
      assert.equal(err(c.run('EXPIRE', 'a', 10, 'GT', 'LT')), 'ERR GT and LT options at the same time are not compatible');
      assert.equal(err(c.run('EXPIRE', 'a', 10, 'foo')), 'ERR Unsupported option foo');
      assert.equal(err(c.run('EXPIRE', 'a', 'abc')), 'ERR value is not an integer or out of range');
      assert.equal(err(c.run('EXPIRE', 'a', '9223372036854775807')), "ERR invalid expire time in 'expire' command");
      assert.equal(err(c.run('EXPIREAT', 'a', '-9223372036854775807')), "ERR invalid expire time in 'expireat' command");
      assert.equal(err(c.run('PEXPIRE', 'a', '9223372036854775000')), "ERR invalid expire time in 'pexpire' command");
      assert.equal(c.run('PEXPIREAT', 'a', '9223372036854775807'), 1);
      assert.equal(err(c.run('PEXPIRE', 'missing', '9223372036854775000')), "ERR invalid expire time in 'pexpire' command");
    });

    it('a time in the past deletes the key with a del event', () => {
      const ev = recordEvents(h);
      c.run('SET', 'a', '1');
      c.run('SET', 'b', '1');
      assert.equal(c.run('EXPIRE', 'a', -1), 1);
      assert.equal(c.run('PEXPIREAT', 'b', h.node.keyspace.nowMs), 1);
      assert.equal(c.run('EXISTS', 'a', 'b'), 0);
      assert.ok(ev.includes('g:del:a@0'));
      assert.ok(ev.includes('g:del:b@0'));
      assert.ok(!ev.some((e) => e.startsWith('x:')));
      assert.equal(h.node.keyspace.stats.expiredKeys, 0);
    });

    it('EXPIRE emits expire, PERSIST emits persist and clears the TTL', () => {
      const ev = recordEvents(h);
      c.run('SET', 'a', '1');
      assert.equal(c.run('PERSIST', 'a'), 0);
      c.run('EXPIRE', 'a', 10);
      assert.equal(c.run('PERSIST', 'a'), 1);
      assert.equal(c.run('TTL', 'a'), -1);
      assert.equal(c.run('PERSIST', 'nope'), 0);
      assert.deepEqual(
        ev.filter((e) => e.startsWith('g:')),
        ['g:expire:a@0', 'g:persist:a@0'],
      );
    });

    it('SET clears the TTL', () => {
      c.run('SET', 'a', '1');
      c.run('EXPIRE', 'a', 10);
      c.run('SET', 'a', '2');
      assert.equal(c.run('TTL', 'a'), -1);
    });
  });

  describe('RENAME, RENAMENX', () => {
    it('moves the value and TTL, overwriting the destination', () => {
      const ev = recordEvents(h);
      c.run('SET', 'a', '1');
      c.run('SET', 'b', '2');
      c.run('EXPIRE', 'b', 100);
      c.run('EXPIRE', 'a', 50);
      assert.equal(c.run('RENAME', 'a', 'b'), 'OK');
      assert.equal(c.run('GET', 'b'), '1');
      assert.equal(c.run('TTL', 'b'), 50);
      assert.equal(c.run('EXISTS', 'a'), 0);
      assert.deepEqual(
        ev.filter((e) => e.startsWith('g:')).slice(-2),
        ['g:rename_from:a@0', 'g:rename_to:b@0'],
      );
      c.run('SET', 'c', '3');
      assert.equal(c.run('RENAME', 'c', 'b'), 'OK');
      assert.equal(c.run('TTL', 'b'), -1);
    });

    it('keeps the idle time of the renamed object', () => {
      c.run('SET', 'a', '1');
      h.advance(20_000);
      c.run('RENAME', 'a', 'b');
      assert.equal(c.run('OBJECT', 'IDLETIME', 'b'), 20);
    });

    it('same key and missing key cases', () => {
      c.run('SET', 'a', '1');
      assert.equal(c.run('RENAME', 'a', 'a'), 'OK');
      assert.equal(c.run('RENAMENX', 'a', 'a'), 0);
      assert.equal(err(c.run('RENAME', 'nope', 'x')), 'ERR no such key');
      assert.equal(err(c.run('RENAMENX', 'nope', 'nope')), 'ERR no such key');
      c.run('SET', 'b', '2');
      assert.equal(c.run('RENAMENX', 'a', 'b'), 0);
      assert.equal(c.run('GET', 'b'), '2');
      assert.equal(c.run('RENAMENX', 'a', 'c'), 1);
      assert.equal(c.run('GET', 'c'), '1');
    });
  });

  describe('COPY, MOVE, SWAPDB', () => {
    it('COPY copies value and TTL, with DB and REPLACE', () => {
      const ev = recordEvents(h);
      c.run('SET', 'a', 'v');
      c.run('EXPIRE', 'a', 100);
      assert.equal(c.run('COPY', 'a', 'b'), 1);
      assert.equal(c.run('GET', 'b'), 'v');
      assert.equal(c.run('TTL', 'b'), 100);
      c.run('SET', 'c', 'other');
      assert.equal(c.run('COPY', 'a', 'c'), 0);
      assert.equal(c.run('COPY', 'a', 'c', 'REPLACE'), 1);
      assert.equal(c.run('GET', 'c'), 'v');
      assert.equal(c.run('COPY', 'a', 'a', 'DB', 3), 1);
      assert.ok(ev.includes('g:copy_to:a@3'));
      c.run('SELECT', 3);
      assert.equal(c.run('GET', 'a'), 'v');
      assert.equal(c.run('COPY', 'nope', 'x'), 0);
    });

    it('COPY errors', () => {
      c.run('SET', 'a', '1');
      assert.equal(err(c.run('COPY', 'a', 'a')), 'ERR source and destination objects are the same');
      assert.equal(err(c.run('COPY', 'a', 'b', 'DB', 99)), 'ERR DB index is out of range');
      assert.equal(err(c.run('COPY', 'a', 'b', 'DB', 'x')), 'ERR value is not an integer or out of range');
      assert.equal(err(c.run('COPY', 'a', 'b', 'foo')), 'ERR syntax error');
      assert.equal(err(c.run('COPY', 'a', 'b', 'DB')), 'ERR syntax error');
    });

    it('COPY of a mutated string is independent of the source', () => {
      c.run('SET', 'a', 'hello');
      c.run('APPEND', 'a', ' world');
      c.run('COPY', 'a', 'b');
      c.run('SETRANGE', 'a', 0, 'J');
      assert.equal(c.run('GET', 'b'), 'hello world');
      assert.equal(c.run('GET', 'a'), 'Jello world');
    });

    it('MOVE moves key and TTL, refuses existing targets', () => {
      const ev = recordEvents(h);
      c.run('SET', 'a', '1');
      c.run('EXPIRE', 'a', 100);
      assert.equal(c.run('MOVE', 'a', 1), 1);
      assert.equal(c.run('EXISTS', 'a'), 0);
      assert.deepEqual(ev.slice(-2), ['g:move_from:a@0', 'g:move_to:a@1']);
      c.run('SELECT', 1);
      assert.equal(c.run('TTL', 'a'), 100);
      c.run('SELECT', 0);
      c.run('SET', 'a', '2');
      assert.equal(c.run('MOVE', 'a', 1), 0);
      assert.equal(c.run('MOVE', 'nope', 1), 0);
      assert.equal(err(c.run('MOVE', 'a', 0)), 'ERR source and destination objects are the same');
      assert.equal(err(c.run('MOVE', 'a', 99)), 'ERR DB index is out of range');
      assert.equal(err(c.run('MOVE', 'a', 'x')), 'ERR value is not an integer or out of range');
      assert.equal(err(c.run('MOVE', 'a', '4294967296')), 'ERR value is not an integer or out of range');
    });

    it('SWAPDB swaps contents under connected clients', () => {
      const other = h.client();
      c.run('SET', 'a', 'db0');
      other.run('SELECT', 1);
      other.run('SET', 'b', 'db1');
      other.run('EXPIRE', 'b', 100);
      assert.equal(c.run('SWAPDB', 0, 1), 'OK');
      assert.equal(c.run('GET', 'b'), 'db1');
      assert.equal(c.run('TTL', 'b'), 100);
      assert.equal(other.run('GET', 'a'), 'db0');
      assert.equal(c.run('SWAPDB', 0, 0), 'OK');
      assert.equal(err(c.run('SWAPDB', 'x', 1)), 'ERR invalid first DB index');
      assert.equal(err(c.run('SWAPDB', 0, 'y')), 'ERR invalid second DB index');
      assert.equal(err(c.run('SWAPDB', 0, 99)), 'ERR DB index is out of range');
    });

    it('SWAPDB dirties WATCHers of both databases', () => {
      c.run('SET', 'a', '1');
      c.run('WATCH', 'a');
      h.client().run('SWAPDB', 0, 5);
      c.run('MULTI');
      c.run('PING');
      assert.equal(c.run('EXEC'), null);
    });
  });

  describe('KEYS, SCAN, RANDOMKEY, DBSIZE, FLUSHDB, FLUSHALL', () => {
    it('KEYS with glob patterns', () => {
      for (const k of ['hello', 'hallo', 'hxllo', 'world']) c.run('SET', k, '1');
      assert.deepEqual((c.run('KEYS', 'h?llo') as string[]).sort(), ['hallo', 'hello', 'hxllo']);
      assert.deepEqual((c.run('KEYS', 'h[ae]llo') as string[]).sort(), ['hallo', 'hello']);
      assert.deepEqual((c.run('KEYS', '*') as string[]).length, 4);
      assert.deepEqual(c.run('KEYS', 'nomatch*'), []);
    });

    it('SCAN walks everything with MATCH, COUNT and TYPE', () => {
      for (let i = 0; i < 100; i++) c.run('SET', `k${i}`, '1');
      c.run('HSET', 'h', 'f', 'v');
      const seen = new Set<string>();
      let cursor = '0';
      let calls = 0;
      do {
        const r = c.run('SCAN', cursor, 'COUNT', 7) as [string, string[]];
        cursor = r[0];
        for (const k of r[1]) seen.add(k);
        calls++;
      } while (cursor !== '0');
      assert.equal(seen.size, 101);
      assert.equal(calls, Math.ceil(101 / 7));
      const typed = c.run('SCAN', 0, 'COUNT', 1000, 'TYPE', 'HASH') as [string, string[]];
      assert.deepEqual(typed, ['0', ['h']]);
      const matched = c.run('SCAN', 0, 'COUNT', 1000, 'MATCH', 'k1?') as [string, string[]];
      assert.equal(matched[1].length, 10);
      assert.deepEqual(c.run('SCAN', 0, 'TYPE', 'nosuchtype', 'COUNT', 1000), ['0', []]);
    });

    it('SCAN errors', () => {
      assert.equal(err(c.run('SCAN', 'abc')), 'ERR invalid cursor');
      assert.equal(err(c.run('SCAN', 0, 'COUNT', 0)), 'ERR syntax error');
      assert.equal(err(c.run('SCAN', 0, 'COUNT', 'x')), 'ERR value is not an integer or out of range');
      assert.equal(err(c.run('SCAN', 0, 'foo')), 'ERR syntax error');
    });

    it('RANDOMKEY and DBSIZE', () => {
      assert.equal(c.run('RANDOMKEY'), null);
      assert.equal(c.run('DBSIZE'), 0);
      c.run('SET', 'a', '1');
      c.run('SET', 'b', '1');
      assert.equal(c.run('DBSIZE'), 2);
      const seen = new Set<RespValue | undefined>();
      for (let i = 0; i < 50; i++) seen.add(c.run('RANDOMKEY'));
      assert.deepEqual([...seen].sort(), ['a', 'b']);
    });

    it('RANDOMKEY never returns an expired key, even when nearly all are', () => {
      for (let i = 0; i < 500; i++) {
        c.run('SET', `e${i}`, '1');
        c.run('PEXPIRE', `e${i}`, 10);
      }
      c.run('SET', 'live', '1');
      h.advance(10);
      for (let i = 0; i < 5; i++) assert.equal(c.run('RANDOMKEY'), 'live');
      c.run('DEL', 'live');
      assert.equal(c.run('RANDOMKEY'), null);
    });

    it('FLUSHDB and FLUSHALL with their modes', () => {
      c.run('SET', 'a', '1');
      c.run('SELECT', 2);
      c.run('SET', 'b', '1');
      assert.equal(c.run('FLUSHDB', 'ASYNC'), 'OK');
      assert.equal(c.run('DBSIZE'), 0);
      c.run('SELECT', 0);
      assert.equal(c.run('DBSIZE'), 1);
      assert.equal(err(c.run('FLUSHALL', 'foo')), 'ERR syntax error');
      assert.equal(err(c.run('FLUSHALL', 'ASYNC', 'SYNC')), 'ERR syntax error');
      assert.equal(c.run('FLUSHALL', 'sync'), 'OK');
      assert.equal(c.run('DBSIZE'), 0);
      assert.equal(h.node.keyspace.dataBytes, 0);
    });
  });

  describe('OBJECT', () => {
    it('ENCODING, REFCOUNT and missing keys', () => {
      c.run('SET', 'i', '123');
      c.run('SET', 'big', '123456');
      c.run('SET', 's', 'hello');
      c.run('SET', 'r', 'x'.repeat(45));
      assert.equal(c.run('OBJECT', 'ENCODING', 'i'), 'int');
      assert.equal(c.run('OBJECT', 'ENCODING', 's'), 'embstr');
      assert.equal(c.run('OBJECT', 'ENCODING', 'r'), 'raw');
      assert.equal(c.run('OBJECT', 'REFCOUNT', 'i'), 2147483647);
      assert.equal(c.run('OBJECT', 'REFCOUNT', 'big'), 1);
      assert.equal(c.run('OBJECT', 'REFCOUNT', 's'), 1);
      assert.equal(c.run('OBJECT', 'ENCODING', 'nope'), null);
      assert.equal(c.run('OBJECT', 'FREQ', 'nope'), null);
      c.run('HSET', 'h', 'f', 'v');
      assert.equal(c.run('OBJECT', 'ENCODING', 'h'), 'listpack');
    });

    it('FREQ only under LFU, IDLETIME only without it', () => {
      c.run('SET', 'a', 'x');
      assert.equal(
        err(c.run('OBJECT', 'FREQ', 'a')),
        'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      );
      c.run('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
      assert.equal(
        err(c.run('OBJECT', 'IDLETIME', 'a')),
        'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      );
      c.run('SET', 'b', 'x');
      assert.equal(c.run('OBJECT', 'FREQ', 'b'), 5);
      c.run('GET', 'b');
      assert.equal(c.run('OBJECT', 'FREQ', 'b'), 6); // the first hits always count
      h.advance(3 * 60_000);
      assert.equal(c.run('OBJECT', 'FREQ', 'b'), 3); // one point per lfu-decay-time minute
    });

    it('HELP and errors', () => {
      const help = c.run('OBJECT', 'HELP') as string[];
      assert.equal(help[0], 'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
      assert.equal(help[help.length - 1], '    Prints this help.');
      assert.equal(help.length, 15);
      assert.equal(err(c.run('OBJECT')), "ERR wrong number of arguments for 'object' command");
      assert.equal(err(c.run('OBJECT', 'foo')), "ERR unknown subcommand 'foo'. Try OBJECT HELP.");
      assert.equal(err(c.run('OBJECT', 'ENCODING')), "ERR wrong number of arguments for 'object|encoding' command");
    });
  });

  describe('MEMORY', () => {
    it('USAGE answers from the accounting, SAMPLES validated', () => {
      c.run('SET', 'a', 'x'.repeat(100));
      const u = c.run('MEMORY', 'USAGE', 'a') as number;
      assert.equal(u, h.node.keyspace.db(0).bytesOf('a'));
      assert.ok(u > 100 && u < 300, `usage ${u}`);
      assert.equal(c.run('MEMORY', 'USAGE', 'a', 'SAMPLES', 0), u);
      assert.equal(c.run('MEMORY', 'USAGE', 'nope'), null);
      assert.equal(err(c.run('MEMORY', 'USAGE', 'a', 'SAMPLES', 'x')), 'ERR value is not an integer or out of range');
      assert.equal(err(c.run('MEMORY', 'USAGE', 'a', 'SAMPLES')), 'ERR syntax error');
      assert.equal(err(c.run('MEMORY', 'USAGE', 'a', 'SAMPLES', -1)), 'ERR syntax error');
      assert.equal(err(c.run('MEMORY', 'USAGE', 'a', 'foo', 1)), 'ERR syntax error');
    });

    it('STATS reports the accounting', () => {
      c.run('SET', 'a', '1');
      c.run('EXPIRE', 'a', 100);
      const st = c.run('MEMORY', 'STATS') as unknown[];
      const get = (name: string): unknown => st[st.indexOf(name) + 1];
      assert.equal(get('total.allocated'), h.node.usedMemory());
      assert.equal(get('startup.allocated'), 876064);
      assert.equal(get('keys.count'), 1);
      assert.deepEqual(get('db.0'), ['overhead.hashtable.main', KEY_OVERHEAD_BYTES, 'overhead.hashtable.expires', EXPIRE_OVERHEAD_BYTES, 'overhead.hashtable.slot-to-keys', 0]);
      assert.equal(st.indexOf('db.1'), -1);
    });

    it('DOCTOR, MALLOC-STATS, PURGE, HELP', () => {
      assert.match(String(c.run('MEMORY', 'DOCTOR')), /^Hi Sam, this instance is empty/);
      for (let i = 0; i < 150; i++) c.run('SET', `big${i}`, 'x'.repeat(100_000));
      assert.match(String(c.run('MEMORY', 'DOCTOR')), /^Hi Sam, I can't find any memory issue/);
      for (let i = 0; i < 80; i++) c.run('DEL', `big${i}`);
      assert.match(String(c.run('MEMORY', 'DOCTOR')), /^Sam, I detected a few issues[\s\S]*Peak memory/);
      assert.equal(c.run('MEMORY', 'PURGE'), 'OK');
      assert.equal(c.run('MEMORY', 'MALLOC-STATS'), 'Stats not supported for the current allocator');
      const help = c.run('MEMORY', 'HELP') as string[];
      assert.equal(help[0], 'MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
      assert.equal(help.length, 14);
    });
  });
});
