// DUMP and RESTORE through the dispatcher: replies, errors in Redis's order
// and words, options (REPLACE, ABSTTL, IDLETIME, FREQ), TTL handling and
// notifications, and that a refused payload writes nothing.

import assert from 'node:assert/strict';
import { Harness } from '../support/harness.js';
import { RespError, type RespValue } from '../../src/resp/decoder.js';
import { Crc64 } from '../../src/persistence/crc64.js';

function err(v: RespValue | undefined): string {
  assert.ok(v instanceof RespError, `expected an error, got ${JSON.stringify(v)}`);
  return v.message;
}

describe('DUMP / RESTORE', () => {
  it('round-trips every type and keeps the encoding', () => {
    const h = new Harness();
    const c = h.client();
    c.run('SET', 's', 'hello');
    c.run('RPUSH', 'l', 'a', '1', 'b');
    c.run('SADD', 'st', '3', '1', '2');
    c.run('HSET', 'h', 'f', 'v', 'g', 'w');
    c.run('ZADD', 'z', '1.5', 'a', '-2', 'b');
    for (const k of ['s', 'l', 'st', 'h', 'z']) {
      const payload = c.run('DUMP', k) as string;
      assert.equal(c.run('RESTORE', `${k}2`, '0', payload), 'OK');
      assert.equal(c.run('OBJECT', 'ENCODING', `${k}2`), c.run('OBJECT', 'ENCODING', k));
    }
    assert.deepEqual(c.run('LRANGE', 'l2', '0', '-1'), ['a', '1', 'b']);
    assert.deepEqual(c.run('SMEMBERS', 'st2'), ['1', '2', '3']);
    assert.deepEqual(c.run('HGETALL', 'h2'), ['f', 'v', 'g', 'w']);
    assert.deepEqual(c.run('ZRANGE', 'z2', '0', '-1', 'WITHSCORES'), ['b', '-2', 'a', '1.5']);
    assert.equal(c.run('GET', 's2'), 'hello');
    assert.equal(c.run('DUMP', 'missing'), null);
  });

  it('errors in Redis order: syntax, BUSYKEY, TTL, checksum, data', () => {
    const h = new Harness();
    const c = h.client();
    c.run('SET', 'k', 'v');
    const p = c.run('DUMP', 'k') as string;
    assert.equal(err(c.run('RESTORE', 'k', '0', p, 'BOGUS')), 'ERR syntax error');
    assert.equal(err(c.run('RESTORE', 'k', '0', p)), 'BUSYKEY Target key name already exists.');
    assert.equal(err(c.run('RESTORE', 'n', 'x', p)), 'ERR value is not an integer or out of range');
    assert.equal(err(c.run('RESTORE', 'n', '-1', p)), 'ERR Invalid TTL value, must be >= 0');
    assert.equal(err(c.run('RESTORE', 'n', '0', 'short')), 'ERR DUMP payload version or checksum are wrong');
    const flipped = String.fromCharCode(p.charCodeAt(0) ^ 1) + p.slice(1);
    assert.equal(err(c.run('RESTORE', 'n', '0', flipped)), 'ERR DUMP payload version or checksum are wrong');
    assert.equal(err(c.run('RESTORE', 'n', '0', p.slice(0, -1))), 'ERR DUMP payload version or checksum are wrong');
    assert.equal(err(c.run('RESTORE', 'n', '0', p, 'IDLETIME', '-1')), 'ERR Invalid IDLETIME value, must be >= 0');
    assert.equal(err(c.run('RESTORE', 'n', '0', p, 'FREQ', '256')), 'ERR Invalid FREQ value, must be >= 0 and <= 255');
    assert.equal(err(c.run('RESTORE', 'n', '0', p, 'FREQ', '1', 'IDLETIME', '1')), 'ERR syntax error');
    assert.equal(err(c.run('RESTORE', 'n', '0', p, 'IDLETIME')), 'ERR syntax error');
    // REPLACE with a corrupt payload leaves the old value alone.
    assert.equal(err(c.run('RESTORE', 'k', '0', flipped, 'REPLACE')), 'ERR DUMP payload version or checksum are wrong');
    assert.equal(c.run('GET', 'k'), 'v');
    assert.equal(c.run('EXISTS', 'n'), 0);
  });

  it('Bad data format for a well-signed but malformed object (nothing written)', () => {
    const h = new Harness();
    const c = h.client();
    c.run('HSET', 'h', 'f', 'v');
    const good = c.run('DUMP', 'h') as string;
    // An unknown type byte (stream) re-signed with a valid footer: Redis 7.0's reply is Bad data format.
    const dumpHelper = h.client();
    dumpHelper.run('SET', 'tmp', 'x');
    const base = Buffer.from(dumpHelper.run('DUMP', 'tmp') as string, 'latin1');
    const body = Buffer.from(base.subarray(0, base.length - 8));
    body[0] = 15;
    const resigned = resign(body);
    assert.equal(err(c.run('RESTORE', 'h', '0', resigned, 'REPLACE')), 'ERR Bad data format');
    assert.deepEqual(c.run('HGETALL', 'h'), ['f', 'v']);
    assert.equal(c.run('RESTORE', 'h', '0', good, 'REPLACE'), 'OK');
  });

  it('TTL relative and ABSTTL; already expired stores nothing', () => {
    const h = new Harness({ nowMs: 1_700_000_000_000 });
    const c = h.client();
    c.run('SET', 'k', 'v');
    const p = c.run('DUMP', 'k') as string;
    assert.equal(c.run('RESTORE', 'a', '5000', p), 'OK');
    assert.equal(c.run('PTTL', 'a'), 5000);
    assert.equal(c.run('RESTORE', 'b', String(1_700_000_010_000), p, 'ABSTTL'), 'OK');
    assert.equal(c.run('PTTL', 'b'), 10000);
    assert.equal(c.run('RESTORE', 'k', '1000', p, 'ABSTTL', 'REPLACE'), 'OK');
    assert.equal(c.run('EXISTS', 'k'), 0);
    assert.equal(c.run('RESTORE', 'k', '0', p), 'OK');
    assert.equal(c.run('TTL', 'k'), -1);
  });

  it('IDLETIME sets the LRU stamp; FREQ sets the LFU counter under an LFU policy', () => {
    const h = new Harness();
    const c = h.client();
    c.run('SET', 'k', 'v');
    const p = c.run('DUMP', 'k') as string;
    assert.equal(c.run('RESTORE', 'i', '0', p, 'IDLETIME', '1000'), 'OK');
    assert.equal(c.run('OBJECT', 'IDLETIME', 'i'), 1000);
    c.run('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    assert.equal(c.run('RESTORE', 'f', '0', p, 'FREQ', '100'), 'OK');
    assert.equal(c.run('OBJECT', 'FREQ', 'f'), 100);
    // IDLETIME is ignored under LFU, as objectSetLRUOrLFU ignores it.
    assert.equal(c.run('RESTORE', 'g', '0', p, 'IDLETIME', '5'), 'OK');
    assert.equal(c.run('OBJECT', 'FREQ', 'g'), 5);
  });

  it('RESTORE-ASKING behaves as RESTORE', () => {
    const h = new Harness();
    const c = h.client();
    c.run('SET', 'k', 'v');
    const p = c.run('DUMP', 'k') as string;
    assert.equal(c.run('RESTORE-ASKING', 'k2', '0', p), 'OK');
    assert.equal(err(c.run('RESTORE-ASKING', 'k2', '0', p)), 'BUSYKEY Target key name already exists.');
    assert.equal(c.run('GET', 'k2'), 'v');
  });
});


/** Appends a valid version footer's CRC to body (which ends with the 2 version bytes). */
function resign(body: Buffer): string {
  const out = Buffer.alloc(body.length + 8);
  body.copy(out);
  new Crc64().update(body).writeLE(out, body.length);
  return out.latin1Slice(0, out.length);
}

async function turns(n = 2000): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** Waits until client c has a reply (a stepped RESTORE finishing in a later turn). */
async function nextReply(c: { pending(): RespValue[] }): Promise<RespValue> {
  for (let i = 0; i < 20000; i++) {
    const p = c.pending();
    if (p.length > 0) {
      assert.equal(p.length, 1);
      return p[0]!;
    }
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('no reply');
}

describe('RESTORE of a large payload (stepped decode)', () => {
  function bigHashPayload(h: Harness, fields = 60000): string {
    const c = h.client();
    for (let i = 0; i < fields; i += 1000) {
      const args: string[] = [];
      for (let j = i; j < i + 1000; j++) args.push(`f${j}`, `v${j}`);
      c.run('HSET', 'src', ...args);
    }
    const p = c.run('DUMP', 'src') as string;
    c.run('DEL', 'src');
    return p;
  }

  it('blocks only its client, installs the whole value at once, then replies OK', async () => {
    const h = new Harness();
    const p = bigHashPayload(h);
    const c = h.client();
    const other = h.client();
    assert.equal(c.run('RESTORE', 'h', '0', p), undefined);
    assert.notEqual(c.session.blocked, null);
    // Others are served meanwhile and never see a partial value.
    assert.equal(other.run('EXISTS', 'h'), 0);
    assert.equal(other.run('PING'), 'PONG');
    assert.equal(await nextReply(c), 'OK');
    assert.equal(c.session.blocked, null);
    assert.equal(other.run('HLEN', 'h'), 60000);
    assert.equal(other.run('HGET', 'h', 'f59999'), 'v59999');
    assert.equal(other.run('OBJECT', 'ENCODING', 'h'), 'hashtable');
    assert.equal(c.run('DUMP', 'h'), p);
  });

  it('BUSYKEY is checked again at install; REPLACE and TTL apply then', async () => {
    const h = new Harness();
    const p = bigHashPayload(h);
    const c = h.client();
    const other = h.client();
    assert.equal(c.run('RESTORE', 'h', '0', p), undefined);
    other.run('SET', 'h', 'meanwhile');
    assert.equal(err(await nextReply(c)), 'BUSYKEY Target key name already exists.');
    assert.equal(other.run('GET', 'h'), 'meanwhile');
    assert.equal(c.run('RESTORE', 'h', '100000', p, 'REPLACE'), undefined);
    assert.equal(await nextReply(c), 'OK');
    assert.equal(other.run('HLEN', 'h'), 60000);
    const ttl = other.run('PTTL', 'h') as number;
    assert.ok(ttl > 90000 && ttl <= 100000, String(ttl));
  });

  it('bad checksum and malformed objects give the one-shot path errors, writing nothing', async () => {
    const h = new Harness();
    const p = bigHashPayload(h);
    const c = h.client();
    const flipped = p.slice(0, 1000) + String.fromCharCode(p.charCodeAt(1000) ^ 1) + p.slice(1001);
    const r1 = c.run('RESTORE', 'h', '0', flipped) ?? (await nextReply(c));
    assert.equal(err(r1), 'ERR DUMP payload version or checksum are wrong');
    // A field count one too high: the object runs into the footer.
    const body = Buffer.from(p, 'latin1').subarray(0, p.length - 8);
    assert.equal(body[1], 0x80); // 32-bit length
    body.writeUInt32BE(body.readUInt32BE(2) + 1, 2);
    const r2 = c.run('RESTORE', 'h', '0', resign(body)) ?? (await nextReply(c));
    assert.equal(err(r2), 'ERR Bad data format');
    assert.equal(c.run('EXISTS', 'h'), 0);
  });

  it('inside MULTI/EXEC a large RESTORE runs to completion synchronously', () => {
    const h = new Harness();
    const p = bigHashPayload(h, 20000);
    const c = h.client();
    c.run('MULTI');
    c.run('RESTORE', 'h', '0', p);
    assert.deepEqual(c.run('EXEC'), ['OK']);
    assert.equal(c.run('HLEN', 'h'), 20000);
  });

  it('a multi-MB string round-trips compressed in slices (a valid LZF stream) and raw', async () => {
    const h = new Harness();
    const c = h.client();
    let v = '';
    for (let i = 0; i < 3 * 1024 * 64; i++) v += `${i % 997}`.padStart(16, 'x');
    for (const compression of ['yes', 'no']) {
      c.run('CONFIG', 'SET', 'rdbcompression', compression);
      c.run('SET', 'big', v);
      const p = c.run('DUMP', 'big') as string;
      if (compression === 'yes') assert.ok(p.length < v.length / 2, String(p.length));
      else assert.ok(p.length > v.length);
      const r = c.run('RESTORE', 'big2', '0', p, 'REPLACE') ?? (await nextReply(c));
      assert.equal(r, 'OK');
      assert.equal(c.run('STRLEN', 'big2'), v.length);
      assert.equal(c.run('GET', 'big2'), v);
      assert.equal(c.run('APPEND', 'big2', 'z'), v.length + 1);
    }
    await turns(1);
  });
});
