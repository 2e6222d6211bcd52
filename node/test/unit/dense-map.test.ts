import assert from 'node:assert/strict';
import { DenseMap, JOIN_ENTRIES, SHARDS, SPLIT_ENTRIES, shardOf } from '../../src/keyspace/dense-map.js';
import { seededRandom } from '../../src/core/random.js';

describe('DenseMap', () => {
  it('keeps index and dense arrays consistent under deletes', () => {
    const m = new DenseMap<number>();
    for (let i = 0; i < 10; i++) m.set(`k${i}`, i);
    assert.equal(m.size, 10);
    assert.equal(m.set('k3', 33), false);
    assert.equal(m.get('k3'), 33);
    assert.equal(m.delete('k0'), 0); // slot 0 refilled from the top
    assert.equal(m.keyAt(0), 'k9');
    assert.equal(m.slot('k9'), 0);
    assert.equal(m.delete('nope'), -1);
    assert.equal(m.delete('k9'), 0);
    assert.equal(m.size, 8);
    for (let i = 0; i < m.size; i++) assert.equal(m.slot(m.keyAt(i)!), i);
  });

  it('scanKeys walks every slot once when nothing changes', () => {
    const m = new DenseMap<number>();
    for (let i = 0; i < 25; i++) m.set(`k${i}`, i);
    const seen: string[] = [];
    let cursor = 0;
    let steps = 0;
    do {
      cursor = m.scanKeys(cursor, 4, seen);
      steps++;
    } while (cursor !== 0);
    assert.equal(steps, 7);
    assert.equal(seen.length, 25);
    assert.equal(new Set(seen).size, 25);
    assert.equal(m.scanKeys(0, 10, []), 15);
    assert.equal(new DenseMap<number>().scanKeys(0, 10, []), 0);
  });

  // Redis's SCAN guarantee: an element present from the start to the end of a
  // full iteration is returned at least once, whatever else is added or
  // removed between the calls. Checked against random interleavings.
  for (const seed of [1, 2, 3, 7, 42, 1234]) {
    it(`SCAN guarantee under concurrent inserts and deletes (seed ${seed})`, () => {
      const rnd = seededRandom(seed);
      for (let round = 0; round < 30; round++) {
        const m = new DenseMap<number>();
        let next = 0;
        const initial = Math.floor(rnd() * 300);
        for (let i = 0; i < initial; i++) m.set(`k${next++}`, 0);
        // Mutate between calls: deletes of random keys, inserts, sometimes a burst.
        const { presentAtStart, deletedDuring, returned } = scanWhileMutating(m, rnd, {
          count: () => 1 + Math.floor(rnd() * 20),
          ops: () => Math.floor(rnd() * 15),
          deleteChance: 0.5,
          newKey: () => `k${next++}`,
        });
        for (const k of presentAtStart) {
          if (!deletedDuring.has(k)) assert.ok(returned.has(k), `seed ${seed} round ${round}: ${k} missed`);
        }
      }
    });
  }

  it('scan() with a callback visits like scanKeys', () => {
    const m = new DenseMap<number>();
    for (let i = 0; i < 5; i++) m.set(`k${i}`, i);
    const vals: number[] = [];
    const c = m.scan(0, 3, (_k, v) => vals.push(v));
    assert.deepEqual(vals, [4, 3, 2]);
    assert.equal(c, 2);
  });

  /** Every slot is indexed at its position and the map holds exactly `model`. */
  function assertConsistent(m: DenseMap<number>, model: Map<string, number>): void {
    assert.equal(m.size, model.size);
    for (let i = 0; i < m.size; i++) {
      const k = m.keyAt(i)!;
      assert.equal(m.slot(k), i, `slot of ${k}`);
      assert.equal(m.valAt(i), model.get(k), `value of ${k}`);
    }
    for (const [k, v] of model) {
      assert.ok(m.has(k), `missing ${k}`);
      assert.equal(m.get(k), v);
    }
  }

  it('splits its index past SPLIT_ENTRIES and joins it back below JOIN_ENTRIES', () => {
    const m = new DenseMap<number>();
    const model = new Map<string, number>();
    for (let i = 0; i < SPLIT_ENTRIES; i++) {
      m.set(`key:${i}`, i);
      model.set(`key:${i}`, i);
    }
    assert.equal(m.split, false, 'a map of exactly SPLIT_ENTRIES is still one Map');
    assert.equal(m.set('key:0', -1), false, 'overwriting does not split');
    model.set('key:0', -1);
    assert.equal(m.split, false);
    assert.equal(m.set('one-more', 1), true);
    model.set('one-more', 1);
    assert.equal(m.split, true);
    assertConsistent(m, model);
    assert.equal(m.has('absent'), false);
    assert.equal(m.get('absent'), undefined);
    assert.equal(m.slot('absent'), -1);
    assert.equal(m.delete('absent'), -1);

    // Down to just above the join point: still split.
    let next = 0;
    while (m.size > JOIN_ENTRIES) {
      const k = `key:${next++}`;
      const i = m.slot(k);
      const last = m.size - 1;
      const moved = m.keyAt(last)!;
      assert.equal(m.delete(k), i);
      model.delete(k);
      if (i !== last) assert.equal(m.slot(moved), i, 'the top entry fills the hole');
    }
    assert.equal(m.split, true);
    assertConsistent(m, model);
    m.delete(`key:${next++}`);
    model.delete(`key:${next - 1}`);
    assert.equal(m.split, false);
    assertConsistent(m, model);

    // Up again, and clear() starts over with one Map.
    for (let i = 0; m.size <= SPLIT_ENTRIES; i++) {
      m.set(`again:${i}`, i);
      model.set(`again:${i}`, i);
    }
    assert.equal(m.split, true);
    assertConsistent(m, model);
    m.clear();
    assert.equal(m.split, false);
    assert.equal(m.size, 0);
    assert.equal(m.get('again:1'), undefined);
    m.set('x', 1);
    assert.equal(m.get('x'), 1);
  });

  it('random churn around the thresholds keeps index, slots and random entries right', () => {
    const rnd = seededRandom(99);
    const m = new DenseMap<number>();
    const model = new Map<string, number>();
    let next = 0;
    let splits = 0;
    let joins = 0;
    // Grow past the split, shrink past the join, twice, with mixed operations.
    for (const target of [SPLIT_ENTRIES + 5_000, JOIN_ENTRIES - 2_000, SPLIT_ENTRIES + 3_000, 100]) {
      const growing = target > m.size;
      for (let step = 0; growing ? m.size < target : m.size > target; step++) {
        assert.ok(step < 1_000_000, 'the churn moves towards its target');
        const wasSplit = m.split;
        const r = rnd();
        if (r < (growing ? 0.1 : 0.7) && m.size > 0) {
          const k = m.keyAt(Math.floor(rnd() * m.size))!; // a uniformly random entry
          assert.ok(model.has(k));
          m.delete(k);
          model.delete(k);
        } else if (r < (growing ? 0.5 : 0.8) && m.size > 0) {
          const k = m.keyAt(Math.floor(rnd() * m.size))!;
          m.set(k, step);
          model.set(k, step);
        } else {
          // Short and empty keys too: the shard hash must handle every length.
          const k = rnd() < 0.01 ? ['', 'a', 'bc'][Math.floor(rnd() * 3)]! : `k${next++}:${Math.floor(rnd() * 1000)}`;
          // add() is for keys known absent (one hash operation); set() for the rest.
          if (model.has(k)) m.set(k, step);
          else m.add(k, step);
          model.set(k, step);
        }
        if (m.split !== wasSplit) {
          if (m.split) splits++;
          else joins++;
          assertConsistent(m, model);
        }
      }
      assertConsistent(m, model);
    }
    assert.equal(splits, 2);
    assert.equal(joins, 2);
  });

  it('deleteInOrder keeps insertion order, split or not', () => {
    for (const n of [10, SPLIT_ENTRIES + 10]) {
      const m = new DenseMap<number>();
      const model = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        m.set(`f${i}`, i);
        model.set(`f${i}`, i);
      }
      assert.equal(m.deleteInOrder('f3'), 3);
      model.delete('f3');
      assert.equal(m.deleteInOrder('f3'), -1);
      assert.equal(m.deleteInOrder(`f${n - 1}`), n - 2);
      model.delete(`f${n - 1}`);
      assert.deepEqual(m.keys.slice(0, 5), ['f0', 'f1', 'f2', 'f4', 'f5']);
      assert.deepEqual(m.keys, [...model.keys()]);
      assertConsistent(m, model);
    }
  });

  it('shardOf is stable, in range and spreads numbered keys', () => {
    assert.equal(shardOf('key:123456'), shardOf(['key:', '123456'].join('')));
    const counts = new Array<number>(SHARDS).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const s = shardOf(`key:${i}`);
      assert.ok(Number.isInteger(s) && s >= 0 && s < SHARDS);
      counts[s]!++;
    }
    for (const k of ['', 'a', 'ab', '\u00ff\u00fe', 'x'.repeat(1000)]) {
      const s = shardOf(k);
      assert.ok(Number.isInteger(s) && s >= 0 && s < SHARDS, `shardOf(${JSON.stringify(k)}) = ${s}`);
    }
    // Not a strength test: only that no sub-Map ends up with most of the keys.
    assert.ok(Math.max(...counts) < (3 * 100_000) / SHARDS, `max sub-Map ${Math.max(...counts)}`);
  });

  // The SCAN guarantee must hold while the index splits or joins between
  // two calls (it only depends on the dense slots, but check it).
  for (const seed of [5, 11]) {
    it(`SCAN guarantee across a split and a join (seed ${seed})`, () => {
      const rnd = seededRandom(seed);
      for (const [start, drift] of [
        [SPLIT_ENTRIES - 300, 1],
        [JOIN_ENTRIES + 300, -1],
      ] as const) {
        const m = new DenseMap<number>();
        let next = 0;
        for (let i = 0; i < start; i++) m.set(`k${next++}`, 0);
        if (drift < 0) {
          // Split first, then come back down to just above the join point.
          while (m.size <= SPLIT_ENTRIES) m.set(`k${next++}`, 0);
          while (m.size > start) m.delete(m.keyAt(Math.floor(rnd() * m.size))!);
          assert.equal(m.split, true);
        }
        const splitAtStart = m.split;
        // Deletes biased towards `drift`, so the scan crosses the threshold.
        const { presentAtStart, deletedDuring, returned } = scanWhileMutating(m, rnd, {
          count: () => 100 + Math.floor(rnd() * 500),
          ops: () => Math.floor(rnd() * 300),
          deleteChance: drift > 0 ? 0.2 : 0.8,
          newKey: () => `k${next++}`,
        });
        assert.notEqual(m.split, splitAtStart, 'the index switched during the scan');
        for (const k of presentAtStart) {
          if (!deletedDuring.has(k)) assert.ok(returned.has(k), `seed ${seed}: ${k} missed`);
        }
      }
    });
  }
});

