import assert from 'node:assert/strict';
import { Keyspace, STARTUP_BYTES, type KeyspaceEvents } from '../../src/keyspace/keyspace.js';
import { EXPIRE_OVERHEAD_BYTES, KEY_OVERHEAD_BYTES } from '../../src/keyspace/database.js';
import { stringBytes } from '../../src/keyspace/values.js';
import { seededRandom } from '../../src/core/random.js';
import { Harness } from '../support/harness.js';
import { keySlot } from '../../src/cluster/keyslot.js';

const T0 = 1_700_000_000_000;

function keyspace(databases = 16): { ks: Keyspace; events: string[] } {
  const events: string[] = [];
  const ev: KeyspaceEvents = {
    keyEvent: (cls, event, key, db) => {
      // 'new' (class n) fires on every insert; these tests watch expiry and eviction.
      if (cls !== 'n') events.push(`${cls}:${event}:${key}@${db}`);
    },
    keyModified: () => {},
    dbFlushed: () => {},
  };
  const ks = new Keyspace({ databases, random: seededRandom(7), events: ev });
  ks.nowMs = T0;
  return { ks, events };
}

describe('keyspace core', () => {
  describe('lazy expiry', () => {
    it('read and peek delete a key whose time has come, once', () => {
      const { ks, events } = keyspace();
      const db = ks.db(0);
      db.set('k', 'v');
      db.setExpire('k', T0 + 100);
      ks.nowMs = T0 + 99;
      assert.equal(db.read('k', ks.nowMs), 'v');
      ks.nowMs = T0 + 100;
      assert.equal(db.peek('k', ks.nowMs), undefined);
      assert.equal(db.read('k', ks.nowMs), undefined);
      assert.deepEqual(events, ['x:expired:k@0']);
      assert.equal(ks.stats.expiredKeys, 1);
      assert.equal(db.size, 0);
      assert.equal(db.expiresCount, 0);
    });

    it('while expiry is paused a due key is hidden but kept', () => {
      const { ks, events } = keyspace();
      const db = ks.db(0);
      db.set('k', 'v');
      db.setExpire('k', T0 + 10);
      ks.expiryPaused = true;
      ks.nowMs = T0 + 10;
      assert.equal(db.peek('k', ks.nowMs), undefined);
      assert.equal(db.size, 1);
      assert.equal(ks.activeExpireCycle(), 0);
      assert.equal(db.size, 1);
      ks.expiryPaused = false;
      assert.equal(db.peek('k', ks.nowMs), undefined);
      assert.equal(db.size, 0);
      assert.deepEqual(events, ['x:expired:k@0']);
    });

    it('create() after a peek that missed: a new key, or the hidden due key replaced as set() would', () => {
      const { ks } = keyspace();
      const db = ks.db(0);
      assert.equal(db.peek('n', ks.nowMs), undefined);
      db.create('n', 'new');
      assert.equal(db.peek('n', ks.nowMs), 'new');
      db.set('k', 'old');
      db.setExpire('k', T0 + 10);
      ks.expiryPaused = true;
      ks.nowMs = T0 + 10;
      assert.equal(db.peek('k', ks.nowMs), undefined, 'due and hidden, but kept');
      db.create('k', 'fresh');
      assert.equal(db.size, 2, 'replaced, not added twice');
      assert.equal(db.getExpire('k'), undefined, 'the TTL went with the old value');
      ks.expiryPaused = false;
      assert.equal(db.peek('k', ks.nowMs), 'fresh');
    });
  });

  describe('slot index (cluster mode)', () => {
    for (const seed of [1, 2, 3]) {
      it(`lists each slot's keys in insertion order through adds, deletes, flush and SWAPDB (seed ${seed})`, () => {
        const { ks } = keyspace();
        const db = ks.db(0);
        const rnd = seededRandom(seed);
        // Keys present before the index is turned on are indexed too.
        for (let i = 0; i < 50; i++) db.set(`{t${i % 7}}pre${i}`, 'v');
        db.enableSlotIndex();
        const model = new Map<number, string[]>();
        for (let i = 0; i < 50; i++) {
          const k = `{t${i % 7}}pre${i}`;
          const slot = keySlot(k);
          model.set(slot, [...(model.get(slot) ?? []), k]);
        }
        const present = (): string[] => [...model.values()].flat();
        let next = 0;
        for (let step = 0; step < 4000; step++) {
          const r = rnd();
          const keys = present();
          if (r < 0.45 && keys.length > 0) {
            // Deleting any key moves the top dense entry into its hole.
            const k = keys[Math.floor(rnd() * keys.length)]!;
            assert.ok(db.delete(k));
            const list = model.get(keySlot(k))!;
            list.splice(list.indexOf(k), 1);
          } else if (r < 0.55 && keys.length > 0) {
            db.set(keys[Math.floor(rnd() * keys.length)]!, 'overwritten'); // no index change
          } else {
            const k = `{t${Math.floor(rnd() * 7)}}n${next++}`;
            if (rnd() < 0.5) db.set(k, 'v');
            else db.create(k, 'v');
            const slot = keySlot(k);
            model.set(slot, [...(model.get(slot) ?? []), k]);
          }
          if (step % 500 === 0 || step === 3999) {
            for (const [slot, list] of model) {
              assert.equal(db.slotIndex!.count(slot), list.length);
              assert.deepEqual(db.keysInSlot(slot, 1_000_000), list);
              assert.deepEqual(db.keysInSlot(slot, 3), list.slice(0, 3));
            }
          }
        }
        const other = ks.db(1);
        other.enableSlotIndex();
        other.set('{t0}elsewhere', 'v');
        db.swapWith(other);
        assert.deepEqual(db.keysInSlot(keySlot('{t0}'), 10), ['{t0}elsewhere']);
        assert.deepEqual(other.keysInSlot(keySlot('{t1}'), 1_000_000), model.get(keySlot('{t1}')) ?? []);
        other.flush();
        assert.equal(other.slotIndex!.count(keySlot('{t1}')), 0);
        assert.deepEqual(other.keysInSlot(keySlot('{t1}'), 10), []);
        other.set('{t1}again', 'v');
        assert.deepEqual(other.keysInSlot(keySlot('{t1}'), 10), ['{t1}again']);
      });
    }
  });

  describe('memory accounting', () => {
    it('charges key, value, fixed overhead and TTL, and gives it all back', () => {
      const { ks } = keyspace();
      const db = ks.db(0);
      db.set('key', 'x'.repeat(20));
      const one = KEY_OVERHEAD_BYTES + stringBytes(3) + stringBytes(20);
      assert.equal(ks.dataBytes, one);
      assert.equal(db.bytesOf('key'), one);
      db.setExpire('key', T0 + 1000);
      assert.equal(ks.dataBytes, one + EXPIRE_OVERHEAD_BYTES);
      db.set('key', 'y'); // SET drops the TTL
      assert.equal(ks.dataBytes, KEY_OVERHEAD_BYTES + stringBytes(3) + stringBytes(1));
      db.set('other', 'z');
      db.setExpire('other', T0 + 5);
      ks.db(3).set('a', 'b');
      assert.equal(ks.dataBytes, ks.dbs.reduce((n, d) => n + d.accountedBytes(), 0));
      const peak = ks.dataBytesPeak;
      db.delete('key');
      ks.flushAll();
      assert.equal(ks.dataBytes, 0);
      assert.equal(ks.dataBytesPeak, peak);
      ks.resetPeak();
      assert.equal(ks.dataBytesPeak, 0);
    });

    it('usedMemory is the startup baseline plus the accounted data', () => {
      const h = new Harness();
      assert.equal(h.node.usedMemory(), STARTUP_BYTES);
      h.client().run('SET', 'a', 'b');
      assert.equal(h.node.usedMemory(), STARTUP_BYTES + h.node.keyspace.dataBytes);
      assert.ok(h.node.keyspace.dataBytes > 0);
    });

    it('SWAPDB keeps the accounting and each side its metadata', () => {
      const { ks } = keyspace();
      ks.db(0).set('a', '1');
      ks.db(0).setExpire('a', T0 + 500);
      ks.nowMs += 10_000;
      ks.db(1).set('b', '2');
      const before = ks.dataBytes;
      ks.db(0).swapWith(ks.db(1));
      assert.equal(ks.dataBytes, before);
      assert.equal(ks.db(1).getExpire('a'), T0 + 500);
      assert.equal(ks.idleSeconds(ks.db(1).getMeta('a')!), 10);
      assert.equal(ks.idleSeconds(ks.db(0).getMeta('b')!), 0);
      assert.equal(ks.db(0).bytesOf('b'), KEY_OVERHEAD_BYTES + stringBytes(1) + stringBytes(1));
    });
  });

  describe('active expire cycle', () => {
    it('removes every due key when most keys with a TTL are due', () => {
      const { ks, events } = keyspace();
      const db = ks.db(0);
      for (let i = 0; i < 200; i++) {
        db.set(`k${i}`, 'v');
        db.setExpire(`k${i}`, i % 2 === 0 ? T0 + 10 : T0 + 1_000_000);
      }
      ks.nowMs = T0 + 10;
      assert.equal(ks.activeExpireCycle(), 100);
      assert.equal(db.size, 100);
      assert.equal(events.length, 100);
      assert.ok(events.every((e) => e.startsWith('x:expired:')));
      assert.equal(ks.stats.expiredKeys, 100);
      assert.ok(ks.stats.expiredStalePerc > 0);
      assert.ok(db.avgTtlMs > 0);
    });

    it('stops after one round when few keys are due, and its cursor covers the table over calls', () => {
      const { ks } = keyspace();
      const db = ks.db(0);
      for (let i = 0; i < 1000; i++) {
        db.set(`k${i}`, 'v');
        db.setExpire(`k${i}`, i % 50 === 0 ? T0 + 10 : T0 + 1_000_000);
      }
      ks.nowMs = T0 + 10;
      // 2% due: each call checks one round of 20 keys and stops.
      const first = ks.activeExpireCycle();
      assert.ok(first <= 1, `expired ${first}`);
      let calls = 1;
      while (db.size > 980) {
        ks.activeExpireCycle();
        calls++;
        assert.ok(calls <= 50, 'the cursor must reach every key within one pass');
      }
      assert.equal(db.size, 980);
    });

    it('visits databases round-robin and leaves databases without TTLs alone', () => {
      const { ks } = keyspace(4);
      for (let d = 0; d < 4; d++) {
        ks.db(d).set('plain', 'v');
        ks.db(d).set('t', 'v');
        ks.db(d).setExpire('t', T0 + 1);
      }
      ks.nowMs = T0 + 1;
      assert.equal(ks.activeExpireCycle(), 4);
      for (let d = 0; d < 4; d++) assert.equal(ks.db(d).size, 1);
    });

    it('is bounded by the time budget and resumes on the next call', () => {
      const { ks } = keyspace(1);
      const db = ks.db(0);
      for (let i = 0; i < 60_000; i++) {
        db.set(`k${i}`, 'v');
        db.setExpire(`k${i}`, T0 + 1);
      }
      ks.nowMs = T0 + 1;
      // hz 10: 25% of 100 ms = 25 ms, charged at 1 us per key checked.
      const first = ks.activeExpireCycle({ hz: 10 });
      assert.ok(first >= 25_000 && first < 26_000, `first call expired ${first}`);
      assert.equal(ks.stats.expiredTimeCapReachedCount, 1);
      const second = ks.activeExpireCycle({ hz: 10 });
      assert.ok(second >= 25_000 && second < 26_000, `second call expired ${second}`);
      ks.activeExpireCycle({ hz: 10 });
      assert.equal(db.size, 0);
      // A real clock can be given instead of the per-key charge.
      for (let i = 0; i < 1000; i++) {
        db.set(`j${i}`, 'v');
        db.setExpire(`j${i}`, T0 + 1);
      }
      let fake = 0;
      const n = ks.activeExpireCycle({ hz: 10, elapsedUs: () => (fake += 30_000) });
      // 16 rounds of 20 keys pass before the clock is read and found over budget.
      assert.equal(n, 16 * 20);
    });

    it('higher active-expire-effort checks more keys per round', () => {
      const { ks } = keyspace(1);
      ks.activeExpireEffort = 10;
      const db = ks.db(0);
      for (let i = 0; i < 100; i++) {
        db.set(`k${i}`, 'v');
        db.setExpire(`k${i}`, i === 0 ? T0 + 1 : T0 + 1_000_000);
      }
      ks.nowMs = T0 + 1;
      ks.activeExpireCycle();
      // effort 10: 20 + 5 * 9 = 65 keys in the single round.
      assert.equal(db.expireCursor, 100 - 65);
    });
  });

  describe('LRU and LFU metadata', () => {
    it('LRU stamps are seconds and wrap at 24 bits', () => {
      const { ks } = keyspace();
      const db = ks.db(0);
      db.set('a', 'v');
      ks.nowMs += 65_000;
      assert.equal(ks.idleSeconds(db.getMeta('a')!), 65);
      db.read('a', ks.nowMs);
      assert.equal(ks.idleSeconds(db.getMeta('a')!), 0);
      db.peek('a', ks.nowMs + 5000);
      ks.nowMs += 5000;
      assert.equal(ks.idleSeconds(db.getMeta('a')!), 5); // peek does not touch
    });

    it('LFU counters start at 5, grow logarithmically and decay per lfu-decay-time', () => {
      const { ks } = keyspace();
      ks.maxmemoryPolicy = 'allkeys-lfu';
      const db = ks.db(0);
      db.set('a', 'v');
      assert.equal(ks.lfuDecayed(db.getMeta('a')!), 5);
      for (let i = 0; i < 1000; i++) db.read('a', ks.nowMs);
      const c = ks.lfuDecayed(db.getMeta('a')!);
      // With lfu-log-factor 10, 1000 hits land near 18-20 (redis.conf's table says 18);
      // the first steps are geometric draws, so the spread is a few points.
      assert.ok(c >= 14 && c <= 25, `counter ${c}`);
      ks.nowMs += 4 * 60_000;
      assert.equal(ks.lfuDecayed(db.getMeta('a')!), c - 4);
      ks.lfuDecayTimeMin = 0;
      assert.equal(ks.lfuDecayed(db.getMeta('a')!), c);
    });
  });
});
