// Online resharding of a Tessera cluster with redis-cli --cluster, as an
// operator does it against redis-server 7.0: three primaries, an empty fourth
// added with add-node, a third of the slots moved to it with reshard while an
// ioredis Redis.Cluster writer and reader run, rebalance back, del-node, and
// import from a standalone redis-server. Judged from outside: every
// acknowledged write is readable from the slot's new owner, no key lives on
// two primaries, the application saw no error, --cluster check is clean.
//
// nodes.conf lives on /dev/shm: every SETSLOT saves it, and with an fsync
// per save on a slow disk 5461 slots take minutes (see docs/resharding.md);
// this test is about behaviour, bench/reshard measures speed.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Redis, Cluster } from 'ioredis';
import { freePort, startServer, type ServerHandle } from '../support/server-process.js';
import { eventually } from '../support/eventually.js';

interface Proc {
  handle: ServerHandle;
  port: number;
  id: string;
}


/** redis-cli with a deadline of our choosing (a reshard outlives the shared helper's 30 s). */
function cli(args: string[], timeoutMs = 100000): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    p.stderr.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    p.on('error', reject);
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('exit', (code) => {
      clearTimeout(t);
      // Strip the colour codes redis-cli writes even to a pipe.
      resolve({ stdout: stdout.replace(/\x1b\[[0-9;]*m/g, ''), code: code ?? -1 });
    });
  });
}

function assertCheckClean(out: string): void {
  assert.match(out, /\[OK\] All nodes agree about slots configuration\./, out);
  assert.match(out, /\[OK\] All 16384 slots covered\./, out);
  assert.doesNotMatch(out, /\[ERR\]|\[WARNING\]/, out);
}

async function direct<T>(port: number, f: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  try {
    return await f(r);
  } finally {
    r.disconnect();
  }
}

/** Sum of ASK and MOVED replies the nodes sent (INFO errorstats). */
async function redirects(ports: number[]): Promise<{ ask: number; moved: number }> {
  let ask = 0;
  let moved = 0;
  for (const p of ports) {
    const info = await direct(p, (r) => r.info('errorstats'));
    ask += Number(/errorstat_ASK:count=(\d+)/.exec(info)?.[1] ?? 0);
    moved += Number(/errorstat_MOVED:count=(\d+)/.exec(info)?.[1] ?? 0);
  }
  return { ask, moved };
}

/** A writer and a reader on one ioredis Redis.Cluster, recording what was acknowledged and what surfaced. */
class Workload {
  readonly acked = new Map<string, string>();
  /** The acknowledged keys in order, for readers to pick from (O(1) per read). */
  private readonly ackedKeys: string[] = [];
  readonly surfaced: string[] = [];
  readonly mismatches: string[] = [];
  writes = 0;
  reads = 0;
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private seq = 0;

  constructor(private readonly c: Cluster, private readonly pauseMs = 0) {}

  start(writers: number, readers: number): void {
    for (let i = 0; i < writers; i++) this.loops.push(this.writeLoop());
    for (let i = 0; i < readers; i++) this.loops.push(this.readLoop());
  }

  private async writeLoop(): Promise<void> {
    while (this.running) {
      const n = this.seq++;
      const key = `w:${n}`;
      const value = `v${n}:${'x'.repeat(n % 50)}`;
      try {
        await this.c.set(key, value);
        this.acked.set(key, value);
        this.ackedKeys.push(key);
        this.writes++;
        if (this.pauseMs > 0) await new Promise((r) => setTimeout(r, this.pauseMs));
      } catch (e) {
        this.surfaced.push(`SET ${key}: ${(e as Error).message}`);
      }
    }
  }

