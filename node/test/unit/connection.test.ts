import assert from 'node:assert/strict';
import { Harness } from '../support/harness.js';
import { RespError, RespMap, RespVerbatim, type RespValue } from '../../src/resp/decoder.js';

function errorOf(v: unknown): string {
  assert.ok(v instanceof RespError, `expected an error, got ${JSON.stringify(v)}`);
  return v.message;
}

function mapOf(v: RespValue | undefined): Map<string, RespValue> {
  if (v instanceof RespMap) return new Map(v.entries.map(([k, val]) => [String(k), val]));
  assert.ok(Array.isArray(v), 'expected a map or flat array');
  const m = new Map<string, RespValue>();
  for (let i = 0; i < v.length; i += 2) m.set(String(v[i]), v[i + 1]!);
  return m;
}

function textOf(v: RespValue | undefined): string {
  if (v instanceof RespVerbatim) return v.text;
  assert.equal(typeof v, 'string');
  return v as string;
}

describe('connection commands', () => {
  describe('HELLO', () => {
    it('replies with the server map and switches to RESP3', () => {
      const h = new Harness();
      const c = h.client();
      const r = c.run('HELLO', '3');
      assert.ok(r instanceof RespMap, 'RESP3 map');
      const m = mapOf(r);
      assert.deepEqual([...m.keys()], ['server', 'version', 'proto', 'id', 'mode', 'role', 'modules']);
      assert.equal(m.get('server'), 'redis');
      assert.equal(m.get('version'), '7.0.15');
      assert.equal(m.get('proto'), 3);
      assert.equal(m.get('id'), c.session.id);
      assert.equal(m.get('mode'), 'standalone');
      assert.equal(m.get('role'), 'master');
      assert.deepEqual(m.get('modules'), []);
      assert.equal(c.session.resp, 3);
      // Later replies use RESP3 types: a missing key is RESP3 null.
      assert.equal(c.run('GET', 'nope'), null);
      const back = c.run('HELLO', '2');
      assert.ok(Array.isArray(back), 'RESP2 flat array');
      assert.equal(mapOf(back).get('proto'), 2);
    });

    it('without a version keeps the protocol', () => {
      const h = new Harness();
      const c = h.client();
      assert.equal(mapOf(c.run('HELLO')).get('proto'), 2);
    });

    it('reports cluster mode and the availability zone', () => {
      const h = new Harness({ config: { 'availability-zone': 'us-east-1a' } });
      h.node.clusterEnabled = true;
      const m = mapOf(h.client().run('HELLO', '3'));
      assert.equal(m.get('mode'), 'cluster');
      assert.equal(m.get('availability_zone'), 'us-east-1a');
    });

    it('errors as Redis does', () => {
      const h = new Harness();
      const c = h.client();
      assert.equal(errorOf(c.run('HELLO', '4')), 'NOPROTO unsupported protocol version');
      assert.equal(errorOf(c.run('HELLO', '1')), 'NOPROTO unsupported protocol version');
      assert.equal(errorOf(c.run('HELLO', 'x')), 'ERR Protocol version is not an integer or out of range');
      assert.equal(errorOf(c.run('HELLO', '3', 'foo')), "ERR Syntax error in HELLO option 'foo'");
      assert.equal(errorOf(c.run('HELLO', '3', 'AUTH', 'default')), "ERR Syntax error in HELLO option 'AUTH'");
      assert.equal(errorOf(c.run('HELLO', '3', 'SETNAME', 'a b')), 'ERR Client names cannot contain spaces, newlines or special characters.');
      assert.equal(c.session.resp, 2);
    });

    it('SETNAME names the connection', () => {
      const h = new Harness();
      const c = h.client();
      c.run('HELLO', '3', 'SETNAME', 'worker-1');
      assert.equal(c.run('CLIENT', 'GETNAME'), 'worker-1');
    });

    it('authenticates with AUTH and refuses an unauthenticated handshake', () => {
      const h = new Harness({ config: { requirepass: 's3cret' } });
      const c = h.client();
      assert.equal(
        errorOf(c.run('HELLO', '3')),
        'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
      );
      assert.equal(errorOf(c.run('HELLO', '3', 'AUTH', 'default', 'wrong')), 'WRONGPASS invalid username-password pair or user is disabled.');
      assert.equal(c.session.resp, 2);
      const m = mapOf(c.run('HELLO', '3', 'AUTH', 'default', 's3cret'));
      assert.equal(m.get('proto'), 3);
      assert.equal(c.run('PING'), 'PONG');
    });
  });

  describe('AUTH', () => {
    it('without requirepass refuses a bare password and accepts the default user', () => {
      const h = new Harness();
      const c = h.client();
      assert.equal(
        errorOf(c.run('AUTH', 'x')),
        'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
      );
      assert.equal(c.run('AUTH', 'default', 'anything'), 'OK');
      assert.equal(errorOf(c.run('AUTH', 'bob', 'x')), 'WRONGPASS invalid username-password pair or user is disabled.');
      assert.equal(errorOf(c.run('AUTH', 'a', 'b', 'c')), 'ERR syntax error');
    });

    it('with requirepass gates commands until the password is given', () => {
      const h = new Harness({ config: { requirepass: 'pw' } });
      const c = h.client();
      assert.equal(errorOf(c.run('GET', 'k')), 'NOAUTH Authentication required.');
      assert.equal(errorOf(c.run('AUTH', 'nope')), 'WRONGPASS invalid username-password pair or user is disabled.');
      assert.equal(c.run('AUTH', 'pw'), 'OK');
      assert.equal(c.run('GET', 'k'), null);
      const d = h.client();
      assert.equal(d.run('AUTH', 'default', 'pw'), 'OK');
      assert.equal(d.run('PING'), 'PONG');
    });
  });

  describe('RESET', () => {
    it('returns the connection to its initial state', () => {
      const h = new Harness({ config: { requirepass: 'pw' } });
      const c = h.client();
      c.run('AUTH', 'pw');
      c.run('HELLO', '3', 'SETNAME', 'n');
      c.run('SELECT', '3');
      c.run('CLIENT', 'NO-EVICT', 'on');
      c.run('WATCH', 'k');
      c.run('MULTI');
      assert.equal(c.run('RESET'), 'RESET');
      const s = c.session;
      assert.equal(s.resp, 2);
      assert.equal(s.dbIndex, 0);
      assert.equal(s.name, '');
      assert.equal(s.inMulti, false);
      assert.equal(s.watched.size, 0);
      assert.equal(s.noEvict, false);
      assert.equal(s.authenticated, false);
      assert.equal(errorOf(c.run('PING')), 'NOAUTH Authentication required.');
    });

    it('drops every subscription', () => {
      const h = new Harness();
      const c = h.client();
      const p = h.client();
      c.run('SUBSCRIBE', 'news');
      c.run('PSUBSCRIBE', 'n*');
      assert.equal(p.run('PUBLISH', 'news', 'x'), 2);
      c.pending();
      assert.equal(c.run('RESET'), 'RESET');
      assert.equal(c.session.subscriptionCount, 0);
      assert.equal(p.run('PUBLISH', 'news', 'y'), 0);
      assert.equal(c.run('GET', 'k'), null, 'out of the subscribed context');
    });

    it('keeps a client authenticated when no password is set', () => {
      const h = new Harness();
      const c = h.client();
      assert.equal(c.run('RESET'), 'RESET');
      assert.equal(c.run('PING'), 'PONG');
    });
  });

  describe('PING', () => {
    it('answers a RESP2 subscriber with an array and a RESP3 one normally', () => {
      const h = new Harness();
      const c = h.client();
      c.session.channels.add('ch');
      assert.deepEqual(c.run('PING'), ['pong', '']);
      assert.deepEqual(c.run('PING', 'hi'), ['pong', 'hi']);
      // HELLO is refused in the RESP2 subscribed context, as in Redis.
      assert.match(errorOf(c.run('HELLO', '3')), /^ERR Can't execute 'hello'/);
      const d = h.client();
      d.run('HELLO', '3');
      d.session.channels.add('ch');
      assert.equal(d.run('PING'), 'PONG');
    });
  });

  describe('CLIENT', () => {
    it('ID, SETNAME and GETNAME', () => {
      const h = new Harness();
      const c = h.client();
      assert.equal(c.run('CLIENT', 'ID'), c.session.id);
      assert.equal(c.run('CLIENT', 'GETNAME'), null);
      assert.equal(c.run('CLIENT', 'SETNAME', 'app'), 'OK');
      assert.equal(c.run('CLIENT', 'GETNAME'), 'app');
      assert.equal(errorOf(c.run('CLIENT', 'SETNAME', 'a b')), 'ERR Client names cannot contain spaces, newlines or special characters.');
      assert.equal(errorOf(c.run('CLIENT', 'SETNAME', 'caf\xe9')), 'ERR Client names cannot contain spaces, newlines or special characters.');
      assert.equal(c.run('CLIENT', 'SETNAME', ''), 'OK');
      assert.equal(c.run('CLIENT', 'GETNAME'), null);
      assert.equal(errorOf(c.run('CLIENT', 'ID', 'x')), "ERR wrong number of arguments for 'client|id' command");
      assert.equal(errorOf(c.run('CLIENT', 'NOPE')), "ERR unknown subcommand 'NOPE'. Try CLIENT HELP.");
    });

    it('LIST and INFO in Redis 7.0 field order', () => {
      const h = new Harness();
      const a = h.client();
      const b = h.client();
      b.run('CLIENT', 'SETNAME', 'bee');
      b.run('SELECT', '2');
      h.advance(3000);
      const text = textOf(a.run('CLIENT', 'LIST'));
      const lines = text.split('\n');
      assert.equal(lines.length, 3);
      assert.equal(lines[2], '');
      const fields = lines[0]!.split(' ').map((f) => f.slice(0, f.indexOf('=')));
      assert.deepEqual(fields, [
        'id', 'addr', 'laddr', 'fd', 'name', 'age', 'idle', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'qbuf', 'qbuf-free',
        'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'events', 'cmd', 'user', 'redir', 'resp',
      ]);
      assert.match(lines[0]!, new RegExp(`^id=${a.session.id} addr=127\\.0\\.0\\.1:50000 laddr=127\\.0\\.0\\.1:6379 fd=8 name= age=3 idle=3 flags=N db=0 `));
      assert.match(lines[0]!, / multi=-1 .* argv-mem=10 .* cmd=client\|list user=default redir=-1 resp=2$/);
      assert.match(lines[1]!, new RegExp(`^id=${b.session.id} .* name=bee .* db=2 .* cmd=select `));
      const info = textOf(b.run('CLIENT', 'INFO'));
      assert.match(info, new RegExp(`^id=${b.session.id} .* cmd=client\\|info .*\\n$`));
      assert.equal(info.split('\n').length, 2);
    });

    it('LIST filters by TYPE and ID, with Redis errors', () => {
      const h = new Harness();
      const a = h.client();
      const b = h.client();
      b.session.channels.add('news');
      const ids = (v: RespValue | undefined): number[] =>
        textOf(v).split('\n').filter((l) => l).map((l) => Number(/^id=(\d+)/.exec(l)![1]));
      assert.deepEqual(ids(a.run('CLIENT', 'LIST', 'TYPE', 'pubsub')), [b.session.id]);
      assert.deepEqual(ids(a.run('CLIENT', 'LIST', 'TYPE', 'normal')), [a.session.id]);
      assert.deepEqual(ids(a.run('CLIENT', 'LIST', 'ID', String(b.session.id), '999')), [b.session.id]);
      assert.match(textOf(a.run('CLIENT', 'LIST', 'ID', String(b.session.id))), / flags=P .* sub=1 /);
      assert.equal(errorOf(a.run('CLIENT', 'LIST', 'TYPE', 'foo')), "ERR Unknown client type 'foo'");
      assert.equal(errorOf(a.run('CLIENT', 'LIST', 'ID', 'x')), 'ERR Invalid client ID');
      assert.equal(errorOf(a.run('CLIENT', 'LIST', 'TYPE')), 'ERR syntax error');
    });

    it('flags show MULTI and a dirty WATCH', () => {
      const h = new Harness();
      const a = h.client();
      const b = h.client();
      a.run('WATCH', 'k');
      b.run('SET', 'k', '1');
      a.run('MULTI');
      a.run('GET', 'k');
      assert.match(textOf(b.run('CLIENT', 'LIST', 'ID', String(a.session.id))), / flags=xd .* multi=1 .* multi-mem=\d+ /);
    });

    it('KILL in the old and new forms', () => {
      const h = new Harness();
      const a = h.client();
      const b = h.client();
      const c = h.client();
      assert.equal(errorOf(a.run('CLIENT', 'KILL', '1.2.3.4:5')), 'ERR No such client');
      assert.equal(a.run('CLIENT', 'KILL', 'ID', String(b.session.id)), 1);
      assert.equal(b.transport.closed, true);
      assert.equal(a.run('CLIENT', 'KILL', 'ID', '999'), 0);
      assert.equal(errorOf(a.run('CLIENT', 'KILL', 'ID', '0')), 'ERR client-id should be greater than 0');
      assert.equal(errorOf(a.run('CLIENT', 'KILL', 'USER', 'foo')), "ERR No such user 'foo'");
      assert.equal(errorOf(a.run('CLIENT', 'KILL', 'TYPE', 'pubsub', 'SKIPME', 'maybe')), 'ERR syntax error');
      assert.equal(errorOf(a.run('CLIENT', 'KILL', 'foo', 'bar')), 'ERR syntax error');
      // Every client shares the harness address: SKIPME yes (default) spares the caller.
      assert.equal(a.run('CLIENT', 'KILL', 'ADDR', '127.0.0.1:50000'), 2);
      assert.equal(c.transport.closed, true);
      assert.equal(a.session.closeAfterReply, false);
      // The old form may kill the caller, after its reply.
      assert.equal(a.run('CLIENT', 'KILL', '127.0.0.1:50000'), 'OK');
      assert.equal(a.session.closeAfterReply, true);
    });

    it('REPLY, NO-EVICT and their errors', () => {
      const h = new Harness();
      const c = h.client();
      assert.equal(c.run('CLIENT', 'REPLY', 'OFF'), undefined);
      assert.equal(c.session.replyMode, 'off');
      assert.equal(c.run('CLIENT', 'REPLY', 'ON'), 'OK');
      assert.equal(c.run('CLIENT', 'REPLY', 'SKIP'), undefined);
      assert.equal(c.session.replyMode, 'skip');
      c.session.replyMode = 'on';
      assert.equal(errorOf(c.run('CLIENT', 'REPLY', 'foo')), 'ERR syntax error');
      assert.equal(c.run('CLIENT', 'NO-EVICT', 'on'), 'OK');
      assert.equal(c.session.noEvict, true);
      assert.match(textOf(c.run('CLIENT', 'INFO')), / flags=e /);
      assert.equal(errorOf(c.run('CLIENT', 'NO-EVICT', 'x')), 'ERR syntax error');
    });

    it('PAUSE WRITE holds writes but not reads, until UNPAUSE or the timeout', () => {
      const h = new Harness();
      const a = h.client();
      const b = h.client();
      a.run('SET', 'k', 'v0');
      assert.equal(a.run('CLIENT', 'PAUSE', '1000', 'WRITE'), 'OK');
      assert.equal(b.run('GET', 'k'), 'v0');
      assert.equal(b.run('SET', 'k', 'v1'), undefined, 'a held command gets no reply yet');
      assert.deepEqual(b.session.parkedArgs, ['SET', 'k', 'v1']);
      assert.match(textOf(a.run('CLIENT', 'LIST', 'ID', String(b.session.id))), / flags=b /);
      // Commands queued by MULTI are not held; EXEC of a write transaction is.
      b.session.parkedArgs = null;
      b.run('MULTI');
      assert.equal(b.run('SET', 'k', 'v2'), 'QUEUED');
      assert.equal(b.run('EXEC'), undefined);
      assert.equal(a.run('CLIENT', 'UNPAUSE'), 'OK');
      assert.equal(h.node.dispatcher.pauseEndMs, 0);
      assert.equal(h.node.dispatcher.parkedCount, 0);
      b.session.parkedArgs = null;
      // A pause ends by itself when its time has passed.
      a.run('CLIENT', 'PAUSE', '500', 'WRITE');
      h.advance(499);
      const d = h.client();
      assert.equal(d.run('SET', 'x', '1'), undefined);
      h.advance(1);
      const e = h.client();
      assert.equal(e.run('SET', 'y', '1'), 'OK');
    });

    it('PAUSE ALL holds reads too; a shorter pause does not shorten it', () => {
      const h = new Harness();
      const a = h.client();
      const b = h.client();
      a.run('CLIENT', 'PAUSE', '1000');
      a.run('CLIENT', 'PAUSE', '10', 'WRITE');
      assert.equal(h.node.dispatcher.pauseAll, true);
      assert.equal(h.node.dispatcher.pauseEndMs, h.node.keyspace.nowMs + 1000);
      assert.equal(b.run('GET', 'k'), undefined);
      h.node.dispatcher.unpause();
    });

    it('PAUSE errors', () => {
      const h = new Harness();
      const c = h.client();
      assert.equal(errorOf(c.run('CLIENT', 'PAUSE', 'x')), 'ERR timeout is not an integer or out of range');
      assert.equal(errorOf(c.run('CLIENT', 'PAUSE', '-1')), 'ERR timeout is negative');
      assert.equal(errorOf(c.run('CLIENT', 'PAUSE', '10', 'foo')), 'ERR CLIENT PAUSE mode must be WRITE or ALL');
      assert.equal(errorOf(c.run('CLIENT', 'PAUSE', '10', 'write', 'x')), "ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.");
      assert.equal(c.run('CLIENT', 'PAUSE', '0'), 'OK');
      assert.equal(h.node.dispatcher.pauseEndMs, 0);
    });

    it('UNBLOCK of a client that is not blocked, and its errors', () => {
      const h = new Harness();
      const a = h.client();
      const b = h.client();
      assert.equal(a.run('CLIENT', 'UNBLOCK', String(b.session.id)), 0);
      assert.equal(a.run('CLIENT', 'UNBLOCK', '9999', 'ERROR'), 0);
      assert.equal(errorOf(a.run('CLIENT', 'UNBLOCK', '5', 'x')), 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
      assert.equal(errorOf(a.run('CLIENT', 'UNBLOCK', 'x')), 'ERR value is not an integer or out of range');
    });

    it('UNBLOCK ends a blocked BLPOP as a timeout or with an error', () => {
      const h = new Harness();
      const a = h.client();
      const b = h.client();
      assert.equal(b.run('BLPOP', 'list', '0'), undefined);
      assert.match(textOf(a.run('CLIENT', 'LIST', 'ID', String(b.session.id))), / flags=b .* cmd=blpop /);
      assert.match(textOf(a.run('INFO', 'clients')), /\r\nblocked_clients:1\r\n/);
      assert.equal(a.run('CLIENT', 'UNBLOCK', String(b.session.id)), 1);
      assert.deepEqual(b.pending(), [null]);
      assert.equal(a.run('CLIENT', 'UNBLOCK', String(b.session.id)), 0);
      b.run('BLPOP', 'list', '0');
      assert.equal(a.run('CLIENT', 'UNBLOCK', String(b.session.id), 'ERROR'), 1);
      const [err] = b.pending();
      assert.equal(errorOf(err), 'UNBLOCKED client unblocked via CLIENT UNBLOCK');
    });

    it('GETREDIR, TRACKINGINFO and HELP', () => {
      const h = new Harness();
      const c = h.client();
      assert.equal(c.run('CLIENT', 'GETREDIR'), -1);
      const t = mapOf(c.run('CLIENT', 'TRACKINGINFO'));
      assert.deepEqual(t.get('flags'), ['off']);
      assert.equal(t.get('redirect'), -1);
      const help = c.run('CLIENT', 'HELP');
      assert.ok(Array.isArray(help));
      assert.equal(help[0], 'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
      assert.equal(help[help.length - 1], '    Prints this help.');
    });
  });
});
