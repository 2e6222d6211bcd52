// route() as a table: command kind x slot state (stable / migrating /
// importing / unowned / cluster down) x ASKING x READONLY x key present,
// each row with the outcome Redis's getNodeByQuery gives.

import { strict as assert } from 'node:assert';
import { route, routeError, type Route, type RoutedCommand } from '../../src/cluster/routing.js';
import { keySlot } from '../../src/cluster/keyslot.js';
import { SLOT_COUNT, type ClusterView, type NodeFlag, type NodeView } from '../../src/cluster/types.js';

const ME = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

function node(id: string, port: number, flags: NodeFlag[], primaryId = '', hostname = ''): NodeView {
  return { id, ip: '127.0.0.1', port, busPort: port + 10000, hostname, flags, primaryId, pingSentMs: 0, pongRecvMs: 0, configEpoch: 1, linkConnected: true, zone: '', shardId: '', slots: [], replOffset: 0 };
}

// Keys and their slots: k1/k2 share a slot via a hash tag; "other" is elsewhere.
const K1 = '{t}1';
const K2 = '{t}2';
const SLOT = keySlot(K1);
const OTHER = 'other';

interface ViewSpec {
  owner: 'me' | 'b' | null;
  migrating?: boolean;
  importing?: boolean;
  state?: 'ok' | 'fail';
  meReplicaOfB?: boolean;
  hostnameB?: string;
}

function view(v: ViewSpec): ClusterView {
  const me = node(ME, 7000, v.meReplicaOfB ? ['myself', 'slave'] : ['myself', 'master'], v.meReplicaOfB ? B : '');
  const b = node(B, 7001, ['master'], '', v.hostnameB ?? '');
  const c = node(C, 7002, ['master']);
  const owners: (NodeView | null)[] = new Array<NodeView | null>(SLOT_COUNT).fill(c);
  owners[SLOT] = v.owner === 'me' ? me : v.owner === 'b' ? b : null;
  return {
    myId: ME,
    currentEpoch: 3,
    lastVoteEpoch: 0,
    state: v.state ?? 'ok',
    nodes: new Map([[ME, me], [B, b], [C, c]]),
    slotOwners: owners,
    migrating: new Map(v.migrating ? [[SLOT, B]] : []),
    importing: new Map(v.importing ? [[SLOT, B]] : []),
    version: 1,
  };
}

const get = (key: string): RoutedCommand => ({ keys: [key], write: false, shardPubSub: false, asking: false });
const set = (key: string): RoutedCommand => ({ keys: [key], write: true, shardPubSub: false, asking: false });
const mget = (...keys: string[]): RoutedCommand => ({ keys, write: false, shardPubSub: false, asking: false });
const spublish = (ch: string): RoutedCommand => ({ keys: [ch], write: false, shardPubSub: true, asking: false });

interface Row {
  name: string;
  view: ViewSpec;
  cmds: RoutedCommand[];
  asking?: boolean;
  readOnly?: boolean;
  present?: string[];
  readsWhenDown?: boolean;
  want: string | null;
}

const MOVED_B = `MOVED ${SLOT} 127.0.0.1:7001`;
const ASK_B = `ASK ${SLOT} 127.0.0.1:7001`;
const TRYAGAIN = 'TRYAGAIN Multiple keys request during rehashing of slot';
const CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";

