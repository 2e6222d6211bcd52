import assert from 'node:assert/strict';
import { KeyGuard, KeyGuards } from '../../src/services/key-guards.js';

describe('key guards (MIGRATE)', () => {
  it('a write to a guarded key in the same database dirties its guard, nothing else does', () => {
    const gs = new KeyGuards();
    const g = new KeyGuard(0);
    gs.guard(g, 'a');
    gs.guard(g, 'b');
    gs.guard(g, 'a'); // again: a no-op
    assert.deepEqual(g.keys, ['a', 'b']);
    gs.touched(1, 'a');
    gs.touched(0, 'c');
    assert.equal(g.dirty, false);
    gs.touched(0, 'b');
    assert.equal(g.dirty, true);
    gs.release(g);
    assert.ok(gs.isEmpty);
  });

  it('two guards on one key are both dirtied and released independently', () => {
    const gs = new KeyGuards();
    const g1 = new KeyGuard(0);
    const g2 = new KeyGuard(0);
    gs.guard(g1, 'k');
    gs.guard(g2, 'k');
    gs.guard(g2, 'k');
    gs.touched(0, 'k');
    assert.ok(g1.dirty && g2.dirty);
    g1.dirty = g2.dirty = false;
    gs.release(g1);
    assert.ok(!gs.isEmpty);
    gs.touched(0, 'k');
    assert.equal(g1.dirty, false, 'a released guard hears nothing');
    assert.equal(g2.dirty, true);
    gs.release(g2);
    gs.release(g2); // twice: a no-op
    assert.ok(gs.isEmpty);
    g2.dirty = false;
    gs.touched(0, 'k');
    assert.equal(g2.dirty, false);
  });

  it('a flush dirties every guard of that database only', () => {
    const gs = new KeyGuards();
    const in0 = new KeyGuard(0);
    const in3 = new KeyGuard(3);
    gs.guard(in0, 'x');
    gs.guard(in3, 'x');
    gs.flushed(3);
    assert.equal(in0.dirty, false);
    assert.equal(in3.dirty, true);
    gs.release(in0);
    gs.release(in3);
    assert.ok(gs.isEmpty);
  });
});
