// The failover machines as wired into ClusterCore (failover-glue.ts), driven
// through the core's API in the simulator: CLUSTER REPLICATE and its errors,
// role-changed effects for the replication adapter, replica roles learnt by
// gossip, CLUSTER FAILOVER FORCE / TAKEOVER, the returning old primary
// following the winner, nextWakeMs during an election.
import assert from 'node:assert/strict';
import type { ClusterEffect } from '../../src/cluster/types.js';
import { fastConverged } from '../sim/checks.js';
import { SimNetwork, type SimNode } from '../sim/network.js';

function formed(seed: number): { net: SimNetwork; p: SimNode[]; r: SimNode[]; effects: Map<string, ClusterEffect[]> } {
  const net = new SimNetwork({ seed, nodeTimeoutMs: 1000, sizer: () => 0 });
  const effects = new Map<string, ClusterEffect[]>();
  net.onEffect = (n, e) => {
    if (e.kind === 'event' || e.kind === 'view-changed') return;
    let l = effects.get(n.name);
    if (!l) effects.set(n.name, (l = []));
    l.push(e);
  };
  const p = net.addNodes(3, (i) => ({ zone: 'abc'[i]! }));
  const r = net.addNodes(3, (i) => ({ zone: 'abc'[(i + 1) % 3]! }));
  net.nodes.forEach((n, k) => net.act(n, (c) => c.setConfigEpoch(k + 1)));
  for (const n of net.nodes.slice(1)) net.act(n, (c) => c.meet(p[0]!.ip, p[0]!.port, p[0]!.busPort, net.nowMs));
  p.forEach((n, i) => {
    const a = Math.floor((i * 16384) / 3);
    const b = Math.floor(((i + 1) * 16384) / 3) - 1;
    assert.equal(net.act(n, (c) => c.addSlots(Array.from({ length: b - a + 1 }, (_, k) => a + k))), null);
  });
  for (let t = 0; t < 100 && !fastConverged(net); t++) net.runTicks(5);
  assert.ok(fastConverged(net), 'formed');
  return { net, p, r, effects };
}

