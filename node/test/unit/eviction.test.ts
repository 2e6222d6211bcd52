import assert from 'node:assert/strict';
import { Harness, type TestClient } from '../support/harness.js';
import { RespError } from '../../src/resp/decoder.js';
import { EVICTION_POOL_SIZE } from '../../src/keyspace/eviction.js';

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";
const VALUE = 'x'.repeat(100);

interface Setup {
  h: Harness;
  c: TestClient;
  evicted: string[];
}

function setup(policy: string, extra: Record<string, string> = {}): Setup {
  const h = new Harness({ seed: 3, config: { 'maxmemory-policy': policy, 'maxmemory-samples': '64', ...extra } });
  const evicted: string[] = [];
  const ks = h.node.keyspace;
  const inner = ks.events;
  ks.events = {
    keyEvent: (cls, event, key, db) => {
      if (cls === 'e') evicted.push(`${event}:${key}@${db}`);
      inner.keyEvent(cls, event, key, db);
    },
    keyModified: (db, key) => inner.keyModified(db, key),
    dbFlushed: (db) => inner.dbFlushed(db),
  };
  return { h, c: h.client(), evicted };
}

function key(i: number): string {
  return `k${String(i).padStart(2, '0')}`;
}

/** Sets maxmemory so that `n` of the (equal-sized) keys must go, which evicts at once. */
function squeeze(t: Setup, n: number): void {
  const bytes = t.h.node.keyspace.db(0).bytesOf(key(0))!;
  const limit = t.h.node.usedMemory() - n * bytes + 1;
  assert.equal(t.c.run('CONFIG', 'SET', 'maxmemory', String(limit)), 'OK');
}

function survivors(t: Setup, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) if (t.c.run('EXISTS', key(i)) === 1) out.push(key(i));
  return out;
}

