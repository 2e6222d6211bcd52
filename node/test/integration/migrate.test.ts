// MIGRATE between real processes: Tessera -> redis-server 7.0 and
// redis-server -> Tessera (redis-server sends RESTORE to Tessera), every
// type, TTL, COPY/REPLACE/KEYS/AUTH/SELECT, the target's BUSYKEY error in
// Redis's words, an unreachable target (IOERR, the key stays), and a large
// value moved while other clients keep being served.

import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startServer, freePort, type ServerHandle } from '../support/server-process.js';

/** MIGRATE with every argument as a string (ioredis's typed overloads are narrower than the command). */
function mig(c: Redis, ...args: (string | number)[]): Promise<unknown> {
  return c.call('MIGRATE', ...args.map(String));
}

async function err(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected an error');
}

describe('MIGRATE', function () {
  this.timeout(60000);
  let redis: ServerHandle | undefined;
  let tessera: ServerHandle | undefined;
  let rc: Redis;
  let tc: Redis;

  before(async () => {
    [redis, tessera] = await Promise.all([startServer([], { binary: 'redis' }), startServer([])]);
    rc = new Redis({ port: redis.port, host: redis.host });
    tc = new Redis({ port: tessera.port, host: tessera.host });
  });
  after(async () => {
    rc?.disconnect();
    tc?.disconnect();
    await Promise.all([redis?.stop(), tessera?.stop()]);
  });
  beforeEach(async () => {
    await Promise.all([rc.flushall(), tc.flushall()]);
  });

  it('Tessera -> redis-server: every type moves, TTL kept, source key gone', async () => {
    await tc.set('s', 'v');
    await tc.rpush('l', 'a', 'b', 'c');
    await tc.sadd('st', '1', '2', 'x');
    await tc.hset('h', 'f', 'v');
    await tc.zadd('z', 1, 'a', 2.5, 'b');
    await tc.pexpire('s', 100000);
    assert.equal(await mig(tc, redis!.host, redis!.port, '', 0, 2000, 'KEYS', 's', 'l', 'st', 'h', 'z', 'missing'), 'OK');
    assert.equal(await tc.exists('s', 'l', 'st', 'h', 'z'), 0);
    assert.equal(await rc.get('s'), 'v');
    assert.ok((await rc.pttl('s')) > 90000);
    assert.deepEqual(await rc.lrange('l', 0, -1), ['a', 'b', 'c']);
    assert.deepEqual((await rc.smembers('st')).sort(), ['1', '2', 'x']);
    assert.deepEqual(await rc.hgetall('h'), { f: 'v' });
    assert.deepEqual(await rc.zrange('z', '0', '-1', 'WITHSCORES'), ['a', '1', 'b', '2.5']);
  });

  it('COPY keeps the source, REPLACE overwrites, BUSYKEY is reported in Redis words and the key stays', async () => {
    await tc.set('k', 'one');
    assert.equal(await mig(tc, redis!.host, redis!.port, 'k', 0, 2000, 'COPY'), 'OK');
    assert.equal(await tc.get('k'), 'one');
    assert.equal(
      await err(mig(tc, redis!.host, redis!.port, 'k', 0, 2000)),
      'ERR Target instance replied with error: BUSYKEY Target key name already exists.',
    );
    assert.equal(await tc.get('k'), 'one');
    // redis-server says the same in the same situation.
    await rc.set('rk', 'x');
    await tc.set('rk', 'y');
    assert.equal(
      await err(mig(rc, tessera!.host, tessera!.port, 'rk', 0, 2000)),
      'ERR Target instance replied with error: BUSYKEY Target key name already exists.',
    );
    await tc.set('k', 'two');
    assert.equal(await mig(tc, redis!.host, redis!.port, 'k', 0, 2000, 'REPLACE'), 'OK');
    assert.equal(await rc.get('k'), 'two');
    assert.equal(await tc.exists('k'), 0);
    assert.equal(await mig(tc, redis!.host, redis!.port, 'k', 0, 2000), 'NOKEY');
  });

  it('selects the destination db and authenticates (AUTH and AUTH2)', async () => {
    const secured = await startServer(['--requirepass', 'sekret'], { binary: 'redis' });
    try {
      const sc = new Redis({ port: secured.port, host: secured.host, password: 'sekret' });
      await tc.set('a', '1');
      await tc.set('b', '2');
      assert.equal(await mig(tc, secured.host, secured.port, 'a', 3, 2000, 'AUTH', 'sekret'), 'OK');
      assert.equal(await mig(tc, secured.host, secured.port, 'b', 3, 2000, 'AUTH2', 'default', 'sekret'), 'OK');
      await sc.select(3);
      assert.deepEqual([await sc.get('a'), await sc.get('b')], ['1', '2']);
      await tc.set('c', '3');
      assert.match(await err(mig(tc, secured.host, secured.port, 'c', 3, 2000, 'AUTH', 'wrong')), /^ERR Target instance replied with error: WRONGPASS/);
      assert.equal(await tc.get('c'), '3');
      sc.disconnect();
    } finally {
      await secured.stop();
    }
  });

  it('redis-server -> Tessera: every type arrives', async () => {
    await rc.set('s', 'v');
    await rc.rpush('l', 'a', 'b');
    await rc.sadd('st', '5', '6');
    await rc.hset('h', 'f', 'v');
    await rc.zadd('z', 3, 'm');
    await rc.expire('l', 1000);
    assert.equal(await mig(rc, tessera!.host, tessera!.port, '', 0, 2000, 'KEYS', 's', 'l', 'st', 'h', 'z'), 'OK');
    assert.equal(await rc.exists('s', 'l', 'st', 'h', 'z'), 0);
    assert.equal(await tc.get('s'), 'v');
    assert.deepEqual(await tc.lrange('l', 0, -1), ['a', 'b']);
    assert.ok((await tc.ttl('l')) > 990);
    assert.deepEqual((await tc.smembers('st')).sort(), ['5', '6']);
    assert.deepEqual(await tc.hgetall('h'), { f: 'v' });
    assert.equal(await tc.zscore('z', 'm'), '3');
  });

  it('an unreachable target: IOERR and the key stays', async () => {
    const port = await freePort();
    await tc.set('k', 'v');
    assert.equal(await err(mig(tc, '127.0.0.1', port, 'k', 0, 500)), 'IOERR error or timeout connecting to the client');
    assert.equal(await tc.get('k'), 'v');
  });

  it('a large value moves while other clients are served', async () => {
    const members: string[] = [];
    for (let i = 0; i < 300000; i++) members.push(`member:${i}:${'x'.repeat(20)}`);
    for (let i = 0; i < members.length; i += 10000) await tc.sadd('big', ...members.slice(i, i + 10000));
    const other = new Redis({ port: tessera!.port, host: tessera!.host });
    await other.ping();
    let maxGapMs = 0;
    let running = true;
    const pinger = (async () => {
      while (running) {
        const t0 = performance.now();
        await other.ping();
        maxGapMs = Math.max(maxGapMs, performance.now() - t0);
      }
    })();
    const t0 = performance.now();
    assert.equal(await mig(tc, redis!.host, redis!.port, 'big', 0, 10000), 'OK');
    const totalMs = performance.now() - t0;
    running = false;
    await pinger;
    other.disconnect();
    assert.equal(await rc.scard('big'), 300000);
    assert.equal(await tc.exists('big'), 0);
    console.log(`      300k-member set migrated in ${totalMs.toFixed(0)} ms; longest PING wait meanwhile ${maxGapMs.toFixed(0)} ms`);
    assert.ok(maxGapMs < Math.max(250, totalMs / 2), `event loop stalled for ${maxGapMs} ms`);
  });
});
