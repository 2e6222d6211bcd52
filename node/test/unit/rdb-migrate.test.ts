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

  connect(): Promise<MigrateLink | null> {
    return Promise.resolve(this.link);
  }
  exchange(_link: MigrateLink, chunks: readonly Buffer[], replyCount: number): Promise<MigrateExchange> {
    const d = new RespDecoder();
    for (const c of chunks) d.feed(c);
    return new Promise((resolve) => {
      this.release.push(() => {
        if (this.failNext) {
          this.failNext = null;
          resolve({ replies: [], ioError: 'reading', timedOut: true });
          return;
        }
        for (let i = 0; i < replyCount; i++) this.sent.push(decodeCommand(d));
        resolve({ replies: Array.from({ length: replyCount }, () => ({ error: false, text: 'OK' })), ioError: null, timedOut: false });
      });
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