describe('eviction', () => {
  it('allkeys-lru evicts the least recently used keys', () => {
    const t = setup('allkeys-lru');
    for (let i = 0; i < 10; i++) {
      t.c.run('SET', key(i), VALUE);
      t.h.advance(1000);
    }
    t.c.run('GET', key(0));
    t.c.run('GET', key(1));
    squeeze(t, 3);
    assert.deepEqual(survivors(t, 10), ['k00', 'k01', 'k05', 'k06', 'k07', 'k08', 'k09']);
    assert.deepEqual(t.evicted, ['evicted:k02@0', 'evicted:k03@0', 'evicted:k04@0']);
    assert.equal(t.h.node.keyspace.stats.evictedKeys, 3);
    assert.ok(t.h.node.usedMemory() <= t.h.config.maxmemoryBytes());
  });

  it('keeps memory under the limit as writes continue, evicting before each command', () => {
    const t = setup('allkeys-lru');
    for (let i = 0; i < 10; i++) {
      t.c.run('SET', key(i), VALUE);
      t.h.advance(1000);
    }
    squeeze(t, 0);
    for (let i = 10; i < 20; i++) {
      assert.equal(t.c.run('SET', key(i), VALUE), 'OK');
      t.h.advance(1000);
    }
    t.c.run('PING');
    assert.ok(t.h.node.usedMemory() <= t.h.config.maxmemoryBytes());
    assert.deepEqual(survivors(t, 20), ['k10', 'k11', 'k12', 'k13', 'k14', 'k15', 'k16', 'k17', 'k18', 'k19']);
  });

  it('volatile-lru evicts only keys with a TTL, then refuses writes', () => {
    const t = setup('volatile-lru');
    for (let i = 0; i < 10; i++) {
      t.c.run('SET', key(i), VALUE);
      if (i >= 6) t.c.run('EXPIRE', key(i), 10_000);
      t.h.advance(1000);
    }
    t.c.run('GET', key(6));
    squeeze(t, 2);
    assert.deepEqual(survivors(t, 10), ['k00', 'k01', 'k02', 'k03', 'k04', 'k05', 'k06', 'k09']);
    squeeze(t, 3); // only two volatile keys remain: they go, and memory stays too high
    assert.deepEqual(survivors(t, 10), ['k00', 'k01', 'k02', 'k03', 'k04', 'k05']);
    const e = t.c.run('SET', 'new', VALUE);
    assert.ok(e instanceof RespError);
    assert.equal(e.message, OOM);
    assert.equal(t.c.run('GET', key(0)), VALUE); // reads still work
    assert.equal(t.c.run('DEL', key(0)), 1);
  });

  it('allkeys-lfu keeps the frequently used keys', () => {
    const t = setup('allkeys-lfu', { 'lfu-log-factor': '0' });
    for (let i = 0; i < 10; i++) t.c.run('SET', key(i), VALUE);
    for (let r = 0; r < 3; r++) for (let i = 0; i < 10; i += 2) t.c.run('GET', key(i));
    t.c.run('GET', key(1)); // one hit: 6, still below the hot keys' 8
    assert.equal(t.c.run('OBJECT', 'FREQ', key(0)), 8);
    t.h.advance(2 * 60_000); // decay applies to every key alike
    assert.equal(t.c.run('OBJECT', 'FREQ', key(0)), 6);
    squeeze(t, 4);
    assert.deepEqual(survivors(t, 10), ['k00', 'k01', 'k02', 'k04', 'k06', 'k08']);
  });

  it('volatile-lfu evicts the least frequently used key with a TTL', () => {
    const t = setup('volatile-lfu', { 'lfu-log-factor': '0' });
    for (let i = 0; i < 6; i++) {
      t.c.run('SET', key(i), VALUE);
      if (i >= 3) t.c.run('EXPIRE', key(i), 1000);
    }
    t.c.run('GET', key(3));
    t.c.run('GET', key(5));
    squeeze(t, 1);
    assert.deepEqual(survivors(t, 6), ['k00', 'k01', 'k02', 'k03', 'k05']);
  });

  it('volatile-ttl evicts the keys that expire soonest', () => {
    const t = setup('volatile-ttl');
    for (let i = 0; i < 10; i++) {
      t.c.run('SET', key(i), VALUE);
      if (i > 0) t.c.run('EXPIRE', key(i), 1000 * (10 - i));
    }
    squeeze(t, 3);
    assert.deepEqual(survivors(t, 10), ['k00', 'k01', 'k02', 'k03', 'k04', 'k05', 'k06']);
  });

  it('allkeys-random and volatile-random evict the right sets, deterministically per seed', () => {
    const t = setup('allkeys-random');
    for (let i = 0; i < 20; i++) t.c.run('SET', key(i), VALUE);
    squeeze(t, 5);
    assert.equal(survivors(t, 20).length, 15);
    assert.equal(t.h.node.keyspace.stats.evictedKeys, 5);

    const v = setup('volatile-random');
    for (let i = 0; i < 20; i++) {
      v.c.run('SET', key(i), VALUE);
      if (i % 2 === 1) v.c.run('EXPIRE', key(i), 100);
    }
    squeeze(v, 5); // keys with a TTL are bigger: four of them free five plain keys' worth
    const alive = survivors(v, 20);
    assert.equal(alive.length, 16);
    assert.equal(v.h.node.keyspace.stats.evictedKeys, 4);
    for (let i = 0; i < 20; i += 2) assert.ok(alive.includes(key(i)), `${key(i)} has no TTL and must survive`);
  });

  it('noeviction refuses denyoom commands and allows the rest', () => {
    const t = setup('noeviction');
    for (let i = 0; i < 5; i++) t.c.run('SET', key(i), VALUE);
    squeeze(t, 1);
    assert.equal(survivors(t, 5).length, 5);
    const e = t.c.run('SET', 'x', 'y');
    assert.ok(e instanceof RespError);
    assert.equal(e.message, OOM);
    assert.equal(t.c.run('GET', key(1)), VALUE);
    assert.equal(t.c.run('DEL', key(1)), 1);
    assert.equal(t.c.run('SET', 'x', 'y'), 'OK');
    assert.equal(t.h.node.keyspace.stats.evictedKeys, 0);
  });

  it('evicts across databases, oldest first', () => {
    const t = setup('allkeys-lru');
    t.c.run('SET', key(0), VALUE);
    t.h.advance(1000);
    t.c.run('SELECT', 1);
    t.c.run('SET', key(1), VALUE);
    t.h.advance(1000);
    t.c.run('SELECT', 0);
    t.c.run('SET', key(2), VALUE);
    t.h.advance(1000);
    squeeze(t, 2);
    assert.deepEqual(t.evicted, ['evicted:k00@0', 'evicted:k01@1']);
  });

  it('CONFIG SET of policy and samples reaches the keyspace', () => {
    const t = setup('noeviction');
    t.c.run('CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl');
    t.c.run('CONFIG', 'SET', 'maxmemory-samples', '7');
    t.c.run('CONFIG', 'SET', 'lfu-log-factor', '3');
    t.c.run('CONFIG', 'SET', 'lfu-decay-time', '9');
    const ks = t.h.node.keyspace;
    assert.equal(ks.maxmemoryPolicy, 'volatile-ttl');
    assert.equal(ks.maxmemorySamples, 7);
    assert.equal(ks.lfuLogFactor, 3);
    assert.equal(ks.lfuDecayTimeMin, 9);
  });

  it('approximated LRU with 5 samples evicts mostly old keys', () => {
    const t = setup('allkeys-lru', { 'maxmemory-samples': '5' });
    const n = 1000;
    for (let i = 0; i < n; i++) {
      t.c.run('SET', `key:${i}`, VALUE);
      t.h.advance(1000);
    }
    const bytes = t.h.node.keyspace.db(0).bytesOf('key:500')!;
    t.c.run('CONFIG', 'SET', 'maxmemory', String(t.h.node.usedMemory() - (n / 2) * bytes));
    let oldEvicted = 0;
    for (let i = 0; i < n / 2; i++) if (t.c.run('EXISTS', `key:${i}`) === 0) oldEvicted++;
    const total = t.h.node.keyspace.stats.evictedKeys;
    assert.ok(total >= n / 2 - 1 && total <= n / 2 + 1, `evicted ${total}`);
    // Redis's pool makes 5 samples close to true LRU: most victims come from the older half.
    assert.ok(oldEvicted / total > 0.8, `only ${oldEvicted} of ${total} victims were old`);
    assert.ok(t.h.node.evictor.poolSnapshot().length <= EVICTION_POOL_SIZE);
  });

  it('an evicted key dirties WATCH', () => {
    const t = setup('allkeys-lru');
    for (let i = 0; i < 3; i++) {
      t.c.run('SET', key(i), VALUE);
      t.h.advance(1000);
    }
    t.c.run('WATCH', key(0));
    squeeze(t, 1);
    t.c.run('MULTI');
    t.c.run('PING');
    assert.equal(t.c.run('EXEC'), null);
  });
});
