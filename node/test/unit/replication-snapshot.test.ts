import assert from 'node:assert/strict';
import { Harness, parseAll, type TestClient } from '../support/harness.js';
import { KeyspaceSnapshot, ELEMENTS_PER_COMMAND, STRING_PIECE_BYTES } from '../../src/replication/snapshot.js';

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

  /** Every container type, small (compact encodings) and past the split sizes. */
  function containers(c: TestClient): void {
    const many = (n: number, p: string): string[] => Array.from({ length: n }, (_, i) => `${p}${i}`);
    c.run('RPUSH', 'l', 'a', 'b', 'c', 'd');
    c.run('RPUSH', 'bl', ...many(ELEMENTS_PER_COMMAND * 2 + 3, 'e'));
    c.run('RPUSH', 'dst', 'x');
    c.run('HSET', 'h', 'f', '1', 'g', '2');
    c.run('HSET', 'bh', ...many(1500, 'f').flatMap((f) => [f, '1']));
    c.run('SADD', 's', '1', '2', '3');
    c.run('SADD', 'bs', ...many(900, 'm'));
    c.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    c.run('ZADD', 'bz', ...many(700, 'm').flatMap((m, i) => [String(i), m]));
    c.run('SET', 'str', 'v');
    c.run('PEXPIRE', 'h', 100000);
  }

  /** Writes that change every container in place, by every command family (and a served BLMOVE). */
  function writes(h: Harness, c: TestClient): void {
    const w = h.client();
    w.run('BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', 0); // blocks; served by the RPUSH below
    for (const cmd of [
      ['RPUSH', 'src', 'moved'],
      ['LPUSH', 'l', 'z'], ['RPOP', 'l'], ['LSET', 'l', 0, 'q'], ['LINSERT', 'l', 'BEFORE', 'b', 'i'], ['LREM', 'l', 0, 'c'],
      ['LTRIM', 'bl', 1, -2], ['LMOVE', 'bl', 'bl', 'LEFT', 'RIGHT'], ['RPOPLPUSH', 'bl', 'l'], ['LPOP', 'bl', 3],
      ['HSET', 'h', 'f', '9', 'new', 'x'], ['HDEL', 'bh', 'f0', 'f1'], ['HINCRBY', 'bh', 'f2', 5], ['HINCRBYFLOAT', 'h', 'g', '0.5'], ['HSETNX', 'bh', 'zz', '1'],
      ['SADD', 's', 'x'], ['SREM', 'bs', 'm0'], ['SPOP', 'bs', 2], ['SMOVE', 'bs', 's', 'm5'],
      ['ZADD', 'z', '10', 'a'], ['ZINCRBY', 'bz', 3, 'm1'], ['ZREM', 'bz', 'm2'], ['ZPOPMIN', 'z'], ['ZPOPMAX', 'bz', 2],
      ['ZREMRANGEBYSCORE', 'bz', 10, 20], ['ZREMRANGEBYRANK', 'bz', 0, 1], ['ZREMRANGEBYLEX', 'z', '-', '+'],
      ['PERSIST', 'h'], ['APPEND', 'str', 'more'],
    ] as const) c.run(...cmd);
    assert.deepEqual(w.pending(), ['moved'], 'the blocked BLMOVE was served');
  }

  it('copies a container on write: the snapshot keeps the old value, the live keyspace gets every write', () => {
    const h = new Harness();
    const c = h.client();
    containers(c);
    const before = dump(h, c);
    const snap = new KeyspaceSnapshot(h.node.keyspace.dbs);
    writes(h, c);
    const chunks: Buffer[] = [];
    for (let b = snap.nextChunk(512); b !== null; b = snap.nextChunk(512)) chunks.push(b);
    assert.deepEqual(dump(load(chunks).h, load(chunks).c), before, 'the snapshot is the state when it was taken');

    // The same writes on a node that never had a snapshot end in the same state.
    const ref = new Harness();
    const rc = ref.client();
    containers(rc);
    writes(ref, rc);
    assert.deepEqual(dump(h, c), dump(ref, rc));
  });

  it('releases what it has serialized as it goes, and everything when given up', () => {
    const h = new Harness();
    const c = h.client();
    containers(c);
    const held = (): number => {
      const db = h.node.keyspace.db(0);
      let n = 0;
      for (const v of db.map.vals) if (typeof v === 'object' && !Buffer.isBuffer(v)) n += v.snapshotHolds;
      return n;
    };
    const before = dump(h, c);
    const snap = new KeyspaceSnapshot(h.node.keyspace.dbs);
    const second = new KeyspaceSnapshot(h.node.keyspace.dbs);
    assert.equal(held(), 18, 'two snapshots hold each of the 9 containers');
    second.release();
    second.release();
    assert.equal(held(), 9);
    // Interleave writes with a slow stream: what is already sent may change in place, the rest is copied first.
    const chunks: Buffer[] = [];
    for (let b = snap.nextChunk(4096), i = 0; b !== null; b = snap.nextChunk(4096), i++) {
      chunks.push(b);
      c.run('RPUSH', 'bl', `late${i}`);
      c.run('HSET', 'bh', `late${i}`, 'x');
      c.run('ZADD', 'bz', '1', `late${i}`);
    }
    assert.equal(held(), 0, 'a finished snapshot holds nothing');
    assert.deepEqual(dump(load(chunks).h, load(chunks).c), before);
    assert.equal(second.nextChunk(4096), null, 'a released snapshot produces nothing');
  });

  it('sends a long string as a SET and APPENDs of bounded size', () => {
    const h = new Harness();
    const c = h.client();
    const big = 'x'.repeat(STRING_PIECE_BYTES * 2 + 10);
    c.run('SET', 'big', big);
    c.run('SETRANGE', 'bigbuf', STRING_PIECE_BYTES + 1, 'y'); // a Buffer value
    const snap = new KeyspaceSnapshot(h.node.keyspace.dbs);
    const chunks: Buffer[] = [];
    for (let b = snap.nextChunk(1024); b !== null; b = snap.nextChunk(1024)) chunks.push(b);
    const cmds = parseAll(chunks).commands;
    assert.deepEqual(cmds.map((x) => x[0]), ['select', 'set', 'append', 'append', 'set', 'append']);
    assert.ok(cmds.every((x) => (x[2] ?? '').length <= STRING_PIECE_BYTES));
    const r = load(chunks);
    assert.equal(r.c.run('GET', 'big'), big);
    assert.equal(r.c.run('STRLEN', 'bigbuf'), STRING_PIECE_BYTES + 2);
  });

  it('selects the relayed stream database last when asked', () => {
    const h = new Harness();
    h.client().run('SET', 'k', 'v');
    const snap = new KeyspaceSnapshot(h.node.keyspace.dbs, 7);
    const cmds = parseAll([snap.nextChunk(1 << 20)!]).commands;
    assert.deepEqual(cmds.at(-1), ['select', '7']);
  });
});
