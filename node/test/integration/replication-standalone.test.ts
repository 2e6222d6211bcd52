// A primary and two replicas as real processes (--replicaof): full sync of a
// dataset of every type, convergence under an ioredis write load (DBSIZE and
// a keyspace digest compared), WAIT, a partial resync after the link is cut
// (CLIENT KILL TYPE master), expiry reaching replicas as DEL, READONLY, and
// promotion with REPLICAOF NO ONE.

import assert from 'node:assert/strict';
import net from 'node:net';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { startServer, type ServerHandle } from '../support/server-process.js';

/** A client port whose bus port (port + 10000) is free too: replication listens there. */
async function pairPort(): Promise<number> {
  const free = (port: number): Promise<boolean> =>
    new Promise((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
  for (;;) {
    const p = 20000 + Math.floor(Math.random() * 20000);
    if ((await free(p)) && (await free(p + 10000))) return p;
  }
}

async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 30000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function infoField(info: string, field: string): string | undefined {
  const m = new RegExp(`^${field}:(.*)\\r?$`, 'm').exec(info);
  return m?.[1]?.trim();
}

/** Every key of db 0 with its type, TTL presence and full content, hashed in key order. */
async function digest(r: Redis): Promise<string> {
  const keys = (await r.keys('*')).sort();
  const h = createHash('sha1');
  const batch = 500;
  for (let i = 0; i < keys.length; i += batch) {
    const slice = keys.slice(i, i + batch);
    const types = (await r.pipeline(slice.map((k) => ['type', k])).exec())!.map(([, t]) => t as string);
    const content = await r
      .pipeline(
        slice.map((k, j) => {
          switch (types[j]) {
            case 'string':
              return ['get', k];
            case 'list':
              return ['lrange', k, '0', '-1'];
            case 'hash':
              return ['hgetall', k];
            case 'set':
              return ['smembers', k];
            case 'zset':
              return ['zrange', k, '0', '-1', 'withscores'];
            default:
              return ['type', k];
          }
        }),
      )
      .exec();
    const ttls = (await r.pipeline(slice.map((k) => ['pexpiretime', k])).exec())!.map(([, t]) => t as number);
    slice.forEach((k, j) => {
      let v = content![j]![1];
      if (types[j] === 'set') v = [...(v as string[])].sort();
      if (types[j] === 'hash') v = Object.entries(v as Record<string, string>).sort();
      h.update(JSON.stringify([k, types[j], ttls[j]! > 0 ? ttls[j] : -1, v]));
    });
  }
  return h.digest('hex');
}

describe('replication (standalone, real processes)', function () {
  this.timeout(120000);
  const servers: ServerHandle[] = [];
  const clients: Redis[] = [];
  let primary: ServerHandle;
  let r1: ServerHandle;
  let r2: ServerHandle;
  let p: Redis;
  let c1: Redis;
  let c2: Redis;

  const connect = (s: ServerHandle): Redis => {
    const c = new Redis({ port: s.port, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 3, enableReadyCheck: false });
    clients.push(c);
    return c;
  };

  before(async () => {
    primary = await startServer(['--enable-debug-command', 'yes'], { port: await pairPort(), timeoutMs: 30000 });
    servers.push(primary);
    p = connect(primary);
    // Data that exists before the replicas attach comes through the snapshot.
    const pipe = p.pipeline();
    for (let i = 0; i < 2000; i++) pipe.set(`pre:s:${i}`, `v${i}`);
    for (let i = 0; i < 50; i++) pipe.rpush(`pre:l:${i}`, ...Array.from({ length: 30 }, (_, j) => `e${j}`));
    pipe.rpush('pre:biglist', ...Array.from({ length: 3000 }, (_, j) => `b${j}`));
    pipe.hset('pre:bighash', Object.fromEntries(Array.from({ length: 2000 }, (_, j) => [`f${j}`, `v${j}`])));
    pipe.zadd('pre:z', 1.5, 'a', -2, 'b', 1e300, 'c', 0.1, 'd');
    pipe.sadd('pre:set', 'x', 'y', '1', '2');
    pipe.set('pre:ttl', 'v', 'PX', 600000);
    pipe.select(2);
    pipe.set('db2key', 'in db 2');
    pipe.select(0);
    await pipe.exec();
    r1 = await startServer(['--replicaof', '127.0.0.1', String(primary.port)], { port: await pairPort(), timeoutMs: 30000 });
    r2 = await startServer(['--replicaof', '127.0.0.1', String(primary.port)], { port: await pairPort(), timeoutMs: 30000 });
    servers.push(r1, r2);
    c1 = connect(r1);
    c2 = connect(r2);
    for (const c of [c1, c2]) await eventually(async () => infoField(await c.info('replication'), 'master_link_status') === 'up', 'replica link up');
  });

  after(async () => {
    for (const c of clients) c.disconnect();
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('full sync copies a dataset of every type, in every database', async () => {
    assert.equal(await c1.dbsize(), await p.dbsize());
    assert.equal(await digest(c1), await digest(p));
    assert.equal(await c1.llen('pre:biglist'), 3000);
    assert.equal(await c2.hlen('pre:bighash'), 2000);
    assert.equal(await c1.zscore('pre:z', 'c'), await p.zscore('pre:z', 'c'));
    assert.ok((await c1.pttl('pre:ttl')) > 500000);
    await c1.select(2);
    assert.equal(await c1.get('db2key'), 'in db 2');
    await c1.select(0);
    const stats = await p.info('stats');
    assert.equal(infoField(stats, 'sync_full'), '2');
  });

  it('replicas converge under a write load of every type; WAIT 2 returns 2', async () => {
    const t0 = Date.now();
    const pipe = p.pipeline();
    for (let i = 0; i < 10000; i++) {
      switch (i % 7) {
        case 0:
          pipe.set(`k:${i}`, `v${i}`);
          break;
        case 1:
          pipe.set(`k:${i}`, `ttl${i}`, 'EX', 3600);
          break;
        case 2:
          pipe.rpush(`l:${i % 100}`, `e${i}`);
          break;
        case 3:
          pipe.hset(`h:${i % 100}`, `f${i}`, `v${i}`);
          break;
        case 4:
          pipe.sadd(`s:${i % 100}`, `m${i}`);
          break;
        case 5:
          pipe.zadd(`z:${i % 100}`, i / 7, `m${i}`);
          break;
        default:
          pipe.incrbyfloat(`f:${i % 50}`, '0.1');
      }
    }
    pipe.spop('s:1');
    pipe.spop('s:2', 3);
    pipe.lpop('l:3');
    pipe.expire('k:0', 1000);
    await pipe.exec();
    const waited = await p.wait(2, 10000);
    const lagMs = Date.now() - t0;
    assert.equal(waited, 2);
    const offset = infoField(await p.info('replication'), 'master_repl_offset');
    for (const c of [c1, c2]) assert.equal(infoField(await c.info('replication'), 'slave_repl_offset'), offset);
    assert.equal(await c1.dbsize(), await p.dbsize());
    assert.equal(await c2.dbsize(), await p.dbsize());
    const d = await digest(p);
    assert.equal(await digest(c1), d);
    assert.equal(await digest(c2), d);
    console.log(`      10,000 pipelined writes replicated to 2 replicas and acknowledged (WAIT) in ${lagMs} ms`);
    // Asking for more replicas than exist waits out the timeout and answers how many did acknowledge.
    await p.set('one-more', '1');
    const w0 = Date.now();
    assert.equal(await p.wait(3, 300), 2);
    assert.ok(Date.now() - w0 >= 290, 'WAIT blocked until its timeout');
  });

  it('ROLE and INFO replication describe both sides', async () => {
    const role = (await p.call('role')) as [string, number, [string, string, string][]];
    assert.equal(role[0], 'master');
    assert.equal(role[2].length, 2);
    assert.deepEqual(role[2].map((r) => Number(r[1])).sort(), [r1.port, r2.port].sort());
    const rrole = (await c1.call('role')) as [string, string, number, string, number];
    assert.deepEqual(rrole.slice(0, 4), ['slave', '127.0.0.1', primary.port, 'connected']);
    const info = await p.info('replication');
    assert.match(info, /^slave0:ip=127\.0\.0\.1,port=\d+,state=online,offset=\d+,lag=\d+\r?$/m);
    assert.equal(infoField(info, 'connected_slaves'), '2');
    assert.equal(infoField(info, 'repl_backlog_active'), '1');
    const rinfo = await c1.info('replication');
    assert.equal(infoField(rinfo, 'role'), 'slave');
    assert.equal(infoField(rinfo, 'master_sync_in_progress'), '0');
    assert.equal(infoField(rinfo, 'slave_read_only'), '1');
  });

  it('a replica refuses writes with READONLY', async () => {
    await assert.rejects(c1.set('x', '1'), /READONLY You can't write against a read only replica\./);
  });

  it('expiry on the primary reaches replicas as DEL; replicas never expire keys themselves', async () => {
    await p.call('debug', 'set-active-expire', '0');
    try {
      await p.set('exp:1', 'v', 'PX', 100);
      await p.wait(2, 5000);
      const before = await c1.dbsize();
      await new Promise((r) => setTimeout(r, 300));
      // Logically expired: the replica hides it from reads but keeps it until the primary says DEL.
      assert.equal(await c1.get('exp:1'), null);
      assert.equal(await c1.dbsize(), before);
      assert.equal(await p.get('exp:1'), null); // lazy expiry on the primary: DEL propagated
      await eventually(async () => (await c1.dbsize()) === before - 1, 'DEL reached replica 1');
      await eventually(async () => (await c2.dbsize()) === before - 1, 'DEL reached replica 2');
    } finally {
      await p.call('debug', 'set-active-expire', '1');
    }
  });

  it('a briefly cut link resumes with a partial resync', async () => {
    const stats0 = await p.info('stats');
    const full0 = Number(infoField(stats0, 'sync_full'));
    const partial0 = Number(infoField(stats0, 'sync_partial_ok'));
    const killed = await c1.call('client', 'kill', 'type', 'master');
    assert.equal(killed, 1);
    // Writes while the link is down come from the backlog.
    await p.set('during-cut', 'x');
    await eventually(async () => infoField(await c1.info('replication'), 'master_link_status') === 'up', 'link back up');
    await eventually(async () => (await c1.get('during-cut')) === 'x', 'write made during the cut');
    const stats1 = await p.info('stats');
    assert.equal(Number(infoField(stats1, 'sync_partial_ok')), partial0 + 1);
    assert.equal(Number(infoField(stats1, 'sync_full')), full0);
    assert.equal(await digest(c1), await digest(p));
  });

  it('a replica of a replica (chained) follows the stream its primary relays, in every database', async () => {
    const r3 = await startServer(['--replicaof', '127.0.0.1', String(r1.port)], { port: await pairPort(), timeoutMs: 30000 });
    servers.push(r3);
    const c3 = connect(r3);
    await eventually(async () => infoField(await c3.info('replication'), 'master_link_status') === 'up', 'chained link up');
    const p3 = new Redis({ port: primary.port, host: '127.0.0.1', db: 3 });
    clients.push(p3);
    await p3.set('in-db-3', 'three');
    await p.set('in-db-0', 'zero');
    await p.wait(2, 5000);
    await eventually(async () => (await c3.get('in-db-0')) === 'zero', 'chained write in db 0');
    await c3.select(3);
    assert.equal(await c3.get('in-db-3'), 'three');
    await c3.select(0);
    assert.equal(await digest(c3), await digest(p));
    assert.equal(infoField(await c1.info('replication'), 'connected_slaves'), '1');
  });

  it('REPLICAOF NO ONE promotes a replica; it keeps its data and accepts writes', async () => {
    const d = await digest(p);
    assert.equal(await c2.call('replicaof', 'no', 'one'), 'OK');
    assert.equal(infoField(await c2.info('replication'), 'role'), 'master');
    assert.equal(await digest(c2), d);
    assert.equal(await c2.set('after-promotion', '1'), 'OK');
    assert.equal(await p.get('after-promotion'), null);
    const rinfo = await c2.info('replication');
    assert.notEqual(infoField(rinfo, 'master_replid2'), '0000000000000000000000000000000000000000');
    // SLAVEOF is the same command; retarget back to the primary (a full sync: our history diverged).
    assert.equal(await c2.call('slaveof', '127.0.0.1', String(primary.port)), 'OK');
    await eventually(async () => infoField(await c2.info('replication'), 'master_link_status') === 'up', 'replica 2 relinked');
    await eventually(async () => (await c2.get('after-promotion')) === null, 'diverged write gone after resync');
    assert.equal(await digest(c2), await digest(p));
  });
});
