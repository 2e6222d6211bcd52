// DUMP/RESTORE interoperability with a real redis-server 7.0, both ways:
// seeded random values of every type, small (listpack/intset encodings)
// and large (plain encodings, multi-node quicklists, LZF strings), are
// created on one server, DUMPed, RESTOREd on the other and compared element
// by element, with OBJECT ENCODING. Corrupt payloads from redis-server are
// refused by Tessera with Redis's errors and nothing written.
// Replay with DUMP_RESTORE_SEED=<n>.

import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startServer, type ServerHandle } from '../support/server-process.js';
import { seededRandom } from '../../src/core/random.js';

const SEED = Number(process.env.DUMP_RESTORE_SEED ?? 20240607);

type Reply = string | number | null | Reply[];

/** Sends a command with binary-safe (latin1) arguments and latin1 replies. */
async function call(c: Redis, ...args: (string | Buffer)[]): Promise<Reply> {
  const bin = args.slice(1).map((a) => (typeof a === 'string' ? Buffer.from(a, 'latin1') : a));
  const r = (await c.callBuffer(args[0] as string, ...bin)) as unknown;
  return toLatin1(r);
}

function toLatin1(r: unknown): Reply {
  if (Buffer.isBuffer(r)) return r.latin1Slice(0, r.length);
  if (Array.isArray(r)) return r.map(toLatin1);
  if (typeof r === 'number' || r === null || typeof r === 'string') return r;
  throw new Error(`unexpected reply ${String(r)}`);
}

async function callErr(c: Redis, ...args: (string | Buffer)[]): Promise<string> {
  try {
    await call(c, ...args);
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail(`expected an error from ${args[0]}`);
}

type Kind = 'string' | 'list' | 'set' | 'hash' | 'zset';
const KINDS: Kind[] = ['string', 'list', 'set', 'hash', 'zset'];

function randomBytes(rnd: () => number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(rnd() * 256));
  return s;
}

function element(rnd: () => number, large: boolean): string {
  const r = rnd();
  if (r < 0.25) return String(Math.floor((rnd() - 0.5) * 2 ** (1 + Math.floor(rnd() * 62))));
  if (r < 0.35) return 'x'.repeat(large ? 100 + Math.floor(rnd() * 5000) : Math.floor(rnd() * 60));
  return randomBytes(rnd, Math.floor(rnd() * (large && rnd() < 0.2 ? 300 : 40)));
}

/** Builds a random value of `kind` at `key` with ordinary commands. */
async function build(c: Redis, rnd: () => number, kind: Kind, key: string, large: boolean): Promise<void> {
  const n = large ? 600 + Math.floor(rnd() * 1500) : 1 + Math.floor(rnd() * 20);
  const batch = async (cmd: string, items: string[]): Promise<void> => {
    for (let i = 0; i < items.length; i += 200) await call(c, cmd, key, ...items.slice(i, i + 200));
  };
  switch (kind) {
    case 'string':
      await call(c, 'SET', key, large ? (rnd() < 0.5 ? 'abcd'.repeat(5000) : randomBytes(rnd, 20000)) : element(rnd, false));
      return;
    case 'list':
      await batch('RPUSH', Array.from({ length: n }, () => element(rnd, large)));
      return;
    case 'set': {
      const ints = rnd() < 0.5;
      await batch('SADD', Array.from({ length: n }, () => (ints ? String(Math.floor((rnd() - 0.5) * 1e12)) : element(rnd, large))));
      return;
    }
    case 'hash': {
      const items: string[] = [];
      for (let i = 0; i < n; i++) items.push(`f${i}:${element(rnd, false)}`, element(rnd, large));
      await batch('HSET', items);
      return;
    }
    case 'zset': {
      const items: string[] = [];
      for (let i = 0; i < n; i++) {
        const score = rnd() < 0.3 ? String(Math.floor(rnd() * 100)) : rnd() < 0.05 ? '-inf' : String((rnd() - 0.5) * 1e9);
        items.push(score, `m${i}:${element(rnd, large && rnd() < 0.1)}`);
      }
      await batch('ZADD', items);
      return;
    }
  }
}

