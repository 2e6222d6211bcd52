import assert from 'node:assert/strict';
import { Harness } from '../support/harness.js';
import { NodeReplication } from '../../src/server/replication-node.js';
import { NO_REPLID } from '../../src/replication/state.js';
import { RespError } from '../../src/resp/decoder.js';
import { SILENT_LOGGER } from '../../src/core/log.js';

/** A primary with `n` online replicas that acknowledged nothing yet (no sockets: the state is driven directly). */
function setup(n: number): { h: Harness; repl: NodeReplication } {
  const h = new Harness();
  const repl = new NodeReplication(h.node, SILENT_LOGGER, () => 6379);
  repl.state.decideSync(NO_REPLID, -1);
  repl.primarySide.attachSink();
  for (let i = 0; i < n; i++) repl.state.addReplica(`r${i}`, '127.0.0.1', 7000 + i, 'online', 0, 0);
  return { h, repl };
}

function ack(repl: NodeReplication, key: string, offset: number): void {
  repl.wakeWaiters(repl.state.ack(key, offset, 0));
}

describe('WAIT', () => {
  it('answers at once when enough replicas already acknowledged', () => {
    const { h, repl } = setup(2);
    const c = h.client();
    c.run('SET', 'k', 'v');
    const off = repl.state.offset;
    ack(repl, 'r0', off);
    ack(repl, 'r1', off);
    assert.equal(c.run('WAIT', 2, 0), 2);
    assert.equal(c.run('WAIT', 1, 0), 2, 'replies how many acknowledged, not how many were asked');
  });

  it('blocks until the acks arrive, then replies the count', () => {
    const { h, repl } = setup(2);
    const c = h.client();
    c.run('SET', 'k', 'v');
    const off = repl.state.offset;
    assert.equal(c.run('WAIT', 2, 0), undefined);
    assert.notEqual(c.session.blocked, null);
    ack(repl, 'r0', off);
    assert.notEqual(c.session.blocked, null, 'one of two is not enough');
    ack(repl, 'r1', off - 1);
    assert.notEqual(c.session.blocked, null, 'an older offset does not count');
    ack(repl, 'r1', off);
    assert.equal(c.session.blocked, null);
    assert.equal(c.pending().at(-1), 2);
    assert.equal(h.node.blocking.blockedCount, 0);
  });

  it('times out with the number that did acknowledge', () => {
    const { h, repl } = setup(3);
    const c = h.client();
    c.run('SET', 'k', 'v');
    ack(repl, 'r2', repl.state.offset);
    assert.equal(c.run('WAIT', 3, 100), undefined);
    h.advance(99);
    assert.notEqual(c.session.blocked, null);
    h.advance(1);
    assert.equal(c.pending().at(-1), 1);
    assert.equal(repl.state.waitCount, 0);
  });

  it('waits for the client own last write, not later writes of others', () => {
    const { h, repl } = setup(1);
    const a = h.client();
    const b = h.client();
    a.run('SET', 'a', '1');
    const offA = repl.state.offset;
    b.run('SET', 'b', '1');
    assert.equal(a.run('WAIT', 1, 0), undefined);
    ack(repl, 'r0', offA);
    assert.equal(a.pending().at(-1), 1);
  });

  it('does not block inside MULTI; errors on a replica and on bad arguments', () => {
    const { h, repl } = setup(1);
    const c = h.client();
    c.run('SET', 'k', 'v');
    c.run('MULTI');
    c.run('WAIT', 1, 0);
    assert.deepEqual(c.run('EXEC'), [0]);
    assert.ok(c.run('WAIT', 'x', 0) instanceof RespError);
    assert.ok(c.run('WAIT', 1, -1) instanceof RespError);
    repl.state.becomeReplica('127.0.0.1', 1, 0);
    repl.state.synced = true;
    repl.state.primary!.state = 'connected';
    const e = c.run('WAIT', 1, 0);
    assert.ok(e instanceof RespError && e.message.startsWith('ERR WAIT cannot be used with replica instances.'));
  });

  it('ROLE lists online replicas with their acknowledged offsets', () => {
    const { h, repl } = setup(2);
    const c = h.client();
    c.run('SET', 'k', 'v');
    ack(repl, 'r0', repl.state.offset);
    repl.state.replicas.get('r1')!.state = 'send_bulk';
    assert.deepEqual(c.run('ROLE'), ['master', repl.state.offset, [['127.0.0.1', '7000', String(repl.state.offset)]]]);
  });

  it('a replica refuses writes with READONLY, and everything but stale commands before its first sync', () => {
    const { h, repl } = setup(0);
    const c = h.client();
    repl.state.becomeReplica('127.0.0.1', 1, 0);
    const e = c.run('SET', 'k', 'v');
    assert.ok(e instanceof RespError && e.message === "READONLY You can't write against a read only replica.");
    const g = c.run('GET', 'k');
    assert.ok(g instanceof RespError && g.message.startsWith('MASTERDOWN '));
    assert.equal((c.run('ROLE') as unknown[])[0], 'slave');
    assert.equal(c.run('PING'), 'PONG', 'commands that touch no data still answer');
    assert.ok(c.run('DBSIZE') instanceof RespError);
    repl.state.synced = true;
    repl.state.primary!.state = 'connected';
    assert.equal(c.run('GET', 'k'), null);
  });
});
