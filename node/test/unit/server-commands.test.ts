import assert from 'node:assert/strict';
import { Harness } from '../support/harness.js';
import { RespError, RespMap, RespVerbatim, type RespValue } from '../../src/resp/decoder.js';
import { bytesToHuman } from '../../src/services/info.js';
import { monitorLine, quoteRepr } from '../../src/services/monitor.js';

function errorOf(v: unknown): string {
  assert.ok(v instanceof RespError, `expected an error, got ${JSON.stringify(v)}`);
  return v.message;
}

function textOf(v: RespValue | undefined): string {
  if (v instanceof RespVerbatim) return v.text;
  assert.equal(typeof v, 'string');
  return v as string;
}

function pinned(opts: ConstructorParameters<typeof Harness>[0] = {}): Harness {
  const h = new Harness(opts);
  h.node.processFacts = {
    osName: 'Linux 6.1.0 x86_64',
    archBits: 64,
    rssBytes: () => 4 * 1024 * 1024,
    cpuSeconds: () => ({ user: 1.5, sys: 0.25 }),
    totalSystemMemoryBytes: () => 8 * 1024 * 1024 * 1024,
    heapBytes: () => ({ used: 2 * 1024 * 1024, total: 3 * 1024 * 1024 }),
  };
  return h;
}

/** INFO text to { section: { field: value } }. */
function parseInfo(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let cur: Map<string, string> | null = null;
  for (const line of text.split('\r\n')) {
    if (line.startsWith('# ')) {
      cur = new Map();
      out.set(line.slice(2), cur);
    } else if (line && cur) {
      const i = line.indexOf(':');
      cur.set(line.slice(0, i), line.slice(i + 1));
    }
  }
  return out;
}