/**
 * A full SCAN (scanKeys) of m with random inserts and deletes between the
 * calls; every key returned must exist when returned. What the callers check
 * Redis's guarantee with: the keys present at the start, those deleted
 * during the scan, and those returned.
 */
function scanWhileMutating(
  m: DenseMap<number>,
  rnd: () => number,
  o: { count: () => number; ops: () => number; deleteChance: number; newKey: () => string },
): { presentAtStart: Set<string>; deletedDuring: Set<string>; returned: Set<string> } {
  const presentAtStart = new Set(m.keys);
  const deletedDuring = new Set<string>();
  const returned = new Set<string>();
  let cursor = 0;
  let calls = 0;
  do {
    const out: string[] = [];
    cursor = m.scanKeys(cursor, o.count(), out);
    for (const k of out) {
      assert.ok(m.has(k), `returned a key that does not exist: ${k}`);
      returned.add(k);
    }
    const ops = o.ops();
    for (let i = 0; i < ops; i++) {
      if (m.size > 0 && rnd() < o.deleteChance) {
        const k = m.keyAt(Math.floor(rnd() * m.size))!;
        m.delete(k);
        deletedDuring.add(k);
      } else {
        m.set(o.newKey(), 0);
      }
    }
    calls++;
    assert.ok(calls < 100_000, 'scan does not terminate');
  } while (cursor !== 0);
  return { presentAtStart, deletedDuring, returned };
}
