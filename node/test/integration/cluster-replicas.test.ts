// Six tessera-server nodes formed by `redis-cli --cluster create ...
// --cluster-replicas 1`: replicas stream from their primaries over the bus,
// answer reads after READONLY, redirect writes with MOVED, and CLUSTER
// REPLICAS / SHARDS list them with offsets, health and zone.

import assert from 'node:assert/strict';
import { redisCli } from '../support/server-process.js';
import { cli, infoField, startZoneNode, waitHealthy, type ZoneNode } from './failover-support.js';
import { eventually } from '../support/eventually.js';

describe('cluster: 6 nodes with --cluster-replicas 1', function () {
  this.timeout(120000);
  const nodes: ZoneNode[] = [];

  before(async () => {
    const zones = ['a', 'b', 'c', 'a', 'b', 'c'];
    for (let i = 0; i < 6; i++) nodes.push(await startZoneNode('127.0.0.1', zones[i]!));
    const r = await redisCli(['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '1', '--cluster-yes']);
    assert.match(r.stdout, /\[OK\] All 16384 slots covered/, r.stdout + r.stderr);
    await waitHealthy(nodes, 40000);
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.handle.stop()));
  });

  it('redis-cli --cluster check sees 3 primaries with one replica each', async () => {
    await eventually(
      async () => {
        const check = await redisCli(['--cluster', 'check', `127.0.0.1:${nodes[0]!.port}`]);
        assert.match(check.stdout, /\[OK\] All nodes agree about slots configuration\./);
        assert.equal((check.stdout.match(/1 slaves\./g) ?? []).length, 3, check.stdout);
      },
      { timeoutMs: 20000, what: 'check' },
    );
  });

  it('a replica serves reads after READONLY and redirects writes to its primary', async () => {
    const primaries: ZoneNode[] = [];
    const replicas: ZoneNode[] = [];
    for (const n of nodes) ((await cli(n, 'role')).startsWith('master') ? primaries : replicas).push(n);
    assert.equal(primaries.length, 3);
    const replica = replicas[0]!;
    const primaryId = (await cli(replica, 'cluster', 'nodes')).split('\n').find((l) => l.includes('myself'))!.split(' ')[3]!;
    const primary = primaries.find((p) => p.id === primaryId)!;
    // A key of the primary's slots.
    let key = '';
    for (let i = 0; i < 100000 && key === ''; i++) if (!(await cli(primary, 'set', `r${i}`, 'v')).startsWith('MOVED')) key = `r${i}`;
    const slot = await cli(replica, 'cluster', 'keyslot', key);
    // Without READONLY a replica redirects reads too.
    assert.equal(await cli(replica, 'get', key), `MOVED ${slot} 127.0.0.1:${primary.port}`);
    await eventually(async () => assert.equal(await infoField(replica, 'replication', 'master_repl_offset'), await infoField(primary, 'replication', 'master_repl_offset')), { timeoutMs: 5000, what: 'replica caught up' });
    const r = await redisCli(['-p', String(replica.port)], `READONLY\nGET ${key}\nSET ${key} w\n`);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], 'OK');
    assert.equal(lines[1], 'v');
    assert.match(lines[2]!, new RegExp(`^MOVED \\d+ 127\\.0\\.0\\.1:${primary.port}$`));
  });

  it('CLUSTER REPLICAS and CLUSTER SHARDS list replicas with offsets, health and zone', async () => {
    const primary = (await Promise.all(nodes.map(async (n) => ((await cli(n, 'role')).startsWith('master') ? n : null)))).find((n) => n !== null)!;
    const reps = await cli(primary, 'cluster', 'replicas', primary.id);
    assert.equal(reps.split('\n').length, 1);
    assert.match(reps, new RegExp(`slave ${primary.id} `));
    await eventually(
      async () => {
        const shards = await cli(primary, 'cluster', 'shards');
        assert.equal((shards.match(/^replica$/gm) ?? []).length, 3, shards);
        assert.equal((shards.match(/^online$/gm) ?? []).length, 6, shards);
        assert.match(shards, /availability-zone\n[abc]/);
        assert.match(shards, /replication-offset\n[1-9]/);
      },
      { timeoutMs: 10000, what: 'shards show 6 online nodes with offsets' },
    );
  });
});
