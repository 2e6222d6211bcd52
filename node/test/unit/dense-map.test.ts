import assert from 'node:assert/strict';
import { DenseMap } from '../../src/keyspace/dense-map.js';
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
        const presentAtStart = new Set(m.keys);
        const deletedDuring = new Set<string>();
        const returned = new Set<string>();
        let cursor = 0;
        let calls = 0;
        do {
          const out: string[] = [];
          cursor = m.scanKeys(cursor, 1 + Math.floor(rnd() * 20), out);
          for (const k of out) {
            assert.ok(m.has(k), `returned a key that does not exist: ${k}`);
            returned.add(k);
          }
          // Mutate between calls: deletes of random keys, inserts, sometimes a burst.
          const ops = Math.floor(rnd() * 15);
          for (let o = 0; o < ops; o++) {
            if (m.size > 0 && rnd() < 0.5) {
              const k = m.keys[Math.floor(rnd() * m.size)]!;
              m.delete(k);
              deletedDuring.add(k);
            } else {
              m.set(`k${next++}`, 0);
            }
          }
          calls++;
          assert.ok(calls < 100_000, 'scan does not terminate');
        } while (cursor !== 0);
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
});