/** The value at key as comparable data. */
async function read(c: Redis, kind: Kind, key: string): Promise<Reply> {
  switch (kind) {
    case 'string':
      return call(c, 'GET', key);
    case 'list':
      return call(c, 'LRANGE', key, '0', '-1');
    case 'set':
      return ((await call(c, 'SMEMBERS', key)) as string[]).sort();
    case 'hash': {
      const flat = (await call(c, 'HGETALL', key)) as string[];
      const pairs: string[] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i]}\0${flat[i + 1]}`);
      return pairs.sort();
    }
    case 'zset':
      return call(c, 'ZRANGE', key, '0', '-1', 'WITHSCORES');
  }
}

describe('DUMP/RESTORE interop with redis-server 7.0', function () {
  this.timeout(120000);
  let redis: ServerHandle | undefined;
  let tessera: ServerHandle | undefined;
  let rc: Redis;
  let tc: Redis;

  before(async () => {
    [redis, tessera] = await Promise.all([startServer([], { binary: 'redis' }), startServer([])]);
    rc = new Redis({ port: redis.port, host: redis.host, lazyConnect: false });
    tc = new Redis({ port: tessera.port, host: tessera.host, lazyConnect: false });
  });
  after(async () => {
    rc?.disconnect();
    tc?.disconnect();
    await Promise.all([redis?.stop(), tessera?.stop()]);
  });

  for (const [fromName, toName] of [
    ['redis', 'tessera'],
    ['tessera', 'redis'],
  ] as const) {
    it(`${fromName} DUMP -> ${toName} RESTORE: every type, small and large (seed ${SEED})`, async () => {
      const rnd = seededRandom(SEED + (fromName === 'redis' ? 0 : 1));
      const from = fromName === 'redis' ? rc : tc;
      const to = toName === 'redis' ? rc : tc;
      let n = 0;
      for (let round = 0; round < 8; round++) {
        for (const kind of KINDS) {
          for (const large of [false, true]) {
            const key = `${fromName}:${kind}:${large ? 'L' : 's'}:${n++}`;
            await build(from, rnd, kind, key, large);
            const payload = (await call(from, 'DUMP', key)) as string;
            assert.equal(await call(to, 'RESTORE', key, '0', Buffer.from(payload, 'latin1')), 'OK', key);
            assert.deepEqual(await read(to, kind, key), await read(from, kind, key), `${key} (seed ${SEED})`);
            assert.equal(await call(to, 'OBJECT', 'ENCODING', key), await call(from, 'OBJECT', 'ENCODING', key), `${key} encoding`);
          }
        }
      }
    });
  }

  it('TTL and REPLACE as on redis-server', async () => {
    await call(rc, 'SET', 'ttl:src', 'v');
    const p = Buffer.from((await call(rc, 'DUMP', 'ttl:src')) as string, 'latin1');
    for (const c of [rc, tc]) {
      await call(c, 'DEL', 'ttl:a');
      assert.equal(await call(c, 'RESTORE', 'ttl:a', '100000', p), 'OK');
      const pttl = (await call(c, 'PTTL', 'ttl:a')) as number;
      assert.ok(pttl > 99000 && pttl <= 100000);
      assert.equal(await callErr(c, 'RESTORE', 'ttl:a', '0', p), 'BUSYKEY Target key name already exists.');
      assert.equal(await call(c, 'RESTORE', 'ttl:a', '0', p, 'REPLACE'), 'OK');
      assert.equal(await call(c, 'PTTL', 'ttl:a'), -1);
    }
  });

  it('corrupt redis-server payloads are refused with nothing written', async () => {
    const rnd = seededRandom(SEED + 2);
    for (const kind of KINDS) {
      const key = `corrupt:${kind}`;
      await build(rc, rnd, kind, key, rnd() < 0.5);
      const p = Buffer.from((await call(rc, 'DUMP', key)) as string, 'latin1');
      const flipped = Buffer.from(p);
      flipped[Math.floor(rnd() * p.length)]! ^= 0x40;
      const truncated = p.subarray(0, Math.max(0, p.length - 1 - Math.floor(rnd() * 20)));
      const newer = Buffer.from(p);
      newer.writeUInt16LE(11, p.length - 10);
      for (const bad of [flipped, truncated, newer]) {
        const expected = await callErr(rc, 'RESTORE', `${key}:x`, '0', bad);
        assert.equal(await callErr(tc, 'RESTORE', `${key}:x`, '0', bad), expected);
        assert.equal(expected, 'ERR DUMP payload version or checksum are wrong');
        assert.equal(await call(tc, 'EXISTS', `${key}:x`), 0);
      }
    }
  });

  it('multi-MB strings (LZF in slices, stepped decode) and a 200k-field hash move both ways', async () => {
    let text = '';
    for (let i = 0; i < 200000; i++) text += `${(i * 7919) % 100003}:`.padStart(12, '.');
    const rnd = seededRandom(SEED + 3);
    const noise = Buffer.alloc(3 << 20);
    for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(rnd() * 256);
    const fields: string[] = [];
    for (let i = 0; i < 200000; i++) fields.push(`f${i}`, `v${i}`);
    for (const [from, to] of [
      [tc, rc],
      [rc, tc],
    ] as const) {
      await call(from, 'SET', 'big:text', text);
      await call(from, 'SET', 'big:noise', noise);
      await call(from, 'DEL', 'big:hash');
      for (let i = 0; i < fields.length; i += 20000) await call(from, 'HSET', 'big:hash', ...fields.slice(i, i + 20000));
      for (const key of ['big:text', 'big:noise', 'big:hash']) {
        const p = Buffer.from((await call(from, 'DUMP', key)) as string, 'latin1');
        assert.equal(await call(to, 'RESTORE', key, '0', p, 'REPLACE'), 'OK');
      }
      assert.equal(await call(to, 'GET', 'big:text'), text);
      assert.equal(await call(to, 'GET', 'big:noise'), noise.latin1Slice(0, noise.length));
      assert.equal(await call(to, 'HLEN', 'big:hash'), 200000);
      assert.equal(await call(to, 'HGET', 'big:hash', 'f199999'), 'v199999');
    }
  });
});
