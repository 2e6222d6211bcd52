import { strict as assert } from 'node:assert';
import { NodesConfError, NodesConfSerializer, parseNodesConf, serializeNodesConf } from '../../src/cluster/nodes-conf.js';
import type { PersistedClusterConfig } from '../../src/cluster/api.js';

const A = 'b60bbdee04b933d41e92fa1baae3f2456e808779';
const B = 'a0e7c1204db0b9a9284e977821de1fa7cc63bbf8';
const C = '9a7e10fed9d85efd43dbdaea3a4a8017b8cd130b';
const SHARD = '7d7c7e8b41ea8c71f9c41eadd4fee7fa0d1d8ba7';

// Written by redis-server 7.0.15 (cluster-announce-hostname set).
const REDIS_70 = `${A} 127.0.0.1:17100@27100,host17100.example myself,master - 0 0 1 connected 0-5460
${B} 127.0.0.1:17101@27101,host17101.example master - 0 1795810014953 2 connected 5461-10922
${C} 127.0.0.1:17102@27102 master - 0 1795810015654 3 connected 10923-16383
vars currentEpoch 3 lastVoteEpoch 0
`;

// Redis 7.2's form: hostname (possibly empty) then aux fields.
const REDIS_72 = `${A} 127.0.0.1:30001@40001,,tls-port=0,shard-id=${SHARD} myself,master - 0 0 1 connected 0-5460
${B} 127.0.0.1:30002@40002,h2,tls-port=0,shard-id=${SHARD} slave ${A} 0 1700000000000 1 connected
vars currentEpoch 6 lastVoteEpoch 2
`;

