// Per-slot cost of a slot migration, redis-server vs tessera-server in one
// run: a 2-node cluster (A owns 0-16382, B owns 16383), a few thousand small
// keys, a light ioredis GET/SET load, then `redis-cli --cluster reshard` of
// SLOTS slots from A to B. With few keys per slot the fixed cost of each
// slot (SETSLOT IMPORTING/MIGRATING/NODE on both sides, GETKEYSINSLOT, the
// nodes.conf saves, the view swaps and what routing pays after each) is what
// this measures. Reported: ms per slot (wall, noisy on a shared machine) and
// server CPU ms per slot, source and target, from /proc/<pid>/stat (what to
// compare).
//
// Ports are fixed (17620-17623 client, 27620-27623 bus), not allocated, so
// this bench never collides with the other benches' port ranges.
//
// Env: SLOTS_N (slots to move, default 4000), SLOTS_KEYS (default 5000),
// SLOTS_CLIENTS (concurrent GET/SET loops, default 4; 0 = no load),
// SLOTS_ONLY (redis|tessera), SLOTS_CPU_PROF_DIR (tessera nodes run under
// node --cpu-prof, profiles written there on SIGTERM), SLOTS_RUNS (default 1),
// SLOTS_BASELINE_MAIN (main.js of another tessera build, e.g. an older
// commit's dist: run as a third kind, "baseline", for a before/after in one run).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { REPO_ROOT, sleep } from '../lib/procs.js';
import { call, until } from '../lib/redis-call.js';
import { ClusterLoad } from '../lib/cluster-load.js';

type Kind = 'redis' | 'tessera' | 'baseline';

const SLOTS = Number(process.env['SLOTS_N'] ?? 4000);
const KEYS = Number(process.env['SLOTS_KEYS'] ?? 5000);
const CLIENTS = Number(process.env['SLOTS_CLIENTS'] ?? 4);
const ONLY = process.env['SLOTS_ONLY'] ?? '';
const PROF_DIR = process.env['SLOTS_CPU_PROF_DIR'] ?? '';
const RUNS = Number(process.env['SLOTS_RUNS'] ?? 1);
const NODE_TIMEOUT_MS = 15000;
const BASELINE_MAIN = process.env['SLOTS_BASELINE_MAIN'] ?? '';
const PORTS: Record<Kind, readonly [number, number]> = { tessera: [17620, 17621], redis: [17622, 17623], baseline: [17624, 17625] };
const BUS_OFFSET = 10000;
const SERVER_CPU = '0';
const RESHARD_TIMEOUT_MS = 150_000;

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of children) if (p.pid !== undefined && p.exitCode === null && p.signalCode === null) process.kill(p.pid, 'SIGKILL');
});

/** User and system CPU seconds of a process, from /proc/<pid>/stat (USER_HZ = 100). */
function cpuOf(pid: number): { user: number; sys: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  // The command name (field 2) may hold spaces; utime and stime are the 12th and 13th fields after it.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]) / 100, sys: Number(f[12]) / 100 };
}

interface Node {
  readonly port: number;
  readonly proc: ChildProcess;
  readonly pid: number;
  id: string;
}

