// Three real tessera-server processes formed into a cluster by
// `redis-cli --cluster create`, then used as Redis Cluster by redis-cli,
// ioredis's Redis.Cluster and node-redis's createCluster. Every process is
// started through startServer(), which kills it even if a test fails.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Redis, Cluster } from 'ioredis';
import { createCluster } from 'redis';
import { freePort, redisCli, startServer, TESSERA_BIN, type ServerHandle } from '../support/server-process.js';
import { eventually } from '../support/eventually.js';


interface ClusterNodeProc {
  handle: ServerHandle;
  busPort: number;
  dir: string;
}

function nodeArgs(busPort: number, extra: string[] = []): string[] {
  return ['--cluster-enabled', 'yes', '--cluster-port', String(busPort), '--cluster-node-timeout', '2000', '--cluster-config-file', 'nodes.conf', ...extra];
}

async function startNode(): Promise<ClusterNodeProc> {
  const busPort = await freePort();
  const handle = await startServer(nodeArgs(busPort));
  return { handle, busPort, dir: handle.dir };
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const r = await redisCli(['-p', String(port), ...args]);
  return r.stdout.trim();
}

describe('cluster: three tessera-server nodes', function () {
  this.timeout(120000);
  const nodes: ClusterNodeProc[] = [];

  before(async () => {
    for (let i = 0; i < 3; i++) nodes.push(await startNode());
    const addrs = nodes.map((n) => `127.0.0.1:${n.handle.port}`);
    const r = await redisCli(['--cluster', 'create', ...addrs, '--cluster-replicas', '0', '--cluster-yes']);
    assert.match(r.stdout, /\[OK\] All 16384 slots covered/, r.stdout + r.stderr);
    for (const n of nodes) {
      await eventually(async () => assert.match(await cli(n.handle.port, 'cluster', 'info'), /cluster_state:ok/), { timeoutMs: 15000, what: 'cluster_state:ok' });
    }
  });

  after(async () => {
    for (const n of nodes) await n.handle.stop();
  });

  it('redis-cli --cluster check and info agree with redis-server', async () => {
    const check = await redisCli(['--cluster', 'check', `127.0.0.1:${nodes[0]!.handle.port}`]);
    assert.match(check.stdout, /\[OK\] All nodes agree about slots configuration\./);
    assert.match(check.stdout, /\[OK\] All 16384 slots covered\./);
    assert.doesNotMatch(check.stdout, /\[ERR\]|\[WARNING\]/);
    const info = await redisCli(['--cluster', 'info', `127.0.0.1:${nodes[1]!.handle.port}`]);
    for (const n of nodes) assert.match(info.stdout, new RegExp(`127\\.0\\.0\\.1:${n.handle.port} \\([0-9a-f]{8}\\.\\.\\.\\) -> \\d+ keys \\| \\d+ slots \\| 0 slaves\\.`));
    assert.match(info.stdout, /keys in 3 masters/);
  });

  it('CLUSTER NODES, SLOTS and INFO describe the same three primaries', async () => {
    const text = await cli(nodes[0]!.handle.port, 'cluster', 'nodes');
    const lines = text.split('\n');
    assert.equal(lines.length, 3);
    for (const l of lines) assert.match(l, /^[0-9a-f]{40} 127\.0\.0\.1:\d+@\d+ (myself,)?master - \d+ \d+ \d+ connected \d+-\d+$/);
    const info = await cli(nodes[2]!.handle.port, 'cluster', 'info');
    assert.match(info, /cluster_slots_assigned:16384/);
    assert.match(info, /cluster_known_nodes:3/);
    assert.match(info, /cluster_size:3/);
  });

  it('redis-cli -c follows MOVED', async () => {
    const port = nodes[0]!.handle.port;
    // "a" hashes to 15495, which the first node (0-5460) does not own.
    assert.equal(await cli(port, 'set', 'a', 'x'), 'MOVED 15495 127.0.0.1:' + nodes[2]!.handle.port);
    assert.equal(await cli(port, '-c', 'set', 'a', 'x'), 'OK');
    assert.equal(await cli(port, '-c', 'get', 'a'), 'x');
    assert.equal(await cli(nodes[2]!.handle.port, 'cluster', 'countkeysinslot', '15495'), '1');
    assert.equal(await cli(nodes[2]!.handle.port, 'cluster', 'getkeysinslot', '15495', '10'), 'a');
  });

  it('ioredis Redis.Cluster: 10,000 keys over all slots, hash tags, MULTI/EXEC, CROSSSLOT', async () => {
    const c = new Cluster([{ host: '127.0.0.1', port: nodes[0]!.handle.port }], { enableOfflineQueue: true });
    try {
      const N = 10000;
      await Promise.all(Array.from({ length: N }, (_, i) => c.set(`key:${i}`, `v${i}`)));
      const got = await Promise.all(Array.from({ length: N }, (_, i) => c.get(`key:${i}`)));
      for (let i = 0; i < N; i++) assert.equal(got[i], `v${i}`);
      let total = 0;
      for (const n of nodes) {
        const r = new Redis({ port: n.handle.port, lazyConnect: true });
        await r.connect();
        const size = await r.dbsize();
        assert.ok(size > 2000, `each primary holds a share (${size})`);
        total += size;
        r.disconnect();
      }
      assert.ok(total >= N);
      assert.equal(await c.mset('{user:1}:name', 'ann', '{user:1}:age', '33'), 'OK');
      assert.deepEqual(await c.mget('{user:1}:name', '{user:1}:age'), ['ann', '33']);
      const tx = await c.multi().incr('{acct}:n').incr('{acct}:n').get('{acct}:n').exec();
      assert.deepEqual(tx?.map(([e, v]) => [e, v]), [[null, 1], [null, 2], [null, '2']]);
      await assert.rejects(c.mget('b', 'f'), /CROSSSLOT Keys in request don't hash to the same slot/);
      const info = await redisCli(['--cluster', 'info', `127.0.0.1:${nodes[0]!.handle.port}`]);
      assert.match(info.stdout, /\[OK\] \d+ keys in 3 masters/);
    } finally {
      c.disconnect();
    }
  });

  it('node-redis createCluster: keys over all slots, hash tags, MULTI/EXEC', async () => {
    const c = createCluster({ rootNodes: [{ url: `redis://127.0.0.1:${nodes[1]!.handle.port}` }] });
    await c.connect();
    try {
      await Promise.all(Array.from({ length: 2000 }, (_, i) => c.set(`nr:${i}`, String(i))));
      const got = await Promise.all(Array.from({ length: 2000 }, (_, i) => c.get(`nr:${i}`)));
      for (let i = 0; i < 2000; i++) assert.equal(got[i], String(i));
      await c.mSet({ '{t}:a': '1', '{t}:b': '2' });
      assert.deepEqual(await c.mGet(['{t}:a', '{t}:b']), ['1', '2']);
      const tx = await c.multi().incr('{nr}:x').incr('{nr}:x').exec();
      assert.deepEqual(tx, [1, 2]);
      // Against redis-server 7.0 node-redis 6 answers a cross-slot MGET with
      // [null, null] rather than CROSSSLOT (checked by hand); we only require the same.
      assert.deepEqual(await c.mGet(['b', 'f']), [null, null]);
    } finally {
      await c.disconnect();
    }
  });

  it('PUBLISH reaches subscribers on every node', async () => {
    const sub = new Redis({ port: nodes[2]!.handle.port });
    const pub = new Redis({ port: nodes[0]!.handle.port });
    try {
      const got = new Promise<string>((resolve) => sub.on('message', (_ch: string, msg: string) => resolve(msg)));
      await sub.subscribe('news');
      await eventually(async () => {
        await pub.publish('news', 'hello');
        const m = await Promise.race([got, new Promise<string>((_, rej) => setTimeout(() => rej(new Error('no message yet')), 300))]);
        assert.equal(m, 'hello');
      }, { timeoutMs: 5000, what: 'message delivered across nodes' });
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });

  it('bad input is refused in Redis words and changes nothing', async () => {
    const port = nodes[0]!.handle.port;
    const before = await cli(port, 'cluster', 'nodes');
    const myId = await cli(port, 'cluster', 'myid');
    assert.equal(await cli(port, 'cluster', 'meet', '1.2.3', '4'), 'ERR Invalid node address specified: 1.2.3:4');
    assert.equal(await cli(port, 'cluster', 'meet', '127.0.0.1', 'abc'), 'ERR Invalid TCP base port specified: abc');
    assert.equal(await cli(port, 'cluster', 'addslots', '1'), 'ERR Slot 1 is already busy');
    assert.equal(await cli(port, 'cluster', 'addslots', '99999'), 'ERR Invalid or out of range slot');
    assert.equal(await cli(port, 'cluster', 'addslotsrange', '10', '5'), 'ERR start slot number 10 is greater than end slot number 5');
    assert.equal(await cli(port, 'cluster', 'addslotsrange', '5'), "ERR wrong number of arguments for 'cluster|addslotsrange' command");
    assert.equal(await cli(port, 'cluster', 'forget', myId), "ERR I tried hard but I can't forget myself...");
    assert.equal(await cli(port, 'cluster', 'forget', 'abc'), 'ERR Unknown node abc');
    assert.equal(await cli(port, 'select', '1'), 'ERR SELECT is not allowed in cluster mode');
    const after = await cli(port, 'cluster', 'nodes');
    const strip = (t: string): string => t.replace(/ \d+ \d+ (\d+ connected)/g, ' $1');
    assert.equal(strip(after), strip(before));
  });

  it('a node killed and restarted rejoins from its nodes.conf with its id and slots', async () => {
    const victim = nodes[1]!;
    const id = await cli(victim.handle.port, 'cluster', 'myid');
    const slotsBefore = (await cli(victim.handle.port, 'cluster', 'nodes')).split('\n').find((l) => l.startsWith(id))!.split(' ').slice(8).join(' ');
    victim.handle.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const conf = fs.readFileSync(path.join(victim.dir, 'nodes.conf'), 'latin1');
    assert.match(conf, new RegExp(`^${id} .* myself,master `, 'm'));
    const handle = await startServer([...nodeArgs(victim.busPort), '--dir', victim.dir], { port: victim.handle.port });
    nodes[1] = { handle, busPort: victim.busPort, dir: victim.dir };
    assert.equal(await cli(handle.port, 'cluster', 'myid'), id);
    await eventually(async () => {
      for (const n of nodes) assert.match(await cli(n.handle.port, 'cluster', 'info'), /cluster_state:ok/);
      const line = (await cli(nodes[0]!.handle.port, 'cluster', 'nodes')).split('\n').find((l) => l.startsWith(id))!;
      assert.match(line, / connected /);
      assert.equal(line.split(' ').slice(8).join(' '), slotsBefore);
    }, { timeoutMs: 20000, what: 'restarted node rejoined' });
    const check = await redisCli(['--cluster', 'check', `127.0.0.1:${handle.port}`]);
    assert.match(check.stdout, /\[OK\] All 16384 slots covered\./);
  });

  it('a corrupt nodes.conf stops the node with exit 1 and names the line', async () => {
    const dir = fs.mkdtempSync(path.join(nodes[0]!.dir, 'corrupt-'));
    const good = fs.readFileSync(path.join(nodes[0]!.dir, 'nodes.conf'), 'latin1');
    fs.writeFileSync(path.join(dir, 'nodes.conf'), good.replace(/connected 0-5460/, 'connected 0-54x0'));
    const port = await freePort();
    const r = spawnSync(TESSERA_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...nodeArgs(await freePort())], { encoding: 'latin1', timeout: 15000 });
    assert.equal(r.status, 1);
    assert.match(r.stdout + r.stderr, /corrupted cluster config file ".*0-54x0" \(line \d+: bad slot range "0-54x0"\)/);
  });
});
