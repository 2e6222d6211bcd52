import assert from 'node:assert/strict';
import { Harness, type TestClient } from '../support/harness.js';
import { RespError, type RespValue } from '../../src/resp/decoder.js';
import { ListValue } from '../../src/keyspace/types/list.js';
import { seededRandom } from '../../src/core/random.js';
import { keyIndices } from '../../src/commands/spec.js';
import { lmpop } from '../../src/commands/list/lmpop.js';
import { blmpop } from '../../src/commands/list/blmpop.js';

/** Runs a command and returns the raw RESP bytes, to tell `$-1` from `*-1`. */
function raw(h: Harness, c: TestClient, ...args: string[]): string {
  h.writer.resp = c.session.resp;
  h.node.dispatcher.execute(c.session, args);
  return h.writer.take()?.toString('latin1') ?? '';
}

function err(v: RespValue | undefined): string {
  assert.ok(v instanceof RespError, `expected an error, got ${JSON.stringify(v)}`);
  return v.message;
}

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

function setup(): { h: Harness; c: TestClient } {
  const h = new Harness();
  return { h, c: h.client() };
}

describe('ListValue ring buffer', () => {
  it('matches an array model under random pushes, pops, inserts, removals and trims', () => {
    const rnd = seededRandom(42);
    const list = new ListValue();
    let model: string[] = [];
    const pick = (): string => String.fromCharCode(97 + Math.floor(rnd() * 4));
    for (let step = 0; step < 20000; step++) {
      const op = Math.floor(rnd() * 9);
      if (op === 0 || op === 1) {
        const v = pick();
        list.pushFront(v);
        model.unshift(v);
      } else if (op === 2 || op === 3) {
        const v = pick();
        list.pushBack(v);
        model.push(v);
      } else if (op === 4) {
        assert.equal(list.popFront(), model.shift());
      } else if (op === 5) {
        assert.equal(list.popBack(), model.pop());
      } else if (op === 6) {
        const i = Math.floor(rnd() * (model.length + 1));
        const v = pick();
        list.insertAt(i, v);
        model.splice(i, 0, v);
      } else if (op === 7) {
        const v = pick();
        const limit = Math.floor(rnd() * 3);
        const fromTail = rnd() < 0.5;
        let removed = 0;
        if (!fromTail) {
          model = model.filter((e) => !(e === v && (limit === 0 || removed < limit) && ++removed > 0));
        } else {
          model = model.reverse().filter((e) => !(e === v && (limit === 0 || removed < limit) && ++removed > 0)).reverse();
        }
        assert.equal(list.remove(v, limit, fromTail), removed);
      } else if (rnd() < 0.1 && model.length > 0) {
        const front = Math.floor(rnd() * (model.length + 1));
        const back = Math.floor(rnd() * (model.length - front + 1));
        list.trim(front, back);
        model = model.slice(front, model.length - back);
      }
      assert.equal(list.size, model.length);
      if (step % 97 === 0) assert.deepEqual(list.slice(0, list.size - 1), model);
    }
    assert.deepEqual(list.slice(0, list.size - 1), model);
  });

  it('tracks bytes incrementally and gives memory back when drained', () => {
    const list = new ListValue();
    const empty = list.bytes;
    for (let i = 0; i < 10000; i++) list.pushBack('x'.repeat(20));
    const full = list.bytes;
    assert.ok(full > empty + 10000 * 20);
    list.setAt(0, 'y'.repeat(1000));
    assert.ok(list.bytes > full);
    while (list.size > 0) list.popFront();
    assert.equal(list.bytes, empty);
    assert.equal(list.encoding(), 'quicklist');
  });

  it('clone is deep', () => {
    const a = new ListValue();
    a.pushBack('1');
    a.pushBack('2');
    const b = a.clone();
    b.pushBack('3');
    assert.equal(a.size, 2);
    assert.deepEqual(b.slice(0, 2), ['1', '2', '3']);
  });
});

