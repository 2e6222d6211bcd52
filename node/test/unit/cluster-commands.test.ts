// CLUSTER commands and the routing gate on an in-process node with a real
// ClusterCore and an in-memory ClusterHost (no bus, no disk).

import { strict as assert } from 'node:assert';
import { Harness, type TestClient } from '../support/harness.js';
import { ClusterCore } from '../../src/cluster/core.js';
import type { MyselfIdentity } from '../../src/cluster/api.js';
import type { ClusterHost, ClusterLinkInfo } from '../../src/commands/cluster/host.js';
import { clusterGate } from '../../src/commands/cluster/gate.js';
import { seededRandom } from '../../src/core/random.js';
import { keySlot } from '../../src/cluster/keyslot.js';
import { RespError } from '../../src/resp/decoder.js';

const MY_ID = '1'.repeat(40);

class MemoryHost implements ClusterHost {
  saves = 0;
  constructor(readonly core: ClusterCore) {}
  afterAdmin(): void {
    const { effects } = this.core.drain();
    if (effects.some((e) => e.kind === 'save-config')) this.saves++;
  }
  saveConfig(): string | null {
    this.saves++;
    return null;
  }
  links(): readonly ClusterLinkInfo[] {
    return [];
  }
  newIdentity(): MyselfIdentity {
    return { id: '2'.repeat(40), shardId: '3'.repeat(40), ip: '127.0.0.1', port: 7000, busPort: 17000, hostname: '', zone: 'a' };
  }
  messageStatsLines(): readonly string[] {
    return ['cluster_stats_messages_sent:0', 'cluster_stats_messages_received:0'];
  }
}

function clusterNode(): { h: Harness; c: TestClient; host: MemoryHost } {
  const h = new Harness({ config: { 'cluster-enabled': 'yes', 'availability-zone': 'a' } });
  const core = new ClusterCore({
    myself: { id: MY_ID, shardId: '4'.repeat(40), ip: '127.0.0.1', port: 7000, busPort: 17000, hostname: '', zone: 'a' },
    nodeTimeoutMs: 1000,
    requireFullCoverage: true,
    random: seededRandom(7),
    nowMs: h.node.keyspace.nowMs,
  });
  const host = new MemoryHost(core);
  h.node.clusterEnabled = true;
  h.node.cluster = host;
  h.node.keyspace.db(0).enableSlotIndex();
  h.node.dispatcher.gates.push(clusterGate());
  return { h, c: h.client(), host };
}

/** Ticks the core (virtual time) until it declares the cluster ok, as the runtime's cron would. */
function settle(h: Harness, host: MemoryHost): void {
  for (let i = 0; i < 100 && host.core.view.state !== 'ok'; i++) {
    h.advance(100);
    host.core.tick(h.node.keyspace.nowMs);
    host.core.drain();
  }
  assert.equal(host.core.view.state, 'ok');
}

function err(v: unknown): string {
  assert.ok(v instanceof RespError, `expected an error, got ${JSON.stringify(v)}`);
  return (v as RespError).message;
}

