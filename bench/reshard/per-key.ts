// Per-key server CPU of a slot migration, redis-server vs tessera-server in
// one run, without the per-slot round trips and client load of the full
// reshard bench (run.ts), so a change to the per-key path shows above the
// machine's noise:
// - target: N pipelined RESTOREs (100 per batch, the next batch after all
//   replies) of one 100-byte string's DUMP into a cluster-mode node owning
//   every slot;
// - source: N keys (100-byte values, 100 per slot) MIGRATEd by 8 concurrent
//   clients, 100 keys per MIGRATE, from a cluster-mode node to a standalone
//   redis-server (the same target for both kinds).
// Server CPU comes from /proc/<pid>/stat. Kinds alternate, PER_KEY_RUNS times.
//
// Ports are fixed (17640-17642), outside the other benches' ranges.
//
// Env: PER_KEY_N (keys, default 500000), PER_KEY_RUNS (default 3).

import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { TESSERA_BIN, sleep } from '../lib/procs.js';

type Kind = 'redis' | 'tessera';

const N = Number(process.env['PER_KEY_N'] ?? 500000);
const RUNS = Number(process.env['PER_KEY_RUNS'] ?? 3);
const SOURCE_PORT = 17640;
const TARGET_PORT = 17641;
const SINK_PORT = 17642;
const BATCH = 100;

interface Server {
  readonly proc: ChildProcess;
  readonly dir: string;
}

function start(kind: Kind, port: number, cluster: boolean): Server {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tessera-per-key-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  if (cluster) args.push('--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, 'nodes.conf'));
  const proc = spawn(kind === 'tessera' ? TESSERA_BIN : 'redis-server', args, { stdio: 'ignore' });
  return { proc, dir };
}

async function stop(s: Server): Promise<void> {
  if (s.proc.exitCode === null) {
    s.proc.kill('SIGKILL');
    await new Promise((resolve) => s.proc.once('exit', resolve));
  }
  rmSync(s.dir, { recursive: true, force: true });
}

/** User + system CPU ms of a process. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
}

async function connect(port: number): Promise<Redis> {
  for (let i = 0; i < 100; i++) {
    const r = new Redis({ port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1 });
    r.on('error', () => undefined);
    try {
      await r.connect();
      return r;
    } catch {
      r.disconnect();
      await sleep(100);
    }
  }
  throw new Error(`no server on ${port}`);
}

async function ownAllSlots(r: Redis): Promise<void> {
  await r.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
  for (let i = 0; i < 100; i++) {
    if (/cluster_state:ok/.test(String(await r.call('CLUSTER', 'INFO')))) return;
    await sleep(100);
  }
  throw new Error('cluster_state never became ok');
}

/** Target side: µs of server CPU per RESTORE. */
async function restoreCost(kind: Kind): Promise<number> {
  const s = start(kind, TARGET_PORT, true);
  const r = await connect(TARGET_PORT);
  try {
    await ownAllSlots(r);
    await r.set('proto', 'x'.repeat(100));
    const payload = (await r.callBuffer('DUMP', 'proto')) as Buffer;
    const sock = net.connect(TARGET_PORT, '127.0.0.1');
    sock.setNoDelay(true);
    await new Promise((resolve) => sock.once('connect', resolve));
    const crlf = Buffer.from('\r\n');
    const batchOf = (b: number): Buffer => {
      const parts: Buffer[] = [];
      for (let i = 0; i < BATCH; i++) {
        const k = `key:${String(b * BATCH + i).padStart(10, '0')}`;
        parts.push(Buffer.from(`*4\r\n$7\r\nRESTORE\r\n$${k.length}\r\n${k}\r\n$1\r\n0\r\n$${payload.length}\r\n`, 'latin1'), payload, crlf);
      }
      return Buffer.concat(parts);
    };
    let pending = 0;
    let wake: (() => void) | null = null;
    sock.on('data', (d: Buffer) => {
      for (const c of d) if (c === 10) pending--;
      if (pending === 0 && wake) {
        const w = wake;
        wake = null;
        w();
      }
    });
    const run = async (from: number, to: number): Promise<void> => {
      for (let b = from; b < to; b++) {
        const buf = batchOf(b);
        pending = BATCH;
        const done = new Promise<void>((resolve) => (wake = resolve));
        sock.write(buf);
        await done;
      }
    };
    await run(0, 200); // warm-up: JIT and the first table growths
    const c0 = cpuMs(s.proc.pid!);
    await run(200, 200 + N / BATCH);
    const c1 = cpuMs(s.proc.pid!);
    const size = Number(await r.dbsize());
    if (size !== N + 200 * BATCH + 1) throw new Error(`${kind}: ${size} keys after the RESTOREs`);
    sock.destroy();
    return ((c1 - c0) * 1000) / N;
  } finally {
    r.disconnect();
    await stop(s);
  }
}

/** Source side: µs of server CPU per migrated key. */
async function migrateCost(kind: Kind): Promise<number> {
  const src = start(kind, SOURCE_PORT, true);
  const sink = start('redis', SINK_PORT, false);
  const r = await connect(SOURCE_PORT);
  const t = await connect(SINK_PORT);
  const lanes: Redis[] = [];
  try {
    await ownAllSlots(r);
    const value = 'v'.repeat(100);
    const batches = N / BATCH;
    for (let b = 0; b < batches; b += 50) {
      const p = r.pipeline();
      for (let j = b; j < Math.min(batches, b + 50); j++) for (let i = 0; i < BATCH; i++) p.set(`{b${j}}k${i}`, value);
      await p.exec();
    }
    for (let l = 0; l < 8; l++) lanes.push(await connect(SOURCE_PORT));
    let next = 0;
    const c0 = cpuMs(src.proc.pid!);
    await Promise.all(
      lanes.map(async (c) => {
        for (;;) {
          const j = next++;
          if (j >= batches) return;
          const keys: string[] = [];
          for (let i = 0; i < BATCH; i++) keys.push(`{b${j}}k${i}`);
          const res = await c.call('MIGRATE', '127.0.0.1', String(SINK_PORT), '', '0', '5000', 'KEYS', ...keys);
          if (res !== 'OK') throw new Error(`${kind}: MIGRATE replied ${String(res)}`);
        }
      }),
    );
    const c1 = cpuMs(src.proc.pid!);
    if (Number(await r.dbsize()) !== 0 || Number(await t.dbsize()) !== N) throw new Error(`${kind}: keys left behind`);
    return ((c1 - c0) * 1000) / N;
  } finally {
    for (const c of lanes) c.disconnect();
    r.disconnect();
    t.disconnect();
    await stop(src);
    await stop(sink);
  }
}

async function main(): Promise<void> {
  console.log(`per-key migration CPU: ${N} keys of 100 B, ${RUNS} alternating runs (us of server CPU per key)`);
  for (let run = 1; run <= RUNS; run++) {
    for (const kind of ['redis', 'tessera'] as const) {
      const restore = await restoreCost(kind);
      const migrate = await migrateCost(kind);
      console.log(`run ${run} ${kind.padEnd(7)}: RESTORE (target) ${restore.toFixed(2)} us/key, MIGRATE (source) ${migrate.toFixed(2)} us/key`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