describe('server commands', () => {
  describe('INFO', () => {
    it('has the default sections in Redis order, CRLF lines and a blank line between sections', () => {
      const h = pinned();
      const text = textOf(h.client().run('INFO'));
      assert.deepEqual([...parseInfo(text).keys()], ['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Errorstats', 'Cluster', 'Keyspace']);
      assert.ok(text.startsWith('# Server\r\nredis_version:7.0.15\r\n'));
      assert.ok(text.includes('\r\n\r\n# Clients\r\n'));
      assert.ok(text.endsWith('\r\n'));
      assert.equal(text.includes('\n\n'), false);
    });

    it('selects sections case-insensitively; all/everything add commandstats; unknown gives nothing', () => {
      const h = pinned();
      const c = h.client();
      assert.deepEqual([...parseInfo(textOf(c.run('INFO', 'CPU', 'server'))).keys()], ['Server', 'CPU']);
      const all = [...parseInfo(textOf(c.run('INFO', 'all'))).keys()];
      assert.ok(all.includes('Commandstats') && all.includes('Latencystats'));
      assert.deepEqual([...parseInfo(textOf(c.run('INFO', 'everything'))).keys()], all);
      assert.equal(textOf(c.run('INFO', 'foo')), '');
    });

    it('server, clients, memory, persistence, replication, cpu and cluster fields', () => {
      const h = pinned({ config: { 'availability-zone': 'zone-b', maxmemory: '1048576' } });
      const c = h.client();
      h.client();
      h.advance(90_061_000);
      const info = parseInfo(textOf(c.run('INFO', 'everything')));
      const server = info.get('Server')!;
      assert.equal(server.get('redis_version'), '7.0.15');
      assert.equal(server.get('redis_mode'), 'standalone');
      assert.equal(server.get('os'), 'Linux 6.1.0 x86_64');
      assert.equal(server.get('process_id'), '1');
      assert.equal(server.get('run_id'), '0'.repeat(40));
      assert.equal(server.get('tcp_port'), '6379');
      assert.equal(server.get('uptime_in_seconds'), '90061');
      assert.equal(server.get('uptime_in_days'), '1');
      assert.equal(server.get('hz'), '10');
      assert.equal(server.get('availability_zone'), 'zone-b');
      assert.ok(server.has('tessera_version'));
      assert.equal(info.get('Clients')!.get('connected_clients'), '2');
      assert.equal(info.get('Clients')!.get('maxclients'), '10000');
      const mem = info.get('Memory')!;
      assert.equal(mem.get('used_memory'), String(h.node.usedMemory()));
      assert.equal(mem.get('used_memory_rss'), String(4 * 1024 * 1024));
      assert.equal(mem.get('used_memory_rss_human'), '4.00M');
      assert.equal(mem.get('maxmemory'), '1048576');
      assert.equal(mem.get('maxmemory_human'), '1.00M');
      assert.equal(mem.get('maxmemory_policy'), 'noeviction');
      assert.equal(mem.get('allocator_frag_ratio'), '1.50');
      assert.equal(mem.get('allocator_rss_bytes'), String(1024 * 1024));
      const p = info.get('Persistence')!;
      assert.equal(p.get('loading'), '0');
      assert.equal(p.get('aof_enabled'), '0');
      assert.equal(p.get('rdb_bgsave_in_progress'), '0');
      assert.equal(info.get('Replication')!.get('role'), 'master');
      assert.equal(info.get('Replication')!.get('connected_slaves'), '0');
      assert.equal(info.get('CPU')!.get('used_cpu_user'), '1.500000');
      assert.equal(info.get('CPU')!.get('used_cpu_sys'), '0.250000');
      assert.equal(info.get('Cluster')!.get('cluster_enabled'), '0');
      h.node.clusterEnabled = true;
      assert.equal(parseInfo(textOf(c.run('INFO', 'cluster'))).get('Cluster')!.get('cluster_enabled'), '1');
    });

    it('stats, commandstats, errorstats and keyspace count what happened', () => {
      const h = pinned();
      const c = h.client();
      c.run('SET', 'a', '1');
      c.run('SET', 'b', '2', 'PX', '10000');
      c.run('GET', 'a');
      c.run('GET', 'nope');
      c.run('GET');
      c.run('NOSUCH');
      c.run('SELECT', '3');
      c.run('SET', 'c', '3');
      const info = parseInfo(textOf(c.run('INFO', 'stats', 'commandstats', 'errorstats', 'keyspace')));
      const stats = info.get('Stats')!;
      assert.equal(stats.get('keyspace_hits'), '1');
      assert.equal(stats.get('keyspace_misses'), '1');
      assert.equal(stats.get('total_error_replies'), '2');
      assert.equal(stats.get('total_commands_processed'), '6');
      const cs = info.get('Commandstats')!;
      assert.match(cs.get('cmdstat_get')!, /^calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0$/);
      assert.match(cs.get('cmdstat_set')!, /^calls=3,/);
      assert.equal(cs.has('cmdstat_del'), false, 'commands never called are left out');
      assert.equal(info.get('Errorstats')!.get('errorstat_ERR'), 'count=2');
      const ks = info.get('Keyspace')!;
      assert.equal(ks.get('db0'), 'keys=2,expires=1,avg_ttl=10000');
      assert.equal(ks.get('db3'), 'keys=1,expires=0,avg_ttl=0');
      assert.equal(ks.has('db1'), false);
    });

    it('is a verbatim string in RESP3', () => {
      const h = pinned();
      const c = h.client();
      c.run('HELLO', '3');
      const r = c.run('INFO', 'server');
      assert.ok(r instanceof RespVerbatim);
      assert.equal(r.format, 'txt');
    });

    it('formats sizes as Redis bytesToHuman does', () => {
      assert.equal(bytesToHuman(0), '0B');
      assert.equal(bytesToHuman(1023), '1023B');
      assert.equal(bytesToHuman(1024), '1.00K');
      assert.equal(bytesToHuman(1387200), '1.32M');
      assert.equal(bytesToHuman(25325268992), '23.59G');
    });
  });

  describe('COMMAND', () => {
    it('COUNT matches the table and INFO has the Redis 7.0 shape', () => {
      const h = new Harness();
      const c = h.client();
      const count = c.run('COMMAND', 'COUNT');
      assert.equal(count, h.node.registry.count);
      const all = c.run('COMMAND');
      assert.ok(Array.isArray(all));
      assert.equal(all.length, count);
      assert.deepEqual(c.run('COMMAND', 'INFO', 'get'), [['get', 2, ['readonly', 'fast'], 1, 1, 1, ['@read', '@string', '@fast'], [], [], []]]);
      assert.deepEqual(c.run('COMMAND', 'INFO', 'nosuch'), [null]);
      assert.deepEqual(c.run('COMMAND', 'INFO', 'watch'), [['watch', -2, ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], 1, -1, 1, ['@fast', '@transaction'], [], [], []]]);
    });

    it('lists a container with its subcommands and categories', () => {
      const h = new Harness();
      const c = h.client();
      const r = c.run('COMMAND', 'INFO', 'client', 'info', 'lastsave') as RespValue[][];
      const client = r[0]!;
      assert.deepEqual(client.slice(0, 8), ['client', -2, [], 0, 0, 0, ['@slow'], []]);
      const kill = (client[9] as RespValue[][]).find((s) => s[0] === 'client|kill')!;
      assert.deepEqual(kill.slice(0, 7), ['client|kill', -3, ['admin', 'noscript', 'loading', 'stale'], 0, 0, 0, ['@admin', '@slow', '@dangerous', '@connection']]);
      assert.deepEqual(r[1]!.slice(0, 8), ['info', -1, ['loading', 'stale'], 0, 0, 0, ['@slow', '@dangerous'], ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special']]);
      assert.deepEqual(r[2]!.slice(0, 7), ['lastsave', 1, ['loading', 'stale', 'fast'], 0, 0, 0, ['@admin', '@fast', '@dangerous']]);
      // RESP3 uses sets for flags and categories.
      c.run('HELLO', '3');
      const r3 = c.run('COMMAND', 'INFO', 'get') as RespValue[][];
      assert.equal(r3[0]![2]!.constructor.name, 'RespSet');
    });

    it('DOCS gives a map per command, subcommands nested', () => {
      const h = new Harness();
      const c = h.client();
      c.run('HELLO', '3');
      const r = c.run('COMMAND', 'DOCS', 'echo', 'nosuch', 'slowlog');
      assert.ok(r instanceof RespMap);
      assert.deepEqual(r.entries.map(([k]) => k), ['echo', 'slowlog']);
      const echo = r.entries[0]![1] as RespMap;
      assert.deepEqual(echo.entries.slice(0, 3), [['summary', 'Echo the given string'], ['since', '1.0.0'], ['group', 'connection']]);
      const slowlog = r.entries[1]![1] as RespMap;
      const subs = slowlog.entries.find(([k]) => k === 'subcommands')![1] as RespMap;
      assert.ok(subs.entries.some(([k]) => k === 'slowlog|get'));
    });

    it('GETKEYS finds keys and errors as Redis does', () => {
      const h = new Harness();
      const c = h.client();
      assert.deepEqual(c.run('COMMAND', 'GETKEYS', 'set', 'a', 'b'), ['a']);
      assert.deepEqual(c.run('COMMAND', 'GETKEYS', 'WATCH', 'x', 'y', 'z'), ['x', 'y', 'z']);
      assert.equal(errorOf(c.run('COMMAND', 'GETKEYS', 'nosuch', 'a')), 'ERR Invalid command specified');
      assert.equal(errorOf(c.run('COMMAND', 'GETKEYS', 'get', 'a', 'b')), 'ERR Invalid number of arguments specified for command');
      assert.equal(errorOf(c.run('COMMAND', 'GETKEYS', 'ping', 'x')), 'ERR The command has no key arguments');
      assert.equal(errorOf(c.run('COMMAND', 'GETKEYS', 'get')), "ERR wrong number of arguments for 'command|getkeys' command");
    });

    it('LIST with and without filters', () => {
      const h = new Harness();
      const c = h.client();
      const all = c.run('COMMAND', 'LIST') as string[];
      assert.ok(all.includes('get') && all.includes('client|kill') && all.includes('command'));
      assert.deepEqual((c.run('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'slowlog*') as string[]).sort(), ['slowlog', 'slowlog|get', 'slowlog|help', 'slowlog|len', 'slowlog|reset']);
      const tx = c.run('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'transaction') as string[];
      assert.deepEqual(tx.sort(), ['discard', 'exec', 'multi', 'unwatch', 'watch']);
      assert.deepEqual(c.run('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuch'), []);
      assert.deepEqual(c.run('COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'x'), []);
      assert.equal(errorOf(c.run('COMMAND', 'LIST', 'FILTERBY', 'foo', 'x')), 'ERR syntax error');
      assert.equal(errorOf(c.run('COMMAND', 'LIST', 'x')), 'ERR syntax error');
    });
  });

  describe('TIME, LASTSAVE, WAIT, SAVE, BGSAVE, SHUTDOWN', () => {
    it('TIME and LASTSAVE read the node clock', () => {
      const h = new Harness({ nowMs: 1_700_000_000_123 });
      const c = h.client();
      assert.deepEqual(c.run('TIME'), ['1700000000', '123000']);
      assert.equal(c.run('LASTSAVE'), 1_700_000_000);
    });

    it('WAIT answers 0 at once with no replicas', () => {
      const h = new Harness();
      const c = h.client();
      assert.equal(c.run('WAIT', '1', '100'), 0);
      assert.equal(errorOf(c.run('WAIT', 'x', '0')), 'ERR value is not an integer or out of range');
      assert.equal(errorOf(c.run('WAIT', '0', '-1')), 'ERR timeout is negative');
    });

    it('SAVE and BGSAVE refuse: there is no persistence', () => {
      const h = new Harness();
      const c = h.client();
      assert.match(errorOf(c.run('SAVE')), /^ERR Persistence is not available/);
      assert.match(errorOf(c.run('BGSAVE')), /^ERR Persistence is not available/);
      assert.equal(errorOf(c.run('BGSAVE', 'x')), 'ERR syntax error');
    });

    it('SHUTDOWN asks the host, and refuses what it cannot honour', () => {
      const h = new Harness();
      const c = h.client();
      assert.equal(errorOf(c.run('SHUTDOWN', 'foo')), 'ERR syntax error');
      assert.equal(errorOf(c.run('SHUTDOWN', 'SAVE', 'NOSAVE')), 'ERR syntax error');
      assert.equal(errorOf(c.run('SHUTDOWN', 'ABORT')), 'ERR No shutdown in progress.');
      assert.equal(errorOf(c.run('SHUTDOWN', 'SAVE')), 'ERR Errors trying to SHUTDOWN. Check logs.');
      assert.equal(h.shutdownRequested, false);
      assert.equal(c.run('SHUTDOWN', 'NOSAVE'), undefined);
      assert.equal(h.shutdownRequested, true);
      assert.equal(c.session.closeAfterReply, true);
    });
  });

  describe('SLOWLOG', () => {
    it('records commands over the threshold, newest first, with trimmed arguments', () => {
      const h = new Harness({ config: { 'slowlog-log-slower-than': '0', 'slowlog-max-len': '3' } });
      const c = h.client();
      c.run('CLIENT', 'SETNAME', 'slowpoke');
      c.run('SET', 'k', 'x'.repeat(200));
      const many = Array.from({ length: 40 }, (_, i) => `k${i}`);
      c.run('WATCH', ...many);
      const r = c.run('SLOWLOG', 'GET') as RespValue[][];
      assert.equal(r.length, 3);
      const [watch, set] = r;
      assert.equal(watch![0], 2);
      assert.equal(typeof watch![1], 'number');
      assert.equal(typeof watch![2], 'number');
      const wargs = watch![3] as string[];
      assert.equal(wargs.length, 32);
      assert.equal(wargs[31], '... (10 more arguments)');
      assert.equal(watch![4], '127.0.0.1:50000');
      assert.equal(watch![5], 'slowpoke');
      assert.deepEqual(set![3], ['SET', 'k', 'x'.repeat(128) + '... (72 more bytes)']);
      assert.equal((c.run('SLOWLOG', 'GET', '1') as unknown[]).length, 1);
      assert.equal((c.run('SLOWLOG', 'GET', '-1') as unknown[]).length, 3);
      assert.equal(c.run('SLOWLOG', 'LEN'), 3);
      assert.equal(c.run('SLOWLOG', 'RESET'), 'OK');
      // RESET itself is then logged.
      assert.equal(c.run('SLOWLOG', 'LEN'), 1);
    });

    it('logs nothing with the default threshold or when disabled, and errors as Redis', () => {
      const h = new Harness();
      const c = h.client();
      c.run('SET', 'a', 'b');
      assert.equal(c.run('SLOWLOG', 'LEN'), 0);
      h.config.set('slowlog-log-slower-than', '-1');
      c.run('SET', 'a', 'b');
      assert.deepEqual(c.run('SLOWLOG', 'GET'), []);
      assert.equal(errorOf(c.run('SLOWLOG', 'GET', '-2')), 'ERR count should be greater than or equal to -1');
      assert.equal(errorOf(c.run('SLOWLOG', 'GET', 'x')), 'ERR count should be greater than or equal to -1');
      assert.equal(errorOf(c.run('SLOWLOG', 'foo')), "ERR unknown subcommand 'foo'. Try SLOWLOG HELP.");
      const help = c.run('SLOWLOG', 'HELP') as string[];
      assert.equal(help[0], 'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
      assert.equal(help[1], 'GET [<count>]');
    });
  });

  describe('LATENCY and DEBUG', () => {
    it('LATENCY replies in Redis shapes with nothing recorded', () => {
      const h = new Harness();
      const c = h.client();
      assert.deepEqual(c.run('LATENCY', 'LATEST'), []);
      assert.deepEqual(c.run('LATENCY', 'HISTORY', 'command'), []);
      assert.equal(c.run('LATENCY', 'RESET'), 0);
      assert.equal(errorOf(c.run('LATENCY', 'GRAPH', 'command')), "ERR No samples available for event 'command'");
      assert.match(textOf(c.run('LATENCY', 'DOCTOR')), /^I'm sorry, Dave, I can't do that\. .*\n$/);
      assert.equal(errorOf(c.run('LATENCY', 'HISTORY')), "ERR wrong number of arguments for 'latency|history' command");
    });

    it('DEBUG is refused unless enable-debug-command allows it', () => {
      const h = new Harness();
      assert.match(errorOf(h.client().run('DEBUG', 'SLEEP', '0')), /^ERR DEBUG command not allowed\. If the enable-debug-command option is set to "local"/);
      const local = new Harness({ config: { 'enable-debug-command': 'local' } });
      assert.equal(local.client().run('DEBUG', 'SLEEP', '0'), 'OK');
    });

    it('DEBUG SLEEP, SET-ACTIVE-EXPIRE and unknown subcommands', () => {
      const h = new Harness({ config: { 'enable-debug-command': 'yes' } });
      const c = h.client();
      assert.equal(c.run('DEBUG', 'SET-ACTIVE-EXPIRE', '0'), 'OK');
      assert.equal(h.node.activeExpireEnabled, false);
      assert.equal(c.run('DEBUG', 'SET-ACTIVE-EXPIRE', '1'), 'OK');
      assert.equal(h.node.activeExpireEnabled, true);
      const t0 = performance.now();
      assert.equal(c.run('DEBUG', 'SLEEP', '0.05'), 'OK');
      assert.ok(performance.now() - t0 >= 45);
      assert.equal(errorOf(c.run('DEBUG', 'foo')), "ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP.");
    });
  });

  describe('MONITOR', () => {
    it('streams executed commands in redis-server\'s format, without admin commands or passwords', () => {
      const h = new Harness({ nowMs: 1_700_000_000_250 });
      const m = h.client();
      const c = h.client();
      assert.equal(m.run('MONITOR'), 'OK');
      m.pending();
      c.run('SET', 'a b', 'x"y\n\x01');
      c.run('AUTH', 'default', 'secret');
      c.run('CLIENT', 'LIST');
      c.run('SELECT', '2');
      assert.deepEqual(m.pending(), [
        '1700000000.250000 [0 127.0.0.1:50000] "SET" "a b" "x\\"y\\n\\x01"',
        '1700000000.250000 [0 127.0.0.1:50000] "AUTH" "(redacted)" "(redacted)"',
        '1700000000.250000 [2 127.0.0.1:50000] "SELECT" "2"',
      ]);
      assert.match(textOf(c.run('CLIENT', 'LIST', 'ID', String(m.session.id))), / flags=O /);
      assert.equal(m.run('RESET'), 'RESET');
      m.pending();
      c.run('PING');
      assert.deepEqual(m.pending(), []);
    });

    it('quotes like sdscatrepr and refuses inside EXEC', () => {
      assert.equal(quoteRepr('a\\b\t\r\x07\x08\xff'), '"a\\\\b\\t\\r\\a\\b\\xff"');
      assert.equal(monitorLine(1_000_001, 3, 'h:1', ['GET', 'k']), '1000.001000 [3 h:1] "GET" "k"');
      const h = new Harness();
      const c = h.client();
      c.run('MULTI');
      c.run('MONITOR');
      const r = c.run('EXEC') as unknown[];
      assert.equal(errorOf(r[0]), "MONITOR isn't allowed for DENY BLOCKING client");
    });
  });
});

describe('INFO rates', () => {
  it('instantaneous_ops_per_sec follows recent traffic and drops to 0 when idle', async () => {
    const { RateMeter } = await import('../../src/services/info.js');
    const m = new RateMeter();
    // 1000 ops per second for 3 s, sampled every 100 ms.
    for (let t = 0; t <= 3000; t += 100) m.sample(t, t, t * 10, t * 2);
    assert.equal(m.rates(3000, 3000, 30000, 6000).opsPerSec, 1000);
    assert.equal(m.rates(3000, 3000, 30000, 6000).inKbps.toFixed(2), (10000 / 1024).toFixed(2));
    // Then silence: nothing new was counted in the last window.
    assert.equal(m.rates(9000, 3000, 30000, 6000).opsPerSec, 0);
    assert.equal(new RateMeter().rates(5, 0, 0, 0).opsPerSec, 0);
  });
});

describe('latency tracking', () => {
  it('histogram buckets keep HDR resolution and report highest equivalent values', async () => {
    const { LatencyHistogram, bucketOf, bucketHighest } = await import('../../src/services/latency-tracking.js');
    for (const ns of [1, 127, 128, 255, 256, 5000, 8192, 32768, 131072, 4_294_967_296, 99_000_000_000]) {
      const b = bucketOf(ns);
      assert.ok(bucketHighest(b) >= ns, `${ns} within its bucket`);
      assert.ok(bucketHighest(b) - ns < ns / 100 + 1, `${ns} under 1% error`);
      if (b > 0) assert.ok(bucketHighest(b - 1) < ns, `${ns} not in the previous bucket`);
    }
    const h = new LatencyHistogram();
    for (const ns of [5000, 5000, 5000, 9000, 9000, 30000]) h.record(ns);
    assert.equal(h.percentile(50), 5023);
    assert.equal(h.percentile(99.9), 30079);
    // Redis prints 8, 16, 33 for the bounds 8192, 16384 and 32768 ns.
    assert.deepEqual(h.cumulativeBuckets(), [[8, 3], [16, 5], [33, 6]]);
  });

  it('INFO latencystats and LATENCY HISTOGRAM report commands called; CONFIG RESETSTAT clears them', () => {
    const h = new Harness();
    const c = h.client();
    c.run('SET', 'a', '1');
    c.run('SET', 'a', '2');
    c.run('CLIENT', 'ID');
    const text = textOf(c.run('INFO', 'latencystats'));
    assert.match(text, /\r\nlatency_percentiles_usec_set:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n/);
    assert.match(text, /latency_percentiles_usec_client\|id:p50=/);
    const r = c.run('LATENCY', 'HISTOGRAM', 'set', 'client', 'nosuch');
    assert.ok(Array.isArray(r));
    assert.equal(r[0], 'set');
    const set = r[1] as RespValue[];
    assert.deepEqual(set.slice(0, 3), ['calls', 2, 'histogram_usec']);
    const buckets = set[3] as number[];
    assert.equal(buckets[buckets.length - 1], 2, 'cumulative count ends at calls');
    assert.equal(r[2], 'client|id');
    assert.equal(r.length, 4);
    h.config.set('latency-tracking', 'no');
    c.run('GET', 'a');
    assert.equal(h.node.latencyTracker.byCommand.has('get'), false);
    assert.equal(c.run('CONFIG', 'RESETSTAT'), 'OK');
    assert.deepEqual(c.run('LATENCY', 'HISTOGRAM'), []);
  });
});
