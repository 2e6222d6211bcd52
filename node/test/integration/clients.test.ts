import assert from 'node:assert/strict';
import net from 'node:net';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { redisCli, startServer, type ServerHandle } from '../support/server-process.js';

/** Sends raw RESP bytes on a fresh socket and collects what comes back until `until` matches. */
function rawExchange(port: number, host: string, payload: string, until: (text: string) => boolean, timeoutMs = 5000): Promise<{ text: string; elapsedMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const sock = net.connect({ port, host }, () => sock.write(payload));
    let text = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`timed out; got ${JSON.stringify(text)}`));
    }, timeoutMs);
    sock.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (until(text)) {
        clearTimeout(timer);
        sock.destroy();
        resolve({ text, elapsedMs: Date.now() - t0 });
      }
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

// The same expectations run against redis-server 7.0 too, which shows they
// encode Redis's behaviour rather than ours.
for (const binary of ['tessera', 'redis'] as const) describe(`clients against a real ${binary}-server`, function () {
  this.timeout(30000);
  let srv: ServerHandle;
  before(async () => {
    srv = await startServer([], { binary });
  });
  after(async () => {
    await srv?.stop();
  });

  it('ioredis (HELLO 3 on connect): INFO, CLIENT LIST, CLIENT SETNAME', async () => {
    const r = new Redis({ port: srv.port, host: srv.host, lazyConnect: true, connectionName: 'ioredis-test' });
    await r.connect();
    try {
      const info = await r.info('server');
      assert.match(info, /^# Server\r\nredis_version:7\.0\.15\r\n/);
      assert.match(info, new RegExp(`\\r\\ntcp_port:${srv.port}\\r\\n`));
      const list = (await r.client('LIST')) as string;
      const mine = list.split('\n').find((l) => l.includes('name=ioredis-test'));
      assert.ok(mine, list);
      assert.match(mine, /^id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=\d+ name=ioredis-test age=\d+ idle=\d+ flags=N db=0 .* cmd=client\|list user=default redir=-1 resp=3$/);
      const hello = (await r.call('HELLO', '3')) as unknown[];
      assert.deepEqual(hello.slice(0, 6), ['server', 'redis', 'version', '7.0.15', 'proto', 3]);
    } finally {
      r.disconnect();
    }
  });

  it('node-redis with RESP3', async () => {
    const client = createClient({ RESP: 3, socket: { port: srv.port, host: srv.host } });
    await client.connect();
    try {
      assert.equal(await client.ping(), 'PONG');
      const info = await client.info('clients');
      assert.match(String(info), /connected_clients:\d+/);
      const me = String(await client.sendCommand(['CLIENT', 'INFO']));
      assert.match(me, / resp=3\n?$/);
      const m = (await client.sendCommand(['HELLO', '3'])) as unknown;
      const entries = m instanceof Map ? [...m.entries()] : Object.entries(m as Record<string, unknown>);
      const proto = entries.find(([k]) => String(k) === 'proto');
      assert.equal(Number(proto?.[1]), 3);
    } finally {
      await client.quit();
    }
  });

  it('redis-cli: HELLO 3, INFO keyspace, COMMAND COUNT', async () => {
    const base = ['-h', srv.host, '-p', String(srv.port)];
    const hello = await redisCli([...base, 'HELLO', '3']);
    assert.equal(hello.code, 0);
    // redis-cli prints a map one "key value" pair per line, as against redis-server.
    assert.match(hello.stdout, /^server redis\nversion 7\.0\.15\nproto 3\nid \d+\nmode standalone\nrole master\nmodules \n$/);
    await redisCli([...base, 'SET', 'cli-key', 'v']);
    const ks = await redisCli([...base, 'INFO', 'keyspace']);
    assert.match(ks.stdout, /# Keyspace\r?\ndb0:keys=\d+,expires=0,avg_ttl=0/);
    const count = await redisCli([...base, 'COMMAND', 'COUNT']);
    assert.ok(Number(count.stdout.trim()) > 20);
  });

  it('MULTI/EXEC with a WATCH race between two connections', async () => {
    const a = new Redis({ port: srv.port, host: srv.host, lazyConnect: true });
    const b = new Redis({ port: srv.port, host: srv.host, lazyConnect: true });
    await a.connect();
    await b.connect();
    try {
      await a.set('balance', '100');
      await a.watch('balance');
      const seen = Number(await a.get('balance'));
      // The other connection wins the race.
      await b.incrby('balance', 5);
      const lost = await a.multi().set('balance', String(seen - 10)).exec();
      assert.equal(lost, null);
      assert.equal(await a.get('balance'), '105');
      // Retry without interference: it commits.
      await a.watch('balance');
      const now = Number(await a.get('balance'));
      const won = await a.multi().set('balance', String(now - 10)).get('balance').exec();
      assert.deepEqual(won, [[null, 'OK'], [null, '95']]);
      // A rejected command aborts the whole transaction.
      await assert.rejects(a.multi().set('balance', '0').call('NOSUCHCMD').exec(), /EXECABORT/);
      assert.equal(await a.get('balance'), '95');
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });

  it('CLIENT PAUSE WRITE holds a pipelined write in order and releases it on UNPAUSE', async () => {
    const admin = new Redis({ port: srv.port, host: srv.host, lazyConnect: true });
    await admin.connect();
    try {
      await admin.set('p', 'before');
      assert.equal(await admin.client('PAUSE', '10000', 'WRITE'), 'OK');
      const exchange = rawExchange(srv.port, srv.host, 'GET p\r\nSET p after\r\nGET p\r\n', (t) => t.split('\r\n').length >= 6);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await admin.get('p'), 'before', 'reads pass during a WRITE pause');
      assert.equal(await admin.client('UNPAUSE'), 'OK');
      const { text, elapsedMs } = await exchange;
      assert.equal(text, '$6\r\nbefore\r\n+OK\r\n$5\r\nafter\r\n');
      assert.ok(elapsedMs >= 250, `held for ${elapsedMs} ms`);
    } finally {
      admin.disconnect();
    }
  });

  it('CLIENT PAUSE ends by itself after its timeout', async () => {
    const admin = new Redis({ port: srv.port, host: srv.host, lazyConnect: true });
    await admin.connect();
    try {
      await admin.client('PAUSE', '400', 'WRITE');
      const { text, elapsedMs } = await rawExchange(srv.port, srv.host, 'SET q 1\r\n', (t) => t.endsWith('\r\n'));
      assert.equal(text, '+OK\r\n');
      assert.ok(elapsedMs >= 300 && elapsedMs < 3000, `held for ${elapsedMs} ms`);
    } finally {
      admin.disconnect();
    }
  });

  it('CLIENT KILL closes another connection; CLIENT REPLY OFF silences replies', async () => {
    const victim = new Redis({ port: srv.port, host: srv.host, lazyConnect: true, retryStrategy: () => null });
    const admin = new Redis({ port: srv.port, host: srv.host, lazyConnect: true });
    await victim.connect();
    await admin.connect();
    try {
      const id = await victim.client('ID');
      const closed = new Promise<void>((resolve) => victim.once('end', () => resolve()));
      assert.equal(await admin.client('KILL', 'ID', String(id)), 1);
      await closed;
      const { text } = await rawExchange(srv.port, srv.host, 'CLIENT REPLY OFF\r\nSET r 1\r\nCLIENT REPLY ON\r\nGET r\r\n', (t) => t.includes('$1\r\n1\r\n'));
      assert.equal(text, '+OK\r\n$1\r\n1\r\n');
    } finally {
      victim.disconnect();
      admin.disconnect();
    }
  });
});

for (const binary of ['tessera', 'redis'] as const) describe(`SHUTDOWN on a real ${binary}-server`, function () {
  this.timeout(30000);
  it('SHUTDOWN NOSAVE stops the process; SHUTDOWN ABORT with none in progress is refused', async () => {
    const srv = await startServer([], { binary });
    try {
      const base = ['-h', srv.host, '-p', String(srv.port)];
      const abort = await redisCli([...base, 'SHUTDOWN', 'ABORT']);
      assert.equal(abort.stdout.trim(), 'ERR No shutdown in progress.');
      const exited = new Promise<number | null>((resolve) => srv.proc.once('exit', (code) => resolve(code)));
      await redisCli([...base, 'SHUTDOWN', 'NOSAVE']);
      assert.equal(await exited, 0);
    } finally {
      await srv.stop();
    }
  });
});
