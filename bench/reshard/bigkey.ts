// Big-key and batch MIGRATE measurements between two standalone nodes (not in
// npm test): `node dist/bench/reshard/bigkey.js`. For each kind (tessera,
// redis), starts a source and a target on BIGKEY_PORT..+3 (default 17600),
// then:
//  - MIGRATEs a BIGKEY_HASH_FIELDS-field hash and a BIGKEY_STRING_MB string
//    while a client PINGs each node back to back, and reports the MIGRATE
//    time and the longest PING on each side (the stall a big key causes);
//  - moves BIGKEY_SMALL_KEYS 100-byte keys with MIGRATE ... KEYS in batches
//    of 10 (what redis-cli --cluster reshard sends by default) and reports
//    keys per second.
// BIGKEY_ONLY=tessera|redis runs one kind; BIGKEY_TESSERA_BIN runs another
// build of tessera-server (a baseline); BIGKEY_SKIP_BIG=1 skips the big-key
// phase. The small-key phase also reports the CPU time each server spent on
// it (from /proc/<pid>/stat), per 1000 keys: wall time on a shared machine is
// noisy, server CPU much less so. BIGKEY_SMALL_WARMUP=N first moves N other
// keys untimed: a fresh Node process runs cold code (interpreted, then
// compiled) for its first few thousand MIGRATEs, and the default 2,000
// batches are mostly that; with a warm-up the figure is the steady state.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { REPO_ROOT, sleep } from '../lib/procs.js';

const BASE = Number(process.env['BIGKEY_PORT'] ?? 17600);
const HASH_FIELDS = Number(process.env['BIGKEY_HASH_FIELDS'] ?? 1_000_000);
const STRING_MB = Number(process.env['BIGKEY_STRING_MB'] ?? 64);
const SMALL_KEYS = Number(process.env['BIGKEY_SMALL_KEYS'] ?? 100_000);
const ONLY = process.env['BIGKEY_ONLY'] ?? '';
const SKIP_BIG = process.env['BIGKEY_SKIP_BIG'] === '1';
const SMALL_WARMUP = Number(process.env['BIGKEY_SMALL_WARMUP'] ?? 0);
/** USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS_PER_S = 100;

/** User and system CPU milliseconds pid has used (zeros if they cannot be read). */
function cpuMs(pid: number | undefined): { userMs: number; sysMs: number } {
  if (pid === undefined) return { userMs: 0, sysMs: 0 };
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { userMs: (Number(f[11]) * 1000) / CLOCK_TICKS_PER_S, sysMs: (Number(f[12]) * 1000) / CLOCK_TICKS_PER_S };
  } catch {
    return { userMs: 0, sysMs: 0 };
  }
}

type Kind = 'tessera' | 'redis';

function start(kind: Kind, port: number): ChildProcess {
  const dir = mkdtempSync(path.join(os.tmpdir(), `bigkey-${kind}-`));
  const bin = kind === 'tessera' ? (process.env['BIGKEY_TESSERA_BIN'] ?? path.join(REPO_ROOT, 'bin/tessera-server')) : 'redis-server';
  return spawn(bin, ['--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
}

async function ready(port: number): Promise<Redis> {
  for (let i = 0; i < 200; i++) {
    const r = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // A refused connection while the server starts is expected; connect() reports it.
    r.on('error', () => {});
    try {
      await r.connect();
      await r.ping();
      return r;
    } catch {
      r.disconnect();
      await sleep(100);
    }
  }
  throw new Error(`port ${port} not ready`);
}

/** PINGs port back to back until stop() and returns the longest round trip. */
function pinger(port: number): { stop: () => Promise<number> } {
  const r = new Redis({ port });
  let running = true;
  let max = 0;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      await r.ping();
      max = Math.max(max, performance.now() - t);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      r.disconnect();
      return max;
    },
  };
}

