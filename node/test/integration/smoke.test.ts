import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startServer, type ServerHandle } from '../support/server-process.js';

describe('tessera-server process (smoke)', function () {
  this.timeout(30000);
  let srv: ServerHandle;
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv?.stop();
  });

  it('answers ioredis', async () => {
    const r = new Redis({ port: srv.port, host: srv.host, lazyConnect: true });
    await r.connect();
    try {
      assert.equal(await r.set('a', 'b'), 'OK');
      assert.equal(await r.get('a'), 'b');
    } finally {
      r.disconnect();
    }
  });
});