  private async readLoop(): Promise<void> {
    const keys = this.ackedKeys;
    while (this.running) {
      if (keys.length === 0) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const key = keys[Math.floor(Math.random() * keys.length)]!;
      try {
        const got = await this.c.get(key);
        this.reads++;
        if (got !== this.acked.get(key)) this.mismatches.push(`GET ${key}: ${String(got)}`);
      } catch (e) {
        this.surfaced.push(`GET ${key}: ${(e as Error).message}`);
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

describe('resharding with redis-cli --cluster (tessera-server)', function () {
  this.timeout(180000);
  const procs: Proc[] = [];
  const confDir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'tessera-reshard-'));
  const extra: ServerHandle[] = [];
  let cluster: Cluster | null = null;

  async function startNode(i: number): Promise<Proc> {
    const busPort = await freePort();
    // Replica migration off: with it on (the default), Redis 7.0 turns a primary that gave away its
    // last slot into a replica of the new owner, and this test keeps the emptied A as a primary.
    const handle = await startServer(['--cluster-enabled', 'yes', '--cluster-port', String(busPort), '--cluster-node-timeout', '2000', '--cluster-allow-replica-migration', 'no', '--cluster-config-file', path.join(confDir, `nodes-${i}.conf`)]);
    const id = await direct(handle.port, (r) => r.call('CLUSTER', 'MYID') as Promise<string>);
    return { handle, port: handle.port, id };
  }
  const addr = (p: Proc): string => `127.0.0.1:${p.port}`;
  const ports = (): number[] => procs.map((p) => p.port);
  /** The nodes that are primaries now (an emptied primary may have become a replica, as in Redis 7.0). */
  const primaries = async (): Promise<Proc[]> => {
    const out: Proc[] = [];
    for (const p of procs) if (/myself,master/.test(await direct(p.port, (x) => x.cluster('NODES') as Promise<string>))) out.push(p);
    return out;
  };

  before(async () => {
    for (let i = 0; i < 4; i++) procs.push(await startNode(i));
    const [a, b, c] = procs;
    const r = await cli(['--cluster', 'create', addr(a!), addr(b!), addr(c!), '--cluster-replicas', '0', '--cluster-yes']);
    assert.match(r.stdout, /\[OK\] All 16384 slots covered/, r.stdout);
    for (const p of procs.slice(0, 3)) {
      await eventually(async () => assert.match(await direct(p.port, (x) => (x.cluster('INFO') as Promise<string>)), /cluster_state:ok/), { timeoutMs: 15000, what: 'cluster_state:ok' });
    }
  });

  after(async () => {
    cluster?.disconnect();
    for (const p of procs) await p.handle.stop();
    for (const h of extra) await h.stop();
    fs.rmSync(confDir, { recursive: true, force: true });
  });

  it('add-node joins an empty primary that every node learns of', async () => {
    const [a, , , d] = procs;
    const r = await cli(['--cluster', 'add-node', addr(d!), addr(a!)]);
    assert.match(r.stdout, /\[OK\] New node added correctly\./, r.stdout);
    for (const p of procs) {
      await eventually(async () => assert.match(await direct(p.port, (x) => (x.cluster('INFO') as Promise<string>)), /cluster_known_nodes:4\r?\n[\s\S]*cluster_state:ok|cluster_state:ok[\s\S]*cluster_known_nodes:4/), { timeoutMs: 15000, what: `node ${p.port} knows 4 nodes` });
    }
    await eventually(async () => assertCheckClean((await cli(['--cluster', 'check', addr(a!)])).stdout), { timeoutMs: 15000, what: 'check clean after add-node' });
  });

  it('reshard moves 5461 slots A -> D under a live ioredis writer and reader; nothing lost, nothing doubled, no error surfaced', async () => {
    const [a, , , d] = procs;
    cluster = new Cluster([{ host: '127.0.0.1', port: a!.port }], { enableOfflineQueue: true, maxRedirections: 32 });
    // Data on A before the move, of several types.
    await Promise.all(Array.from({ length: 3000 }, (_, i) => cluster!.set(`pre:${i}`, `p${i}`)));
    await cluster.hset('{pre}:h', Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, `v${i}`])));
    await cluster.rpush('{pre}:l', ...Array.from({ length: 200 }, (_, i) => `e${i}`));
    for (const p of procs) await direct(p.port, (x) => x.config('RESETSTAT'));

    // Paced so that the keys written stay few enough to check one by one afterwards.
    const w = new Workload(cluster, 2);
    w.start(4, 2);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const r = await cli(['--cluster', 'reshard', addr(a!), '--cluster-from', a!.id, '--cluster-to', d!.id, '--cluster-slots', '5461', '--cluster-yes']);
    const reshardMs = Date.now() - started;
    await new Promise((r2) => setTimeout(r2, 300));
    await w.stop();
    assert.equal(r.code, 0, r.stdout.slice(-2000));
    assert.doesNotMatch(r.stdout, /\[ERR\]/, r.stdout.slice(-2000));
    const seen = await redirects(ports());
    console.log(`      reshard of 5461 slots: ${reshardMs} ms; workload: ${w.writes} writes, ${w.reads} reads; redirects sent: ASK ${seen.ask}, MOVED ${seen.moved}; errors surfaced: ${w.surfaced.length}`);
    assert.deepEqual(w.surfaced, [], 'errors surfaced to the application');
    assert.deepEqual(w.mismatches, [], 'reads that did not return the acknowledged value');
    assert.ok(w.writes > 100, `the writer ran during the move (${w.writes})`);
    assert.ok(seen.ask + seen.moved > 0, 'the client was redirected');

    // A owns nothing; D owns exactly A's old range.
    const slotsText = await direct(d!.port, (x) => (x.cluster('NODES') as Promise<string>));
    assert.match(slotsText.split('\n').find((l) => l.includes('myself'))!, / 0-5460$/);
    assert.equal(await direct(a!.port, (x) => x.dbsize()), 0);

    // Every acknowledged write is readable through the cluster, and each key is on exactly one primary.
    const expected = new Map<string, string>(w.acked);
    for (let i = 0; i < 3000; i++) expected.set(`pre:${i}`, `p${i}`);
    const keys = [...expected.keys()];
    const got = await Promise.all(keys.map((k) => cluster!.get(k)));
    const lost = keys.filter((k, i) => got[i] !== expected.get(k));
    assert.deepEqual(lost.slice(0, 10), [], `${lost.length} acknowledged writes not readable`);
    assert.equal(await cluster.hlen('{pre}:h'), 500);
    assert.equal(await cluster.llen('{pre}:l'), 200);
    const holders = new Map<string, number>();
    const owners = await primaries();
    for (const p of owners) {
      const exists = await direct(p.port, async (x) => {
        const pl = x.pipeline();
        for (const k of keys) pl.exists(k);
        return (await pl.exec())!.map(([, v]) => v as number);
      });
      keys.forEach((k, i) => exists[i] === 1 && holders.set(k, (holders.get(k) ?? 0) + 1));
    }
    const doubled = keys.filter((k) => (holders.get(k) ?? 0) !== 1);
    assert.deepEqual(doubled.slice(0, 10), [], `${doubled.length} keys not on exactly one primary`);
    let total = 0;
    for (const p of owners) total += await direct(p.port, (x) => x.dbsize());
    assert.equal(total, keys.length + 2);

    const check = await eventually(async () => {
      const out = (await cli(['--cluster', 'check', addr(d!)])).stdout;
      assertCheckClean(out);
      return out;
    }, { timeoutMs: 15000, what: 'check clean after reshard' });
    console.log(check.split('\n').map((l) => '      | ' + l).join('\n'));
  });

