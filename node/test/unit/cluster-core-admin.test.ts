// Admin operations of the cluster core, with the exact replies of
// redis-server 7.0.15 (checked against a real server in cluster mode).
import assert from 'node:assert/strict';
import { ClusterCore } from '../../src/cluster/core.js';
import { randomNodeId } from '../../src/cluster/node-record.js';
import { seededRandom } from '../../src/core/random.js';
import type { BusMessage } from '../../src/cluster/types.js';

function core(seed = 1, nowMs = 0): ClusterCore {
  const rnd = seededRandom(seed);
  const id = randomNodeId(rnd);
  return new ClusterCore({
    myself: { id, shardId: id, ip: '127.0.0.1', port: 7000 + seed, busPort: 17000 + seed, hostname: '', zone: 'a' },
    nodeTimeoutMs: 1000,
    requireFullCoverage: true,
    random: rnd,
    nowMs,
  });
}

/** Delivers everything a and b send each other until quiet. */
function exchange(a: ClusterCore, b: ClusterCore, nowMs: number): void {
  for (let round = 0; round < 20; round++) {
    const fromA = a.drain().out;
    const fromB = b.drain().out;
    if (fromA.length + fromB.length === 0) return;
    for (const o of fromA) b.receive(o.msg, nowMs);
    for (const o of fromB) a.receive(o.msg, nowMs);
  }
}