describe('cluster core: failover integration', () => {
  it('CLUSTER REPLICATE: Redis errors, role-changed + save-config, the role reaches every node', () => {
    const { net, p, r, effects } = formed(1);
    assert.equal(net.act(r[0]!, (c) => c.replicate('f'.repeat(40))), `ERR Unknown node ${'f'.repeat(40)}`);
    assert.equal(net.act(r[0]!, (c) => c.replicate(c.myId)), "ERR Can't replicate myself");
    assert.equal(net.act(p[0]!, (c) => c.replicate(p[1]!.core.myId)), 'ERR To set a master the node must be empty and without assigned slots.');
    assert.equal(net.act(r[0]!, (c) => c.replicate(p[0]!.core.myId)), null);
    assert.deepEqual(effects.get(r[0]!.name)?.filter((e) => e.kind === 'role-changed'), [{ kind: 'role-changed', primaryId: p[0]!.core.myId }]);
    assert.ok(effects.get(r[0]!.name)?.some((e) => e.kind === 'save-config'));
    net.runTicks(30);
    assert.equal(net.act(r[1]!, (c) => c.replicate(r[0]!.core.myId)), 'ERR I can only replicate a master, not a replica.');
    for (const n of net.nodes) {
      const v = n.core.view.nodes.get(r[0]!.core.myId)!;
      assert.ok(v.flags.includes('slave') && v.primaryId === p[0]!.core.myId, `${n.name} sees r0 as a replica of p0`);
    }
  });

  it('FORCE elects at once with the primary alive; the old primary follows the winner', () => {
    const { net, p, r, effects } = formed(2);
    p.forEach((x, i) => net.act(r[i]!, (c) => c.replicate(x.core.myId)));
    net.runTicks(40);
    assert.equal(net.act(r[1]!, (c) => c.manualFailover('force', net.nowMs)), null);
    net.runTicks(20);
    assert.ok(r[1]!.core.isPrimary && r[1]!.core.mySlots.length > 0, 'the replica took the slots');
    assert.ok(!p[1]!.core.isPrimary && p[1]!.core.myPrimaryId === r[1]!.core.myId, 'the old primary replicates the winner');
    assert.ok(effects.get(r[1]!.name)?.some((e) => e.kind === 'role-changed' && e.primaryId === null));
    assert.ok(effects.get(p[1]!.name)?.some((e) => e.kind === 'role-changed' && e.primaryId === r[1]!.core.myId));
    assert.ok(r[1]!.core.failoverTimeline().at(-1)?.manual, 'timeline marks it manual');
  });

  it('TAKEOVER needs no votes: works with every other primary unreachable', () => {
    const { net, p, r } = formed(3);
    p.forEach((x, i) => net.act(r[i]!, (c) => c.replicate(x.core.myId)));
    net.runTicks(40);
    net.partition([[r[2]!.name], net.nodes.filter((n) => n !== r[2]).map((n) => n.name)]);
    const before = r[2]!.core.currentEpochValue;
    assert.equal(net.act(r[2]!, (c) => c.manualFailover('takeover', net.nowMs)), null);
    assert.ok(r[2]!.core.isPrimary && r[2]!.core.currentEpochValue === before + 1, 'promoted with currentEpoch + 1');
    net.heal();
    net.runTicks(40);
    assert.ok(!p[2]!.core.isPrimary, 'the old primary lost to the newer configEpoch and follows');
    for (const n of net.nodes) assert.equal(n.core.view.slotOwners[16383]?.id, r[2]!.core.myId, `${n.name} routes slot 16383 to the new primary`);
  });

  it('CLUSTER FAILOVER (default) is refused when the primary is down; refused on a primary', () => {
    const { net, p, r } = formed(4);
    assert.equal(net.act(p[0]!, (c) => c.manualFailover('default', net.nowMs)), 'ERR You should send CLUSTER FAILOVER to a replica');
    net.act(r[0]!, (c) => c.replicate(p[0]!.core.myId));
    net.runTicks(20);
    // p1 dies too: without a majority nothing turns FAIL, so r0 stays a replica of a PFAIL primary.
    net.kill(p[0]!.name);
    net.kill(p[1]!.name);
    net.runTicks(15);
    assert.ok(!r[0]!.core.isPrimary);
    assert.equal(net.act(r[0]!, (c) => c.manualFailover('default', net.nowMs)), 'ERR Master is down or failed, please use CLUSTER FAILOVER FORCE');
  });

  it('setFailoverSettings (CONFIG SET cluster-sync-replication) changes the election rule of a running core', () => {
    const { net, p, r } = formed(6);
    const refusals: string[] = [];
    const previous = net.onEffect;
    net.onEffect = (n, e) => {
      previous?.(n, e);
      if (n === r[0] && e.kind === 'event' && e.name === 'election-refused') refusals.push(String(e.fields['reason']));
    };
    net.act(r[0]!, (c) => c.replicate(p[0]!.core.myId));
    net.runTicks(20);
    // r0 holds offset 50 while its primary said 100 was acknowledged: in sync mode it must not run.
    const behind = { offset: 50, primaryLinkDownSinceMs: null, primaryAckedOffset: 100 };
    net.act(r[0]!, (c) => c.setReplicationState(behind, net.nowMs));
    assert.equal(net.act(r[0]!, (c) => c.setFailoverSettings({ syncReplication: true })).syncReplication, true);
    net.kill(p[0]!.name);
    net.runTicks(60);
    assert.ok(!r[0]!.core.isPrimary, 'sync mode on: a replica behind the acknowledged offset does not run');
    assert.deepEqual(refusals, ['sync-behind-acked-offset']);
    // Turned off at runtime: the same replica, same offsets, now runs and wins.
    net.act(r[0]!, (c) => c.setFailoverSettings({ syncReplication: false }));
    net.runTicks(30);
    assert.ok(r[0]!.core.isPrimary, 'sync mode off: the replica took over');
  });

  it('setFailoverSettings rejects values the directives cannot hold and keeps the others', () => {
    const { net, r } = formed(7);
    assert.throws(() => net.act(r[0]!, (c) => c.setFailoverSettings({ migrationBarrier: -1 })));
    const s = net.act(r[0]!, (c) => c.setFailoverSettings({ validityFactor: 0 }));
    assert.deepEqual({ ...s }, { validityFactor: 0, replPingPeriodMs: 10_000, migrationBarrier: 1, allowReplicaMigration: true, syncReplication: false });
  });

  it('nextWakeMs asks for a tick before the periodic one while the primary is about to be PFAIL or an election waits', () => {
    const { net, p, r } = formed(5);
    net.act(r[0]!, (c) => c.replicate(p[0]!.core.myId));
    net.runTicks(20);
    assert.equal(r[0]!.core.nextWakeMs() === Infinity || r[0]!.core.nextWakeMs() <= net.nowMs + 1001, true);
    net.kill(p[0]!.name);
    net.runTicks(3);
    const wake = r[0]!.core.nextWakeMs();
    assert.ok(Number.isFinite(wake) && wake <= net.nowMs + 1001, `a wake-up for the PFAIL deadline (${wake - net.nowMs} ms ahead)`);
  });
});
