// MIGRATE's command logic against a scripted connector (no sockets): the
// client is blocked until the target answers, acknowledged keys are deleted
// in that turn, a key written while in flight is re-sent with REPLACE before
// the local copy goes, and socket errors give Redis's IOERR replies.

import assert from 'node:assert/strict';
import { Harness, parseAll } from '../support/harness.js';
import { RespDecoder, RespError } from '../../src/resp/decoder.js';
import {
  setMigrateConnector,
  type MigrateConnector,
  type MigrateExchange,
  type MigrateLink,
} from '../../src/commands/generic/migrate.js';

/** A target that answers +OK to everything, after the test releases each exchange. */
class ScriptedTarget implements MigrateConnector {
  readonly link: MigrateLink = { lastDbid: -1 };
  readonly sent: string[][] = [];
  private release: (() => void)[] = [];
  failNext: 'reading' | null = null;
  /** Whether cached() hands out the link (else MIGRATE goes through connect()). */
  isCached = true;

  cached(): MigrateLink | null {
    return this.isCached ? this.link : null;
  }
  connect(): Promise<MigrateLink | null> {
    return Promise.resolve(this.link);
  }
  exchange(_link: MigrateLink, chunks: readonly Buffer[], replyCount: number, _timeoutMs: number, done: (ex: MigrateExchange) => void): void {
    const d = new RespDecoder();
    for (const c of chunks) d.feed(c);
    this.release.push(() => {
      if (this.failNext) {
        this.failNext = null;
        done({ replies: [], ioError: 'reading', timedOut: true });
        return;
      }
      for (let i = 0; i < replyCount; i++) this.sent.push(decodeCommand(d));
      assert.equal(d.next(), undefined, 'exactly replyCount commands were sent');
      done({ replies: Array.from({ length: replyCount }, () => ({ error: false, text: 'OK' })), ioError: null, timedOut: false });
    });
  }
  close(): void {}
  pause(): Promise<void> {
    return Promise.resolve();
  }
  /** Lets the oldest pending exchange answer; resolves after the command's continuations ran. */
  async answer(): Promise<void> {
    await tick();
    const r = this.release.shift();
    assert.ok(r, 'no exchange pending');
    r();
    await tick();
  }
}

/** Decodes a RESP multibulk command as the parser would (the decoder reads it as an array). */
function decodeCommand(d: RespDecoder): string[] {
  const v = d.next();
  assert.ok(Array.isArray(v));
  return v.map(String);
}

async function tick(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}