describe('cluster core admin', () => {
  it('ADDSLOTS / DELSLOTS errors as Redis', () => {
    const c = core();
    assert.equal(c.addSlots([5]), null);
    assert.equal(c.addSlots([5]), 'ERR Slot 5 is already busy');
    assert.equal(c.addSlots([16384]), 'ERR Invalid or out of range slot');
    assert.equal(c.addSlots([-1]), 'ERR Invalid or out of range slot');
    assert.equal(c.addSlots([7, 7]), 'ERR Slot 7 specified multiple times');
    assert.equal(c.view.slotOwners[7], null, 'a failed ADDSLOTS changes nothing');
    assert.equal(c.delSlots([6]), 'ERR Slot 6 is already unassigned');
    assert.equal(c.delSlots([16384]), 'ERR Invalid or out of range slot');
    assert.equal(c.addSlots([0, 1, 2, 3, 4]), null);
    assert.deepEqual(c.view.nodes.get(c.myId)!.slots, [[0, 5]]);
    assert.equal(c.delSlots([2]), null);
    assert.deepEqual(c.view.nodes.get(c.myId)!.slots, [[0, 1], [3, 5]]);
    assert.equal(c.flushSlots(), null);
    assert.deepEqual(c.view.nodes.get(c.myId)!.slots, []);
  });

  it('settleState recomputes cluster_state after an admin change without waiting for a tick', () => {
    const c = core();
    assert.equal(c.addSlots([...Array(16384).keys()]), null);
    c.tick(2500); // past the 2 s writable delay of a fresh primary
    assert.equal(c.clusterState, 'ok');
    assert.equal(c.delSlots([42]), null);
    assert.equal(c.clusterState, 'ok', 'unchanged until the adapter settles');
    c.settleState(2510);
    assert.equal(c.clusterState, 'fail');
    assert.equal(c.addSlots([42]), null);
    c.settleState(2520);
    assert.equal(c.clusterState, 'ok');
    c.settleState(2530); // nothing changed: a no-op
    assert.equal(c.clusterState, 'ok');
  });

  it('FORGET, REPLICATE and SET-CONFIG-EPOCH errors as Redis', () => {
    const c = core();
    assert.equal(c.forget(c.myId, 0), "ERR I tried hard but I can't forget myself...");
    assert.equal(c.forget('0123456789012345678901234567890123456789', 0), 'ERR Unknown node 0123456789012345678901234567890123456789');
    assert.equal(c.forget('abc', 0), 'ERR Unknown node abc');
    assert.equal(c.replicate('abc'), 'ERR Unknown node abc');
    assert.equal(c.replicate(c.myId), "ERR Can't replicate myself");
    assert.equal(c.setConfigEpoch(-1), 'ERR Invalid config epoch specified: -1');
    assert.equal(c.setConfigEpoch(5), null);
    assert.equal(c.setConfigEpoch(6), 'ERR Node config epoch is already non-zero');
    assert.equal(c.view.currentEpoch, 5);
    assert.deepEqual(c.bumpEpoch(), { bumped: false, epoch: 5 }); // STILL 5
    const d = core(2);
    assert.deepEqual(d.bumpEpoch(), { bumped: true, epoch: 1 }); // BUMPED 1
    assert.equal(d.meet('127.0.0.1', 7001, 17001, 0), null);
    assert.equal(d.setConfigEpoch(9), 'ERR The user can assign a config epoch only when the node does not know any other node.');
  });

  it('MEET validates the address and creates one handshake node', () => {
    const c = core();
    assert.equal(c.meet('127.0.0.1', 99999, 109999, 0), 'ERR Invalid node address specified: 127.0.0.1:99999');
    assert.equal(c.meet('not-an-ip', 7000, 17000, 0), 'ERR Invalid node address specified: not-an-ip:7000');
    assert.equal(c.meet('10.0.0.9', 7000, 17000, 0), null);
    assert.equal(c.meet('10.0.0.9', 7000, 17000, 0), null, 'a handshake in progress answers OK');
    const hs = [...c.view.nodes.values()].filter((n) => n.flags.includes('handshake'));
    assert.equal(hs.length, 1);
    const sent = c.drain().out;
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.msg.kind, 'meet');
    assert.equal(sent[0]!.to.id, null);
  });

  it('MEET handshake: the temporary id is replaced by the real one when the peer answers', () => {
    const a = core(1);
    const b = core(2);
    assert.equal(a.meet('127.0.0.1', 7002, 17002, 0), null);
    exchange(a, b, 10);
    assert.equal(a.handshakeCount, 0);
    assert.deepEqual([...a.view.nodes.keys()].sort(), [a.myId, b.myId].sort());
    assert.deepEqual([...b.view.nodes.keys()].sort(), [a.myId, b.myId].sort());
    assert.deepEqual(a.view.nodes.get(b.myId)!.flags, ['master']);
    assert.deepEqual(a.view.nodes.get(a.myId)!.flags, ['myself', 'master']);
  });

  it('a handshake without an answer is dropped after the node timeout (at least 1 s)', () => {
    const c = core();
    c.meet('10.0.0.9', 7000, 17000, 0);
    c.tick(900);
    assert.equal(c.handshakeCount, 1);
    c.tick(1001);
    assert.equal(c.handshakeCount, 0);
    assert.equal(c.view.nodes.size, 1);
    assert.ok(c.drain().effects.some((e) => e.kind === 'event' && e.name === 'handshake-timeout'));
  });

  it('FORGET blacklists the id for 60 s so gossip does not bring it back', () => {
    const a = core(1);
    const b = core(2);
    const c = core(3);
    a.meet('127.0.0.1', 7002, 17002, 0);
    exchange(a, b, 1);
    a.meet('127.0.0.1', 7003, 17003, 1);
    exchange(a, c, 2);
    assert.equal(a.view.nodes.size, 3);
    assert.equal(a.forget(c.myId, 100), null);
    assert.equal(a.view.nodes.has(c.myId), false);
    // b still knows c and gossips it: a full table from b must not re-add c.
    const gossipAboutC = (): BusMessage => {
      const entry = { id: c.myId, ip: '127.0.0.1', port: 7003, busPort: 17003, hostname: '', flags: ['master' as const], pingSentMs: 0, pongRecvMs: 0, configEpoch: 0, primaryId: '', shardId: c.myId, zone: 'a' };
      const ping = b.drain();
      void ping;
      b.tick(200);
      const out = b.drain().out.find((o) => o.msg.kind === 'ping');
      const header = out ? out.msg.header : { id: b.myId, ip: '127.0.0.1', port: 7002, busPort: 17002, hostname: '', currentEpoch: 0, configEpoch: 0, flags: ['master' as const], primaryId: '', shardId: b.myId, zone: 'a', replOffset: 0, slotsDigest: 0 };
      return { kind: 'ping', header, gossip: [entry] };
    };
    a.receive(gossipAboutC(), 30_000);
    assert.equal(a.view.nodes.has(c.myId), false, 'blacklisted at 30 s');
    a.receive(gossipAboutC(), 60_101);
    assert.equal(a.view.nodes.has(c.myId), true, 'learned again after 60 s');
  });

  it('a stale slot claim in a header is answered with UPDATE about the real owner', () => {
    const a = core(1);
    const b = core(2);
    const c = core(3);
    assert.equal(b.setConfigEpoch(5), null);
    assert.equal(b.addSlots([5, 6]), null);
    assert.equal(c.setConfigEpoch(1), null);
    assert.equal(c.addSlots([5]), null);
    a.meet('127.0.0.1', 7002, 17002, 0);
    exchange(a, b, 1);
    assert.equal(a.view.slotOwners[5]?.id, b.myId);
    c.meet('127.0.0.1', 7001, 17001, 2); // c's MEET header claims slot 5 at configEpoch 1
    exchange(a, c, 3);
    assert.ok(a.stats.updateSent > 0, 'a sent UPDATE to c');
    assert.equal(a.view.slotOwners[5]?.id, b.myId, 'the lower configEpoch does not win');
    assert.equal(c.view.slotOwners[5]?.id, b.myId, 'c accepted the UPDATE');
  });

  it('persisted() round-trips ids, epochs and slots through a restart', () => {
    const a = core(1);
    const b = core(2);
    a.setConfigEpoch(3);
    a.addSlots([0, 1, 2, 10]);
    a.meet('127.0.0.1', 7002, 17002, 0);
    exchange(a, b, 1);
    const saved = a.persisted();
    const again = new ClusterCore({
      myself: { id: 'f'.repeat(40), shardId: a.myId, ip: '127.0.0.1', port: 7001, busPort: 17001, hostname: '', zone: 'a' },
      nodeTimeoutMs: 1000,
      requireFullCoverage: true,
      random: seededRandom(9),
      nowMs: 5,
      persisted: saved,
    });
    assert.equal(again.myId, a.myId);
    assert.equal(again.view.currentEpoch, a.view.currentEpoch);
    assert.deepEqual(again.view.nodes.get(a.myId)!.slots, [[0, 2], [10, 10]]);
    assert.deepEqual([...again.view.nodes.keys()].sort(), [a.myId, b.myId].sort());
    assert.equal(again.view.nodes.get(a.myId)!.configEpoch, 3);
  });
});
