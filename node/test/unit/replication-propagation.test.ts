import assert from 'node:assert/strict';
import { Harness, parseAll } from '../support/harness.js';

/** A harness whose propagation feeds a capture: what replicas would receive, as commands. */
function setup(): { h: Harness; sent: () => string[][]; offset: () => number } {
  const h = new Harness();
  const chunks: Buffer[] = [];
  let offset = 0;
  h.node.propagation.sink = {
    feed: (b) => {
      chunks.push(b);
      offset += b.length;
    },
    get offset() {
      return offset;
    },
  };
  return {
    h,
    sent: () => parseAll(chunks.splice(0)).commands,
    offset: () => offset,
  };
}

const NOW = 1_700_000_000_000;

describe('replication propagation', () => {
  it('propagates writes that changed the dataset, with a SELECT first', () => {
    const { h, sent } = setup();
    const c = h.client();
    c.run('SET', 'k', 'v');
    c.run('GET', 'k');
    c.run('SET', 'k', 'w', 'NX'); // refused: no change
    c.run('DEL', 'missing');
    assert.deepEqual(sent(), [
      ['select', '0'],
      ['SET', 'k', 'v'],
    ]);
    c.run('SELECT', '3');
    c.run('LPUSH', 'l', 'a');
    c.run('SELECT', '0');
    c.run('INCR', 'n');
    assert.deepEqual(sent(), [
      ['select', '3'],
      ['LPUSH', 'l', 'a'],
      ['select', '0'],
      ['INCR', 'n'],
    ]);
  });

  it('rewrites relative and non-deterministic commands', () => {
    const { h, sent } = setup();
    const c = h.client();
    c.run('SET', 'a', '1', 'EX', '10');
    c.run('EXPIRE', 'a', '20');
    c.run('PEXPIRE', 'a', '5', 'GT'); // refused by GT: nothing
    c.run('GETEX', 'a', 'PX', '100');
    c.run('GETEX', 'a', 'PERSIST');
    c.run('SETEX', 'b', '1', 'x');
    c.run('INCRBYFLOAT', 'f', '1.5');
    c.run('HINCRBYFLOAT', 'h', 'x', '0.25');
    c.run('SADD', 's', 'm1');
    c.run('SPOP', 's');
    c.run('EXPIREAT', 'b', '1'); // in the past: deleted now
    assert.deepEqual(sent(), [
      ['select', '0'],
      ['set', 'a', '1', 'pxat', String(NOW + 10_000)],
      ['pexpireat', 'a', String(NOW + 20_000)],
      ['pexpireat', 'a', String(NOW + 100)],
      ['persist', 'a'],
      ['set', 'b', 'x', 'pxat', String(NOW + 1000)],
      ['set', 'f', '1.5', 'keepttl'],
      ['hset', 'h', 'x', '0.25'],
      ['SADD', 's', 'm1'],
      ['srem', 's', 'm1'],
      ['del', 'b'],
    ]);
  });

  it('SPOP with a count propagates the members it removed, or DEL when it took all', () => {
    const { h, sent } = setup();
    const c = h.client();
    c.run('SADD', 's', 'a', 'b', 'c', 'd');
    sent();
    const popped = c.run('SPOP', 's', '2') as string[];
    const out = sent();
    assert.equal(out.length, 1);
    assert.equal(out[0]![0], 'srem');
    assert.deepEqual(out[0]!.slice(2).sort(), [...popped].sort());
    c.run('SPOP', 's', '5');
    assert.deepEqual(sent(), [['del', 's']]);
  });

  it('expired keys go to replicas as DEL; the read that found them does not', () => {
    const { h, sent } = setup();
    const c = h.client();
    c.run('SET', 'k', 'v', 'PX', '100');
    sent();
    h.advance(200);
    assert.equal(c.run('GET', 'k'), null);
    assert.deepEqual(sent(), [['del', 'k']]);
    c.run('SET', 'j', 'v', 'PX', '100');
    sent();
    h.advance(200);
    h.node.keyspace.activeExpireCycle();
    assert.deepEqual(sent(), [['del', 'j']]);
  });

  it('wraps what EXEC ran in MULTI/EXEC', () => {
    const { h, sent } = setup();
    const c = h.client();
    c.run('MULTI');
    c.run('SET', 'a', '1');
    c.run('GET', 'a');
    c.run('INCR', 'a');
    c.run('EXEC');
    assert.deepEqual(sent(), [['select', '0'], ['multi'], ['SET', 'a', '1'], ['INCR', 'a'], ['exec']]);
    c.run('MULTI');
    c.run('GET', 'a');
    c.run('EXEC');
    assert.deepEqual(sent(), [], 'a read-only transaction propagates nothing');
  });

  it('a blocked BLPOP served by a push propagates the push, then the pop', () => {
    const { h, sent } = setup();
    const a = h.client();
    const b = h.client();
    assert.equal(a.run('BLPOP', 'q', '0'), undefined);
    b.run('RPUSH', 'q', 'x', 'y');
    assert.deepEqual(a.pending().at(-1), ['q', 'x']);
    assert.deepEqual(sent(), [['select', '0'], ['RPUSH', 'q', 'x', 'y'], ['lpop', 'q']]);
    // Served at once: still a plain pop for replicas.
    assert.deepEqual(a.run('BRPOP', 'q', '0'), ['q', 'y']);
    assert.deepEqual(sent(), [['rpop', 'q']]);
    b.run('RPUSH', 'src', 'e');
    sent();
    a.run('BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0');
    assert.deepEqual(sent(), [['lmove', 'src', 'dst', 'left', 'right']]);
  });

  it('records each client offset after its last write (what WAIT waits for)', () => {
    const { h, offset } = setup();
    const a = h.client();
    const b = h.client();
    a.run('SET', 'x', '1');
    const afterA = offset();
    b.run('SET', 'y', '1');
    a.run('GET', 'x');
    assert.equal(h.node.propagation.lastWriteOffset(a.session), afterA);
    assert.equal(h.node.propagation.lastWriteOffset(b.session), offset());
  });

  it('costs nothing and records nothing without a stream', () => {
    const h = new Harness();
    const c = h.client();
    c.run('SET', 'x', '1');
    assert.equal(h.node.propagation.lastWriteOffset(c.session), 0);
  });
});
