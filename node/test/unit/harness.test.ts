import assert from 'node:assert/strict';
import { Harness } from '../support/harness.js';
import { RespError } from '../../src/resp/decoder.js';

describe('harness and dispatch', () => {
  it('runs commands and reports Redis errors', () => {
    const h = new Harness();
    const c = h.client();
    assert.equal(c.run('PING'), 'PONG');
    assert.equal(c.run('SET', 'k', 'v'), 'OK');
    assert.equal(c.run('GET', 'k'), 'v');
    assert.equal(c.run('get', 'missing'), null);
    const e = c.run('GET');
    assert.ok(e instanceof RespError);
    assert.equal(e.message, "ERR wrong number of arguments for 'get' command");
    const u = c.run('NOPE', 'a', 'b');
    assert.ok(u instanceof RespError);
    assert.equal(u.message, "ERR unknown command 'NOPE', with args beginning with: 'a' 'b' ");
  });
});