describe('MIGRATE (scripted target)', () => {
  it('blocks the client until acknowledged, then deletes the key', async () => {
    const h = new Harness();
    const target = new ScriptedTarget();
    setMigrateConnector(h.node, target);
    const c = h.client();
    c.run('SET', 'k', 'v');
    assert.equal(c.run('MIGRATE', 'h', '1', 'k', '0', '1000'), undefined);
    assert.notEqual(c.session.blocked, null);
    assert.equal(h.client().run('EXISTS', 'k'), 1);
    await target.answer();
    assert.deepEqual(c.pending(), ['OK']);
    assert.equal(c.session.blocked, null);
    assert.equal(c.run('EXISTS', 'k'), 0);
    assert.deepEqual(target.sent[0], ['SELECT', '0']);
    assert.equal(target.sent[1]![0], 'RESTORE');
  });

  it('the keys it deletes here are propagated as one DEL (replicas drop them too), COPY deletes nothing', async () => {
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
    const target = new ScriptedTarget();
    setMigrateConnector(h.node, target);
    const c = h.client();
    c.run('SELECT', '2');
    c.run('SET', 'a', '1');
    c.run('SET', 'b', '2');
    c.run('SET', 'c', '3');
    parseAll(chunks.splice(0));
    c.run('MIGRATE', 'h', '1', '', '0', '1000', 'KEYS', 'a', 'b', 'missing');
    assert.deepEqual(parseAll(chunks.splice(0)).commands, [], 'nothing until acknowledged');
    await target.answer();
    assert.deepEqual(c.pending(), ['OK']);
    assert.deepEqual(parseAll(chunks.splice(0)).commands, [['del', 'a', 'b']]);
    c.run('MIGRATE', 'h', '1', 'c', '0', '1000', 'COPY');
    await target.answer();
    assert.deepEqual(c.pending(), ['OK']);
    assert.deepEqual(parseAll(chunks.splice(0)).commands, []);
  });

  it('a big value goes out as several chunks but is one RESTORE with one reply', async () => {
    const h = new Harness();
    const target = new ScriptedTarget();
    setMigrateConnector(h.node, target);
    const c = h.client();
    c.run('SET', 'big', 'x'.repeat(200 * 1024));
    c.run('SET', 'small', 'y');
    c.run('MIGRATE', 'h', '1', '', '0', '1000', 'KEYS', 'big', 'small');
    await target.answer();
    assert.deepEqual(c.pending(), ['OK']);
    assert.deepEqual(target.sent.map((x) => x[0]), ['SELECT', 'RESTORE', 'RESTORE']);
    assert.deepEqual(target.sent.map((x) => x[1]), ['0', 'big', 'small']);
    assert.equal(c.run('EXISTS', 'big', 'small'), 0);
  });

  it('a key written while in flight is re-sent with REPLACE before it is deleted here', async () => {
    const h = new Harness();
    const target = new ScriptedTarget();
    setMigrateConnector(h.node, target);
    const c = h.client();
    const other = h.client();
    c.run('SET', 'k', 'v1');
    c.run('MIGRATE', 'h', '1', 'k', '0', '1000');
    await tick(); // the RESTORE of v1 is on the wire
    other.run('SET', 'k', 'v2');
    await target.answer();
    assert.equal(other.run('GET', 'k'), 'v2'); // still here: the target has v1
    assert.deepEqual(c.pending(), []);
    await target.answer();
    assert.deepEqual(c.pending(), ['OK']);
    assert.equal(other.run('EXISTS', 'k'), 0);
    const last = target.sent[target.sent.length - 1]!;
    assert.equal(last[0], 'RESTORE');
    assert.equal(last[4], 'REPLACE');
  });

  it('a timeout while reading is an IOERR and the key stays', async () => {
    const h = new Harness();
    const target = new ScriptedTarget();
    setMigrateConnector(h.node, target);
    const c = h.client();
    c.run('SET', 'k', 'v');
    target.failNext = 'reading';
    c.run('MIGRATE', 'h', '1', 'k', '0', '1000');
    await target.answer();
    const [reply] = c.pending();
    assert.ok(reply instanceof RespError);
    assert.equal(reply.message, 'IOERR error or timeout reading to target instance');
    assert.equal(c.run('GET', 'k'), 'v');
  });

  it('a batch of small keys carries the payloads DUMP gives, TTLs included, and releases its guard', async () => {
    const h = new Harness();
    const target = new ScriptedTarget();
    setMigrateConnector(h.node, target);
    const c = h.client();
    c.run('SET', 's', 'v'.repeat(100));
    c.run('SET', 'n', '12345');
    c.run('RPUSH', 'l', 'a', 'b');
    c.run('HSET', 'h', 'f', 'v');
    c.run('SADD', 'st', 'x', '1');
    c.run('ZADD', 'z', '1.5', 'm');
    c.run('PEXPIRE', 'h', '50000');
    const keys = ['s', 'n', 'l', 'h', 'st', 'z'];
    const dumps = keys.map((k) => c.run('DUMP', k));
    c.run('MIGRATE', 'h', '1', '', '0', '1000', 'KEYS', ...keys);
    await target.answer();
    assert.deepEqual(c.pending(), ['OK']);
    const restores = target.sent.filter((x) => x[0] === 'RESTORE');
    assert.deepEqual(
      restores.map((x) => x[1]),
      keys,
    );
    assert.deepEqual(
      restores.map((x) => x[3]),
      dumps,
    );
    assert.deepEqual(
      restores.map((x) => x[2] !== '0'),
      [false, false, false, true, false, false],
    );
    assert.ok(Number(restores[3]![2]) <= 50000);
    assert.equal(c.run('EXISTS', ...keys), 0);
    assert.ok(h.node.keyGuards.isEmpty, 'no guard left behind');
  });

  it('in a batch, keys written or deleted in flight are re-sent (REPLACE) or deleted there before they go here', async () => {
    const h = new Harness();
    const target = new ScriptedTarget();
    setMigrateConnector(h.node, target);
    const c = h.client();
    const other = h.client();
    c.run('SET', 'a', '1');
    c.run('SET', 'b', 'old');
    c.run('SET', 'c', '3');
    c.run('MIGRATE', 'h', '1', '', '0', '1000', 'KEYS', 'a', 'b', 'c');
    await tick();
    other.run('SET', 'b', 'new');
    other.run('DEL', 'c');
    const newDump = other.run('DUMP', 'b');
    await target.answer();
    // The target has the old b: b stays here until the target has the new one.
    assert.deepEqual(c.pending(), []);
    assert.equal(other.run('GET', 'b'), 'new');
    await target.answer();
    assert.deepEqual(c.pending(), ['OK']);
    assert.equal(other.run('EXISTS', 'a', 'b', 'c'), 0);
    const resent = target.sent.slice(-3);
    const byKey = new Map(resent.map((x) => [x[1]!, x]));
    assert.deepEqual(byKey.get('c'), ['DEL', 'c']);
    assert.equal(byKey.get('b')![0], 'RESTORE');
    assert.equal(byKey.get('b')![3], newDump);
    assert.equal(byKey.get('b')![4], 'REPLACE');
    assert.ok(h.node.keyGuards.isEmpty, 'no guard left behind');
  });

  it('a key that keeps changing stays here and MIGRATE says so after a few rounds', async () => {
    const h = new Harness();
    const target = new ScriptedTarget();
    setMigrateConnector(h.node, target);
    const c = h.client();
    const other = h.client();
    c.run('SET', 'k', '0');
    c.run('SET', 'calm', 'x');
    c.run('MIGRATE', 'h', '1', '', '0', '1000', 'KEYS', 'k', 'calm');
    let replies: unknown[] = [];
    for (let round = 1; round <= 10 && replies.length === 0; round++) {
      await tick();
      other.run('SET', 'k', String(round));
      await target.answer();
      replies = c.pending();
    }
    assert.equal(replies.length, 1);
    assert.ok(replies[0] instanceof RespError);
    assert.match(replies[0].message, /^ERR MIGRATE gave up/);
    assert.equal(other.run('EXISTS', 'k'), 1);
    assert.equal(other.run('EXISTS', 'calm'), 0);
    assert.ok(h.node.keyGuards.isEmpty, 'no guard left behind');
  });

  it('connects when no connection is cached', async () => {
    const h = new Harness();
    const target = new ScriptedTarget();
    target.isCached = false;
    setMigrateConnector(h.node, target);
    const c = h.client();
    c.run('SET', 'k', 'v');
    c.run('MIGRATE', 'h', '1', '', '0', '1000', 'KEYS', 'k');
    await target.answer();
    assert.deepEqual(c.pending(), ['OK']);
    assert.equal(c.run('EXISTS', 'k'), 0);
  });

  it('a MIGRATE queued behind one to another database SELECTs its own (the link is in the other one by then)', async () => {
    const h = new Harness();
    const target = new ScriptedTarget();
    setMigrateConnector(h.node, target);
    const a = h.client();
    const b = h.client();
    a.run('SET', 'k0', 'v');
    a.run('MIGRATE', 'h', '1', 'k0', '0', '1000');
    await target.answer();
    assert.deepEqual(a.pending(), ['OK']);
    a.run('SET', 'k1', 'v');
    b.run('SET', 'k2', 'v');
    a.run('MIGRATE', 'h', '1', 'k1', '1', '1000');
    b.run('MIGRATE', 'h', '1', 'k2', '0', '1000');
    await target.answer();
    await target.answer();
    assert.deepEqual([a.pending(), b.pending()], [['OK'], ['OK']]);
    assert.deepEqual(
      target.sent.map((x) => x.slice(0, 2).join(' ')),
      ['SELECT 0', 'RESTORE k0', 'SELECT 1', 'RESTORE k1', 'SELECT 0', 'RESTORE k2'],
    );
  });

  it('argument errors and NOKEY are immediate', () => {
    const h = new Harness();
    setMigrateConnector(h.node, new ScriptedTarget());
    const c = h.client();
    assert.equal(c.run('MIGRATE', 'h', '1', 'nokey', '0', '1000'), 'NOKEY');
    const e = c.run('MIGRATE', 'h', '1', 'k', '0', '1000', 'KEYS', 'a');
    assert.ok(e instanceof RespError);
    assert.equal(e.message, 'ERR When using MIGRATE KEYS option, the key argument must be set to the empty string');
    const s = c.run('MIGRATE', 'h', '1', 'k', '0', '1000', 'BOGUS');
    assert.ok(s instanceof RespError && s.message === 'ERR syntax error');
    const t = c.run('MIGRATE', 'h', '1', 'k', '0', 'x');
    assert.ok(t instanceof RespError && t.message === 'ERR value is not an integer or out of range');
  });
});