describe('list commands', () => {
  it('LPUSH/RPUSH/LLEN/LRANGE and wrong types', () => {
    const { c } = setup();
    assert.equal(c.run('RPUSH', 'l', 'a', 'b'), 2);
    assert.equal(c.run('LPUSH', 'l', 'x', 'y'), 4);
    assert.deepEqual(c.run('LRANGE', 'l', 0, -1), ['y', 'x', 'a', 'b']);
    assert.equal(c.run('LLEN', 'l'), 4);
    assert.equal(c.run('LLEN', 'nokey'), 0);
    assert.equal(c.run('SET', 's', 'v'), 'OK');
    assert.equal(err(c.run('LPUSH', 's', 'a')), WRONGTYPE);
    assert.equal(err(c.run('LLEN', 's')), WRONGTYPE);
    assert.equal(err(c.run('LPUSH', 'l')), "ERR wrong number of arguments for 'lpush' command");
    assert.equal(c.run('TYPE', 'l'), 'list');
    assert.equal(c.run('OBJECT', 'ENCODING', 'l'), 'quicklist');
  });

  it('LPUSHX/RPUSHX only push onto existing lists', () => {
    const { c } = setup();
    assert.equal(c.run('LPUSHX', 'l', 'a'), 0);
    assert.equal(c.run('EXISTS', 'l'), 0);
    c.run('RPUSH', 'l', 'm');
    assert.equal(c.run('LPUSHX', 'l', 'a', 'b'), 3);
    assert.equal(c.run('RPUSHX', 'l', 'z'), 4);
    assert.deepEqual(c.run('LRANGE', 'l', 0, -1), ['b', 'a', 'm', 'z']);
    c.run('SET', 's', 'v');
    assert.equal(err(c.run('RPUSHX', 's', 'a')), WRONGTYPE);
  });

  it('LPOP/RPOP with and without COUNT, RESP2 nil vs null array', () => {
    const { h, c } = setup();
    assert.equal(raw(h, c, 'LPOP', 'nokey'), '$-1\r\n');
    assert.equal(raw(h, c, 'LPOP', 'nokey', '2'), '*-1\r\n');
    assert.equal(raw(h, c, 'RPOP', 'nokey', '0'), '*-1\r\n');
    c.run('RPUSH', 'l', 'a', 'b', 'c', 'd');
    assert.equal(raw(h, c, 'LPOP', 'l', '0'), '*0\r\n');
    assert.deepEqual(c.run('LPOP', 'l', 1), ['a']);
    assert.equal(c.run('RPOP', 'l'), 'd');
    assert.deepEqual(c.run('RPOP', 'l', 10), ['c', 'b']);
    assert.equal(c.run('EXISTS', 'l'), 0);
    c.run('RPUSH', 'l', 'a');
    assert.equal(err(c.run('LPOP', 'l', -1)), 'ERR value is out of range, must be positive');
    assert.equal(err(c.run('LPOP', 'l', 'abc')), 'ERR value is out of range, must be positive');
    assert.equal(err(c.run('LPOP', 'nokey', 'abc')), 'ERR value is out of range, must be positive');
    assert.equal(err(c.run('RPOP', 'l', 1, 2)), "ERR wrong number of arguments for 'rpop' command");
    c.session.resp = 3;
    assert.equal(raw(h, c, 'LPOP', 'nokey', '2'), '_\r\n');
  });

  it('LINDEX and LSET', () => {
    const { c } = setup();
    assert.equal(c.run('LINDEX', 'nokey', 'x'), null);
    assert.equal(err(c.run('LSET', 'nokey', 0, 'v')), 'ERR no such key');
    c.run('RPUSH', 'l', 'a', 'b', 'c');
    assert.equal(c.run('LINDEX', 'l', 0), 'a');
    assert.equal(c.run('LINDEX', 'l', -1), 'c');
    assert.equal(c.run('LINDEX', 'l', 3), null);
    assert.equal(c.run('LINDEX', 'l', -4), null);
    assert.equal(err(c.run('LINDEX', 'l', 'x')), 'ERR value is not an integer or out of range');
    assert.equal(c.run('LSET', 'l', -1, 'Z'), 'OK');
    assert.equal(c.run('LSET', 'l', 0, 'A'), 'OK');
    assert.deepEqual(c.run('LRANGE', 'l', 0, -1), ['A', 'b', 'Z']);
    assert.equal(err(c.run('LSET', 'l', 3, 'v')), 'ERR index out of range');
    assert.equal(err(c.run('LSET', 'l', -4, 'v')), 'ERR index out of range');
    assert.equal(err(c.run('LSET', 'l', 'x', 'v')), 'ERR value is not an integer or out of range');
    c.run('SET', 's', 'v');
    assert.equal(err(c.run('LSET', 's', 'x', 'v')), WRONGTYPE);
    assert.equal(err(c.run('LINDEX', 's', 'x')), WRONGTYPE);
  });

  it('LRANGE and LTRIM index arithmetic', () => {
    const { c } = setup();
    c.run('RPUSH', 'l', 'a', 'b', 'c', 'd', 'e');
    assert.deepEqual(c.run('LRANGE', 'l', -100, 100), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(c.run('LRANGE', 'l', 1, -2), ['b', 'c', 'd']);
    assert.deepEqual(c.run('LRANGE', 'l', 3, 1), []);
    assert.deepEqual(c.run('LRANGE', 'l', 5, 10), []);
    assert.deepEqual(c.run('LRANGE', 'nokey', 0, -1), []);
    assert.equal(err(c.run('LRANGE', 'nokey', 'x', 1)), 'ERR value is not an integer or out of range');
    assert.equal(c.run('LTRIM', 'l', 1, -2), 'OK');
    assert.deepEqual(c.run('LRANGE', 'l', 0, -1), ['b', 'c', 'd']);
    assert.equal(c.run('LTRIM', 'l', 0, 100), 'OK');
    assert.equal(c.run('LLEN', 'l'), 3);
    assert.equal(c.run('LTRIM', 'l', 2, 1), 'OK');
    assert.equal(c.run('EXISTS', 'l'), 0);
    assert.equal(c.run('LTRIM', 'nokey', 0, 1), 'OK');
    c.run('SET', 's', 'v');
    assert.equal(err(c.run('LTRIM', 's', 'x', 1)), 'ERR value is not an integer or out of range');
    assert.equal(err(c.run('LTRIM', 's', 0, 1)), WRONGTYPE);
  });

  it('LINSERT', () => {
    const { c } = setup();
    assert.equal(c.run('LINSERT', 'nokey', 'BEFORE', 'a', 'b'), 0);
    c.run('RPUSH', 'l', 'a', 'b', 'c');
    assert.equal(c.run('LINSERT', 'l', 'before', 'a', 'X'), 4);
    assert.equal(c.run('LINSERT', 'l', 'AFTER', 'c', 'Y'), 5);
    assert.equal(c.run('LINSERT', 'l', 'after', 'a', 'Z'), 6);
    assert.equal(c.run('LINSERT', 'l', 'before', 'nope', 'Z'), -1);
    assert.deepEqual(c.run('LRANGE', 'l', 0, -1), ['X', 'a', 'Z', 'b', 'c', 'Y']);
    assert.equal(err(c.run('LINSERT', 'l', 'middle', 'a', 'b')), 'ERR syntax error');
    c.run('SET', 's', 'v');
    assert.equal(err(c.run('LINSERT', 's', 'before', 'a', 'b')), WRONGTYPE);
  });

  it('LREM from the head, from the tail, and all', () => {
    const { c } = setup();
    c.run('RPUSH', 'l', 'a', 'b', 'a', 'c', 'a', 'b', 'a');
    assert.equal(c.run('LREM', 'l', 2, 'a'), 2);
    assert.deepEqual(c.run('LRANGE', 'l', 0, -1), ['b', 'c', 'a', 'b', 'a']);
    assert.equal(c.run('LREM', 'l', -1, 'b'), 1);
    assert.deepEqual(c.run('LRANGE', 'l', 0, -1), ['b', 'c', 'a', 'a']);
    assert.equal(c.run('LREM', 'l', 0, 'a'), 2);
    assert.equal(c.run('LREM', 'l', 0, 'zz'), 0);
    assert.equal(c.run('LREM', 'nokey', 0, 'a'), 0);
    assert.equal(c.run('LREM', 'l', 0, 'b'), 1);
    assert.equal(c.run('LREM', 'l', 1, 'c'), 1);
    assert.equal(c.run('EXISTS', 'l'), 0);
    assert.equal(err(c.run('LREM', 'l', 'x', 'a')), 'ERR value is not an integer or out of range');
  });

  it('LPOS with RANK, COUNT, MAXLEN and their errors', () => {
    const { c } = setup();
    c.run('RPUSH', 'l', 'a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c');
    assert.equal(c.run('LPOS', 'l', 'a'), 0);
    assert.equal(c.run('LPOS', 'l', 'a', 'RANK', 2), 3);
    assert.equal(c.run('LPOS', 'l', 'a', 'RANK', -1), 6);
    assert.equal(c.run('LPOS', 'l', 'a', 'RANK', 99), null);
    assert.deepEqual(c.run('LPOS', 'l', 'a', 'COUNT', 0), [0, 3, 6]);
    assert.deepEqual(c.run('LPOS', 'l', 'a', 'RANK', 2, 'COUNT', 0), [3, 6]);
    assert.deepEqual(c.run('LPOS', 'l', 'a', 'RANK', -2, 'COUNT', 2), [3, 0]);
    assert.deepEqual(c.run('LPOS', 'l', 'a', 'COUNT', 2, 'MAXLEN', 2), [0]);
    assert.equal(c.run('LPOS', 'l', 'c', 'RANK', -1, 'MAXLEN', 2), 8);
    assert.equal(c.run('LPOS', 'l', 'z'), null);
    assert.deepEqual(c.run('LPOS', 'l', 'z', 'COUNT', 0), []);
    assert.equal(c.run('LPOS', 'nokey', 'z'), null);
    assert.deepEqual(c.run('LPOS', 'nokey', 'z', 'COUNT', 1), []);
    // Redis cannot negate LLONG_MIN: it matches from the tail and ignores COUNT.
    assert.deepEqual(c.run('LPOS', 'l', 'a', 'RANK', '-9223372036854775808', 'COUNT', 1), [6, 3, 0]);
    assert.deepEqual(c.run('LPOS', 'l', 'a', 'RANK', '-9223372036854775807', 'COUNT', 1), []);
    assert.equal(
      err(c.run('LPOS', 'l', 'a', 'RANK', 0)),
      "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
    );
    assert.equal(err(c.run('LPOS', 'l', 'a', 'COUNT', -1)), "ERR COUNT can't be negative");
    assert.equal(err(c.run('LPOS', 'l', 'a', 'COUNT', 'abc')), "ERR COUNT can't be negative");
    assert.equal(err(c.run('LPOS', 'l', 'a', 'MAXLEN', -1)), "ERR MAXLEN can't be negative");
    assert.equal(err(c.run('LPOS', 'l', 'a', 'RANK', 'x')), 'ERR value is not an integer or out of range');
    assert.equal(err(c.run('LPOS', 'l', 'a', 'RANK')), 'ERR syntax error');
    assert.equal(err(c.run('LPOS', 'l', 'a', 'FOO', 1)), 'ERR syntax error');
    c.run('SET', 's', 'v');
    // Options are checked before the key.
    assert.equal(err(c.run('LPOS', 's', 'a', 'RANK', 0)).startsWith("ERR RANK can't be zero"), true);
    assert.equal(err(c.run('LPOS', 's', 'a')), WRONGTYPE);
  });

  it('LMOVE and RPOPLPUSH, including rotation and a wrong-type destination', () => {
    const { h, c } = setup();
    c.run('RPUSH', 'src', 'a', 'b', 'c');
    assert.equal(c.run('LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'), 'a');
    assert.equal(c.run('LMOVE', 'src', 'dst', 'right', 'left'), 'c');
    assert.deepEqual(c.run('LRANGE', 'dst', 0, -1), ['c', 'a']);
    assert.equal(c.run('RPOPLPUSH', 'dst', 'dst'), 'a');
    assert.deepEqual(c.run('LRANGE', 'dst', 0, -1), ['a', 'c']);
    assert.equal(c.run('RPOPLPUSH', 'src', 'dst'), 'b');
    assert.equal(c.run('EXISTS', 'src'), 0);
    c.run('RPUSH', 'one', 'x');
    assert.equal(c.run('LMOVE', 'one', 'one', 'LEFT', 'RIGHT'), 'x');
    assert.deepEqual(c.run('LRANGE', 'one', 0, -1), ['x']);
    c.run('SET', 's', 'v');
    assert.equal(raw(h, c, 'LMOVE', 'nokey', 's', 'LEFT', 'LEFT'), '$-1\r\n');
    assert.equal(err(c.run('LMOVE', 'one', 's', 'LEFT', 'LEFT')), WRONGTYPE);
    assert.deepEqual(c.run('LRANGE', 'one', 0, -1), ['x']);
    assert.equal(err(c.run('LMOVE', 's', 'one', 'LEFT', 'LEFT')), WRONGTYPE);
    assert.equal(err(c.run('LMOVE', 'one', 'dst', 'UP', 'LEFT')), 'ERR syntax error');
  });

  it('LMPOP argument rules and replies', () => {
    const { h, c } = setup();
    c.run('RPUSH', 'l', 'a', 'b', 'c');
    assert.equal(err(c.run('LMPOP', 0, 'l', 'left')), 'ERR numkeys should be greater than 0');
    assert.equal(err(c.run('LMPOP', 'abc', 'l', 'left')), 'ERR numkeys should be greater than 0');
    assert.equal(err(c.run('LMPOP', 2, 'l', 'left')), 'ERR syntax error');
    assert.equal(err(c.run('LMPOP', 1, 'l', 'up')), 'ERR syntax error');
    assert.equal(err(c.run('LMPOP', 1, 'l', 'left', 'COUNT', 0)), 'ERR count should be greater than 0');
    assert.equal(err(c.run('LMPOP', 1, 'l', 'left', 'COUNT', 1, 'COUNT', 2)), 'ERR syntax error');
    assert.equal(err(c.run('LMPOP', 1, 'l', 'left', 'COUNT')), 'ERR syntax error');
    assert.equal(raw(h, c, 'LMPOP', '1', 'nokey', 'left'), '*-1\r\n');
    assert.deepEqual(c.run('LMPOP', 2, 'nokey', 'l', 'right'), ['l', ['c']]);
    assert.deepEqual(c.run('LMPOP', 1, 'l', 'left', 'count', 10), ['l', ['a', 'b']]);
    assert.equal(c.run('EXISTS', 'l'), 0);
    c.run('SET', 's', 'v');
    assert.equal(err(c.run('LMPOP', 2, 'nokey', 's', 'left')), WRONGTYPE);
    assert.deepEqual(keyIndices(lmpop, ['lmpop', '2', 'a', 'b', 'left']), [2, 3]);
    assert.deepEqual(keyIndices(lmpop, ['lmpop', '0', 'a', 'left']), []);
    assert.deepEqual(keyIndices(lmpop, ['lmpop', '5', 'a', 'left']), []);
    assert.deepEqual(keyIndices(blmpop, ['blmpop', '0', '2', 'a', 'b', 'left']), [3, 4]);
  });

  it('counts keyspace hits and misses on reads only', () => {
    const { h, c } = setup();
    const st = h.node.keyspace.stats;
    c.run('RPUSH', 'l', 'a');
    const [hits, misses] = [st.keyspaceHits, st.keyspaceMisses];
    c.run('LRANGE', 'l', 0, -1);
    c.run('LLEN', 'nokey');
    c.run('LPOP', 'nokey');
    assert.equal(st.keyspaceHits, hits + 1);
    assert.equal(st.keyspaceMisses, misses + 1);
  });

  it('sends Redis keyspace events (push, pop, lmove pair, del when emptied)', () => {
    const h = new Harness({ config: { 'notify-keyspace-events': 'Elg' } });
    const sub = h.client();
    const c = h.client();
    sub.run('PSUBSCRIBE', '__keyevent@0__:*');
    sub.pending();
    const events = (): string[] => sub.pending().map((m) => String((m as RespValue[])[2]).split(':')[1] + ' ' + String((m as RespValue[])[3]));
    c.run('RPUSH', 'l', 'a', 'b', 'c');
    c.run('LPUSH', 'l', 'z');
    c.run('LINSERT', 'l', 'before', 'a', 'y');
    c.run('LSET', 'l', 0, 'q');
    c.run('LREM', 'l', 0, 'y');
    c.run('LREM', 'l', 0, 'nope');
    c.run('LTRIM', 'l', 0, -1);
    assert.deepEqual(events(), ['rpush l', 'lpush l', 'linsert l', 'lset l', 'lrem l', 'ltrim l']);
    c.run('LMOVE', 'l', 'd', 'left', 'right');
    assert.deepEqual(events(), ['rpush d', 'lpop l']);
    c.run('RPOP', 'l', 5);
    assert.deepEqual(events(), ['rpop l', 'del l']);
    c.run('LPOP', 'nokey');
    c.run('LPUSHX', 'nokey', 'a');
    assert.deepEqual(events(), []);
  });
});