async function startNode(kind: Kind, port: number, dir: string): Promise<Node> {
  const args = ['--port', String(port), '--cluster-enabled', 'yes', '--cluster-port', String(port + BUS_OFFSET), '--cluster-node-timeout', String(NODE_TIMEOUT_MS), '--cluster-config-file', path.join(dir, `nodes-${port}.conf`), '--dir', dir, '--save', '', '--appendonly', 'no'];
  const cmd =
    kind === 'redis'
      ? ['redis-server', ...args]
      : ['node', ...(PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROF_DIR}`] : []), kind === 'baseline' ? BASELINE_MAIN : path.join(REPO_ROOT, 'dist/node/src/server/main.js'), ...args];
  // taskset execs, so the child's pid is the server's own.
  const proc = spawn('taskset', ['-c', SERVER_CPU, ...cmd], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  if (proc.pid === undefined) throw new Error(`could not spawn ${kind}`);
  const node: Node = { port, proc, pid: proc.pid, id: '' };
  await until(async () => (await call(port, 'PING')) === 'PONG', `${kind} on ${port} ready`, 15000);
  node.id = String(await call(port, 'CLUSTER', 'MYID'));
  return node;
}

async function stopNode(n: Node): Promise<void> {
  if (n.proc.exitCode !== null || n.proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => n.proc.once('exit', () => resolve()));
  // SIGTERM, not SIGKILL: node writes its --cpu-prof profile on a clean exit.
  process.kill(n.pid, 'SIGTERM');
  const t = setTimeout(() => {
    if (n.proc.exitCode === null && n.proc.signalCode === null) process.kill(n.pid, 'SIGKILL');
  }, 10000);
  await exited;
  clearTimeout(t);
}

function reshard(port: number, from: string, to: string, slots: number): Promise<{ code: number; tail: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('redis-cli', ['--cluster', 'reshard', `127.0.0.1:${port}`, '--cluster-from', from, '--cluster-to', to, '--cluster-slots', String(slots), '--cluster-yes', '--cluster-timeout', '60000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(p);
    let tail = '';
    const keep = (d: Buffer): void => {
      tail = (tail + d.toString('latin1')).slice(-2000);
    };
    p.stdout.on('data', keep);
    p.stderr.on('data', keep);
    const t = setTimeout(() => p.kill('SIGKILL'), RESHARD_TIMEOUT_MS);
    p.on('error', reject);
    p.on('exit', (code) => {
      clearTimeout(t);
      children.delete(p);
      resolve({ code: code ?? -1, tail });
    });
  });
}

interface Result {
  kind: Kind;
  msPerSlot: number;
  /** User + system; and the system part alone (syscalls: sockets, nodes.conf writes). */
  cpuMsPerSlot: { source: number; target: number; sourceSys: number; targetSys: number };
  requests: number;
  errors: number;
}

async function runOne(kind: Kind): Promise<Result> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `slots-bench-${kind}-`));
  const nodes: Node[] = [];
  let cluster: Cluster | null = null;
  try {
    const [pa, pb] = PORTS[kind];
    const a = await startNode(kind, pa, dir);
    nodes.push(a);
    const b = await startNode(kind, pb, dir);
    nodes.push(b);
    await call(a.port, 'CLUSTER', 'ADDSLOTSRANGE', '0', '16382');
    await call(b.port, 'CLUSTER', 'ADDSLOTS', '16383');
    await call(a.port, 'CLUSTER', 'MEET', '127.0.0.1', String(b.port), String(b.port + BUS_OFFSET));
    for (const n of [a, b]) await until(async () => /cluster_state:ok[\s\S]*cluster_known_nodes:2/.test(String(await call(n.port, 'CLUSTER', 'INFO'))), `${kind} cluster ok`);
    const r = new Redis({ port: a.port, lazyConnect: true });
    await r.connect();
    const pl = r.pipeline();
    // A key of slot 16383 (B's) is refused with MOVED here and not counted: a handful at most.
    for (let i = 0; i < KEYS; i++) pl.set(`key:${i}`, 'v'.repeat(20));
    const res = await pl.exec();
    r.disconnect();
    const loaded = (res ?? []).filter(([e]) => e === null).length;

    cluster = new Cluster([{ host: '127.0.0.1', port: a.port }], { maxRedirections: 64, retryDelayOnTryAgain: 10 });
    const w = new ClusterLoad(cluster, { clients: CLIENTS, keys: KEYS, valueBytes: 20 });
    if (CLIENTS > 0) {
      w.start();
      await sleep(1000);
    }
    const cpuA = cpuOf(a.pid);
    const cpuB = cpuOf(b.pid);
    const t0 = performance.now();
    const out = await reshard(a.port, a.id, b.id, SLOTS);
    const wallMs = performance.now() - t0;
    const endA = cpuOf(a.pid);
    const endB = cpuOf(b.pid);
    const perSlotMs = (x: number): number => (x * 1000) / SLOTS;
    await w.stop();
    if (out.code !== 0) throw new Error(`${kind}: reshard failed (${out.code}): ${out.tail}`);
    const onB = Number(await call(b.port, 'DBSIZE'));
    console.log(`${kind}: ${loaded} keys loaded, ${onB} on B after the move`);
    return {
      kind,
      msPerSlot: wallMs / SLOTS,
      cpuMsPerSlot: {
        source: perSlotMs(endA.user + endA.sys - cpuA.user - cpuA.sys),
        target: perSlotMs(endB.user + endB.sys - cpuB.user - cpuB.sys),
        sourceSys: perSlotMs(endA.sys - cpuA.sys),
        targetSys: perSlotMs(endB.sys - cpuB.sys),
      },
      requests: w.requests,
      errors: w.errors,
    };
  } finally {
    cluster?.disconnect();
    for (const n of nodes) await stopNode(n);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`slot-migration bench: ${SLOTS} slots A -> B, ${KEYS} keys, ${CLIENTS} GET/SET loops, servers on cpu ${SERVER_CPU}, load average ${os.loadavg()[0]!.toFixed(1)}`);
  for (let run = 0; run < RUNS; run++) {
    for (const kind of ['redis', 'baseline', 'tessera'] as const) {
      if (ONLY !== '' && ONLY !== kind) continue;
      if (kind === 'baseline' && BASELINE_MAIN === '') continue;
      const r = await runOne(kind);
      const f = (n: number): string => n.toFixed(3);
      console.log(`${kind}: ${f(r.msPerSlot)} ms/slot wall; server CPU ms/slot source ${f(r.cpuMsPerSlot.source)} (sys ${f(r.cpuMsPerSlot.sourceSys)}) target ${f(r.cpuMsPerSlot.target)} (sys ${f(r.cpuMsPerSlot.targetSys)}); ${r.requests} requests, ${r.errors} errors`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
