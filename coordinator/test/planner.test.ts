// Unit tests of the coordinator's pure parts: the reshard planner (even
// spread, only surplus slots move, fewest keys), placement of new nodes and
// replicas across zones, failover candidate choice, and the CLUSTER NODES
// parser that resume depends on.

import assert from 'node:assert/strict';
import { applyMoves, chooseFailoverReplica, chooseShardsToRemove, placeNewShards, placeReplica, planReshard, quotas, type ShardLoad, type SlotMove } from '../src/reshard-plan.js';
import { buildTopology, formatRanges, healthProblems, healthWarnings, isParseError, parseNodes, zoneFromAddress, SLOTS } from '../src/topology.js';
import { groupAfter, lanesAfter, pendingMoves, RAMP_FIRST_LANES, RAMP_SLOTS_PER_LANE, resolvePrimary, takeGroup } from '../src/reshard.js';
import { zonesFromShards } from '../src/client.js';

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** The layout redis-cli --cluster create makes for n primaries. */
function evenShards(n: number): ShardLoad[] {
  const out: ShardLoad[] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const size = Math.floor(SLOTS / n) + (i < SLOTS % n ? 1 : 0);
    out.push({ id: `s${i}`, slots: range(start, start + size - 1) });
    start += size;
  }
  return out;
}

function spread(counts: Map<string, number>, targets: readonly string[]): number {
  const v = targets.map((t) => counts.get(t) ?? 0);
  return Math.max(...v) - Math.min(...v);
}