async function bigKey(src: Redis, srcPort: number, dstPort: number, key: string): Promise<{ migrateMs: number; sourceMaxMs: number; targetMaxMs: number }> {
  const ps = pinger(srcPort);
  const pt = pinger(dstPort);
  await sleep(300);
  const t = performance.now();
  const reply = await src.call('MIGRATE', '127.0.0.1', String(dstPort), key, '0', '60000');
  const migrateMs = performance.now() - t;
  await sleep(300);
  if (reply !== 'OK') throw new Error(`MIGRATE ${key}: ${String(reply)}`);
  return { migrateMs: Math.round(migrateMs), sourceMaxMs: Math.round(await ps.stop()), targetMaxMs: Math.round(await pt.stop()) };
}

async function runKind(kind: Kind, base: number): Promise<unknown> {
  const procs = [start(kind, base), start(kind, base + 1)];
  try {
    const src = await ready(base);
    const dst = await ready(base + 1);
    for (let i = 0; i < (SKIP_BIG ? 0 : HASH_FIELDS); i += 10000) {
      const args: string[] = [];
      for (let j = i; j < Math.min(HASH_FIELDS, i + 10000); j++) args.push(`f${j}`, `v${j}`);
      await src.hset('bighash', ...args);
    }
    if (!SKIP_BIG && STRING_MB > 0) await src.set('bigstring', Buffer.alloc(STRING_MB * 1024 * 1024, 'x'));
    const out: Record<string, unknown> = { kind };
    if (!SKIP_BIG && HASH_FIELDS > 0) out['hash'] = await bigKey(src, base, base + 1, 'bighash');
    if (!SKIP_BIG && STRING_MB > 0) out['string'] = await bigKey(src, base, base + 1, 'bigstring');
    const value = 'v'.repeat(100);
    // CPU counters and the clock at the start of the timed phase.
    const cpu0: { userMs: number; sysMs: number }[] = [];
    let t = 0;
    const moveSmall = async (prefix: string, count: number): Promise<void> => {
      for (let i = 0; i < count; i += 10000) {
        const pl = src.pipeline();
        for (let j = i; j < Math.min(count, i + 10000); j++) pl.set(`${prefix}${j}`, value);
        await pl.exec();
      }
      if (prefix === 'key:') {
        cpu0.push(...procs.map((p) => cpuMs(p.pid)));
        t = performance.now();
      }
      for (let i = 0; i < count; i += 10) {
        const keys: string[] = [];
        for (let j = i; j < Math.min(count, i + 10); j++) keys.push(`${prefix}${j}`);
        const r = await src.call('MIGRATE', '127.0.0.1', String(base + 1), '', '0', '60000', 'REPLACE', 'KEYS', ...keys);
        if (r !== 'OK') throw new Error(`MIGRATE batch: ${String(r)}`);
      }
    };
    if (SMALL_WARMUP > 0) await moveSmall('warm:', SMALL_WARMUP);
    await moveSmall('key:', SMALL_KEYS);
    out['smallKeysPerSecond'] = Math.round(SMALL_KEYS / ((performance.now() - t) / 1000));
    const perKilo = (ms: number): number => Math.round((ms * 1000 * 100) / SMALL_KEYS) / 100;
    for (const [i, side] of ['source', 'target'].entries()) {
      const now = cpuMs(procs[i]!.pid);
      const before = cpu0[i]!;
      out[`${side}CpuMsPer1000Keys`] = { user: perKilo(now.userMs - before.userMs), sys: perKilo(now.sysMs - before.sysMs) };
    }
    src.disconnect();
    dst.disconnect();
    return out;
  } finally {
    // SIGTERM first (a server run with --cpu-prof writes its profile on a clean exit), SIGKILL after 5 s.
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            const t = setTimeout(() => p.kill('SIGKILL'), 5000);
            p.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            p.kill('SIGTERM');
          }),
      ),
    );
  }
}

async function main(): Promise<void> {
  const kinds: Kind[] = ONLY === 'tessera' ? ['tessera'] : ONLY === 'redis' ? ['redis'] : ['redis', 'tessera'];
  for (const [i, kind] of kinds.entries()) console.log(JSON.stringify(await runKind(kind, BASE + 2 * i)));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
