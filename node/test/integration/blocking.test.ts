import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startServer, type ServerHandle } from '../support/server-process.js';

describe('blocking list commands over real connections', function () {
  this.timeout(30000);
  let srv: ServerHandle;
  const clients: Redis[] = [];

  async function connect(): Promise<Redis> {
    const r = new Redis({ port: srv.port, host: srv.host, enableReadyCheck: false, lazyConnect: true, maxRetriesPerRequest: 0 });
    await r.connect();
    clients.push(r);
    return r;
  }

  before(async () => {
    srv = await startServer();
  });
  afterEach(() => {
    for (const r of clients.splice(0)) r.disconnect();
  });
  after(async () => {
    await srv?.stop();
  });

  it('BLPOP is woken by another connection\'s LPUSH, and keeps the pipeline order', async () => {
    const waiter = await connect();
    const pusher = await connect();
    await waiter.del('q');
    const popped = waiter.blpop('q', 0);
    // A command pipelined behind the blocked one runs only after it is served.
    const after = waiter.ping('after');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await pusher.lpush('q', 'hello'), 1);
    assert.deepEqual(await popped, ['q', 'hello']);
    assert.equal(await after, 'after');
    assert.equal(await pusher.exists('q'), 0);
  });

  it('BLPOP times out with a null reply close to its deadline', async () => {
    const waiter = await connect();
    const t0 = Date.now();
    assert.equal(await waiter.blpop('never', 0.2), null);
    const elapsed = Date.now() - t0;
    assert.ok(elapsed >= 190, `returned after ${elapsed} ms`);
    assert.ok(elapsed < 1000, `returned after ${elapsed} ms`);
  });

  it('BLMOVE is served by a push and CLIENT UNBLOCK ends a wait', async () => {
    const a = await connect();
    const b = await connect();
    const moved = a.blmove('src', 'dst', 'LEFT', 'RIGHT', 5);
    await new Promise((r) => setTimeout(r, 50));
    await b.rpush('src', 'v');
    assert.equal(await moved, 'v');
    assert.deepEqual(await b.lrange('dst', 0, -1), ['v']);

    const id = Number(await a.client('ID'));
    const waiting = a.brpop('nothing', 0);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await b.client('UNBLOCK', id), 1);
    assert.equal(await waiting, null);
  });
});
