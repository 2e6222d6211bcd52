import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startServer, type ServerHandle } from '../support/server-process.js';

function nextMessage(r: Redis, event: 'message' | 'pmessage' | 'smessage'): Promise<string[]> {
  return new Promise((resolve) => r.once(event, (...args: string[]) => resolve(args)));
}

describe('pub/sub over TCP with ioredis', function () {
  this.timeout(30000);
  let srv: ServerHandle;
  const clients: Redis[] = [];
  const client = async (): Promise<Redis> => {
    const r = new Redis({ port: srv.port, host: srv.host, enableReadyCheck: false, lazyConnect: true });
    await r.connect();
    clients.push(r);
    return r;
  };
  before(async () => {
    srv = await startServer(['--notify-keyspace-events', 'KEA']);
  });
  after(async () => {
    for (const c of clients) c.disconnect();
    await srv?.stop();
  });

  it('SUBSCRIBE and PUBLISH between two connections', async () => {
    const sub = await client();
    const pub = await client();
    assert.equal(await sub.subscribe('news', 'sport'), 2);
    const got = nextMessage(sub, 'message');
    assert.equal(await pub.publish('news', 'hello'), 1);
    assert.deepEqual(await got, ['news', 'hello']);
    assert.deepEqual(await pub.call('PUBSUB', 'NUMSUB', 'news', 'none'), ['news', 1, 'none', 0]);
    await sub.unsubscribe();
    assert.equal(await pub.publish('news', 'again'), 0);
  });

  it('PSUBSCRIBE receives pmessage and keyspace notifications', async () => {
    const sub = await client();
    const other = await client();
    await sub.psubscribe('__keyevent@0__:*');
    const got = nextMessage(sub, 'pmessage');
    assert.equal(await other.call('PUBLISH', '__keyevent@0__:custom', 'k'), 1);
    assert.deepEqual(await got, ['__keyevent@0__:*', '__keyevent@0__:custom', 'k']);
    const ev = nextMessage(sub, 'pmessage');
    await other.set('watched-key', 'v');
    assert.deepEqual(await ev, ['__keyevent@0__:*', '__keyevent@0__:set', 'watched-key']);
  });

  it('a closed subscriber is removed from the channel', async () => {
    const sub = await client();
    const pub = await client();
    await sub.subscribe('gone');
    assert.equal(await pub.publish('gone', 'x'), 1);
    sub.disconnect();
    const deadline = Date.now() + 5000;
    while ((await pub.publish('gone', 'x')) !== 0) {
      assert.ok(Date.now() < deadline, 'subscriber still counted after disconnect');
      await new Promise((r) => setTimeout(r, 20));
    }
  });
});
