import assert from 'node:assert/strict';
import { Harness } from '../support/harness.js';
import { RespError } from '../../src/resp/decoder.js';
import { Config } from '../../src/config/config.js';
import { FatalConfigError, applyConfigText, argvToOptions, splitArgs } from '../../src/config/args.js';
import { rewriteConfigText } from '../../src/config/rewrite.js';

function errorOf(v: unknown): string {
  assert.ok(v instanceof RespError, `expected an error, got ${JSON.stringify(v)}`);
  return v.message;
}

function pairsOf(v: unknown): Map<string, string> {
  assert.ok(Array.isArray(v));
  const m = new Map<string, string>();
  for (let i = 0; i < v.length; i += 2) m.set(String(v[i]), String(v[i + 1]));
  return m;
}

describe('CONFIG GET/SET', () => {
  it('GET takes several names and patterns, case-insensitively, with aliases', () => {
    const c = new Harness().client();
    const got = pairsOf(c.run('CONFIG', 'GET', 'maxmemory*', 'port', 'PORT', 'nonexistent'));
    assert.deepEqual([...got.keys()].sort(), ['maxmemory', 'maxmemory-clients', 'maxmemory-eviction-tenacity', 'maxmemory-policy', 'maxmemory-samples', 'port']);
    assert.equal(got.get('maxmemory-policy'), 'noeviction');
    assert.deepEqual(c.run('CONFIG', 'GET', 'PORT'), ['PORT', '6379']);
    const slave = pairsOf(c.run('CONFIG', 'GET', 'slave-read*'));
    assert.equal(slave.get('slave-read-only'), 'yes');
    // Hidden directives need their exact name.
    assert.equal(pairsOf(c.run('CONFIG', 'GET', 'watchdog*')).size, 0);
    assert.deepEqual(c.run('CONFIG', 'GET', 'watchdog-period'), ['watchdog-period', '0']);
    assert.equal(errorOf(c.run('CONFIG', 'GET')), "ERR wrong number of arguments for 'config|get' command");
  });

  it('GET * lists every directive redis-server 7.0 lists, plus ours', () => {
    const c = new Harness().client();
    const all = pairsOf(c.run('CONFIG', 'GET', '*'));
    for (const name of ['save', 'appendonly', 'client-output-buffer-limit', 'cluster-announce-bus-port', 'replicaof', 'slaveof', 'hash-max-ziplist-entries', 'lua-time-limit', 'tls-port', 'availability-zone', 'cluster-sync-replication']) {
      assert.ok(all.has(name), name);
    }
    assert.equal(all.get('save'), '3600 1 300 100 60 10000');
    assert.equal(all.get('client-output-buffer-limit'), 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
    assert.equal(all.get('cluster-sync-replication-timeout'), '1000');
  });

  it('SET parses memory units, booleans and enums as Redis does', () => {
    const c = new Harness().client();
    const cases: [string, string, string][] = [
      ['maxmemory', '1k', '1000'],
      ['maxmemory', '1kb', '1024'],
      ['maxmemory', '1GB', '1073741824'],
      ['maxmemory', '007', '7'],
      ['maxmemory', '', '0'],
      ['maxmemory-clients', '10%', '10%'],
      ['protected-mode', 'YES', 'yes'],
      ['maxmemory-policy', 'ALLKEYS-LRU', 'allkeys-lru'],
      ['list-max-listpack-size', '-5', '-5'],
      ['save', '3600 1 300 100', '3600 1 300 100'],
      ['save', '', ''],
      ['client-output-buffer-limit', 'normal 1k 2mb 3 pubsub 1 2 3', 'normal 1000 2097152 3 slave 268435456 67108864 60 pubsub 1 2 3'],
      ['shutdown-on-sigint', 'now save', 'save now'],
      ['latency-tracking-info-percentiles', '50.5 99 1e2', '50.5 99 100'],
    ];
    for (const [name, value, shown] of cases) {
      assert.equal(c.run('CONFIG', 'SET', name, value), 'OK', `${name} ${value}`);
      assert.deepEqual(c.run('CONFIG', 'GET', name), [name, shown]);
    }
  });

  it('SET refuses bad values with Redis 7.0.15 words', () => {
    const c = new Harness().client();
    const pre = (n: string): string => `ERR CONFIG SET failed (possibly related to argument '${n}') - `;
    const cases: [string[], string][] = [
      [['daemonize', 'yes'], pre('daemonize') + "can't set immutable config"],
      [['DAEMONIZE', 'yes'], pre('DAEMONIZE') + "can't set immutable config"],
      [['port', 'abc'], pre('port') + "argument couldn't be parsed into an integer"],
      [['port', '70000'], pre('port') + 'argument must be between 0 and 65535 inclusive'],
      [['timeout', '01'], pre('timeout') + "argument couldn't be parsed into an integer"],
      [['maxmemory', '1.5k'], pre('maxmemory') + 'argument must be a memory value'],
      [['maxmemory', '-1'], pre('maxmemory') + 'argument must be a memory value'],
      [['maxmemory-clients', '200%'], pre('maxmemory-clients') + 'percentage argument must be less or equal to 100'],
      [['maxmemory-clients', 'x'], pre('maxmemory-clients') + 'argument must be a memory or percent value'],
      [['appendonly', 'maybe'], pre('appendonly') + "argument must be 'yes' or 'no'"],
      [['slave-read-only', 'x'], pre('slave-read-only') + "argument must be 'yes' or 'no'"],
      [['loglevel', 'nothing'], pre('loglevel') + 'argument(s) must be one of the following: debug, verbose, notice, warning'],
      [['save', '3600 1 300'], pre('save') + 'Invalid save parameters'],
      [['dir', '/tmp'], pre('dir') + "can't set protected config"],
      [['client-output-buffer-limit', 'foo 1 2 3'], pre('client-output-buffer-limit') + 'Invalid client class specified in buffer limit configuration.'],
      [['oom-score-adj-values', '1 2 3000'], pre('oom-score-adj-values') + 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.'],
      [['tcp-keepalive', '-1'], pre('tcp-keepalive') + 'argument must be between 0 and 2147483647 inclusive'],
      [['hz', '5', 'HZ', '6'], pre('HZ') + 'duplicate parameter'],
      [['nonexist', '1'], "ERR Unknown option or number of arguments for CONFIG SET - 'nonexist'"],
      [['port', '1', 'hz'], 'ERR syntax error'],
    ];
    for (const [args, msg] of cases) assert.equal(errorOf(c.run('CONFIG', 'SET', ...args)), msg, args.join(' '));
  });

  it('SET of several pairs is all or nothing', () => {
    const c = new Harness().client();
    const e = errorOf(c.run('CONFIG', 'SET', 'hz', '20', 'maxmemory', 'bad'));
    assert.equal(e, "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value");
    assert.deepEqual(c.run('CONFIG', 'GET', 'hz'), ['hz', '10']);
    assert.equal(c.run('CONFIG', 'SET', 'hz', '20', 'maxmemory', '2mb'), 'OK');
    assert.deepEqual(pairsOf(c.run('CONFIG', 'GET', 'hz', 'maxmemory')), new Map([['hz', '20'], ['maxmemory', '2097152']]));
    assert.equal(c.session.node.config.maxmemoryBytes(), 2097152);
  });

  it('tells listeners what changed', () => {
    const h = new Harness();
    const seen: string[] = [];
    h.config.onChange((n, v) => seen.push(`${n}=${v}`));
    const c = h.client();
    c.run('CONFIG', 'SET', 'loglevel', 'WARNING', 'hz', '10');
    assert.deepEqual(seen, ['loglevel=warning']);
  });

  it('RESETSTAT zeroes server and keyspace statistics; REWRITE needs a config file', () => {
    const h = new Harness();
    const c = h.client();
    c.run('GET', 'missing');
    h.node.keyspace.stats.keyspaceMisses = 3;
    assert.ok(h.node.stats.totalCommandsProcessed > 0);
    assert.equal(c.run('CONFIG', 'RESETSTAT'), 'OK');
    assert.equal(h.node.keyspace.stats.keyspaceMisses, 0);
    assert.equal(h.node.stats.commandStat('get').calls, 0);
    assert.equal(errorOf(c.run('CONFIG', 'REWRITE')), 'ERR The server is running without a config file');
    assert.equal(errorOf(c.run('CONFIG', 'NOPE')), "ERR unknown subcommand 'NOPE'. Try CONFIG HELP.");
    const help = c.run('CONFIG', 'HELP');
    assert.ok(Array.isArray(help) && help[0] === 'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  });
});

describe('config file parsing', () => {
  it('splits arguments like sdssplitargs', () => {
    assert.deepEqual(splitArgs('save "" '), ['save', '']);
    assert.deepEqual(splitArgs(`a "b c" 'd\\'e' "\\x41\\n"`), ['a', 'b c', "d'e", 'A\n']);
    assert.equal(splitArgs('save "unbalanced'), null);
    assert.equal(splitArgs('a "b"c'), null);
  });

  it('builds option lines from argv the way redis-server main() does', () => {
    assert.equal(argvToOptions(['--port', 'abc']), 'port "abc" ');
    assert.equal(argvToOptions(['--save', '--port', 'x']), 'save ""\nport "x" ');
    assert.equal(argvToOptions(['--port', '--daemonize', 'no']), 'port "--daemonize" "no" ');
  });

  it('reports the line, the text and the reason', () => {
    const config = new Config();
    assert.throws(
      () => applyConfigText('# c\nport 7000\n\n  maxmemory   "1x"  \n', config),
      (e: unknown) =>
        e instanceof FatalConfigError &&
        e.render() === "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 4\n>>> 'maxmemory   \"1x\"'\nargument must be a memory value\n",
    );
    assert.throws(() => applyConfigText('port 1 2', new Config()), /wrong number of arguments/);
    assert.throws(() => applyConfigText('nonexist 1', new Config()), /Bad directive or wrong number of arguments/);
    assert.throws(() => applyConfigText('replicaof localhost abc', new Config()), /Invalid master port/);
  });

  it('accepts aliases, deprecated directives and stores what it does not run', () => {
    const config = new Config();
    config.beginFileLoad();
    applyConfigText('slaveof 10.0.0.1 6380\nlist-max-ziplist-entries 5\nsave 900 1\nsave 300 10\nrename-command FLUSHALL ""\nappendonly yes\n', config);
    config.endFileLoad();
    assert.equal(config.get('replicaof'), '10.0.0.1 6380');
    assert.equal(config.get('save'), '900 1 300 10');
    assert.equal(config.get('appendonly'), 'yes');
    assert.ok(config.explicit.has('appendonly'));
    assert.deepEqual(config.storedLines, [['rename-command', 'FLUSHALL', '']]);
  });

  it('CONFIG REWRITE keeps comments, replaces lines in place and appends what differs', () => {
    const config = new Config();
    applyConfigText('port 7000\nmaxmemory 1mb\n', config);
    config.set('maxmemory', '2gb');
    config.set('appendonly', 'yes');
    config.set('save', '');
    const text = rewriteConfigText('# my conf\nport 7000\nmaxmemory 1mb\nbogus-directive 1\nsave 900 1\nsave 60 100\n', config);
    assert.equal(
      text,
      '# my conf\nport 7000\nmaxmemory 2gb\n# ??? bogus-directive 1\nsave ""\n# Generated by CONFIG REWRITE\ndir ""\nappendonly yes\n',
    );
    // The rewritten text loads back to the same values.
    const again = new Config();
    applyConfigText(text.replace('dir ""\n', ''), again);
    for (const n of ['port', 'maxmemory', 'appendonly', 'save']) assert.equal(again.get(n), config.get(n), n);
  });
});