describe('CLUSTER commands', () => {
  it('a standalone node refuses them in Redis words', () => {
    const h = new Harness();
    const c = h.client();
    for (const args of [['CLUSTER', 'INFO'], ['CLUSTER', 'NODES'], ['CLUSTER', 'KEYSLOT', 'a'], ['CLUSTER', 'HELP'], ['ASKING'], ['READONLY'], ['READWRITE']]) {
      assert.equal(err(c.run(...args)), 'ERR This instance has cluster support disabled');
    }
  });

  it('MYID, NODES, INFO of a lone node; ADDSLOTS makes it a one-node cluster', () => {
    const { c, host } = clusterNode();
    assert.equal(c.run('CLUSTER', 'MYID'), MY_ID);
    assert.equal(c.run('CLUSTER', 'MYSHARDID'), '4'.repeat(40));
    assert.equal(c.run('CLUSTER', 'NODES'), `${MY_ID} 127.0.0.1:7000@17000 myself,master - 0 0 0 connected\n`);
    assert.equal(c.run('CLUSTER', 'ADDSLOTSRANGE', '0', '16383'), 'OK');
    assert.ok(host.saves > 0, 'an admin change saves nodes.conf');
    assert.match(String(c.run('CLUSTER', 'NODES')), / connected 0-16383\n$/);
    host.core.tick(Date.now());
    const info = String(c.run('CLUSTER', 'INFO'));
    assert.match(info, /^cluster_state:(ok|fail)\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\n/);
    assert.match(info, /cluster_known_nodes:1\r\ncluster_size:1\r\n/);
    assert.match(info, /total_cluster_links_buffer_limit_exceeded:0\r\n$/);
  });

  it('bad input: exact errors and no change of state', () => {
    const { c } = clusterNode();
    assert.equal(c.run('CLUSTER', 'ADDSLOTS', '1', '2'), 'OK');
    const before = c.run('CLUSTER', 'NODES');
    assert.equal(err(c.run('CLUSTER', 'ADDSLOTS', '3', '1')), 'ERR Slot 1 is already busy');
    assert.equal(err(c.run('CLUSTER', 'ADDSLOTS', '3', 'x')), 'ERR Invalid or out of range slot');
    assert.equal(err(c.run('CLUSTER', 'ADDSLOTS', '16384')), 'ERR Invalid or out of range slot');
    assert.equal(err(c.run('CLUSTER', 'ADDSLOTSRANGE', '10', '5')), 'ERR start slot number 10 is greater than end slot number 5');
    assert.equal(err(c.run('CLUSTER', 'ADDSLOTSRANGE', '5')), "ERR wrong number of arguments for 'cluster|addslotsrange' command");
    assert.equal(err(c.run('CLUSTER', 'ADDSLOTSRANGE', '5', '6', '7')), "ERR wrong number of arguments for 'cluster|addslotsrange' command");
    assert.equal(err(c.run('CLUSTER', 'DELSLOTSRANGE', '10', '5')), 'ERR start slot number 10 is greater than end slot number 5');
    assert.equal(err(c.run('CLUSTER', 'MEET', '1.2.3', '4')), 'ERR Invalid node address specified: 1.2.3:4');
    assert.equal(err(c.run('CLUSTER', 'MEET', '127.0.0.1', 'abc')), 'ERR Invalid TCP base port specified: abc');
    assert.equal(err(c.run('CLUSTER', 'MEET', '127.0.0.1', '1234', 'x')), 'ERR Invalid TCP bus port specified: x');
    assert.equal(err(c.run('CLUSTER', 'MEET', '127.0.0.1', '99999')), 'ERR Invalid node address specified: 127.0.0.1:99999');
    assert.equal(err(c.run('CLUSTER', 'MEET', '127.0.0.1', '1234', '5555', '6')), "ERR unknown subcommand or wrong number of arguments for 'MEET'. Try CLUSTER HELP.");
    assert.equal(err(c.run('CLUSTER', 'FORGET', MY_ID)), "ERR I tried hard but I can't forget myself...");
    assert.equal(err(c.run('CLUSTER', 'FORGET', 'abc')), 'ERR Unknown node abc');
    assert.equal(err(c.run('CLUSTER', 'COUNT-FAILURE-REPORTS', 'abc')), 'ERR Unknown node abc');
    assert.equal(err(c.run('CLUSTER', 'COUNTKEYSINSLOT', '99999')), 'ERR Invalid slot');
    assert.equal(err(c.run('CLUSTER', 'COUNTKEYSINSLOT', 'x')), 'ERR value is not an integer or out of range');
    assert.equal(err(c.run('CLUSTER', 'GETKEYSINSLOT', '1', '-1')), 'ERR Invalid slot or number of keys');
    assert.equal(err(c.run('CLUSTER', 'SET-CONFIG-EPOCH', '-1')), 'ERR Invalid config epoch specified: -1');
    assert.equal(err(c.run('CLUSTER', 'RESET', 'foo')), 'ERR syntax error');
    assert.equal(err(c.run('CLUSTER', 'SETSLOT', '1', 'foo')), 'ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP');
    assert.equal(err(c.run('CLUSTER', 'REPLICATE', MY_ID)), "ERR Can't replicate myself");
    assert.equal(err(c.run('CLUSTER', 'FAILOVER')), 'ERR You should send CLUSTER FAILOVER to a replica');
    assert.equal(err(c.run('CLUSTER', 'FOO')), "ERR unknown subcommand 'FOO'. Try CLUSTER HELP.");
    assert.equal(err(c.run('SELECT', '1')), 'ERR SELECT is not allowed in cluster mode');
    assert.deepEqual(c.run('CLUSTER', 'NODES'), before);
  });

  it('MEET of a well-formed unreachable address answers OK (handshake pending)', () => {
    const { c } = clusterNode();
    assert.equal(c.run('CLUSTER', 'MEET', '127.0.0.1', '1'), 'OK');
    assert.match(String(c.run('CLUSTER', 'NODES')), /127\.0\.0\.1:1@10001 master,handshake /);
  });

  it('KEYSLOT, COUNTKEYSINSLOT and GETKEYSINSLOT read the per-slot index', () => {
    const { h, c, host } = clusterNode();
    c.run('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    settle(h, host);
    assert.equal(c.run('CLUSTER', 'KEYSLOT', 'foo'), 12182);
    for (const k of ['{u}a', '{u}b', '{u}c']) c.run('SET', k, '1');
    const slot = keySlot('{u}a');
    assert.equal(c.run('CLUSTER', 'COUNTKEYSINSLOT', slot), 3);
    assert.deepEqual(c.run('CLUSTER', 'GETKEYSINSLOT', slot, 2), ['{u}a', '{u}b']);
    c.run('DEL', '{u}b');
    assert.equal(c.run('CLUSTER', 'COUNTKEYSINSLOT', slot), 2);
    c.run('FLUSHALL');
    assert.equal(c.run('CLUSTER', 'COUNTKEYSINSLOT', slot), 0);
  });

  it('the gate: CLUSTERDOWN for unowned slots, CROSSSLOT for a transaction at EXEC, keyless commands run', () => {
    const { h, c, host } = clusterNode();
    assert.equal(err(c.run('GET', 'a')), 'CLUSTERDOWN Hash slot not served');
    assert.equal(c.run('PING'), 'PONG');
    c.run('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    settle(h, host);
    assert.equal(err(c.run('MGET', 'b', 'f')), "CROSSSLOT Keys in request don't hash to the same slot");
    assert.equal(c.run('MULTI'), 'OK');
    assert.equal(c.run('SET', 'b', '1'), 'QUEUED');
    // As redis-server 7.0: each command is checked alone when queued; EXEC checks the whole queue.
    assert.equal(c.run('SET', 'f', '1'), 'QUEUED');
    assert.equal(err(c.run('EXEC')), "CROSSSLOT Keys in request don't hash to the same slot");
    assert.equal(err(c.run('EXEC')), 'ERR EXEC without MULTI');
    assert.equal(c.run('MULTI'), 'OK');
    assert.equal(c.run('SET', '{x}1', '1'), 'QUEUED');
    assert.equal(c.run('GET', '{x}2'), 'QUEUED');
    assert.deepEqual(c.run('EXEC'), ['OK', null]);
  });

  it('ASKING lasts one command; READONLY/READWRITE set the session flag', () => {
    const { c } = clusterNode();
    assert.equal(c.run('ASKING'), 'OK');
    assert.equal(c.session.asking, true);
    c.run('PING');
    assert.equal(c.session.asking, false);
    assert.equal(c.run('READONLY'), 'OK');
    assert.equal(c.session.readOnly, true);
    assert.equal(c.run('READWRITE'), 'OK');
    assert.equal(c.session.readOnly, false);
  });

  it('SHARDS lists the zone last; SLOTS gives ranges with [ip, port, id, metadata]', () => {
    const { c } = clusterNode();
    c.run('CLUSTER', 'ADDSLOTSRANGE', '0', '99');
    c.run('CLUSTER', 'ADDSLOTS', '200');
    assert.deepEqual(c.run('CLUSTER', 'SLOTS'), [
      [0, 99, ['127.0.0.1', 7000, MY_ID, []]],
      [200, 200, ['127.0.0.1', 7000, MY_ID, []]],
    ]);
    const shards = c.run('CLUSTER', 'SHARDS') as unknown[];
    assert.equal(shards.length, 1);
    const shard = shards[0] as unknown[];
    assert.deepEqual(shard.slice(0, 3), ['slots', [0, 99, 200, 200], 'nodes']);
    const fields = (shard[3] as unknown[][])[0]!;
    assert.deepEqual(fields.slice(-4), ['health', 'online', 'availability-zone', 'a']);
    // Ranges come out in slot order however they were added; INFO counts slots, not ranges.
    c.run('CLUSTER', 'ADDSLOTSRANGE', '16000', '16383');
    c.run('CLUSTER', 'ADDSLOTS', '150', '101', '100');
    assert.deepEqual(
      (c.run('CLUSTER', 'SLOTS') as unknown[][]).map((r) => [r[0], r[1]]),
      [[0, 101], [150, 150], [200, 200], [16000, 16383]],
    );
    assert.match(String(c.run('CLUSTER', 'INFO')), /\r\ncluster_slots_assigned:488\r\ncluster_slots_ok:488\r\ncluster_slots_pfail:0\r\n/);
  });

  it('BUMPEPOCH, SET-CONFIG-EPOCH, RESET HARD', () => {
    const { h, c, host } = clusterNode();
    assert.equal(c.run('CLUSTER', 'SET-CONFIG-EPOCH', '5'), 'OK');
    assert.equal(c.run('CLUSTER', 'BUMPEPOCH'), 'STILL 5');
    assert.equal(c.run('CLUSTER', 'RESET', 'HARD'), 'OK');
    assert.equal(c.run('CLUSTER', 'MYID'), '2'.repeat(40));
    c.run('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    settle(h, host);
    assert.equal(c.run('SET', 'x{a}', '1'), 'OK');
    assert.equal(err(c.run('CLUSTER', 'RESET')), "ERR CLUSTER RESET can't be called with master nodes containing keys");
  });
});
