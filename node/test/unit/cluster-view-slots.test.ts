// The view's slot table (view.ts): owners kept as indexes the core shares
// with the view it built and copies before its next write. What must hold:
// slotOwner(s) and slotOwners[s] agree with the records' ranges; a view read
// before a change keeps showing its own snapshot however the core moves
// slots later (also after a node is forgotten and its index freed).
import { strict as assert } from 'node:assert';
import { SLOT_COUNT, type ClusterView } from '../../src/cluster/types.js';
import { slotOwnerOf } from '../../src/cluster/view.js';
import { A, B, coreOfA } from '../support/nodes-conf-fixture.js';

const core = coreOfA;

/** Owner id per slot, from the NodeViews' own ranges (what the table must agree with). */
function fromRanges(v: ClusterView): (string | null)[] {
  const out = new Array<string | null>(SLOT_COUNT).fill(null);
  for (const n of v.nodes.values()) for (const [a, b] of n.slots) for (let s = a; s <= b; s++) out[s] = n.id;
  return out;
}

function assertConsistent(v: ClusterView): void {
  const want = fromRanges(v);
  const owners = v.slotOwners;
  for (let s = 0; s < SLOT_COUNT; s++) {
    const one = slotOwnerOf(v, s);
    assert.equal(one?.id ?? null, want[s], `slotOwner(${s})`);
    assert.equal(owners[s] ?? null, one, `slotOwners[${s}] is the same NodeView`);
    if (one) assert.equal(one, v.nodes.get(one.id), 'the owner is this view\'s own NodeView');
  }
}

describe('cluster view: slot table', () => {
  it('agrees with the ranges after every kind of change, and old views keep their snapshot', () => {
    const c = core();
    const views: { v: ClusterView; owners: (string | null)[] }[] = [];
    const keep = (): void => {
      const v = c.view;
      assertConsistent(v);
      views.push({ v, owners: fromRanges(v) });
    };
    keep();
    for (const s of [0, 1, 2, 5460, 100]) {
      assert.equal(c.setSlot(s, 'migrating', B), null);
      keep();
      assert.equal(c.setSlot(s, 'node', B), null);
      keep();
    }
    assert.equal(c.delSlots([3, 4]), null);
    keep();
    assert.equal(c.addSlots([3]), null);
    keep();
    // Ranges across the table's 256-slot chunks, and out of order.
    const across = [262, 250, 251, 252, 253, 254, 255, 256, 257, 258, 511, 512, 513];
    assert.equal(c.delSlots(across), null);
    keep();
    assert.equal(c.addSlots(across.slice(0, 7)), null);
    keep();
    assert.equal(c.flushSlots(), null);
    keep();
    // B forgotten: its slots become unassigned and its index is freed; the views built while B held slots still name B.
    assert.equal(c.forget(B, 2000), null);
    keep();
    assert.equal(c.addSlots([0, 1, 16383]), null);
    keep();
    for (const { v, owners } of views) {
      for (let s = 0; s < SLOT_COUNT; s++) assert.equal(slotOwnerOf(v, s)?.id ?? null, owners[s], `slot ${s} of view ${v.version}`);
    }
  });

  it('a view whose table was never read still shows its snapshot', () => {
    const c = core();
    const before = c.view;
    assert.equal(c.setSlot(7, 'node', B), null);
    assert.equal(slotOwnerOf(before, 7)?.id, A);
    assert.equal(before.slotOwners[7]?.id, A);
    assert.equal(slotOwnerOf(c.view, 7)?.id, B);
  });

  it('a hand-built view without slotOwner() is read through its array', () => {
    const v = core().view;
    const literal: ClusterView = { myId: v.myId, currentEpoch: 0, lastVoteEpoch: 0, state: 'ok', nodes: v.nodes, slotOwners: v.slotOwners, migrating: new Map(), importing: new Map(), version: 1 };
    assert.equal(slotOwnerOf(literal, 5461)?.id, B);
  });
});
