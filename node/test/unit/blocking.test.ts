import assert from 'node:assert/strict';
import { Harness, type TestClient } from '../support/harness.js';
import { RespError, type RespValue } from '../../src/resp/decoder.js';
import { seededRandom } from '../../src/core/random.js';
import { parseBlockingTimeout } from '../../src/commands/list/timeout.js';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

/** Captures the raw bytes delivered out of band to c (to tell `*-1` from `$-1`). */
function rawTap(c: TestClient): () => string {
  const chunks: Buffer[] = [];
  const t = c.transport;
  const orig = t.write.bind(t);
  t.write = (b: Buffer): void => {
    chunks.push(b);
    orig(b);
  };
  return () => Buffer.concat(chunks.splice(0)).toString('latin1');
}

function err(v: RespValue | undefined): string {
  assert.ok(v instanceof RespError, `expected an error, got ${JSON.stringify(v)}`);
  return v.message;
}

function setup(n = 3): { h: Harness; cs: TestClient[] } {
  const h = new Harness();
  const cs: TestClient[] = [];
  for (let i = 0; i < n; i++) cs.push(h.client());
  return { h, cs };
}

describe('blocking list commands', () => {
  it('BLPOP returns at once when a list has data, first non-empty key wins', () => {
    const { cs } = setup(1);
    const [c] = cs as [TestClient];
    c.run('RPUSH', 'b', 'x', 'y');
    assert.deepEqual(c.run('BLPOP', 'a', 'b', 0), ['b', 'x']);
    assert.deepEqual(c.run('BRPOP', 'a', 'b', 0), ['b', 'y']);
    assert.equal(c.run('EXISTS', 'b'), 0);
    assert.equal(c.session.blocked, null);
  });

  it('a blocked BLPOP is served by another client\'s push', () => {
    const { h, cs } = setup(2);
    const [a, b] = cs as [TestClient, TestClient];
    assert.equal(a.run('BLPOP', 'k', 0), undefined);
    assert.notEqual(a.session.blocked, null);
    assert.equal(h.node.blocking.blockedCount, 1);
    assert.deepEqual(a.pending(), []);
    assert.equal(b.run('RPUSH', 'k', 'v'), 1);
    assert.deepEqual(a.pending(), [['k', 'v']]);
    assert.equal(a.session.blocked, null);
    assert.equal(h.node.blocking.blockedCount, 0);
    assert.equal(b.run('EXISTS', 'k'), 0);
  });

  it('serves waiters in arrival order after the pushing command completes', () => {
    const { cs } = setup(4);
    const [a, b, c, p] = cs as [TestClient, TestClient, TestClient, TestClient];
    a.run('BLPOP', 'k', 0);
    b.run('BLPOP', 'other', 'k', 0);
    c.run('BRPOP', 'k', 0);
    // LPUSH k a b c makes [c, b, a]: the pusher's reply counts all three.
    assert.equal(p.run('LPUSH', 'k', 'a', 'b', 'c'), 3);
    assert.deepEqual(a.pending(), [['k', 'c']]);
    assert.deepEqual(b.pending(), [['k', 'b']]);
    assert.deepEqual(c.pending(), [['k', 'a']]);
    assert.equal(p.run('EXISTS', 'k'), 0);
  });

  it('leaves the rest of the list when fewer clients wait than elements', () => {
    const { cs } = setup(3);
    const [a, b, p] = cs as [TestClient, TestClient, TestClient];
    a.run('BLPOP', 'k', 0);
    b.run('BLPOP', 'k', 0);
    p.run('RPUSH', 'k', '1', '2', '3');
    assert.deepEqual(a.pending(), [['k', '1']]);
    assert.deepEqual(b.pending(), [['k', '2']]);
    assert.deepEqual(p.run('LRANGE', 'k', 0, -1), ['3']);
  });

  it('a MULTI/EXEC that pushes then pops leaves nothing for waiters', () => {
    const { h, cs } = setup(2);
    const [a, p] = cs as [TestClient, TestClient];
    a.run('BLPOP', 'k', 0);
    p.run('MULTI');
    p.run('LPUSH', 'k', 'x');
    p.run('LPOP', 'k');
    assert.deepEqual(p.run('EXEC'), [1, 'x']);
    assert.deepEqual(a.pending(), []);
    assert.equal(h.node.blocking.blockedCount, 1);
    p.run('RPUSH', 'k', 'y');
    assert.deepEqual(a.pending(), [['k', 'y']]);
  });

  it('serves a client blocked on several keys from the key written first', () => {
    const { cs } = setup(2);
    const [a, p] = cs as [TestClient, TestClient];
    a.run('BLPOP', 'p', 'q', 0);
    p.run('MULTI');
    p.run('RPUSH', 'q', 'qv');
    p.run('RPUSH', 'p', 'pv');
    p.run('EXEC');
    assert.deepEqual(a.pending(), [['q', 'qv']]);
    assert.deepEqual(p.run('LRANGE', 'p', 0, -1), ['pv']);
  });

  it('inside MULTI a blocking command does not block and replies as on timeout', () => {
    const { h, cs } = setup(1);
    const [c] = cs as [TestClient];
    const tap = rawTap(c);
    void tap;
    c.run('MULTI');
    c.run('BLPOP', 'k', 0);
    c.run('BRPOP', 'k', 0);
    c.run('BLMPOP', 0, 1, 'k', 'LEFT');
    c.run('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', 0);
    c.run('BRPOPLPUSH', 'k', 'd', 0);
    h.writer.resp = 2;
    h.node.dispatcher.execute(c.session, ['EXEC']);
    const out = h.writer.take()!.toString('latin1');
    assert.equal(out, '*5\r\n*-1\r\n*-1\r\n*-1\r\n$-1\r\n$-1\r\n');
    assert.equal(c.session.blocked, null);
    assert.equal(h.node.blocking.blockedCount, 0);
  });

  it('times out with a null array (BLMOVE too), and timeout 0 waits forever', () => {
    const { h, cs } = setup(4);
    const [a, b, c, d] = cs as [TestClient, TestClient, TestClient, TestClient];
    const ta = rawTap(a);
    const tb = rawTap(b);
    const tc = rawTap(c);
    a.run('BLPOP', 'k', '1.5');
    b.run('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.5');
    c.run('BLMPOP', '2', '1', 'k', 'RIGHT');
    d.run('BRPOP', 'k', 0);
    assert.equal(h.node.blocking.nextDeadlineMs(), h.node.keyspace.nowMs + 500);
    h.advance(499);
    assert.equal(tb(), '');
    h.advance(1);
    assert.equal(tb(), '*-1\r\n');
    assert.equal(b.session.blocked, null);
    h.advance(999);
    assert.equal(ta(), '');
    h.advance(1);
    assert.equal(ta(), '*-1\r\n');
    h.advance(500);
    assert.equal(tc(), '*-1\r\n');
    assert.equal(h.node.blocking.nextDeadlineMs(), Infinity);
    h.advance(1e9);
    assert.deepEqual(d.pending(), []);
    assert.equal(h.node.blocking.blockedCount, 1);
    a.run('RPUSH', 'k', 'v');
    assert.deepEqual(d.pending(), [['k', 'v']]);
  });

  it('times out in RESP3 with a null', () => {
    const { h, cs } = setup(1);
    const [c] = cs as [TestClient];
    const tap = rawTap(c);
    c.session.resp = 3;
    c.run('BLPOP', 'k', 1);
    h.advance(1000);
    assert.equal(tap(), '_\r\n');
  });

  it('expires many clients in deadline order (seeded)', () => {
    const h = new Harness();
    const rnd = seededRandom(7);
    const order: number[] = [];
    const clients: { c: TestClient; ms: number }[] = [];
    for (let i = 0; i < 200; i++) {
      const c = h.client();
      // Eighths of a second are exact in binary, so no long double rounding.
      const ms = 125 * (1 + Math.floor(rnd() * 40));
      c.run('BLPOP', `k${i % 7}`, ms / 1000);
      clients.push({ c, ms });
    }
    // Unblock a few by data so the heap sees removals from the middle.
    const p = h.client();
    p.run('RPUSH', 'k3', 'a', 'b', 'c');
    const served = clients.filter((x) => x.c.pending().length > 0);
    assert.equal(served.length, 3);
    for (let t = 1; t <= 5000; t++) {
      h.advance(1);
      for (const x of clients) if (x.c.session.blocked === null && !served.includes(x) && !order.includes(x.ms * 1000 + clients.indexOf(x))) {
        assert.equal(x.ms, t, 'a client timed out at the wrong time');
        order.push(x.ms * 1000 + clients.indexOf(x));
      }
    }
    assert.equal(order.length, 197);
    assert.equal(h.node.blocking.blockedCount, 0);
  });

  it('parses timeouts like Redis', () => {
    const { h, cs } = setup(1);
    const [c] = cs as [TestClient];
    const notFloat = 'ERR timeout is not a float or out of range';
    const negative = 'ERR timeout is negative';
    assert.equal(err(c.run('BLPOP', 'k', 'abc')), notFloat);
    assert.equal(err(c.run('BLPOP', 'k', ' 1')), notFloat);
    assert.equal(err(c.run('BLPOP', 'k', 'nan')), notFloat);
    assert.equal(err(c.run('BLPOP', 'k', '0.5e')), notFloat);
    assert.equal(err(c.run('BLPOP', 'k', '-1')), negative);
    assert.equal(err(c.run('BLPOP', 'k', 'inf')), negative);
    assert.equal(err(c.run('BLPOP', 'k', '1e30')), negative);
    assert.equal(err(c.run('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '-1')), negative);
    assert.equal(err(c.run('BLMOVE', 'k', 'd', 'LEFT', 'UP', '-1')), 'ERR syntax error');
    assert.equal(err(c.run('BLMPOP', 'x', '0', 'k', 'LEFT')), 'ERR numkeys should be greater than 0');
    assert.equal(err(c.run('BLMPOP', 'x', '1', 'k', 'LEFT', 'COUNT', 0)), 'ERR count should be greater than 0');
    assert.equal(err(c.run('BLMPOP', 'x', '1', 'k', 'LEFT')), notFloat);
    assert.equal(err(c.run('BRPOPLPUSH', 'k', 'd', 'x')), notFloat);
    // Under a millisecond (even slightly negative) truncates to 0: forever.
    c.run('BLPOP', 'k', '-0.0001');
    assert.notEqual(c.session.blocked, null);
    assert.equal(h.node.blocking.nextDeadlineMs(), Infinity);
    assert.equal(h.node.blocking.unblock(c.session, false), true);
    c.pending();
    c.run('BLPOP', 'k', '0x10');
    assert.equal(h.node.blocking.nextDeadlineMs(), h.node.keyspace.nowMs + 16000);
    h.node.blocking.unblock(c.session, false);
    c.pending();
  });

  it('rounds timeouts up in long double arithmetic, as redis-server 7.0 does', () => {
    const now = 1_000_000;
    // strtold("0.253") * 1000 lands just above 253 in 80 bits, so ceill gives 254.
    assert.equal(parseBlockingTimeout('0.253', now), now + 254);
    assert.equal(parseBlockingTimeout('2.026', now), now + 2027);
    assert.equal(parseBlockingTimeout('1.5', now), now + 1500);
    assert.equal(parseBlockingTimeout('0.0001', now), now + 1);
    assert.equal(parseBlockingTimeout('1e-300', now), now + 1);
    assert.equal(parseBlockingTimeout('0', now), Infinity);
    assert.equal(parseBlockingTimeout('-0.0001', now), Infinity);
    assert.equal(parseBlockingTimeout('-0.001', now), Infinity);
    assert.equal(parseBlockingTimeout('9.2e15', 0), 9.2e18);
    assert.throws(() => parseBlockingTimeout('-0.002', now), /timeout is negative/);
    assert.throws(() => parseBlockingTimeout('1e18', now), /timeout is negative/);
    assert.throws(() => parseBlockingTimeout('1e500', now), /timeout is negative/);
    assert.throws(() => parseBlockingTimeout('1e5000', now), /not a float/);
    assert.throws(() => parseBlockingTimeout('1e-5000', now), /not a float/);
  });

  it('re-checks the type: a key turned into a string serves nobody', () => {
    const { h, cs } = setup(2);
    const [a, p] = cs as [TestClient, TestClient];
    p.run('SET', 's', 'v');
    assert.equal(err(a.run('BLPOP', 'nokey', 's', 0)), WRONGTYPE);
    a.run('BLPOP', 't', 0);
    p.run('SET', 't', 'str');
    assert.deepEqual(a.pending(), []);
    assert.equal(h.node.blocking.blockedCount, 1);
    p.run('DEL', 't');
    p.run('RPUSH', 't', 'q');
    assert.deepEqual(a.pending(), [['t', 'q']]);
  });

  it('a blocked BLMOVE whose destination has the wrong type gets WRONGTYPE and the source is kept', () => {
    const { h, cs } = setup(2);
    const [a, p] = cs as [TestClient, TestClient];
    p.run('SET', 'str', 'v');
    a.run('BLMOVE', 'src', 'str', 'LEFT', 'LEFT', 0);
    const before = h.node.stats.totalErrorReplies;
    p.run('RPUSH', 'src', 'v1');
    const got = a.pending();
    assert.equal(got.length, 1);
    assert.equal(err(got[0]), WRONGTYPE);
    assert.equal(a.session.blocked, null);
    assert.equal(h.node.stats.totalErrorReplies, before + 1);
    assert.deepEqual(p.run('LRANGE', 'src', 0, -1), ['v1']);
  });

  it('BLMOVE and BRPOPLPUSH chain through waiters', () => {
    const { cs } = setup(4);
    const [a, b, d, p] = cs as [TestClient, TestClient, TestClient, TestClient];
    a.run('BRPOPLPUSH', 'a', 'b', 0);
    b.run('BLMOVE', 'b', 'c', 'RIGHT', 'LEFT', 0);
    d.run('BLPOP', 'c', 0);
    p.run('RPUSH', 'a', 'x');
    assert.deepEqual(a.pending(), ['x']);
    assert.deepEqual(b.pending(), ['x']);
    assert.deepEqual(d.pending(), [['c', 'x']]);
    assert.equal(p.run('EXISTS', 'a', 'b', 'c'), 0);
  });

  it('a rotating BLMOVE on one key hands the element on to the next waiter', () => {
    const { cs } = setup(3);
    const [a, b, p] = cs as [TestClient, TestClient, TestClient];
    a.run('BLMOVE', 'r', 'r', 'LEFT', 'RIGHT', 0);
    b.run('BLPOP', 'r', 0);
    p.run('RPUSH', 'r', 'r1');
    assert.deepEqual(a.pending(), ['r1']);
    assert.deepEqual(b.pending(), [['r', 'r1']]);
    assert.equal(p.run('EXISTS', 'r'), 0);
  });

  it('BLMPOP pops up to COUNT from the first ready key', () => {
    const { cs } = setup(2);
    const [a, p] = cs as [TestClient, TestClient];
    a.run('BLMPOP', 0, 2, 'e1', 'e2', 'RIGHT', 'COUNT', 2);
    p.run('RPUSH', 'e2', '1', '2', '3');
    assert.deepEqual(a.pending(), [['e2', ['3', '2']]]);
    assert.deepEqual(a.run('BLMPOP', 0, 2, 'e1', 'e2', 'LEFT', 'COUNT', 5), ['e2', ['1']]);
  });

  it('waits per database', () => {
    const { h, cs } = setup(2);
    const [a, p] = cs as [TestClient, TestClient];
    a.run('SELECT', 1);
    a.run('BLPOP', 'k', 0);
    p.run('RPUSH', 'k', 'db0');
    assert.deepEqual(a.pending(), []);
    p.run('SELECT', 1);
    p.run('RPUSH', 'k', 'db1');
    assert.deepEqual(a.pending(), [['k', 'db1']]);
    assert.equal(h.node.blocking.blockedCount, 0);
  });

  it('SWAPDB serves clients whose key now holds a list', () => {
    const { h, cs } = setup(2);
    const [a, p] = cs as [TestClient, TestClient];
    a.run('BLPOP', 'k', 0);
    p.run('SELECT', 1);
    p.run('RPUSH', 'k', 'from1');
    assert.deepEqual(a.pending(), []);
    p.run('FLUSHDB');
    p.run('RPUSH', 'k', 'again');
    assert.deepEqual(a.pending(), []);
    assert.equal(p.run('SWAPDB', 0, 1), 'OK');
    assert.deepEqual(a.pending(), [['k', 'again']]);
    assert.equal(h.node.blocking.blockedCount, 0);
  });

  it('waits once on a key given twice', () => {
    const { h, cs } = setup(2);
    const [a, p] = cs as [TestClient, TestClient];
    a.run('BLPOP', 'w', 'w', 0);
    assert.equal(h.node.blocking.blockingKeyCount, 1);
    p.run('RPUSH', 'w', '1', '2');
    assert.deepEqual(a.pending(), [['w', '1']]);
    assert.deepEqual(p.run('LRANGE', 'w', 0, -1), ['2']);
  });

  it('CLIENT UNBLOCK ends the block with the timeout reply or an UNBLOCKED error', () => {
    const { h, cs } = setup(2);
    const [a, p] = cs as [TestClient, TestClient];
    const ta = rawTap(a);
    a.run('BLPOP', 'k', 0);
    assert.equal(p.run('CLIENT', 'UNBLOCK', a.session.id), 1);
    assert.equal(ta(), '*-1\r\n');
    assert.equal(p.run('CLIENT', 'UNBLOCK', a.session.id), 0);
    a.run('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', 5);
    assert.equal(p.run('CLIENT', 'UNBLOCK', a.session.id, 'ERROR'), 1);
    assert.equal(ta(), '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    assert.equal(h.node.blocking.nextDeadlineMs(), Infinity);
    assert.equal(h.node.blocking.blockedCount, 0);
    p.run('RPUSH', 'k', 'v');
    assert.deepEqual(p.run('LRANGE', 'k', 0, -1), ['v']);
  });

  it('forgets a disconnected client and re-arms the timer when deadlines change', () => {
    const { h, cs } = setup(2);
    const [a, p] = cs as [TestClient, TestClient];
    let rearmed = 0;
    h.blockingChanged = (): void => {
      rearmed++;
    };
    a.run('BLPOP', 'k', 10);
    assert.equal(rearmed, 1);
    h.node.blocking.removeSession(a.session);
    assert.equal(rearmed, 2);
    assert.equal(a.session.blocked, null);
    assert.equal(h.node.blocking.blockedCount, 0);
    assert.equal(h.node.blocking.nextDeadlineMs(), Infinity);
    p.run('RPUSH', 'k', 'v');
    assert.deepEqual(a.pending(), []);
    assert.deepEqual(p.run('LRANGE', 'k', 0, -1), ['v']);
    a.run('BLPOP', 'j', 0);
    assert.equal(rearmed, 2, 'no deadline, nothing to re-arm');
  });

  it('served clients notify pops like the plain commands', () => {
    const h = new Harness({ config: { 'notify-keyspace-events': 'Elg' } });
    const sub = h.client();
    const a = h.client();
    const p = h.client();
    sub.run('PSUBSCRIBE', '__keyevent@0__:*');
    sub.pending();
    a.run('BLPOP', 'k', 0);
    p.run('RPUSH', 'k', 'v');
    const events = sub.pending().map((m) => String((m as RespValue[])[2]).split(':')[1]);
    assert.deepEqual(events, ['rpush', 'lpop', 'del']);
  });
});
