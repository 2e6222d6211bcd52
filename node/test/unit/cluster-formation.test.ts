// Formation when a MEET's answer is late: the joiner's handshake times out
// (node timeout, at least 1 s, as in Redis) while the node it met already
// knows it and spreads it by gossip. Before the fix the joiner then knew only
// itself for good (it ignores pings from nodes it does not know) while every
// other node listed it: coordinator form() waited 60 s for "every node to know
// every other node". Messages pass through the protobuf codec, as between real
// nodes, which drops the anti-entropy fields the simulator would otherwise
// deliver.
import assert from 'node:assert/strict';
import { ClusterCore } from '../../src/cluster/core.js';
import { randomNodeId } from '../../src/cluster/node-record.js';
import type { BusMessage, Outgoing } from '../../src/cluster/types.js';
import { seededRandom } from '../../src/core/random.js';
import { SimNetwork } from '../sim/network.js';
import { runTranscript } from '../sim/transcript.js';

import { throughCodec } from '../sim/network.js';

const wire = (m: BusMessage): BusMessage => throughCodec(m);

function core(n: number, nowMs = 0): ClusterCore {
  const rnd = seededRandom(n);
  const id = randomNodeId(rnd);
  return new ClusterCore({
    myself: { id, shardId: id, ip: `127.0.${n}.1`, port: 7000, busPort: 17000, hostname: '', zone: 'a' },
    nodeTimeoutMs: 1000,
    requireFullCoverage: true,
    random: rnd,
    nowMs,
  });
}

function deliver(out: readonly Outgoing[], to: ClusterCore, nowMs: number): void {
  for (const o of out) to.receive(wire(o.msg), nowMs);
}

/**
 * shards primaries formed through n1 (as redis-cli --cluster create), then one
 * replica per shard MEETs n1 while every link is slow (the first frames on a
 * new gRPC link wait for the connection: seconds on a loaded machine), then
 * the links are fast again. Returns ms from the replicas' MEET until every
 * node knows every node, or -1 after limitMs.
 */
function formWithSlowLinks(seed: number, shards: number, slow: readonly [number, number], limitMs: number): number {
  const net = new SimNetwork({ seed, nodeTimeoutMs: 1000 });
  net.addNodes(shards * 2);
  for (const n of net.nodes) {
    const receive = n.core.receive.bind(n.core);
    n.core.receive = (m, nowMs) => receive(wire(m), nowMs);
  }
  let t = 'set-config-epoch n1 1\n';
  for (let i = 2; i <= shards; i++) t += `set-config-epoch n${i} ${i}\nmeet n${i} n1\n`;
  runTranscript(net, `${t}addslots-split 0-16383 n1..n${shards}\ntick 20`);
  net.latencyMs = slow;
  const start = net.nowMs;
  for (let i = shards + 1; i <= shards * 2; i++) runTranscript(net, `meet n${i} n1`);
  const all = net.nodes.length;
  while (net.nowMs - start < limitMs) {
    net.runTicks(1);
    if (net.nowMs - start >= 4000) net.latencyMs = [1, 5];
    if (net.nodes.every((n) => n.core.knownNodes === all && n.core.handshakeCount === 0)) return net.nowMs - start;
  }
  return -1;
}

describe('cluster formation: a MEET answered after the handshake timed out', () => {
  it('the node that was met MEETs the joiner back; the lone joiner fetches its table', () => {
    const seed = core(1);
    const joiner = core(2);
    const s = seed.view.nodes.get(seed.myId)!;
    assert.equal(joiner.meet(s.ip, s.port, s.busPort, 0), null);
    deliver(joiner.drain().out, seed, 10); // the seed knows the joiner now
    assert.equal(seed.knownNodes, 2);
    seed.drain(); // its answer is lost (in a real cluster: arrives after the timeout)
    for (let t = 100; t <= 1200; t += 100) {
      joiner.tick(t);
      joiner.drain(); // MEET resends lost too
    }
    assert.equal(joiner.handshakeCount, 0, 'the handshake timed out');
    assert.equal(joiner.knownNodes, 1, 'the joiner knows only itself');

    // The seed MEETs back (a ping from a stranger would be ignored).
    seed.tick(1300);
    const back = seed.drain().out.filter((o) => o.msg.kind === 'meet');
    assert.equal(back.length, 1, 'one MEET back');
    assert.equal(back[0]!.msg.kind === 'meet' && back[0]!.msg.probeFor, joiner.myId, 'the MEET names the joiner');
    deliver(back, joiner, 1310);
    const { out, effects } = joiner.drain();
    assert.ok(effects.some((e) => e.kind === 'event' && e.name === 'met-back'));
    assert.equal(joiner.knownNodes, 2);
    assert.ok(out.some((o) => o.msg.kind === 'meet' && o.msg.probeFor !== seed.myId), 'the lone joiner meets the seed for its table');
    deliver(out, seed, 1320);
    for (let round = 0; round < 5; round++) {
      deliver(seed.drain().out, joiner, 1330 + round);
      deliver(joiner.drain().out, seed, 1330 + round);
    }
    assert.equal(joiner.handshakeCount, 0);
    assert.equal(seed.knownNodes, 2);
    assert.equal(joiner.knownNodes, 2);

    // Known both ways: no more MEETs back.
    seed.tick(5000);
    assert.ok(!seed.drain().out.some((o) => o.msg.kind === 'meet'), 'no MEET once the joiner answered');
  });

  it('a forgotten node does not come back through a MEET back', () => {
    const a = core(1);
    const b = core(2);
    const bv = b.view.nodes.get(b.myId)!;
    a.meet(bv.ip, bv.port, bv.busPort, 0);
    deliver(a.drain().out, b, 1);
    deliver(b.drain().out, a, 2);
    b.drain();
    assert.equal(b.forget(a.myId, 3), null);
    // a's table entry for b is fine; b's for a is gone. A MEET naming b (a's probe) must not re-add a.
    const meetBack: BusMessage = { kind: 'meet', header: { id: a.myId, ip: '127.0.1.1', port: 7000, busPort: 17000, hostname: '', currentEpoch: 0, configEpoch: 0, flags: ['master'], primaryId: '', shardId: a.myId, zone: 'a', replOffset: 0, slotsDigest: 0 }, gossip: [], probeFor: b.myId };
    b.receive(wire(meetBack), 10);
    assert.equal(b.knownNodes, 1);
  });

  it('3 x 1 and 5 x 1 converge with seconds-slow links (seeded, virtual time)', () => {
    const times: number[] = [];
    for (const shards of [3, 5]) {
      for (let seed = 1; seed <= 6; seed++) {
        const ms = formWithSlowLinks(seed, shards, [1, 2500], 30_000);
        assert.ok(ms >= 0, `seed ${seed}, ${shards} x 1: not every node knows every node after 30 s`);
        times.push(ms);
      }
    }
    times.sort((x, y) => x - y);
    console.log(`      every node knows every node after ${times[0]}-${times[times.length - 1]} ms (median ${times[times.length >> 1]})`);
  });
});