describe('coordinator planner', () => {
  describe('planReshard', () => {
    it('3 -> 4 shards: even spread, only surplus slots move, all to the new shard', () => {
      const shards = [...evenShards(3), { id: 'new', slots: [] }];
      const targets = ['s0', 's1', 's2', 'new'];
      const r = planReshard({ shards, targets });
      assert.ok(r.ok);
      const after = applyMoves(shards, r.value);
      assert.ok(spread(after, targets) <= 1);
      assert.equal([...after.values()].reduce((a, b) => a + b, 0), SLOTS);
      // Fewest moves: exactly the new shard's quota moves, nothing between old shards.
      assert.equal(r.value.length, after.get('new'));
      assert.equal(r.value.length, 4096);
      assert.ok(r.value.every((m) => m.to === 'new'));
      // Each old shard gives exactly its surplus.
      for (const s of shards.slice(0, 3)) {
        const gave: number = r.value.filter((m) => m.from === s.id).length;
        assert.equal(gave, s.slots.length - (after.get(s.id) ?? 0));
      }
    });

    it('4 -> 3 shards: the removed shard gives everything, nobody else moves a slot between themselves', () => {
      const shards = evenShards(4);
      const targets = ['s0', 's1', 's2'];
      const r = planReshard({ shards, targets });
      assert.ok(r.ok);
      const after = applyMoves(shards, r.value);
      assert.equal(after.get('s3'), 0);
      assert.ok(spread(after, targets) <= 1);
      assert.equal(r.value.length, 4096);
      assert.ok(r.value.every((m) => m.from === 's3'));
    });

    it('max - min <= 1 and moves are minimal for many shapes', () => {
      for (const [from, to] of [[1, 2], [2, 7], [3, 5], [5, 3], [7, 2], [10, 11], [16, 1], [3, 500]] as const) {
        const shards = evenShards(from);
        const targets = Array.from({ length: to }, (_, i) => `s${i}`);
        for (let i = from; i < to; i++) shards.push({ id: `s${i}`, slots: [] });
        const r = planReshard({ shards, targets });
        assert.ok(r.ok, `${from}->${to}`);
        const after = applyMoves(shards, r.value);
        assert.ok(spread(after, targets) <= 1, `${from}->${to} spread`);
        // Lower bound on moves: the sum of positive deficits.
        const q = quotas(shards, targets);
        let deficit = 0;
        for (const t of targets) deficit += Math.max(0, (q.get(t) ?? 0) - (shards.find((s) => s.id === t)?.slots.length ?? 0));
        assert.equal(r.value.length, deficit, `${from}->${to} minimal`);
        const slots = new Set(r.value.map((m) => m.slot));
        assert.equal(slots.size, r.value.length, 'a slot moves at most once');
      }
    });

    it('an already balanced cluster needs no move; an unbalanced one only moves surplus', () => {
      assert.deepEqual(planReshard({ shards: evenShards(3), targets: ['s0', 's1', 's2'] }), { ok: true, value: [] });
      const shards: ShardLoad[] = [{ id: 'a', slots: range(0, 9999) }, { id: 'b', slots: range(10000, 16383) }];
      const r = planReshard({ shards, targets: ['a', 'b'] });
      assert.ok(r.ok);
      assert.equal(r.value.length, 10000 - 8192);
      assert.ok(r.value.every((m) => m.from === 'a' && m.to === 'b'));
    });

    it('prefers the slots with the fewest keys', () => {
      const shards = evenShards(2);
      const keys = new Map<number, number>();
      for (let s = 0; s < SLOTS; s++) keys.set(s, s % 2 === 0 ? 10 : 0);
      const r = planReshard({ shards: [...shards, { id: 'n', slots: [] }], targets: ['s0', 's1', 'n'], keysInSlot: keys });
      assert.ok(r.ok);
      // Each donor has 8192 slots, half empty; it gives 2730/2731, all of them empty ones.
      assert.ok(r.value.every((m) => m.keys === 0));
      assert.equal(r.value.reduce((a, m) => a + m.keys, 0), 0);
    });

    it('refuses uncovered or doubly owned slots and empty targets', () => {
      assert.equal(planReshard({ shards: [{ id: 'a', slots: range(0, 100) }], targets: ['a'] }).ok, false);
      assert.equal(planReshard({ shards: [{ id: 'a', slots: range(0, 16383) }, { id: 'b', slots: [5] }], targets: ['a', 'b'] }).ok, false);
      assert.equal(planReshard({ shards: evenShards(2), targets: [] }).ok, false);
    });

    it('chooses the most recently added shards (highest port) to remove', () => {
      assert.deepEqual(chooseShardsToRemove([{ id: 'a', port: 7000 }, { id: 'c', port: 7006 }, { id: 'b', port: 7001 }], 1), ['c']);
    });
  });

  describe('placement', () => {
    it('new primaries go to the zone with fewest primaries, replicas never in their primary zone', () => {
      const r = placeNewShards({
        zones: ['a', 'b', 'c'], primaryZones: ['a', 'b', 'c'], replicaZones: ['b', 'c', 'a'],
        newShards: 3, replicas: 2, usedPorts: new Set([7300, 7301, 7302, 7303, 7304, 7305]), basePort: 7300,
      });
      assert.ok(r.ok);
      const prim = r.value.filter((n) => n.role === 'primary');
      assert.deepEqual(prim.map((p) => p.zone).sort(), ['a', 'b', 'c']);
      for (const n of r.value.filter((x) => x.role === 'replica')) {
        const p = prim.find((x) => x.newShard === n.newShard);
        assert.notEqual(n.zone, p?.zone);
      }
      // Two replicas of one shard use the two other zones.
      for (const p of prim) {
        const zs: string[] = r.value.filter((x) => x.role === 'replica' && x.newShard === p.newShard).map((x) => x.zone);
        assert.equal(new Set(zs).size, 2);
      }
      assert.deepEqual(r.value.map((n) => n.port), range(7306, 7314));
      assert.ok(r.value.every((n) => n.zoneNumber === ['a', 'b', 'c'].indexOf(n.zone) + 1));
    });

    it('skips used ports and refuses replicas with one zone', () => {
      const r = placeNewShards({ zones: ['a', 'b'], primaryZones: ['a'], replicaZones: [], newShards: 1, replicas: 1, usedPorts: new Set([7300, 7302]), basePort: 7300 });
      assert.ok(r.ok);
      assert.deepEqual(r.value.map((n) => [n.port, n.zone, n.role]), [[7301, 'b', 'primary'], [7303, 'a', 'replica']]);
      assert.equal(placeNewShards({ zones: ['a'], primaryZones: [], replicaZones: [], newShards: 1, replicas: 1, usedPorts: new Set(), basePort: 1 }).ok, false);
    });

    it('places one more replica in another zone, the least used by the shard', () => {
      assert.deepEqual(placeReplica(['a', 'b', 'c'], 'a', ['b'], ['a', 'b', 'c']), { ok: true, value: 'c' });
      assert.equal(placeReplica(['a'], 'a', [], []).ok, false);
    });

    it('failover picks the most up-to-date healthy replica in another zone', () => {
      const r = chooseFailoverReplica('a', [
        { id: 'r1', zone: 'a', offset: 900, healthy: true },
        { id: 'r2', zone: 'b', offset: 500, healthy: true },
        { id: 'r3', zone: 'c', offset: 700, healthy: true },
        { id: 'r4', zone: 'c', offset: 999, healthy: false },
      ]);
      assert.ok(r.ok);
      assert.equal(r.value.id, 'r3');
      assert.equal(chooseFailoverReplica('a', [{ id: 'r1', zone: 'a', offset: 1, healthy: true }]).ok, false);
    });
  });

  describe('topology', () => {
    const text = [
      'aaa 127.0.1.1:7300@17300 myself,master - 0 0 1 connected 0-5460 [5461-<-bbb]',
      'bbb 127.0.2.2:7301@17301 master - 0 0 2 connected 5461-10922 [5461->-aaa]',
      'ccc 127.0.3.3:7302@17302,host3 master - 0 0 3 connected 10923-16383',
      'ddd 127.0.2.4:7303@17303 slave aaa 0 0 1 connected',
      'eee 127.0.1.5:7304@17304 slave,fail bbb 0 0 2 disconnected',
    ].join('\n');

    it('parses addresses, roles, ranges and open-slot markers', () => {
      const nodes = parseNodes(text);
      assert.ok(!isParseError(nodes));
      const [a, b, c, d, e] = nodes;
      assert.equal(a?.slots.length, 5461);
      assert.equal(a?.importing.get(5461), 'bbb');
      assert.equal(b?.migrating.get(5461), 'aaa');
      assert.equal(c?.host, '127.0.3.3');
      assert.equal(c?.busPort, 17302);
      assert.equal(d?.role, 'replica');
      assert.equal(d?.primaryId, 'aaa');
      assert.equal(e?.failing, true);
      assert.equal(formatRanges(a?.slots ?? []), '0-5460');
      assert.ok(isParseError(parseNodes('x 1.2.3.4:1@2 master - 0 0 1 connected 99999')));
    });

    it('builds shards and reports health problems, zones from the loopback convention', () => {
      const nodes = parseNodes(text);
      assert.ok(!isParseError(nodes));
      const t = buildTopology(nodes, new Map(), new Map([['ccc', 'z9']]));
      assert.equal(t.shards.length, 3);
      assert.equal(t.shards[0]?.replicas[0]?.id, 'ddd');
      assert.equal(t.zones.get('aaa'), 'a');
      assert.equal(t.zones.get('ccc'), 'z9');
      assert.equal(zoneFromAddress('10.0.0.1'), undefined);
      const states = new Map(nodes.map((n) => [n.id, 'ok']));
      const problems = healthProblems(t, states);
      assert.ok(problems.some((p) => p.includes('slot 5461 is open')));
      // eee is a failed replica serving no slot: a warning, not a refusal.
      assert.ok(!problems.some((p) => p.includes('7304')));
      assert.ok(healthWarnings(t).some((p) => p.includes('127.0.1.5:7304')));
      assert.ok(!healthProblems(t, states, new Set([5461])).some((p) => p.includes('open')));
      assert.ok(!healthWarnings(t).some((p) => p.includes('in zone')));
      // The same replica in its primary's zone is a warning.
      const sameZone = buildTopology(nodes, new Map(), new Map([['ddd', t.zones.get('aaa') ?? '']]));
      assert.ok(healthWarnings(sameZone).some((p) => p.includes('replica 127.0.2.4:7303 is in zone a')));
    });

    it('a move is pending until its target owns the slot with no markers; a failed-over target resolves to its promoted replica', () => {
      const nodes = parseNodes(text);
      assert.ok(!isParseError(nodes));
      const t = buildTopology(nodes, new Map(), new Map());
      const moves = [{ slot: 5461, from: 'bbb', to: 'aaa', keys: 0 }, { slot: 0, from: 'bbb', to: 'aaa', keys: 0 }, { slot: 16383, from: 'ccc', to: 'aaa', keys: 0 }];
      assert.deepEqual(pendingMoves(t, moves).map((m) => m.slot), [5461, 16383]);
      const failed = parseNodes([
        'aaa 127.0.1.1:7300@17300 master,fail - 0 0 1 disconnected',
        'ddd 127.0.2.4:7303@17303 myself,master - 0 0 4 connected 0-16383',
      ].join('\n'));
      assert.ok(!isParseError(failed));
      const t2 = buildTopology(failed, new Map(), new Map());
      assert.equal(resolvePrimary(t2, 'aaa', ['aaa', 'ddd'])?.id, 'ddd');
      // A stale seed (an importer keeps a dead owner) must not resurrect the dead node's slots.
      const stale = parseNodes([
        'aaa 127.0.1.1:7300@17300 master,fail - 0 0 1 disconnected 0-100',
        'ddd 127.0.2.4:7303@17303 master - 0 0 4 connected 101-16383',
      ].join('\n'));
      const ddd = parseNodes('ddd 127.0.2.4:7303@17303 myself,master - 0 0 4 connected 0-16383');
      assert.ok(!isParseError(stale) && !isParseError(ddd) && ddd[0]);
      const t3 = buildTopology(stale, new Map([['ddd', ddd[0]]]), new Map());
      assert.deepEqual(t3.nodes.find((n) => n.id === 'aaa')?.slots, []);
      assert.deepEqual(healthProblems(t3, new Map([['ddd', 'ok']])), []);
    });

    it('reads zones from a CLUSTER SHARDS reply', () => {
      const reply = [['slots', [0, 16383], 'nodes', [['id', 'aaa', 'port', 7300, 'availability-zone', 'b'], ['id', 'bbb', 'port', 7301]]]];
      assert.deepEqual([...zonesFromShards(reply)], [['aaa', 'b']]);
    });
  });

  describe('lane ramp', () => {
    it('starts a source with a few lanes and adds one per RAMP_SLOTS_PER_LANE slots, up to --parallel', () => {
      assert.equal(lanesAfter(0, 32), RAMP_FIRST_LANES);
      assert.equal(lanesAfter(RAMP_SLOTS_PER_LANE - 1, 32), RAMP_FIRST_LANES);
      assert.equal(lanesAfter(RAMP_SLOTS_PER_LANE, 32), RAMP_FIRST_LANES + 1);
      assert.equal(lanesAfter(1_000_000, 32), 32);
      assert.equal(lanesAfter(0, 2), 2, 'never more than asked for');
      assert.equal(lanesAfter(0, 1), 1);
    });

    it('grows the slots per step from 1 to --group at the same pace', () => {
      assert.equal(groupAfter(0, 4), 1);
      assert.equal(groupAfter(RAMP_SLOTS_PER_LANE - 1, 4), 1);
      assert.equal(groupAfter(RAMP_SLOTS_PER_LANE, 4), 2);
      assert.equal(groupAfter(1_000_000, 4), 4);
      assert.equal(groupAfter(1_000_000, 1), 1);
    });

    it('groups only consecutive moves bound for the same target, in plan order', () => {
      const mv = (slot: number, to: string): SlotMove => ({ slot, from: 'src', to, keys: 0 });
      const list = [mv(1, 'a'), mv(2, 'a'), mv(3, 'b'), mv(4, 'a'), mv(5, 'a'), mv(6, 'a')];
      assert.deepEqual(takeGroup(list, 4).map((m) => m.slot), [1, 2]);
      assert.deepEqual(takeGroup(list, 4).map((m) => m.slot), [3]);
      assert.deepEqual(takeGroup(list, 2).map((m) => m.slot), [4, 5]);
      assert.deepEqual(takeGroup(list, 4).map((m) => m.slot), [6]);
      assert.deepEqual(takeGroup(list, 4), []);
    });
  });
});
