import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { TESSERA_BIN, freePort } from '../support/server-process.js';

/** Runs a binary to completion (a config error exits at once) and returns its code and output. */
function runToExit(bin: string, args: string[], cwd: string): { code: number | null; stderr: string; stdout: string } {
  const r = spawnSync(bin, args, { cwd, encoding: 'latin1', timeout: 10000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

async function eventually(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('tessera-server configuration (process)', function () {
  this.timeout(30000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tessera-config-'));
  writeFileSync(path.join(dir, 'bad.conf'), '# comment\nport 7000\n\n  maxmemory   "1x"  \n');
  writeFileSync(path.join(dir, 'quotes.conf'), 'port 7000\nsave "unbalanced\n');
  writeFileSync(path.join(dir, 'ok.conf'), 'port 7000\n');

  const cases: string[][] = [
    ['--port', 'abc'],
    ['--port', '70000'],
    ['--nonexist', '1'],
    ['--port', '1', '2'],
    ['--loglevel', 'foo'],
    ['--maxmemory', '1x'],
    ['--notify-keyspace-events', 'q'],
    ['--replicaof', 'localhost', 'abc'],
    ['--dir', '/nonexistent/x'],
    ['--logfile', '/nonexistent/x.log'],
    ['--save', '--port', 'x'],
    ['bad.conf'],
    ['quotes.conf'],
    ['ok.conf', '--port', 'abc'],
    ['ok.conf', '--maxmemory', '5', '--hz', 'x'],
  ];
  for (const args of cases) {
    it(`exits 1 with redis-server's error block for: ${args.join(' ')}`, () => {
      const redis = runToExit('redis-server', args, dir);
      const ours = runToExit(TESSERA_BIN, args, dir);
      assert.equal(redis.code, 1, 'redis-server should refuse this too');
      assert.equal(ours.code, 1);
      assert.equal(ours.stderr, redis.stderr);
      assert.match(ours.stderr, /\*\*\* FATAL CONFIG FILE ERROR \(Redis 7\.0\.15\) \*\*\*/);
    });
  }

  it('a missing config file is a fatal error as in redis-server', () => {
    const ours = runToExit(TESSERA_BIN, ['/nonexistent.conf'], dir);
    assert.equal(ours.code, 1);
    assert.match(ours.stdout, /# Fatal error, can't open config file '\/nonexistent.conf': No such file or directory/);
  });

  describe('running', () => {
    // startServer puts its flags first; a config file must be the first argument, so start it here.
    let proc: ChildProcess;
    let out = '';
    let client: Redis;
    const conf = path.join(dir, 'node.conf');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tessera-config-data-'));
    const srv = { output: () => out, dir: dataDir };
    before(async () => {
      writeFileSync(conf, '# Tessera test config\nmaxmemory 1mb\nappendonly yes\n');
      const port = await freePort();
      proc = spawn(TESSERA_BIN, [conf, '--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--save', '', '--loglevel', 'notice'], { stdio: ['ignore', 'pipe', 'pipe'] });
      proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      await eventually(() => out.includes('Ready to accept connections') || proc.exitCode !== null, 10000);
      assert.equal(proc.exitCode, null, out);
      client = new Redis({ port, host: '127.0.0.1', enableReadyCheck: false, lazyConnect: true });
      await client.connect();
    });
    after(() => {
      client?.disconnect();
      if (proc?.pid && proc.exitCode === null) proc.kill('SIGKILL');
    });

    it('logs directives that are stored but not in effect, once', async () => {
      await eventually(() => srv.output().includes('Ready to accept connections'), 5000);
      const out = srv.output();
      assert.equal(out.split('directive appendonly is accepted but not in effect').length - 1, 1);
      assert.ok(out.includes('directive save is accepted but not in effect'));
      assert.ok(!out.includes('directive maxmemory is accepted'));
    });

    it('CONFIG GET shows the file, the flags and the working directory', async () => {
      const got = (await client.call('CONFIG', 'GET', 'maxmemory', 'appendonly', 'save', 'dir')) as string[];
      const m = new Map<string, string>();
      for (let i = 0; i < got.length; i += 2) m.set(got[i]!, got[i + 1]!);
      assert.equal(m.get('maxmemory'), '1048576');
      assert.equal(m.get('appendonly'), 'yes');
      assert.equal(m.get('save'), '');
      assert.equal(m.get('dir'), srv.dir);
    });

    it('CONFIG SET then CONFIG REWRITE writes the file back, and it loads again', async () => {
      assert.equal(await client.call('CONFIG', 'SET', 'maxmemory', '2mb', 'maxmemory-policy', 'allkeys-lru'), 'OK');
      assert.equal(await client.call('CONFIG', 'REWRITE'), 'OK');
      const text = readFileSync(conf, 'latin1');
      assert.ok(text.startsWith('# Tessera test config\nmaxmemory 2mb\nappendonly yes\n'), text);
      assert.ok(text.includes('# Generated by CONFIG REWRITE\n'));
      assert.ok(text.includes('maxmemory-policy allkeys-lru\n'));
      assert.ok(text.includes('save ""\n'));
      // The rewritten file is accepted by redis-server itself (checked with --test-config-less parse: a bad port exits 1 at once).
      const check = runToExit(TESSERA_BIN, [conf, '--port', 'abc'], dir);
      assert.equal(check.code, 1);
      const lines = text.split('\n').length;
      assert.match(check.stderr, new RegExp(`at line ${lines + 1}\\n>>> 'port "abc"'`));
    });
  });

  it('--daemonize yes detaches, writes the pidfile and the log file, and removes the pidfile on exit', async () => {
    const port = await freePort();
    const pidfile = path.join(dir, 'tessera.pid');
    const logfile = path.join(dir, 'tessera.log');
    const r = runToExit(TESSERA_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--pidfile', pidfile, '--logfile', logfile, '--dir', dir], dir);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.ok(existsSync(pidfile));
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    try {
      assert.ok(pid > 0 && pid !== process.pid);
      const c = new Redis({ port, host: '127.0.0.1', enableReadyCheck: false, lazyConnect: true });
      await c.connect();
      try {
        assert.equal(await c.call('PING'), 'PONG');
        assert.deepEqual(await c.call('CONFIG', 'GET', 'daemonize'), ['daemonize', 'yes']);
      } finally {
        c.disconnect();
      }
      await eventually(() => readFileSync(logfile, 'utf8').includes('Ready to accept connections'), 5000);
    } finally {
      process.kill(pid, 'SIGTERM');
    }
    await eventually(() => !existsSync(pidfile), 5000);
  });
});
