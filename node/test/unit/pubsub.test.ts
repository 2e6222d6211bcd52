import assert from 'node:assert/strict';
import { Harness, type TestClient } from '../support/harness.js';
import { RespDecoder, RespError, RespMap, RespPush, type RespValue } from '../../src/resp/decoder.js';

/** Runs a command and returns every frame it wrote (SUBSCRIBE a b writes two). */
function runAll(h: Harness, c: TestClient, ...args: string[]): RespValue[] {
  h.writer.resp = c.session.resp;
  h.node.dispatcher.execute(c.session, args);
  const bytes = h.writer.take();
  const d = new RespDecoder();
  if (bytes) d.feed(bytes);
  return [...c.pending(), ...d.all()];
}

function push(v: RespValue | undefined): RespValue[] {
  assert.ok(v instanceof RespPush, `expected a push frame, got ${JSON.stringify(v)}`);
  return v.items;
}

describe('pub/sub', () => {
  it('SUBSCRIBE confirms each channel and PUBLISH delivers in RESP2 arrays', () => {
    const h = new Harness();
    const sub = h.client();
    const pub = h.client();
    assert.deepEqual(runAll(h, sub, 'SUBSCRIBE', 'a', 'b', 'a'), [
      ['subscribe', 'a', 1],
      ['subscribe', 'b', 2],
      ['subscribe', 'a', 2],
    ]);
    assert.equal(pub.run('PUBLISH', 'a', 'hello'), 1);
    assert.equal(pub.run('PUBLISH', 'zzz', 'hello'), 0);
    assert.deepEqual(sub.pending(), [['message', 'a', 'hello']]);
  });

  it('RESP3 subscribers get push frames; pattern messages carry the pattern', () => {
    const h = new Harness();
    const sub = h.client();
    sub.session.resp = 3;
    const pub = h.client();
    const frames = runAll(h, sub, 'PSUBSCRIBE', 'news.*');
    assert.equal(frames.length, 1);
    assert.deepEqual(push(frames[0]), ['psubscribe', 'news.*', 1]);
    assert.deepEqual(push(sub.run('SUBSCRIBE', 'news.art')), ['subscribe', 'news.art', 2]);
    assert.equal(pub.run('PUBLISH', 'news.art', 'x'), 2);
    const got = sub.pending();
    assert.equal(got.length, 2);
    assert.deepEqual(push(got[0]), ['message', 'news.art', 'x']);
    assert.deepEqual(push(got[1]), ['pmessage', 'news.*', 'news.art', 'x']);
    // RESP3 clients may run ordinary commands while subscribed.
    assert.equal(sub.run('SET', 'k', 'v'), 'OK');
  });

  it('UNSUBSCRIBE with nothing subscribed answers one frame with a null channel', () => {
    const h = new Harness();
    const c = h.client();
    assert.deepEqual(runAll(h, c, 'UNSUBSCRIBE'), [['unsubscribe', null, 0]]);
    assert.deepEqual(runAll(h, c, 'PUNSUBSCRIBE'), [['punsubscribe', null, 0]]);
    assert.deepEqual(runAll(h, c, 'SUNSUBSCRIBE'), [['sunsubscribe', null, 0]]);
    c.session.resp = 3;
    const frames = runAll(h, c, 'UNSUBSCRIBE');
    assert.deepEqual(push(frames[0]), ['unsubscribe', null, 0]);
  });

  it('UNSUBSCRIBE without arguments drops every channel and counts down', () => {
    const h = new Harness();
    const c = h.client();
    runAll(h, c, 'SUBSCRIBE', 'a', 'b');
    runAll(h, c, 'PSUBSCRIBE', 'p*');
    assert.deepEqual(runAll(h, c, 'UNSUBSCRIBE'), [
      ['unsubscribe', 'a', 2],
      ['unsubscribe', 'b', 1],
    ]);
    assert.deepEqual(runAll(h, c, 'PUNSUBSCRIBE', 'p*', 'never'), [
      ['punsubscribe', 'p*', 0],
      ['punsubscribe', 'never', 0],
    ]);
    assert.equal(h.node.pubsub.channels.size, 0);
    assert.equal(h.node.pubsub.patterns.size, 0);
  });

  it('a RESP2 subscriber may only run subscription commands, PING, QUIT and RESET', () => {
    const h = new Harness();
    const c = h.client();
    runAll(h, c, 'SUBSCRIBE', 'a');
    const e = c.run('GET', 'k');
    assert.ok(e instanceof RespError);
    assert.equal(e.message, "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
  });

  it('shard channels: SSUBSCRIBE counts shard subscriptions apart, SPUBLISH sends smessage', () => {
    const h = new Harness();
    const c = h.client();
    const pub = h.client();
    runAll(h, c, 'SUBSCRIBE', 'x');
    assert.deepEqual(runAll(h, c, 'SSUBSCRIBE', 's1', 's2'), [
      ['ssubscribe', 's1', 1],
      ['ssubscribe', 's2', 2],
    ]);
    assert.equal(pub.run('SPUBLISH', 's1', 'm'), 1);
    assert.equal(pub.run('PUBLISH', 's1', 'm'), 0);
    assert.deepEqual(c.pending(), [['smessage', 's1', 'm']]);
    assert.deepEqual(pub.run('PUBSUB', 'SHARDCHANNELS'), ['s1', 's2']);
    assert.deepEqual(pub.run('PUBSUB', 'SHARDNUMSUB', 's1', 'nope'), ['s1', 1, 'nope', 0]);
    assert.deepEqual(runAll(h, c, 'SUNSUBSCRIBE', 's1'), [['sunsubscribe', 's1', 1]]);
  });

  it('PUBSUB CHANNELS, NUMSUB and NUMPAT', () => {
    const h = new Harness();
    const a = h.client();
    const b = h.client();
    const q = h.client();
    runAll(h, a, 'SUBSCRIBE', 'news', 'sport');
    runAll(h, b, 'SUBSCRIBE', 'news');
    runAll(h, b, 'PSUBSCRIBE', 'n*', 'n*');
    runAll(h, a, 'PSUBSCRIBE', 'n*');
    assert.deepEqual((q.run('PUBSUB', 'CHANNELS') as string[]).sort(), ['news', 'sport']);
    assert.deepEqual(q.run('PUBSUB', 'CHANNELS', 'n*'), ['news']);
    assert.deepEqual(q.run('PUBSUB', 'NUMSUB', 'news', 'sport', 'none'), ['news', 2, 'sport', 1, 'none', 0]);
    assert.deepEqual(q.run('PUBSUB', 'NUMSUB'), []);
    assert.equal(q.run('PUBSUB', 'NUMPAT'), 1);
    const e = q.run('PUBSUB', 'CHANNELS', 'a', 'b');
    assert.ok(e instanceof RespError);
    assert.equal(e.message, "ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.");
  });

  it('removeSession drops a closed client from every registry', () => {
    const h = new Harness();
    const a = h.client();
    const pub = h.client();
    runAll(h, a, 'SUBSCRIBE', 'c');
    runAll(h, a, 'PSUBSCRIBE', 'c*');
    runAll(h, a, 'SSUBSCRIBE', 'sc');
    h.node.pubsub.removeSession(a.session);
    assert.equal(pub.run('PUBLISH', 'c', 'm'), 0);
    assert.equal(pub.run('SPUBLISH', 'sc', 'm'), 0);
    assert.equal(pub.run('PUBSUB', 'NUMPAT'), 0);
    assert.equal(a.session.subscriptionCount, 0);
  });
});

describe('keyspace notifications', () => {
  it('are off by default', () => {
    const h = new Harness();
    const sub = h.client();
    runAll(h, sub, 'PSUBSCRIBE', '*');
    h.node.notify('$', 'set', 'k', 0);
    assert.deepEqual(sub.pending(), []);
  });

  it('publish keyspace and keyevent messages for the enabled classes', () => {
    const h = new Harness({ config: { 'notify-keyspace-events': 'KE$' } });
    const sub = h.client();
    runAll(h, sub, 'PSUBSCRIBE', '__key*__:*');
    h.node.notify('$', 'set', 'k', 3);
    h.node.notify('g', 'del', 'k', 3);
    assert.deepEqual(sub.pending(), [
      ['pmessage', '__key*__:*', '__keyspace@3__:k', 'set'],
      ['pmessage', '__key*__:*', '__keyevent@3__:set', 'k'],
    ]);
  });

  it('"KAn" reads back as "AK" (as in Redis 7.0) but still sends new-key events', () => {
    const h = new Harness({ config: { 'notify-keyspace-events': 'KAn' } });
    const c = h.client();
    assert.deepEqual(c.run('CONFIG', 'GET', 'notify-keyspace-events'), ['notify-keyspace-events', 'AK']);
    runAll(h, c, 'PSUBSCRIBE', '*');
    h.node.notify('n', 'new', 'k', 0);
    assert.deepEqual(c.pending(), [['pmessage', '*', '__keyspace@0__:k', 'new']]);
  });

  it('K without E publishes only keyspace; A does not include n or m', () => {
    const h = new Harness({ config: { 'notify-keyspace-events': 'KA' } });
    const sub = h.client();
    runAll(h, sub, 'PSUBSCRIBE', '*');
    h.node.notify('x', 'expired', 'k', 0);
    h.node.notify('n', 'new', 'k', 0);
    assert.deepEqual(sub.pending(), [['pmessage', '*', '__keyspace@0__:k', 'expired']]);
  });

  it('CONFIG SET notify-keyspace-events refuses letters Redis does not know and shows the canonical order', () => {
    const h = new Harness();
    const c = h.client();
    const e = c.run('CONFIG', 'SET', 'notify-keyspace-events', 'Kq');
    assert.ok(e instanceof RespError);
    assert.equal(e.message, "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    assert.equal(c.run('CONFIG', 'SET', 'notify-keyspace-events', 'KEA'), 'OK');
    assert.deepEqual(c.run('CONFIG', 'GET', 'notify-keyspace-events'), ['notify-keyspace-events', 'AKE']);
    c.run('CONFIG', 'SET', 'notify-keyspace-events', 'Eg$lshzxetmdn');
    assert.deepEqual(c.run('CONFIG', 'GET', 'notify-keyspace-events'), ['notify-keyspace-events', 'AEm']);
    c.run('CONFIG', 'SET', 'notify-keyspace-events', 'Kgn');
    assert.deepEqual(c.run('CONFIG', 'GET', 'notify-keyspace-events'), ['notify-keyspace-events', 'gnK']);
    c.run('CONFIG', 'SET', 'notify-keyspace-events', 'Kgg$');
    assert.deepEqual(c.run('CONFIG', 'GET', 'notify-keyspace-events'), ['notify-keyspace-events', 'g$K']);
    const sub = h.client();
    sub.session.resp = 3;
    runAll(h, sub, 'SUBSCRIBE', '__keyspace@0__:foo');
    h.node.notify('$', 'set', 'foo', 0);
    const got = sub.pending();
    assert.equal(got.length, 1);
    assert.deepEqual(push(got[0]), ['message', '__keyspace@0__:foo', 'set']);
    assert.ok(!(got[0] instanceof RespMap));
  });
});
