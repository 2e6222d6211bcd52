// MIGRATE's socket side against a scripted TCP peer on 127.0.0.1:17612:
// replies read as lines even when split across reads, exchanges on one
// link queued so replies never interleave, and timeouts/closes reported as
// Redis's "reading" I/O errors with the link forgotten.

import assert from 'node:assert/strict';
import net from 'node:net';
import { MigrateClient } from '../../src/server/migrate-client.js';
import type { MigrateExchange, MigrateLink } from '../../src/commands/generic/migrate.js';

const PORT = 17612;

/** A peer that hands each received chunk to `onData` with its socket. */
async function peer(onData: (sock: net.Socket, data: Buffer) => void): Promise<{ server: net.Server; sockets: Set<net.Socket> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('data', (d) => onData(sock, d));
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(PORT, '127.0.0.1', () => resolve());
  });
  return { server, sockets };
}

async function stop(p: { server: net.Server; sockets: Set<net.Socket> }): Promise<void> {
  for (const s of p.sockets) s.destroy();
  await new Promise<void>((resolve) => p.server.close(() => resolve()));
}

function exchange(client: MigrateClient, link: MigrateLink, text: string, replyCount: number, timeoutMs = 2000): Promise<MigrateExchange> {
  return new Promise((resolve) => client.exchange(link, [Buffer.from(text)], replyCount, timeoutMs, resolve));
}

describe('MigrateClient (scripted peer)', () => {
  let client: MigrateClient;
  let p: { server: net.Server; sockets: Set<net.Socket> } | undefined;
  beforeEach(() => {
    client = new MigrateClient();
  });
  afterEach(async () => {
    client.stop();
    if (p) await stop(p);
    p = undefined;
  });

  it('reads replies split across reads, errors with their text; exchanges on a link do not interleave', async () => {
    p = await peer((sock, data) => {
      // Each request is "n\n" (pipelined requests may share a read): answer n replies each, in awkward pieces.
      let text = '';
      for (const line of data.toString().split('\n')) {
        if (line === '') continue;
        const n = Number(line);
        text += '+OK\r\n'.repeat(n - 1) + '-BUSYKEY Target key name already exists.\r\n';
      }
      sock.write(text.slice(0, 2));
      setTimeout(() => sock.write(text.slice(2)), 5);
    });
    const link = await client.connect('127.0.0.1', PORT, 1000);
    assert.ok(link);
    assert.equal(client.cached('127.0.0.1', PORT), link);
    const [a, b] = await Promise.all([exchange(client, link, '3\n', 3), exchange(client, link, '2\n', 2)]);
    assert.deepEqual(a, {
      replies: [
        { error: false, text: 'OK' },
        { error: false, text: 'OK' },
        { error: true, text: 'BUSYKEY Target key name already exists.' },
      ],
      ioError: null,
      timedOut: false,
    });
    assert.deepEqual(
      b.replies.map((r) => r.error),
      [false, true],
    );
  });

  it('a silent peer: a reading timeout, and the link is forgotten', async () => {
    p = await peer(() => {});
    const link = await client.connect('127.0.0.1', PORT, 1000);
    assert.ok(link);
    const ex = await exchange(client, link, 'x\n', 1, 100);
    assert.deepEqual(ex, { replies: [], ioError: 'reading', timedOut: true });
    assert.equal(client.cached('127.0.0.1', PORT), null);
  });

  it('a peer that closes mid-exchange: a reading error with the replies read so far, not a timeout', async () => {
    p = await peer((sock) => sock.end('+OK\r\n'));
    const link = await client.connect('127.0.0.1', PORT, 1000);
    assert.ok(link);
    const ex = await exchange(client, link, 'x\n', 2);
    assert.equal(ex.ioError, 'reading');
    assert.equal(ex.timedOut, false);
    assert.equal(ex.replies.length, 1);
    // A later exchange on the dead link fails at once (MIGRATE then reconnects).
    const again = await exchange(client, link, 'x\n', 1);
    assert.equal(again.ioError, 'writing');
  });

  it('pipelines exchanges on a link (the second is written before the first is answered); a close ends both', async () => {
    let seen = '';
    p = await peer((sock, data) => {
      seen += data.toString();
      // Answers only once both requests are in: a link that waited for the first reply would time out.
      if (seen === 'a\nb\n') sock.write('+OK\r\n+OK\r\n-ERR x\r\n');
      if (seen.endsWith('c\nd\n')) sock.end('+OK\r\n');
    });
    const link = await client.connect('127.0.0.1', PORT, 1000);
    assert.ok(link);
    const [a, b] = await Promise.all([exchange(client, link, 'a\n', 2, 500), exchange(client, link, 'b\n', 1, 500)]);
    assert.deepEqual(a, { replies: [{ error: false, text: 'OK' }, { error: false, text: 'OK' }], ioError: null, timedOut: false });
    assert.deepEqual(b, { replies: [{ error: true, text: 'ERR x' }], ioError: null, timedOut: false });
    const [c, d] = await Promise.all([exchange(client, link, 'c\n', 2), exchange(client, link, 'd\n', 1)]);
    assert.equal(c.ioError, 'reading');
    assert.equal(c.replies.length, 1);
    assert.deepEqual(d, { replies: [], ioError: 'reading', timedOut: false });
    assert.equal(client.cached('127.0.0.1', PORT), null);
  });
});
