import assert from 'node:assert/strict';
import {
  addRange,
  formatRanges,
  normalizeRanges,
  parseRanges,
  rangesContain,
  rangesFromSlots,
  removeRange,
  slotCount,
  slotsDigest,
} from '../../src/cluster/slot-ranges.js';
import { NewsQueue } from '../../src/cluster/news-queue.js';
import { seededRandom } from '../../src/core/random.js';

describe('cluster slot ranges', () => {
  it('merges, splits and counts ranges', () => {
    assert.deepEqual(rangesFromSlots([5, 3, 4, 9, 10, 4]), [[3, 5], [9, 10]]);
    assert.deepEqual(normalizeRanges([[10, 20], [0, 5], [6, 9]]), [[0, 20]]);
    assert.deepEqual(addRange([[0, 5]], [7, 8]), [[0, 5], [7, 8]]);
    assert.deepEqual(removeRange([[0, 16383]], [100, 200]), [[0, 99], [201, 16383]]);
    assert.deepEqual(removeRange([[0, 5]], [0, 5]), []);
    assert.equal(slotCount([[0, 5460], [10000, 10000]]), 5462);
    assert.equal(formatRanges(parseRanges('0-5460 5462 7000-7001')), '0-5460 5462 7000-7001');
  });

  it('agrees with a bitmap model on random operations', () => {
    const rnd = seededRandom(7);
    let ranges: (readonly [number, number])[] = [];
    const bits = new Uint8Array(16384);
    for (let i = 0; i < 2000; i++) {
      const a = Math.floor(rnd() * 16384);
      const b = Math.min(16383, a + Math.floor(rnd() * 300));
      const add = rnd() < 0.6;
      ranges = add ? addRange(ranges, [a, b]) : removeRange(ranges, [a, b]);
      bits.fill(add ? 1 : 0, a, b + 1);
      const probe = Math.floor(rnd() * 16384);
      assert.equal(rangesContain(ranges, probe), bits[probe] === 1);
    }
    assert.deepEqual(ranges, rangesFromSlots([...bits.keys()].filter((s) => bits[s] === 1)));
  });

  it('rejects slots outside 0..16383 with an assertion', () => {
    assert.throws(() => rangesFromSlots([16384]), /assertion failed/);
    assert.throws(() => addRange([], [5, 3]), /assertion failed/);
  });

  it('digests depend on configEpoch and ranges', () => {
    assert.notEqual(slotsDigest(1, [[0, 10]]), slotsDigest(2, [[0, 10]]));
    assert.notEqual(slotsDigest(1, [[0, 10]]), slotsDigest(1, [[0, 11]]));
    assert.equal(slotsDigest(3, [[0, 10]]), slotsDigest(3, [[0, 10]]));
  });
});

describe('cluster news queue', () => {
  it('sends least-transmitted news first and retires after the limit', () => {
    const q = new NewsQueue(2); // limit 2 x ceil(log10(N+1)) = 2 for N=9
    for (const id of ['a', 'b', 'c']) q.push(id);
    assert.deepEqual(q.take(2, 9, ''), ['a', 'b']);
    assert.deepEqual(q.take(2, 9, ''), ['c', 'a']);
    q.push('b'); // a new change restarts b
    assert.deepEqual(q.take(5, 9, 'c'), ['b']);
    assert.deepEqual(q.take(5, 9, ''), ['c', 'b']);
    assert.equal(q.size, 0);
  });
});

describe('cluster news queue cap', () => {
  it('drops the most-sent items beyond the cap', () => {
    const q = new NewsQueue(4, 3);
    q.push('a');
    q.push('b');
    q.take(1, 9, ''); // a sent once
    q.push('c');
    q.push('d'); // full: a (most sent) goes
    assert.equal(q.size, 3);
    assert.deepEqual(q.take(5, 9, '').sort(), ['b', 'c', 'd']);
  });
});
