// The two reshard-speed changes that can be checked without a server: the
// lazy nodes.conf writer (background in-place writes, latest text wins,
// never landing after a durable write) and the view that SETSLOT
// IMPORTING|MIGRATING|STABLE derives without rebuilding slotOwners.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseNodesConf } from '../../src/cluster/nodes-conf.js';
import { A, B, BASE, conf, coreOfA } from '../support/nodes-conf-fixture.js';
import { NodesConfWriter } from '../../src/server/cluster-setup.js';


async function settled(w: NodesConfWriter): Promise<void> {
  for (let i = 0; i < 1000 && w.busy; i++) await new Promise((r) => setTimeout(r, 2));
  assert.equal(w.busy, false, 'background write finished');
}

describe('reshard speed: lazy nodes.conf writes', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reshard-speed-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a save that needs no fsync is written in the background, the last one wins', async () => {
    const file = path.join(dir, 'nodes.conf');
    const w = new NodesConfWriter(file, true);
    assert.equal(w.save(conf(), false), true, 'the first save is durable, synchronous');
    assert.match(fs.readFileSync(file, 'latin1'), /connected 0-5460/);
    for (const end of [5000, 4000, 100]) assert.equal(w.save(conf(BASE.replace('connected 0-5460', `connected 0-${end}`)), false), false);
    await settled(w);
    const text = fs.readFileSync(file, 'latin1');
    assert.match(text, /connected 0-100\n/);
    assert.deepEqual(parseNodesConf(text)!.nodes[0]!.slots, [[0, 100]]);
    w.close();
  });

  it('a background write of older text never lands after a durable one', async () => {
    const file = path.join(dir, 'nodes.conf');
    const w = new NodesConfWriter(file, true);
    w.save(conf(), false);
    // Queued behind nothing: starts at once, then a durable save overtakes it in the same turn.
    w.save(conf(BASE.replace('connected 0-5460', 'connected 0-10')), false);
    w.save(conf(BASE.replace('connected 0-5460', 'connected 0-20')), false);
    const bumped = BASE.replace('connected 0-5460', 'connected 0-30').replace('0 0 1 connected', '0 0 7 connected');
    assert.equal(w.save(conf(bumped), false), true);
    await settled(w);
    assert.match(fs.readFileSync(file, 'latin1'), /0 0 7 connected 0-30\n/);
    // The next background write reopens the file the durable one put in place.
    assert.equal(w.save(conf(bumped.replace('connected 0-30', 'connected 0-40')), false), false);
    await settled(w);
    assert.deepEqual(parseNodesConf(fs.readFileSync(file, 'latin1'))!.nodes[0]!.slots, [[0, 40]]);
    w.close();
  });
});

describe('reshard speed: SETSLOT slot states reuse the view', () => {
  it('IMPORTING/MIGRATING/STABLE keep slotOwners and nodes, NODE rebuilds; the view is current either way', () => {
    const core = coreOfA();
    const v0 = core.view;
    assert.equal(core.setSlot(5, 'migrating', B), null);
    const v1 = core.view;
    assert.notEqual(v1, v0);
    assert.ok(v1.version > v0.version);
    assert.equal(v1.slotOwners, v0.slotOwners, 'no 16384-entry rebuild');
    assert.equal(v1.nodes, v0.nodes);
    assert.equal(v1.migrating.get(5), B);
    assert.equal(v0.migrating.has(5), false, 'an older view is not changed');
    assert.equal(core.setSlot(6000, 'importing', B), null);
    assert.equal(core.view.importing.get(6000), B);
    assert.equal(core.setSlot(5, 'stable', null), null);
    assert.equal(core.view.migrating.has(5), false);
    assert.equal(core.view.slotOwners, v0.slotOwners);
    assert.equal(core.setSlot(5, 'node', B), null);
    const v2 = core.view;
    assert.notEqual(v2.slotOwners, v0.slotOwners);
    assert.equal(v2.slotOwners[5]?.id, B);
    assert.equal(v2.slotOwners[4]?.id, A);
    // slotOwners is built on first read, yet from the snapshot: a view read
    // before a move and asked for its table after shows the old owner.
    const before = core.view;
    assert.equal(core.setSlot(7, 'node', B), null);
    assert.equal(before.slotOwners[7]?.id, A);
    assert.equal(core.view.slotOwners[7]?.id, B);
    // A view never read between changes is simply built fresh.
    assert.equal(core.setSlot(4, 'migrating', B), null);
    assert.equal(core.setSlot(4, 'stable', null), null);
    assert.equal(core.view.migrating.size, 0);
  });
});