  it('CLUSTER SETSLOT NODE is refused on a source that still holds keys of the slot, with no change', async () => {
    const [, b, , d] = procs;
    // redis-cli --cluster create gave B 5461-10922; find a key of ours there.
    let key = '';
    let slot = -1;
    for (let i = 0; i < 3000 && slot < 0; i++) {
      const s2 = Number(await direct(b!.port, (x) => x.cluster('KEYSLOT', `pre:${i}`) as Promise<number>));
      if (s2 >= 5461 && s2 <= 10922) [key, slot] = [`pre:${i}`, s2];
    }
    assert.ok(slot >= 0);
    const before = await direct(b!.port, (x) => (x.cluster('NODES') as Promise<string>));
    await assert.rejects(direct(b!.port, (x) => x.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', d!.id)), { message: `ERR Can't assign hashslot ${slot} to a different node while I still hold keys for this hash slot.` });
    assert.equal(await direct(b!.port, (x) => (x.cluster('NODES') as Promise<string>)).then((t) => t.split('\n').find((l) => l.includes('myself'))!.split(' ').slice(8).join(' ')), before.split('\n').find((l) => l.includes('myself'))!.split(' ').slice(8).join(' '));
    assert.equal(await cluster!.get(key), key.replace('pre:', 'p'));
  });

  it('rebalance with D weighted 0 moves its slots back to the other primaries; check is clean', async () => {
    const [a, b, c, d] = procs;
    const w = new Workload(cluster!, 5);
    w.start(2, 1);
    const r = await cli(['--cluster', 'rebalance', addr(a!), '--cluster-weight', `${d!.id}=0`]);
    await w.stop();
    assert.equal(r.code, 0, r.stdout.slice(-2000));
    assert.match(r.stdout, /Moving \d+ slots from 127\.0\.0\.1:\d+ to 127\.0\.0\.1:\d+/, r.stdout.slice(-2000));
    assert.deepEqual(w.surfaced, []);
    assert.deepEqual(w.mismatches, []);
    assert.equal(await direct(d!.port, (x) => x.dbsize()), 0);
    const nodesText = await direct(b!.port, (x) => (x.cluster('NODES') as Promise<string>));
    assert.match(nodesText.split('\n').find((l) => l.startsWith(d!.id))!, /connected$/, 'D owns no slot');
    for (const k of [...w.acked.keys()].slice(0, 2000)) assert.equal(await cluster!.get(k), w.acked.get(k));
    void c;
    await eventually(async () => assertCheckClean((await cli(['--cluster', 'check', addr(a!)])).stdout), { timeoutMs: 15000, what: 'check clean after rebalance' });
  });

  it('del-node removes the emptied node: the others forget it, it resets', async () => {
    const [a, b, c, d] = procs;
    const r = await cli(['--cluster', 'del-node', addr(a!), d!.id]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /SHUTDOWN the node\.|Sending CLUSTER RESET SOFT to the deleted node\./, r.stdout);
    for (const p of [a!, b!, c!]) {
      await eventually(async () => {
        const text = await direct(p.port, (x) => (x.cluster('NODES') as Promise<string>));
        assert.ok(!text.includes(d!.id), `${p.port} still lists D`);
      }, { timeoutMs: 10000, what: 'D forgotten' });
    }
    await eventually(async () => assertCheckClean((await cli(['--cluster', 'check', addr(b!)])).stdout), { timeoutMs: 15000, what: 'check clean after del-node' });
    // Gossip must not bring the forgotten node back within Redis's 60 s blacklist.
    await new Promise((r2) => setTimeout(r2, 2500));
    assert.ok(!(await direct(b!.port, (x) => (x.cluster('NODES') as Promise<string>))).includes(d!.id));
  });

  it('add-node --cluster-slave (needs CLUSTER REPLICATE)', async function () {
    const [a] = procs;
    const e = await startNode(9);
    extra.push(e.handle);
    const r = await cli(['--cluster', 'add-node', addr(e), addr(a!), '--cluster-slave', '--cluster-master-id', a!.id]);
    if (/not implemented/.test(r.stdout)) {
      console.log(`      skipped: ${/.*not implemented.*/.exec(r.stdout)![0].trim()}`);
      this.skip();
    }
    assert.match(r.stdout, /\[OK\] New node added correctly\./, r.stdout);
    await eventually(async () => assert.match(await direct(a!.port, (x) => x.cluster('NODES') as Promise<string>), new RegExp(`${e.id} \\S+ slave ${a!.id}`)), { timeoutMs: 15000, what: 'replica listed' });
    assertCheckClean((await cli(['--cluster', 'check', addr(a!)])).stdout);
  });

  it('import MIGRATEs every key of a standalone redis-server into the cluster', async () => {
    const [a] = procs;
    const src = await startServer([], { binary: 'redis' });
    extra.push(src);
    const N = 2000;
    await direct(src.port, async (x) => {
      const pl = x.pipeline();
      for (let i = 0; i < N; i++) pl.set(`imp:${i}`, `i${i}`);
      pl.hset('imp:hash', 'a', '1', 'b', '2');
      pl.zadd('imp:zset', 1, 'one', 2, 'two');
      pl.sadd('imp:set', 'x', 'y', 'z');
      pl.set('imp:ttl', 'soon', 'EX', 1000);
      await pl.exec();
    });
    const r = await cli(['--cluster', 'import', addr(a!), '--cluster-from', `127.0.0.1:${src.port}`, '--cluster-replace']);
    assert.equal(r.code, 0, r.stdout.slice(-2000));
    assert.doesNotMatch(r.stdout, /\[ERR\]|Migrating .* failed/, r.stdout.slice(-2000));
    assert.equal(await direct(src.port, (x) => x.dbsize()), 0, 'import moves the keys out of the source');
    const got = await Promise.all(Array.from({ length: N }, (_, i) => cluster!.get(`imp:${i}`)));
    got.forEach((v, i) => assert.equal(v, `i${i}`));
    assert.deepEqual(await cluster!.hgetall('imp:hash'), { a: '1', b: '2' });
    assert.deepEqual(await cluster!.zrange('imp:zset', '0', '-1'), ['one', 'two']);
    assert.equal(await cluster!.scard('imp:set'), 3);
    const ttl = await cluster!.ttl('imp:ttl');
    assert.ok(ttl > 900 && ttl <= 1000, `TTL kept (${ttl})`);
    assertCheckClean((await cli(['--cluster', 'check', addr(a!)])).stdout);
  });
});
