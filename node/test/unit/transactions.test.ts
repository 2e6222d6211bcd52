import assert from 'node:assert/strict';
import { Harness } from '../support/harness.js';
import { RespError } from '../../src/resp/decoder.js';

function errorOf(v: unknown): string {
  assert.ok(v instanceof RespError, `expected an error, got ${JSON.stringify(v)}`);
  return v.message;
}

describe('transactions', () => {
  it('queues commands and replies with an array of their replies', () => {
    const h = new Harness();
    const c = h.client();
    assert.equal(c.run('MULTI'), 'OK');
    assert.equal(c.run('SET', 'a', '1'), 'QUEUED');
    assert.equal(c.run('GET', 'a'), 'QUEUED');
    assert.equal(c.run('GET', 'missing'), 'QUEUED');
    assert.deepEqual(c.run('EXEC'), ['OK', '1', null]);
    assert.equal(c.session.inMulti, false);
  });

  it('reports errors of queued commands inside the EXEC array', () => {
    const h = new Harness();
    const c = h.client();
    c.run('SET', 's', 'text');
    c.run('MULTI');
    c.run('INCR', 's');
    c.run('SET', 't', '2');
    const r = c.run('EXEC');
    assert.ok(Array.isArray(r));
    assert.equal(r.length, 2);
    assert.equal(errorOf(r[0]), 'ERR value is not an integer or out of range');
    assert.equal(r[1], 'OK');
  });

  it('aborts with EXECABORT when a command was rejected while queueing', () => {
    const h = new Harness();
    const c = h.client();
    c.run('MULTI');
    assert.equal(c.run('SET', 'a', '1'), 'QUEUED');
    assert.equal(errorOf(c.run('INCR')), "ERR wrong number of arguments for 'incr' command");
    assert.equal(errorOf(c.run('EXEC')), 'EXECABORT Transaction discarded because of previous errors.');
    assert.equal(c.run('GET', 'a'), null);
    assert.equal(c.session.inMulti, false);
  });

  it('errors exactly as Redis on misuse', () => {
    const h = new Harness();
    const c = h.client();
    assert.equal(errorOf(c.run('EXEC')), 'ERR EXEC without MULTI');
    assert.equal(errorOf(c.run('DISCARD')), 'ERR DISCARD without MULTI');
    c.run('MULTI');
    assert.equal(errorOf(c.run('MULTI')), 'ERR MULTI calls can not be nested');
    assert.equal(errorOf(c.run('WATCH', 'x')), 'ERR WATCH inside MULTI is not allowed');
    // Errors of commands that run at once inside MULTI do not doom the transaction.
    assert.deepEqual(c.run('EXEC'), []);
  });

  it('DISCARD drops the queue and the watches', () => {
    const h = new Harness();
    const c = h.client();
    c.run('WATCH', 'k');
    c.run('MULTI');
    c.run('SET', 'k', 'v');
    assert.equal(c.run('DISCARD'), 'OK');
    assert.equal(c.run('GET', 'k'), null);
    assert.equal(c.session.watched.size, 0);
  });

  it('EXEC fails with a null array when a watched key changed', () => {
    const h = new Harness();
    const a = h.client();
    const b = h.client();
    a.run('SET', 'k', '1');
    assert.equal(a.run('WATCH', 'k'), 'OK');
    b.run('SET', 'k', '2');
    a.run('MULTI');
    a.run('SET', 'k', '3');
    assert.equal(a.run('EXEC'), null);
    assert.equal(a.run('GET', 'k'), '2');
    // EXEC unwatched: the next transaction runs.
    b.run('SET', 'k', '4');
    a.run('MULTI');
    a.run('SET', 'k', '5');
    assert.deepEqual(a.run('EXEC'), ['OK']);
  });

  it('a write in another database does not dirty the watch', () => {
    const h = new Harness();
    const a = h.client();
    const b = h.client();
    a.run('WATCH', 'k');
    b.run('SELECT', '1');
    b.run('SET', 'k', 'x');
    a.run('MULTI');
    a.run('PING');
    assert.deepEqual(a.run('EXEC'), ['PONG']);
  });

  it('UNWATCH forgets the watched keys', () => {
    const h = new Harness();
    const a = h.client();
    const b = h.client();
    a.run('WATCH', 'k');
    assert.equal(a.run('UNWATCH'), 'OK');
    b.run('SET', 'k', '1');
    a.run('MULTI');
    a.run('GET', 'k');
    assert.deepEqual(a.run('EXEC'), ['1']);
  });

  it('a watched key whose TTL passes before EXEC fails the transaction', () => {
    const h = new Harness();
    const a = h.client();
    a.run('SET', 'k', 'v', 'PX', '100');
    a.run('WATCH', 'k');
    h.advance(200);
    a.run('MULTI');
    a.run('PING');
    assert.equal(a.run('EXEC'), null);
  });

  it('watching an already expired key is not a change', () => {
    const h = new Harness();
    const a = h.client();
    a.run('SET', 'k', 'v', 'PX', '100');
    h.advance(200);
    a.run('WATCH', 'k');
    a.run('MULTI');
    a.run('PING');
    assert.deepEqual(a.run('EXEC'), ['PONG']);
  });

  it('sets inExec only while the queue runs', () => {
    const h = new Harness();
    const c = h.client();
    let seen: boolean | null = null;
    const prev = h.node.dispatcher.afterCall;
    h.node.dispatcher.afterCall = (s, cmd, args, us) => {
      prev?.(s, cmd, args, us);
      if (cmd.fullName === 'ping') seen = s.inExec;
    };
    c.run('MULTI');
    c.run('PING');
    c.run('EXEC');
    assert.equal(seen, true);
    assert.equal(c.session.inExec, false);
  });

  it('commands queue in the order sent and run against the database selected inside', () => {
    const h = new Harness();
    const c = h.client();
    c.run('MULTI');
    c.run('SELECT', '2');
    c.run('SET', 'x', 'in2');
    assert.deepEqual(c.run('EXEC'), ['OK', 'OK']);
    assert.equal(c.session.dbIndex, 2);
    assert.equal(c.run('GET', 'x'), 'in2');
  });
});

describe('transactions: refused EXEC', () => {
  it('an EXEC the dispatcher refuses aborts and ends the transaction', () => {
    const h = new Harness();
    const c = h.client();
    c.run('MULTI');
    c.run('SET', 'a', '1');
    const r = c.run('EXEC', 'x');
    assert.ok(r instanceof RespError);
    assert.equal(r.message, "EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command");
    assert.equal(c.session.inMulti, false);
    const again = c.run('EXEC');
    assert.ok(again instanceof RespError);
    assert.equal(again.message, 'ERR EXEC without MULTI');
    assert.equal(c.run('GET', 'a'), null);
  });
});

describe('transactions: blocking commands', () => {
  it('a blocking command inside EXEC replies as on timeout instead of blocking', () => {
    const h = new Harness();
    const c = h.client();
    c.run('MULTI');
    c.run('SET', 'a', '1');
    c.run('BLPOP', 'empty', '0');
    assert.deepEqual(c.run('EXEC'), ['OK', null]);
    assert.equal(c.session.blocked, null);
  });
});
