import assert from 'node:assert/strict';
import { ZSetValue, type ScoreRange, type LexRange, type ZNode } from '../../src/keyspace/types/zset.js';
import { seededRandom } from '../../src/core/random.js';

type Entry = [member: string, score: number];

/** The reference model: a plain array kept sorted by (score, member). */
function sorted(model: Map<string, number>): Entry[] {
  return [...model.entries()].sort((a, b) => (a[1] !== b[1] ? a[1] - b[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function walk(z: ZSetValue): Entry[] {
  const out: Entry[] = [];
  for (let n = z.first(); n !== null; n = n.next[0] ?? null) out.push([n.member, n.score]);
  return out;
}

function walkBack(z: ZSetValue): Entry[] {
  const out: Entry[] = [];
  for (let n = z.last(); n !== null; n = n.backward) out.push([n.member, n.score]);
  return out.reverse();
}

function inScore(v: number, r: ScoreRange): boolean {
  return (r.minex ? v > r.min : v >= r.min) && (r.maxex ? v < r.max : v <= r.max);
}

describe('zset skiplist', () => {
  for (const seed of [1, 2, 3, 42, 1234]) {
    it(`matches a sorted-array model under random operations (seed ${seed})`, () => {
      const rnd = seededRandom(seed);
      const z = new ZSetValue();
      const model = new Map<string, number>();
      // Few distinct scores so ties (ordered by member) are common.
      const member = (): string => String.fromCharCode(97 + Math.floor(rnd() * 26)) + Math.floor(rnd() * 40);
      const score = (): number => Math.floor(rnd() * 20) - 10 + (rnd() < 0.2 ? 0.5 : 0);
      for (let step = 0; step < 3000; step++) {
        const op = rnd();
        if (op < 0.5) {
          const m = member();
          const sc = score();
          const added = z.set(m, sc, { maxListpackEntries: 128, maxListpackValue: 64 });
          assert.equal(added, !model.has(m));
          model.set(m, sc);
        } else if (op < 0.75) {
          const m = member();
          assert.equal(z.delete(m), model.delete(m));
        } else if (op < 0.8) {
          const r = { min: score(), max: score(), minex: rnd() < 0.5, maxex: rnd() < 0.5 };
          const expected = sorted(model).filter((e) => inScore(e[1], r));
          assert.equal(z.deleteRangeByScore(r), expected.length);
          for (const e of expected) model.delete(e[0]);
        } else if (op < 0.85 && model.size > 0) {
          const all = sorted(model);
          const a = Math.floor(rnd() * all.length);
          const b = Math.min(all.length - 1, a + Math.floor(rnd() * 5));
          assert.equal(z.deleteRangeByRank(a, b), b - a + 1);
          for (const e of all.slice(a, b + 1)) model.delete(e[0]);
        } else if (op < 0.9 && model.size > 0) {
          const max = rnd() < 0.5;
          const all = sorted(model);
          const want = max ? all[all.length - 1]! : all[0]!;
          const n = z.pop(max)!;
          assert.deepEqual([n.member, n.score], want);
          model.delete(want[0]);
        } else {
          // Queries only.
          const all = sorted(model);
          if (all.length > 0) {
            const i = Math.floor(rnd() * all.length);
            const e = all[i]!;
            assert.equal(z.rank(e[0]), i);
            assert.equal(z.rank(e[0], true), all.length - 1 - i);
            const at = z.atRank(i)!;
            assert.equal(at.member, e[0]);
            assert.equal(z.rankOfNode(at), i);
          }
          const r = { min: score(), max: score(), minex: rnd() < 0.5, maxex: rnd() < 0.5 };
          const inR = all.filter((x) => inScore(x[1], r));
          assert.equal(z.countInScoreRange(r), inR.length);
          const f = z.firstInScoreRange(r);
          const l = z.lastInScoreRange(r);
          assert.deepEqual(f ? f.member : null, inR.length ? inR[0]![0] : null);
          assert.deepEqual(l ? l.member : null, inR.length ? inR[inR.length - 1]![0] : null);
        }
        assert.equal(z.size, model.size);
        if (step % 97 === 0) {
          z.checkInvariants();
          assert.deepEqual(walk(z), sorted(model));
          assert.deepEqual(walkBack(z), sorted(model));
        }
      }
      z.checkInvariants();
      assert.deepEqual(walk(z), sorted(model));
      const c = z.clone();
      c.checkInvariants();
      assert.deepEqual(walk(c), sorted(model));
    });
  }

  it('orders members bytewise on equal scores and handles lex ranges', () => {
    const z = new ZSetValue();
    for (const m of ['b', 'a', '\xff', 'ab', '', 'B', '\x00']) z.set(m, 0);
    assert.deepEqual(
      walk(z).map((e) => e[0]),
      ['', '\x00', 'B', 'a', 'ab', 'b', '\xff'],
    );
    const r: LexRange = { min: { value: 'a', inf: 0, ex: false }, max: { value: 'b', inf: 0, ex: true } };
    assert.equal(z.firstInLexRange(r)!.member, 'a');
    assert.equal(z.lastInLexRange(r)!.member, 'ab');
    assert.equal(z.countInLexRange(r), 2);
    const all: LexRange = { min: { value: '', inf: -1, ex: true }, max: { value: '', inf: 1, ex: true } };
    assert.equal(z.countInLexRange(all), 7);
    const none: LexRange = { min: { value: '', inf: 1, ex: true }, max: { value: '', inf: -1, ex: true } };
    assert.equal(z.countInLexRange(none), 0);
    assert.equal(z.deleteRangeByLex(r), 2);
    z.checkInvariants();
    assert.deepEqual(
      walk(z).map((e) => e[0]),
      ['', '\x00', 'B', 'b', '\xff'],
    );
  });

  it('updates scores in place or by moving, keeping spans right', () => {
    const z = new ZSetValue();
    for (let i = 0; i < 200; i++) z.set(`m${i}`, i);
    z.set('m10', 10.5); // stays between neighbours
    z.set('m10', 500); // moves to the end
    z.set('m199', -1); // moves to the front
    z.checkInvariants();
    assert.equal(z.rank('m199'), 0);
    assert.equal(z.rank('m10'), 199);
    assert.equal((z.atRank(199) as ZNode).member, 'm10');
  });

  it('tracks the encoding Redis would report and never converts back', () => {
    const limits = { maxListpackEntries: 3, maxListpackValue: 5 };
    const z = new ZSetValue();
    z.set('a', 1, limits);
    z.set('b', 2, limits);
    z.set('c', 3, limits);
    assert.equal(z.encoding(), 'listpack');
    z.set('d', 4, limits);
    assert.equal(z.encoding(), 'skiplist');
    z.delete('d');
    assert.equal(z.encoding(), 'skiplist');
    const y = new ZSetValue();
    y.set('123456', 1, limits);
    assert.equal(y.encoding(), 'skiplist');
    // A listpack stores -0 as 0; a skiplist keeps the sign.
    const lp = new ZSetValue();
    lp.set('a', -0, limits);
    assert.ok(Object.is(lp.score('a'), 0));
    y.set('b', -0, limits);
    assert.ok(Object.is(y.score('b'), -0));
  });

  it('keeps bytes in step with the contents', () => {
    const z = new ZSetValue();
    const empty = z.bytes;
    for (let i = 0; i < 100; i++) z.set(`member-${i}`, i);
    assert.ok(z.bytes > empty + 100 * 40);
    for (let i = 0; i < 50; i++) z.set(`member-${i}`, 1000 - i); // moves keep the byte count
    for (let i = 0; i < 100; i++) z.delete(`member-${i}`);
    assert.equal(z.bytes, empty);
  });
});
