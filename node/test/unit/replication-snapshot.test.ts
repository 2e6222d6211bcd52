import assert from 'node:assert/strict';
import { Harness, parseAll, type TestClient } from '../support/harness.js';
import { KeyspaceSnapshot, ELEMENTS_PER_COMMAND } from '../../src/replication/snapshot.js';

/** Every key of every database with type, TTL and content, as a comparable value. */
function dump(h: Harness, c: TestClient): unknown[] {
  const out: unknown[] = [];
  for (let db = 0; db < h.node.keyspace.dbs.length; db++) {
    c.run('SELECT', db);
    const keys = (c.run('KEYS', '*') as string[]).sort();
    for (const k of keys) {
      const type = c.run('TYPE', k);
      let v: unknown;
      if (type === 'string') v = c.run('GET', k);
      else if (type === 'list') v = c.run('LRANGE', k, 0, -1);
      else if (type === 'hash') v = (c.run('HGETALL', k) as string[]).join(',');
      else if (type === 'set') v = (c.run('SMEMBERS', k) as string[]).sort();
      else v = c.run('ZRANGE', k, 0, -1, 'WITHSCORES');
      out.push([db, k, type, c.run('PEXPIRETIME', k), v]);
    }
  }
  c.run('SELECT', 0);
  return out;
}

function load(chunks: Buffer[]): { h: Harness; c: TestClient } {
  const h = new Harness();
  const c = h.client();
  for (const cmd of parseAll(chunks).commands) h.node.dispatcher.execute(c.session, cmd);
  h.writer.take();
  return { h, c };
}

describe('replication snapshot', () => {
  it('recreates every type, TTL and database, splitting large values', () => {
    const h = new Harness();
    const c = h.client();
    c.run('SET', 's', 'plain');
    c.run('SET', 'bin', '\u0000\u00ff\r\n');
    c.run('SETRANGE', 'buf', 3, 'xyz'); // a Buffer-backed value
    c.run('SET', 't', 'v', 'PX', 5000);
    c.run('RPUSH', 'biglist', ...Array.from({ length: ELEMENTS_PER_COMMAND * 2 + 7 }, (_, i) => `e${i}`));
    c.run('HSET', 'bighash', ...Array.from({ length: 1200 }, (_, i) => [`f${i}`, `v${i}`]).flat());
    c.run('SADD', 'ints', '1', '2', '3');
    c.run('SADD', 'bigset', ...Array.from({ length: 700 }, (_, i) => `m${i}`));
    c.run('ZADD', 'z', '1.5', 'a', '-inf', 'b', 'inf', 'c', '0.1', 'd', '1e300', 'e');
    c.run('SELECT', 5);
    c.run('SET', 'in5', 'five');
    c.run('SELECT', 0);
    const snap = new KeyspaceSnapshot(h.node.keyspace.dbs);
    const chunks: Buffer[] = [];
    for (let b = snap.nextChunk(4096); b !== null; b = snap.nextChunk(4096)) chunks.push(b);
    assert.ok(chunks.length > 5, 'streamed in several chunks');
    assert.equal(snap.keyCount, 10);
    const replica = load(chunks);
    assert.deepEqual(dump(replica.h, replica.c), dump(h, c));
  });

  it('is a point-in-time copy: later writes do not leak into it', () => {
    const h = new Harness();
    const c = h.client();
    c.run('RPUSH', 'l', 'a', 'b');
    c.run('SETRANGE', 'buf', 0, 'abc');
    c.run('SET', 'gone', 'x');
    const before = dump(h, c);
    const snap = new KeyspaceSnapshot(h.node.keyspace.dbs);
    c.run('RPUSH', 'l', 'c');
    c.run('SETRANGE', 'buf', 1, 'Z'); // in-place mutation of a Buffer value
    c.run('DEL', 'gone');
    c.run('SET', 'new', 'y');
    const chunks: Buffer[] = [];
    for (let b = snap.nextChunk(64); b !== null; b = snap.nextChunk(64)) chunks.push(b);
    const replica = load(chunks);
    assert.deepEqual(dump(replica.h, replica.c), before);
  });

  it('selects the relayed stream database last when asked', () => {
    const h = new Harness();
    h.client().run('SET', 'k', 'v');
    const snap = new KeyspaceSnapshot(h.node.keyspace.dbs, 7);
    const cmds = parseAll([snap.nextChunk(1 << 20)!]).commands;
    assert.deepEqual(cmds.at(-1), ['select', '7']);
  });
});