const TABLE: Row[] = [
  // Stable slots.
  { name: 'no keys runs here', view: { owner: 'b' }, cmds: [], want: null },
  { name: 'read, stable, mine', view: { owner: 'me' }, cmds: [get(K1)], want: null },
  { name: 'write, stable, mine', view: { owner: 'me' }, cmds: [set(K1)], want: null },
  { name: 'read, stable, theirs', view: { owner: 'b' }, cmds: [get(K1)], want: MOVED_B },
  { name: 'write, stable, theirs', view: { owner: 'b' }, cmds: [set(K1)], want: MOVED_B },
  { name: 'ASKING does not help a stable slot', view: { owner: 'b' }, cmds: [get(K1)], asking: true, want: MOVED_B },
  { name: 'multi-key same slot', view: { owner: 'me' }, cmds: [mget(K1, K2)], want: null },
  { name: 'same key twice is one key', view: { owner: 'me' }, cmds: [mget(K1, K1)], want: null },
  { name: 'multi-key across slots', view: { owner: 'me' }, cmds: [mget(K1, OTHER)], want: CROSSSLOT },
  { name: 'MULTI queue across slots', view: { owner: 'me' }, cmds: [set(K1), set(OTHER)], want: CROSSSLOT },
  { name: 'MULTI queue in one slot', view: { owner: 'me' }, cmds: [set(K1), get(K2)], want: null },
  { name: 'unowned slot', view: { owner: null }, cmds: [get(K1)], want: 'CLUSTERDOWN Hash slot not served' },
  { name: 'crossslot is found before the down state', view: { owner: 'me', state: 'fail' }, cmds: [mget(K1, OTHER)], want: CROSSSLOT },
  // Cluster down.
  { name: 'down: read refused', view: { owner: 'me', state: 'fail' }, cmds: [get(K1)], want: 'CLUSTERDOWN The cluster is down' },
  { name: 'down: reads allowed when configured', view: { owner: 'me', state: 'fail' }, cmds: [get(K1)], readsWhenDown: true, want: null },
  { name: 'down: writes refused even then', view: { owner: 'me', state: 'fail' }, cmds: [set(K1)], readsWhenDown: true, want: 'CLUSTERDOWN The cluster is down and only accepts read commands' },
  { name: 'down: shard pub/sub allowed by default', view: { owner: 'me', state: 'fail' }, cmds: [spublish(K1)], want: null },
  { name: 'down: keyless commands still run', view: { owner: 'me', state: 'fail' }, cmds: [], want: null },
  // Migrating (this node owns the slot, moving it to B).
  { name: 'migrating, key here', view: { owner: 'me', migrating: true }, cmds: [get(K1)], present: [K1], want: null },
  { name: 'migrating, key gone: ASK', view: { owner: 'me', migrating: true }, cmds: [get(K1)], want: ASK_B },
  { name: 'migrating, write of a new key: ASK', view: { owner: 'me', migrating: true }, cmds: [set(K1)], want: ASK_B },
  { name: 'migrating, all keys here', view: { owner: 'me', migrating: true }, cmds: [mget(K1, K2)], present: [K1, K2], want: null },
  { name: 'migrating, some keys here: TRYAGAIN', view: { owner: 'me', migrating: true }, cmds: [mget(K1, K2)], present: [K1], want: TRYAGAIN },
  { name: 'migrating, no keys here: ASK', view: { owner: 'me', migrating: true }, cmds: [mget(K1, K2)], want: ASK_B },
  { name: 'migrating, shard channel is never missing', view: { owner: 'me', migrating: true }, cmds: [spublish(K1)], want: null },
  // Importing (B owns the slot, this node receives it).
  { name: 'importing without ASKING: MOVED', view: { owner: 'b', importing: true }, cmds: [get(K1)], present: [K1], want: MOVED_B },
  { name: 'importing with ASKING, key here', view: { owner: 'b', importing: true }, cmds: [get(K1)], asking: true, present: [K1], want: null },
  { name: 'importing with ASKING, key not yet here', view: { owner: 'b', importing: true }, cmds: [set(K1)], asking: true, want: null },
  { name: 'importing with ASKING, multi-key, some missing', view: { owner: 'b', importing: true }, cmds: [mget(K1, K2)], asking: true, present: [K1], want: TRYAGAIN },
  { name: 'importing with ASKING, multi-key, all here', view: { owner: 'b', importing: true }, cmds: [mget(K1, K2)], asking: true, present: [K1, K2], want: null },
  { name: 'importing, command flagged asking', view: { owner: 'b', importing: true }, cmds: [{ keys: [K1], write: true, shardPubSub: false, asking: true }], want: null },
  // READONLY on a replica.
  { name: 'replica, READONLY read of its primary slot', view: { owner: 'b', meReplicaOfB: true }, cmds: [get(K1)], readOnly: true, want: null },
  { name: 'replica, READONLY write: MOVED', view: { owner: 'b', meReplicaOfB: true }, cmds: [set(K1)], readOnly: true, want: MOVED_B },
  { name: 'replica, read without READONLY: MOVED', view: { owner: 'b', meReplicaOfB: true }, cmds: [get(K1)], want: MOVED_B },
  { name: 'replica, READONLY read of another shard: MOVED', view: { owner: 'me', meReplicaOfB: true }, cmds: [get(OTHER)], readOnly: true, want: `MOVED ${keySlot(OTHER)} 127.0.0.1:7002` },
  { name: 'replica, MULTI with a write under READONLY: MOVED', view: { owner: 'b', meReplicaOfB: true }, cmds: [get(K1), set(K2)], readOnly: true, want: MOVED_B },
  { name: 'replica, shard pub/sub without READONLY', view: { owner: 'b', meReplicaOfB: true }, cmds: [spublish(K1)], want: null },
  { name: 'primary ignores READONLY', view: { owner: 'b' }, cmds: [get(K1)], readOnly: true, want: MOVED_B },
];

describe('cluster routing (getNodeByQuery as a table)', () => {
  for (const row of TABLE) {
    it(row.name, () => {
      const present = new Set(row.present ?? []);
      const r: Route = route(view(row.view), {
        commands: row.cmds,
        clientAsking: row.asking ?? false,
        clientReadOnly: row.readOnly ?? false,
        keyExists: (k) => present.has(k),
        allowReadsWhenDown: row.readsWhenDown ?? false,
        allowPubSubShardWhenDown: true,
      });
      assert.equal(routeError(r, 'ip'), row.want);
    });
  }

  it('the redirect host follows cluster-preferred-endpoint-type', () => {
    const r = route(view({ owner: 'b', hostnameB: 'node-b.example' }), {
      commands: [get(K1)],
      clientAsking: false,
      clientReadOnly: false,
      keyExists: () => false,
      allowReadsWhenDown: false,
      allowPubSubShardWhenDown: true,
    });
    assert.equal(routeError(r, 'ip'), MOVED_B);
    assert.equal(routeError(r, 'hostname'), `MOVED ${SLOT} node-b.example:7001`);
    assert.equal(routeError(r, 'unknown-endpoint'), `MOVED ${SLOT} ?:7001`);
    const noHost = route(view({ owner: 'b' }), { commands: [get(K1)], clientAsking: false, clientReadOnly: false, keyExists: () => false, allowReadsWhenDown: false, allowPubSubShardWhenDown: true });
    assert.equal(routeError(noHost, 'hostname'), `MOVED ${SLOT} ?:7001`);
  });

  it('only asks about keys of open slots', () => {
    let asked = 0;
    route(view({ owner: 'me' }), { commands: [mget(K1, K2)], clientAsking: false, clientReadOnly: false, keyExists: () => (asked++, true), allowReadsWhenDown: false, allowPubSubShardWhenDown: true });
    assert.equal(asked, 0);
  });
});