describe('nodes.conf', () => {
  it('reads redis-server 7.0 files', () => {
    const c = parseNodesConf(REDIS_70)!;
    assert.equal(c.currentEpoch, 3);
    assert.equal(c.lastVoteEpoch, 0);
    assert.equal(c.nodes.length, 3);
    const me = c.nodes[0]!;
    assert.deepEqual(me.flags, ['myself', 'master']);
    assert.equal(me.hostname, 'host17100.example');
    assert.equal(me.port, 17100);
    assert.equal(me.busPort, 27100);
    assert.deepEqual(me.slots, [[0, 5460]]);
    assert.equal(c.nodes[2]!.hostname, '');
    assert.equal(c.nodes[1]!.pongRecvMs, 1795810014953);
  });

  it('reads Redis 7.2 aux fields (empty hostname, shard-id, unknown aux ignored)', () => {
    const c = parseNodesConf(REDIS_72)!;
    assert.equal(c.nodes[0]!.hostname, '');
    assert.equal(c.nodes[0]!.shardId, SHARD);
    assert.equal(c.nodes[1]!.hostname, 'h2');
    assert.equal(c.nodes[1]!.primaryId, A);
    assert.deepEqual(c.nodes[1]!.flags, ['slave']);
    assert.deepEqual(c.nodes[1]!.slots, []);
    assert.equal(c.currentEpoch, 6);
    assert.equal(c.lastVoteEpoch, 2);
  });

  it('round-trips zone, shard id, open slots and flags', () => {
    const conf: PersistedClusterConfig = {
      currentEpoch: 7,
      lastVoteEpoch: 3,
      migrating: new Map([[100, B]]),
      importing: new Map([[16000, C]]),
      nodes: [
        { id: A, ip: '127.0.1.1', port: 7000, busPort: 17000, hostname: '', flags: ['myself', 'master'], primaryId: '', pingSentMs: 0, pongRecvMs: 0, configEpoch: 7, linkConnected: true, slots: [[0, 99], [100, 100], [200, 300]], shardId: SHARD, zone: 'a' },
        { id: B, ip: '127.0.2.1', port: 7001, busPort: 17001, hostname: 'n2.local', flags: ['master', 'pfail'], primaryId: '', pingSentMs: 5, pongRecvMs: 6, configEpoch: 2, linkConnected: false, slots: [[16383, 16383]], shardId: SHARD, zone: 'b' },
        { id: C, ip: '127.0.3.1', port: 7002, busPort: 17002, hostname: '', flags: ['slave'], primaryId: B, pingSentMs: 0, pongRecvMs: 0, configEpoch: 2, linkConnected: true, slots: [], shardId: '', zone: '' },
      ],
    };
    const text = serializeNodesConf(conf);
    assert.equal(
      text.split('\n')[0],
      `${A} 127.0.1.1:7000@17000,,shard-id=${SHARD},availability-zone=a myself,master - 0 0 7 connected 0-99 100 200-300 [100->-${B}] [16000-<-${C}]`,
    );
    assert.match(text, new RegExp(`^${C} 127.0.3.1:7002@17002 slave ${B} 0 0 2 connected$`, 'm'));
    assert.match(text, /\nvars currentEpoch 7 lastVoteEpoch 3\n$/);
    const back = parseNodesConf(text)!;
    assert.equal(back.nodes[0]!.zone, 'a');
    assert.deepEqual(back.nodes[0]!.slots, [[0, 100], [200, 300]]);
    assert.deepEqual([...back.migrating], [[100, B]]);
    assert.deepEqual([...back.importing], [[16000, C]]);
    assert.deepEqual(back.nodes[1]!.flags, ['master', 'pfail']);
    assert.equal(back.nodes[1]!.hostname, 'n2.local');
    assert.equal(back.nodes[1]!.linkConnected, false);
    assert.equal(serializeNodesConf(back), text.replace('0-99 100 200-300', '0-100 200-300'));

    // The caching serializer writes the same text, call after call, re-rendering only what changed.
    const cached = new NodesConfSerializer();
    assert.equal(cached.serialize(conf), text);
    const changes: PersistedClusterConfig[] = [
      { ...conf, migrating: new Map() },
      { ...conf, nodes: conf.nodes.map((n) => (n.id === B ? { ...n, slots: [[16000, 16383]] as const } : n)) },
      { ...conf, nodes: conf.nodes.map((n) => (n.id === B ? { ...n, pongRecvMs: 99, flags: ['master'] } : n)) },
      { ...conf, nodes: conf.nodes.map((n) => (n.id === C ? { ...n, configEpoch: 9, hostname: 'c' } : n)), currentEpoch: 9 },
      { ...conf, nodes: conf.nodes.filter((n) => n.id !== C) },
      conf,
    ];
    for (const c of changes) assert.equal(cached.serialize(c), serializeNodesConf(c));
  });

  it('an empty file is a fresh node', () => {
    assert.equal(parseNodesConf(''), null);
    assert.equal(parseNodesConf('\n'), null);
  });

  function rejects(text: string, lineNo: number, reason: RegExp): void {
    assert.throws(
      () => parseNodesConf(text),
      (e: unknown) => e instanceof NodesConfError && e.lineNo === lineNo && reason.test(e.message) && /corrupted cluster config file/.test(e.message),
    );
  }

  it('a truncated or corrupt file is an error naming the line', () => {
    rejects(REDIS_70.slice(0, REDIS_70.length - 1), 4, /truncated/);
    rejects(REDIS_70.slice(0, 60), 1, /truncated/);
    rejects(REDIS_70.split('\n').slice(0, 2).join('\n') + '\n', 0, /vars/);
    rejects(REDIS_70.replace('myself,master', 'myself,boss'), 1, /unknown flag/);
    rejects(REDIS_70.replace('5461-10922', '5461-x'), 2, /bad slot range/);
    rejects(REDIS_70.replace('10923-16383', '10923-16384'), 3, /bad slot range/);
    rejects(REDIS_70.replace('127.0.0.1:17101@27101', '127.0.0.1:17101'), 2, /ip:port@cport/);
    rejects(REDIS_70.replace(` - 0 1795810015654 3 connected`, ` - 0 1795810015654 3 maybe`), 3, /link state/);
    rejects(REDIS_70.replace(B, A), 2, /twice/);
    rejects(REDIS_70.replace('myself,master', 'master'), 0, /myself/);
    rejects(REDIS_70.replace('vars currentEpoch 3', 'vars currentEpoch x'), 4, /bad value/);
    rejects('garbage\n', 1, /at least 8 fields/);
  });
});
