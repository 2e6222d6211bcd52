// addRange's binary-search merge must give exactly what normalizeRanges of
// the appended list gives, for normalized input (the fast path) and for any
// other input (the fallback). Seeded, so a failure names its case.
import { strict as assert } from 'node:assert';
import { addRange, normalizeRanges, removeRange } from '../../src/cluster/slot-ranges.js';
import { seededRandom } from '../../src/core/random.js';
import type { SlotRange } from '../../src/cluster/types.js';

describe('slot ranges: addRange', () => {
  it('equals normalizeRanges([...ranges, r]) over random tables and ranges', () => {
    const rnd = seededRandom(42);
    const int = (n: number): number => Math.floor(rnd() * n);
    for (let round = 0; round < 2000; round++) {
      // Small slot numbers make touching and overlapping ranges common.
      const span = round % 2 === 0 ? 64 : 16384;
      const raw: SlotRange[] = [];
      for (let k = int(8); k > 0; k--) {
        const a = int(span);
        raw.push([a, Math.min(16383, a + int(span / 8))]);
      }
      const normalized = normalizeRanges(raw);
      const a = int(span);
      const r: SlotRange = [a, Math.min(16383, a + int(span / 4))];
      assert.deepEqual(addRange(normalized, r), normalizeRanges([...normalized, r]), `round ${round}: ${JSON.stringify(normalized)} + ${JSON.stringify(r)}`);
      assert.deepEqual(addRange(raw, r), normalizeRanges([...raw, r]), `round ${round} (unnormalized): ${JSON.stringify(raw)} + ${JSON.stringify(r)}`);
    }
  });

  it('one slot at a time, as SETSLOT NODE adds them, then a removal and the hole filled again', () => {
    let mine: SlotRange[] = [];
    for (let s = 0; s < 300; s += 3) mine = addRange(mine, [s, s]);
    for (let s = 1; s < 300; s += 3) mine = addRange(mine, [s, s]);
    assert.equal(mine.length, 100);
    for (let s = 2; s < 300; s += 3) mine = addRange(mine, [s, s]);
    assert.deepEqual(mine, [[0, 299]]);
    mine = removeRange(mine, [100, 110]);
    assert.deepEqual(mine, [[0, 99], [111, 299]]);
    mine = addRange(mine, [100, 110]);
    assert.deepEqual(mine, [[0, 299]]);
  });
});
