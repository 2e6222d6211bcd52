// Failover with real processes: a 3 x 1 tessera cluster in three zones,
// cluster-node-timeout 1000, an ioredis workload; kill -9, SIGSTOP, a fast
// restart without data, a short replication cut, SIGTERM handover, and sync
// mode. Each test starts its own cluster and stops it even when it fails.

import assert from 'node:assert/strict';
import { Cluster } from 'ioredis';
import { redisCli } from '../support/server-process.js';
import { cli, firstWriteMs, infoField, keyOwnedBy, NODE_TIMEOUT_MS, restartZoneNode, startZoneCluster, waitHealthy, watchFlags, liveShard, type ZoneCluster, type ZoneNode } from './failover-support.js';
import { eventually } from '../support/eventually.js';

/** Writers through Redis.Cluster on keys `${prefix}${i}`; returns the acknowledged keys when stopped. */
function workload(seeds: { host: string; port: number }[], prefix: string, writers = 4): { stop(): Promise<Set<string>>; client: Cluster } {
  const client = new Cluster(seeds, { slotsRefreshInterval: 1000, retryDelayOnFailover: 50, retryDelayOnClusterDown: 50, retryDelayOnTryAgain: 50, redisOptions: { commandTimeout: 1000, maxRetriesPerRequest: 2 } });
  const acked = new Set<string>();
  let stopped = false;
  let next = 0;
  const loops = Array.from({ length: writers }, async () => {
    for (let i = 0; !stopped && i < 200_000; i++) {
      const key = `${prefix}${next++}`;
      try {
        if ((await client.set(key, 'v')) === 'OK') acked.add(key);
      } catch {
        // undetermined
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  });
  return {
    client,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      return acked;
    },
  };
}

async function redisCliLines(n: { host: string; port: number }, input: string): Promise<string[]> {
  const r = await redisCli(['-h', n.host, '-p', String(n.port)], input);
  return r.stdout.trim().split('\n');
}

async function missing(c: Cluster, keys: Set<string>): Promise<string[]> {
  const out: string[] = [];
  const list = [...keys];
  for (let i = 0; i < list.length; i += 200) {
    const chunk = list.slice(i, i + 200);
    const got = await Promise.all(chunk.map((k) => c.get(k)));
    chunk.forEach((k, j) => {
      if (got[j] !== 'v') out.push(k);
    });
  }
  return out;
}

describe('failover: 3 x 1 cluster in three zones (cluster-node-timeout 1000)', function () {
  this.timeout(180000);
  let cl: ZoneCluster | null = null;

  afterEach(async () => {
    if (cl) await cl.stop();
    cl = null;
  });

  it('kill -9 of a primary: its replica takes the slots and accepts writes', async () => {
    cl = await startZoneCluster();
    const [victim] = cl.primaries;
    const replica = cl.replicas[0]!;
    const key = await keyOwnedBy(victim!, 'k');
    const w = workload([{ host: cl.primaries[1]!.host, port: cl.primaries[1]!.port }], 'w');
    await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    victim!.handle.kill('SIGKILL');
    const ms = await firstWriteMs(replica, key, t0, 15000);
    console.log(`      kill -9 -> first write on its slots: ${ms} ms`);
    assert.match(await cli(replica, 'role'), /^master/);
    await w.stop();
    w.client.disconnect();
    const timeline = await cli(replica, 'info', 'failover');
    assert.match(timeline, /promotions:1/);
  });

  it('SIGSTOP past node timeout then SIGCONT: the old primary comes back as a replica, no split brain', async () => {
    cl = await startZoneCluster();
    const victim = cl.primaries[0]!;
    const replica = cl.replicas[0]!;
    const key = await keyOwnedBy(victim, 's');
    victim.handle.kill('SIGSTOP');
    try {
      await firstWriteMs(replica, key, Date.now(), 15000);
    } finally {
      victim.handle.kill('SIGCONT');
    }
    await eventually(async () => assert.match(await cli(victim, 'role'), /^slave/), { timeoutMs: 15000, what: 'old primary is a replica' });
    assert.match(await cli(victim, 'set', key, 'x'), /^MOVED \d+ 127\.0\.2\.2:/);
    await waitHealthy(cl.all);
    assert.equal(await cli(victim, 'readonly'), 'OK');
  });

  it('SIGSTOP for 0.8 x node timeout then SIGCONT: no FAIL, no election, the primary keeps its slots', async () => {
    cl = await startZoneCluster();
    const all = cl.all;
    const { primary: victim, replica } = await liveShard(all);
    const others = all.filter((n) => n !== victim);
    const key = await keyOwnedBy(victim, 'h');
    const epochOf = async (n: ZoneNode): Promise<string> =>
      eventually(async () => /cluster_current_epoch:(\d+)/.exec(await cli(n, 'cluster', 'info'))![1]!, { timeoutMs: 5000, what: `${n.host}:${n.port} CLUSTER INFO` });
    const epochs = async (): Promise<string[]> => Promise.all(all.map(epochOf));
    const epochsBefore = await epochs();
    const pauseMs = Math.round(0.8 * NODE_TIMEOUT_MS);
    // Formation on a loaded machine may see a FAIL of its own; only the pauses are judged.
    const sinceMs = Date.now();
    try {
      // Three pauses: each lands at another phase of the probes in flight.
      for (let round = 0; round < 3; round++) {
        const watch = watchFlags(others, victim.id);
        victim.handle.kill('SIGSTOP');
        try {
          await new Promise((r) => setTimeout(r, pauseMs));
        } finally {
          victim.handle.kill('SIGCONT');
        }
        await new Promise((r) => setTimeout(r, 3 * NODE_TIMEOUT_MS));
        const seen = await watch.stop();
        console.log(`      pause ${round + 1}: PFAIL seen by ${seen.pfailBy.size} of ${others.length} nodes, FAIL by ${seen.failBy.size} (${seen.polls} polls)`);
        assert.ok(seen.polls >= others.length * 2, `the watch ran (${seen.polls} polls)`);
        assert.deepEqual([...seen.failBy], [], `FAIL for a primary paused ${pauseMs} ms`);
        assert.match(await cli(victim, 'role'), /^master/);
        assert.match(await cli(replica, 'role'), new RegExp(`^slave\\n${victim.host.replace(/\./g, '\\.')}\\n${victim.port}\\n`));
        assert.equal(await cli(victim, 'set', key, `v${round}`), 'OK');
      }
      assert.deepEqual(await epochs(), epochsBefore, 'no election ran (currentEpoch unchanged everywhere)');
      for (const n of all) {
        const text = await cli(n, 'info', 'failover');
        // Formation under load has been seen to swap a pair (INFO failover counts that too).
        assert.ok(Number(/^last_promotion_ms:(\d+)/m.exec(text)?.[1] ?? '0') < sinceMs, `${n.host}:${n.port} promoted during the pauses`);
        for (const m of text.matchAll(/^failover_\d+:failed=([0-9a-f]+),.*,fail=(-?\d+),.*$/gm)) {
          if (m[1] === victim.id && Number(m[2]) >= sinceMs) assert.fail(`${n.host}:${n.port} saw FAIL for the paused primary ${Number(m[2]) - sinceMs} ms after the first pause: ${m[0]}`);
        }
      }
      await waitHealthy(all);
    } finally {
      // The detector's own words (the core's node-pfail / node-fail events), for whoever reads a failure.
      const names = new Map(all.map((n) => [n.id, `${n.host}:${n.port}${n === victim ? '(paused)' : ''}`]));
      const named = (l: string): string => l.replace(/[0-9a-f]{40}/g, (id) => names.get(id) ?? id);
      // Log lines start "pid:role DD Mon YYYY HH:MM:SS.mmm" in local time.
      const at = (l: string): number => Date.parse(/^\d+:\w (\d+ \w+ \d+ [\d:.]+)/.exec(l)?.[1] ?? '');
      const events = all.flatMap((n) => n.handle.output().split('\n').filter((l) => /node-(p)?fail /.test(l)).map((l) => ({ atMs: at(l), line: `${n.host}:${n.port} ${named(l)}` })));
      const during = events.filter((e) => !(e.atMs < sinceMs));
      console.log(`      first pause at ${new Date(sinceMs).toISOString()}; PFAIL/FAIL events: ${events.length - during.length} during formation, ${during.length} from the first pause on`);
      for (const e of during.slice(0, 40)) console.log(`        ${e.line}`);
    }
  });

  it('a primary killed and restarted within node timeout does not serve an empty shard; its replica takes over', async () => {
    cl = await startZoneCluster();
    const victim = cl.primaries[0]!;
    const replica = cl.replicas[0]!;
    const key = await keyOwnedBy(victim, 'r');
    assert.equal(await cli(victim, 'set', key, 'kept'), 'OK');
    await eventually(async () => assert.equal(await cli(replica, 'readonly'), 'OK'), { timeoutMs: 1000, what: 'readonly' });
    await eventually(async () => assert.notEqual(await infoField(replica, 'replication', 'master_repl_offset'), '0'), { timeoutMs: 5000, what: 'replica has the write' });
    victim.handle.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    await restartZoneNode(victim);
    // Never nil for a key that exists elsewhere: refused, redirected, or the value.
    const deadline = Date.now() + 20000;
    let redirected = false;
    while (Date.now() < deadline && !redirected) {
      const got = await cli(victim, 'get', key);
      assert.notEqual(got, '', 'the restarted primary answered nil for a key its replica holds');
      if (got.startsWith('MOVED') || got === 'kept') redirected = got.startsWith('MOVED');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(redirected, 'the replica took the slots over');
    assert.equal(await cli(replica, 'get', key), 'kept');
    await eventually(async () => assert.match(await cli(victim, 'role'), /^slave/), { timeoutMs: 15000, what: 'restarted node follows' });
    await waitHealthy(cl.all);
  });

  it('a restarted replica full-syncs before it serves READONLY reads', async () => {
    cl = await startZoneCluster();
    const primary = cl.primaries[1]!;
    const replica = cl.replicas[1]!;
    const key = await keyOwnedBy(primary, 'q');
    assert.equal(await cli(primary, 'set', key, 'held'), 'OK');
    const fullBefore = Number(await infoField(primary, 'stats', 'sync_full'));
    replica.handle.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    await restartZoneNode(replica);
    // Never nil for a key its primary holds: MASTERDOWN/LOADING until the sync, then the value.
    const deadline = Date.now() + 20000;
    let got = '';
    while (Date.now() < deadline && got !== 'held') {
      const r = await redisCliLines(replica, `READONLY\nGET ${key}\n`);
      got = r[1] ?? '';
      assert.notEqual(got, '', 'the restarted replica answered nil before its full sync');
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal(got, 'held');
    assert.equal(Number(await infoField(primary, 'stats', 'sync_full')), fullBefore + 1);
  });

  it('a replication link cut for less than node timeout resumes with a partial sync', async () => {
    cl = await startZoneCluster();
    const primary = cl.primaries[1]!;
    const replica = cl.replicas[1]!;
    const key = await keyOwnedBy(primary, 'p');
    assert.equal(await cli(primary, 'set', key, '1'), 'OK');
    const fullBefore = await infoField(primary, 'stats', 'sync_full');
    const partialBefore = Number(await infoField(primary, 'stats', 'sync_partial_ok'));
    assert.equal(await cli(replica, 'client', 'kill', 'type', 'master'), '1');
    assert.equal(await cli(primary, 'set', key, '2'), 'OK');
    await eventually(async () => assert.equal(Number(await infoField(primary, 'stats', 'sync_partial_ok')), partialBefore + 1), { timeoutMs: NODE_TIMEOUT_MS * 5, what: 'partial resync' });
    assert.equal(await infoField(primary, 'stats', 'sync_full'), fullBefore);
    await cli(replica, 'readonly');
    await eventually(async () => assert.equal(await cli(replica, '-c', 'get', key), '2'), { timeoutMs: 5000, what: 'replica caught up' });
    assert.match(await cli(replica, 'role'), /^slave/);
  });

  it('SIGTERM on a primary hands its slots to its replica without losing a write', async () => {
    cl = await startZoneCluster();
    const victim = cl.primaries[2]!;
    const replica = cl.replicas[2]!;
    const w = workload([{ host: cl.primaries[0]!.host, port: cl.primaries[0]!.port }], 't');
    await eventually(async () => assert.ok(Number(await cli(victim, 'dbsize')) > 0), { timeoutMs: 10000, what: 'workload writes to the victim' });
    await new Promise((r) => setTimeout(r, 1000));
    const t0 = Date.now();
    victim.handle.kill('SIGTERM');
    await eventually(async () => assert.match(await cli(replica, 'role'), /^master/), { timeoutMs: 15000, what: 'replica promoted' });
    console.log(`      SIGTERM -> replica promoted: ${Date.now() - t0} ms`);
    await new Promise((r) => setTimeout(r, 800));
    const acked = await w.stop();
    const lost = await missing(w.client, acked);
    w.client.disconnect();
    assert.ok(acked.size > 50, `workload ran (${acked.size})`);
    assert.deepEqual(lost, [], `acknowledged writes lost: ${lost.length} of ${acked.size}`);
    // A handover, not a failure detection.
    assert.match(victim.handle.output(), /Graceful shutdown: slots handed over/);
  });

  it('sync mode: no acknowledged write is missing after a primary is killed', async () => {
    cl = await startZoneCluster(['--cluster-sync-replication', 'yes']);
    const victim = cl.primaries[0]!;
    const replica = cl.replicas[0]!;
    // CONFIG SET reaches the election rule in the core, not only the write path: off, then on again.
    for (const v of ['no', 'yes']) {
      assert.equal(await cli(replica, 'config', 'set', 'cluster-sync-replication', v), 'OK');
      assert.equal(await cli(replica, 'config', 'get', 'cluster-sync-replication'), `cluster-sync-replication\n${v}`);
      const line = new RegExp(`Failover settings changed \\{"directive":"cluster-sync-replication".*"syncReplication":${v === 'yes'}\\}`);
      await eventually(async () => assert.match(replica.handle.output(), line), { timeoutMs: 2000, what: `the core has syncReplication ${v}` });
    }
    assert.equal(await infoField(replica, 'failover', 'sync_replication'), '1');
    const w = workload([{ host: cl.primaries[1]!.host, port: cl.primaries[1]!.port }], 'y');
    await new Promise((r) => setTimeout(r, 2000));
    // The primary's acknowledged offset reaches its replica over the stream (the bar for its election).
    const ackedOnPrimary = Number(await infoField(victim, 'replication', 'sync_acked_offset'));
    assert.ok(ackedOnPrimary > 0, 'the primary counts its replica\'s acks');
    await eventually(async () => assert.ok(Number(await infoField(replica, 'replication', 'sync_acked_offset')) >= ackedOnPrimary), { timeoutMs: 2000, what: 'the replica learnt the acked offset' });
    assert.ok(Number(await infoField(replica, 'replication', 'sync_acked_offset')) <= Number(await infoField(replica, 'replication', 'master_repl_offset')), 'never ahead of what the replica holds');
    victim.handle.kill('SIGKILL');
    await eventually(async () => assert.match(await cli(replica, 'role'), /^master/), { timeoutMs: 15000, what: 'replica promoted' });
    await new Promise((r) => setTimeout(r, 500));
    const acked = await w.stop();
    // The shard has no replica now: sync mode refuses its writes (no live replica in another zone).
    const key = await keyOwnedBy(replica, 'z');
    assert.equal(await cli(replica, 'set', key, 'v'), 'NOREPLICAS Not enough good replicas to write.');
    const lost = await missing(w.client, acked);
    w.client.disconnect();
    assert.ok(acked.size > 50, `workload ran (${acked.size})`);
    assert.deepEqual(lost, [], `acknowledged writes lost: ${lost.length} of ${acked.size}`);
  });
});
