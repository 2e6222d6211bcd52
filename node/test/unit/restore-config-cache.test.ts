// DUMP/MIGRATE's encode options and RESTORE's decode limits are cached per
// config (they were read on every call); CONFIG SET must still take effect
// on the next call.

import assert from 'node:assert/strict';
import { Harness } from '../support/harness.js';

describe('DUMP/RESTORE config caches', () => {
  it('CONFIG SET rdbcompression applies to the next DUMP', () => {
    const h = new Harness();
    const c = h.client();
    c.run('SET', 'k', 'v'.repeat(100));
    const packed = c.run('DUMP', 'k');
    assert.equal(c.run('CONFIG', 'SET', 'rdbcompression', 'no'), 'OK');
    const raw = c.run('DUMP', 'k');
    assert.equal(typeof packed, 'string');
    assert.equal(typeof raw, 'string');
    assert.ok((raw as string).length > 100 && (packed as string).length < 50, 'compressed, then raw');
    assert.equal(c.run('CONFIG', 'SET', 'rdbcompression', 'yes'), 'OK');
    assert.equal(c.run('DUMP', 'k'), packed);
  });

  it('CONFIG SET of an encoding threshold applies to the next RESTORE', () => {
    const h = new Harness();
    const c = h.client();
    c.run('ZADD', 'z', '1', 'a', '2', 'b');
    const payload = c.run('DUMP', 'z') as string;
    assert.equal(c.run('RESTORE', 'z1', '0', payload), 'OK');
    assert.equal(c.run('OBJECT', 'ENCODING', 'z1'), 'listpack');
    assert.equal(c.run('CONFIG', 'SET', 'zset-max-listpack-entries', '1'), 'OK');
    assert.equal(c.run('RESTORE', 'z2', '0', payload), 'OK');
    assert.equal(c.run('OBJECT', 'ENCODING', 'z2'), 'skiplist');
  });
});
