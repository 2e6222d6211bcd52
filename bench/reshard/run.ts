// Resharding benchmark (not in npm test): `node dist/bench/reshard/run.js`.
// For redis-server 7.0 and then tessera-server, in the same run and with the
// same data: a two-primary cluster where A owns every slot but 16383 and all
// the data (small keys with 100-byte values, one big hash, one big string);
// B owns slot 16383 and nothing else. `redis-cli --cluster reshard` moves
// every slot of A to B while an ioredis Redis.Cluster client reads and writes
// random small keys. Reported: keys per second migrated; p99 and max latency
// of client requests before the move and during it; the max while the slot
// of each big key moves (the window between redis-cli's "Moving slot" lines).
//
// The move is made twice per server kind: by `redis-cli --cluster reshard`
// (the reference tool, one slot at a time, MIGRATE batches of 10 keys) and by
// Tessera's coordinator (`tessera scale --remove A`: 32 slots at once, MIGRATE
// batches of 100 keys pipelined 4 deep), so the table separates what the
// server costs from what the tool costs. For the coordinator, the reshard time
// ends at its "Moved ... slots" line (before it forgets the removed node), and
// a big key's window is its own slot's start and end (--verbose lines).
//
// Environment: RESHARD_VARIANTS (kind:tool,... default
// redis:redis-cli,tessera:redis-cli,tessera:tessera,redis:tessera),
// RESHARD_COORD_ARGS (extra `tessera scale` options), RESHARD_KEYS (1000000), RESHARD_HASH_FIELDS (1000000),
// RESHARD_STRING_MB (64), RESHARD_CLIENTS (8 concurrent requests),
// RESHARD_NODE_TIMEOUT (cluster-node-timeout in ms, 30000), RESHARD_CONF_DIR
// (where nodes.conf lives; default: each server's own dir under the OS temp
// dir: the disk, fsync included), RESHARD_ONLY (redis|tessera: only that
// server kind's variants). Results: stdout, bench/results/reshard-latest.json and
// a table in bench/results/reshard-latest.md; server CPU seconds and the load
// average are recorded too (wall times on a busy machine mean little alone).

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { REPO_ROOT, cpuSeconds, sleep, startServer, type ServerKind, type ServerProcess } from '../lib/procs.js';
import { call, until } from '../lib/redis-call.js';
import { ClusterLoad } from '../lib/cluster-load.js';

const KEYS = Number(process.env['RESHARD_KEYS'] ?? 1_000_000);
const HASH_FIELDS = Number(process.env['RESHARD_HASH_FIELDS'] ?? 1_000_000);
const STRING_MB = Number(process.env['RESHARD_STRING_MB'] ?? 64);
const CLIENTS = Number(process.env['RESHARD_CLIENTS'] ?? 8);
const CONF_DIR = process.env['RESHARD_CONF_DIR'] ?? '';
const ONLY = process.env['RESHARD_ONLY'] ?? '';
/** Extra `tessera scale` options (--parallel, --batch, --pipeline) to try other settings than the defaults. */
const COORD_ARGS = (process.env['RESHARD_COORD_ARGS'] ?? '').split(' ').filter((a) => a !== '');
const VARIANTS: Variant[] = (process.env['RESHARD_VARIANTS'] ?? 'redis:redis-cli,tessera:redis-cli,tessera:tessera,redis:tessera').split(',').map((v) => {
  const [kind, tool] = v.trim().split(':');
  if ((kind !== 'redis' && kind !== 'tessera') || (tool !== 'redis-cli' && tool !== 'tessera')) throw new Error(`RESHARD_VARIANTS: bad entry ${v} (kind:tool, kind redis|tessera, tool redis-cli|tessera)`);
  return { kind, tool };
});
// redis-server blocks for seconds while it MIGRATEs the 1M-field hash; on a busy machine that
// exceeded a 5 s node timeout and the cluster went down mid-reshard (CLUSTERDOWN). Same value for both.
const NODE_TIMEOUT_MS = Number(process.env['RESHARD_NODE_TIMEOUT'] ?? 30000);
// Hash tags chosen for their slots: both far from 16383, so the big keys move mid-run.
const BIG_HASH = '{bighash}';
const BIG_STRING = '{bigstring}';

/**
 * Request samples in two growing Float64Arrays rather than an object per
 * request, so that the bench's own GC (millions of small objects) cannot add
 * pauses to the latencies it measures. (It was a suspect for Tessera's
 * 100+ ms requests before the move; those stayed, so they are the server's:
 * the same client sees at most 18-46 ms against redis-server.)
 */
class Samples {
  private start = new Float64Array(1 << 20);
  private dur = new Float64Array(1 << 20);
  length = 0;
  push(startMs: number, ms: number): void {
    if (this.length === this.start.length) {
      const grow = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start);
      this.dur = grow(this.dur);
    }
    this.start[this.length] = startMs;
    this.dur[this.length++] = ms;
  }
  /** Durations of the requests for which keep(start, duration) holds. */
  durations(keep: (startMs: number, ms: number) => boolean): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.length; i++) if (keep(this.start[i]!, this.dur[i]!)) out.push(this.dur[i]!);
    return out;
  }
  /** [start epoch ms, duration ms] of every request slower than `ms`. */
  slowerThan(ms: number): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.length; i++) if (this.dur[i]! > ms) out.push([Math.round(this.start[i]!), Math.round(this.dur[i]! * 10) / 10]);
    return out;
  }
  /** Start time of the slowest request for which keep holds (to place a stall in the run). */
  slowestStart(keep: (startMs: number, ms: number) => boolean): number {
    let best = -1;
    let at = 0;
    for (let i = 0; i < this.length; i++) {
      if (this.dur[i]! > best && keep(this.start[i]!, this.dur[i]!)) {
        best = this.dur[i]!;
        at = this.start[i]!;
      }
    }
    return at;
  }
}

type Tool = 'redis-cli' | 'tessera';

interface Variant {
  kind: ServerKind;
  tool: Tool;
}

interface Result {
  kind: ServerKind;
  tool: Tool;
  keysMoved: number;
  reshardMs: number;
  keysPerSecond: number;
  before: { p99Ms: number; maxMs: number; requests: number };
  /** maxAtS: when the slowest request started, in seconds after the move started. */
  during: { p99Ms: number; maxMs: number; requests: number; maxAtS: number };
  bigKeys: Record<string, { slot: number; slotMoveMs: number; maxRequestMs: number }>;
  clientErrors: number;
  /** Client requests still unanswered 10 s after the load stopped (see ClusterLoad.stop). */
  clientStuck: number;
  /** CPU seconds each server used during the move (less sensitive than wall time to a busy machine). */
  cpuSeconds: { source: number; target: number };
  /** 1-minute load average when the move started and when it ended. */
  loadAverage: { start: number; end: number };
}

/** Math.max over many samples (spreading a large array overflows the stack). */
function maxOf(xs: readonly number[]): number {
  let m = 0;
  for (const x of xs) if (x > m) m = x;
  return m;
}

function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function freePortPair(): Promise<number> {
  // A bus port: any free port (cluster-port is set explicitly on both kinds).
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function startClusterNode(kind: ServerKind, confDir: string, name: string): Promise<{ s: ServerProcess; id: string; busPort: number }> {
  const busPort = await freePortPair();
  const s = await startServer(kind, ['--cluster-enabled', 'yes', '--cluster-port', String(busPort), '--cluster-node-timeout', String(NODE_TIMEOUT_MS), '--cluster-config-file', path.join(confDir, `${kind}-${name}.conf`)]);
  const id = String(await call(s.port, 'CLUSTER', 'MYID'));
  return { s, id, busPort };
}

async function load(port: number): Promise<void> {
  const r = new Redis({ port, lazyConnect: true });
  await r.connect();
  const value = 'v'.repeat(100);
  const BATCH = 10000;
  for (let i = 0; i < KEYS; i += BATCH) {
    const pl = r.pipeline();
    for (let j = i; j < Math.min(KEYS, i + BATCH); j++) pl.set(`key:${j}`, value);
    await pl.exec();
  }
  for (let i = 0; i < HASH_FIELDS; i += BATCH) {
    const args: string[] = [];
    for (let j = i; j < Math.min(HASH_FIELDS, i + BATCH); j++) args.push(`f${j}`, `v${j}`);
    await r.hset(BIG_HASH, ...args);
  }
  if (STRING_MB > 0) await r.set(BIG_STRING, Buffer.alloc(STRING_MB * 1024 * 1024, 'x'));
  r.disconnect();
}

interface ReshardRun {
  /** When each slot started moving. */
  slotStartMs: Map<number, number>;
  /** When each slot finished (the coordinator says; for redis-cli: unknown, the next slot's start stands in). */
  slotEndMs: Map<number, number>;
  endMs: number;
  code: number;
  tail: string;
}

/** redis-cli --cluster reshard, noting when each "Moving slot N" line appears. */
function reshard(port: number, from: string, to: string, slots: number): Promise<ReshardRun> {
  return new Promise((resolve, reject) => {
    const p = spawn('redis-cli', ['--cluster', 'reshard', `127.0.0.1:${port}`, '--cluster-from', from, '--cluster-to', to, '--cluster-slots', String(slots), '--cluster-yes', '--cluster-timeout', '60000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const slotStartMs = new Map<number, number>();
    let buf = '';
    let tail = '';
    const onData = (d: Buffer): void => {
      const now = Date.now();
      buf += d.toString('latin1');
      tail = (tail + d.toString('latin1')).slice(-2000);
      let nl: number;
      while ((nl = buf.indexOf('Moving slot ')) >= 0) {
        const m = /^Moving slot (\d+) /.exec(buf.slice(nl));
        if (!m) break;
        slotStartMs.set(Number(m[1]), now);
        buf = buf.slice(nl + m[0].length);
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', (d: Buffer) => (tail = (tail + d.toString('latin1')).slice(-2000)));
    p.on('error', reject);
    p.on('exit', (code) => resolve({ slotStartMs, slotEndMs: new Map(), endMs: Date.now(), code: code ?? -1, tail }));
  });
}

/**
 * `tessera scale --remove A` (every slot of A to B, then A is forgotten),
 * with --verbose slot lines; the move ends at the "Moved N slots" line.
 */
function coordinatorReshard(port: number, stateDir: string): Promise<ReshardRun> {
  return new Promise((resolve, reject) => {
    const cli = path.join(REPO_ROOT, 'dist/coordinator/src/cli.js');
    const p = spawn(process.execPath, [...(process.env['RESHARD_COORD_PROF'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['RESHARD_COORD_PROF']] : []), cli, 'scale', '--remove', `127.0.0.1:${port}`, '--node', `127.0.0.1:${port}`, '--state-file', path.join(stateDir, 'reshard.json'), '--verbose', ...COORD_ARGS], { stdio: ['ignore', 'pipe', 'pipe'] });
    const slotStartMs = new Map<number, number>();
    const slotEndMs = new Map<number, number>();
    let endMs = 0;
    let summary = '';
    let buf = '';
    let tail = '';
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      tail = (tail + d.toString('latin1')).slice(-2000);
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^(\d+) slot (\d+) (moving|moved) /.exec(line);
        if (m) {
          // A slot retried after a recovery keeps its first start: its keys may have moved then.
          const slot = Number(m[2]);
          if (m[3] === 'moved') slotEndMs.set(slot, Number(m[1]));
          else if (!slotStartMs.has(slot)) slotStartMs.set(slot, Number(m[1]));
        } else if (line.startsWith('Moved ') && endMs === 0) {
          endMs = Date.now();
          summary = line;
        } else if (/recover/i.test(line)) console.log(`  coordinator: ${line}`);
      }
    });
    p.stderr.on('data', (d: Buffer) => (tail = (tail + d.toString('latin1')).slice(-2000)));
    p.on('error', reject);
    p.on('exit', (code) => {
      if (summary) console.log(`  coordinator: ${summary}`);
      resolve({ slotStartMs, slotEndMs, endMs: endMs || Date.now(), code: code ?? -1, tail });
    });
  });
}

async function runOne({ kind, tool }: Variant): Promise<Result> {
  const confDir = mkdtempSync(path.join(CONF_DIR || os.tmpdir(), `reshard-conf-${kind}-`));
  const a = await startClusterNode(kind, confDir, 'a');
  const b = await startClusterNode(kind, confDir, 'b');
  let cluster: Cluster | null = null;
  try {
    await call(a.s.port, 'CLUSTER', 'ADDSLOTSRANGE', '0', '16382');
    await call(b.s.port, 'CLUSTER', 'ADDSLOTS', '16383');
    await call(a.s.port, 'CLUSTER', 'MEET', '127.0.0.1', String(b.s.port), String(b.busPort));
    for (const n of [a, b]) await until(async () => /cluster_state:ok[\s\S]*cluster_known_nodes:2/.test(String(await call(n.s.port, 'CLUSTER', 'INFO'))), `${kind} cluster ok`);
    const loadStart = Date.now();
    await load(a.s.port);
    const total = Number(await call(a.s.port, 'DBSIZE'));
    console.log(`${kind}: loaded ${total} keys in ${Date.now() - loadStart} ms`);

    cluster = new Cluster([{ host: '127.0.0.1', port: a.s.port }], { maxRedirections: 64, retryDelayOnTryAgain: 10 });
    const samples = new Samples();
    const w = new ClusterLoad(cluster, { clients: CLIENTS, keys: KEYS, valueBytes: 100, onRequest: (start, ms) => samples.push(start, ms) });
    w.start();
    await sleep(5000);
    const cpuA = cpuSeconds(a.s.pid);
    const cpuB = cpuSeconds(b.s.pid);
    const loadStartAvg = os.loadavg()[0]!;
    const moveStart = Date.now();
    const r = tool === 'redis-cli' ? await reshard(a.s.port, a.id, b.id, 16383) : await coordinatorReshard(a.s.port, confDir);
    const moveEnd = r.endMs;
    const cpu = { source: Math.round((cpuSeconds(a.s.pid) - cpuA) * 10) / 10, target: Math.round((cpuSeconds(b.s.pid) - cpuB) * 10) / 10 };
    const loadAverage = { start: loadStartAvg, end: os.loadavg()[0]! };
    await sleep(1000);
    await w.stop();
    if (r.code !== 0) throw new Error(`${kind}: reshard failed (${r.code}): ${r.tail}`);
    const moved = Number(await call(b.s.port, 'DBSIZE'));
    const before = samples.durations((start) => start < moveStart);
    const during = samples.durations((start) => start >= moveStart && start < moveEnd);
    const bigKeys: Result['bigKeys'] = {};
    const windows: Record<string, [number, number]> = {};
    const slotsInOrder = [...r.slotStartMs.entries()].sort((x, y) => x[1] - y[1]);
    for (const key of STRING_MB > 0 ? [BIG_HASH, BIG_STRING] : [BIG_HASH]) {
      // Asked of B: A, emptied of slots, has become B's replica and may be LOADING its full sync.
      const slot = Number(await call(b.s.port, 'CLUSTER', 'KEYSLOT', key));
      const startMs = r.slotStartMs.get(slot) ?? moveStart;
      const next = slotsInOrder.find(([, t]) => t > startMs);
      const endMs = r.slotEndMs.get(slot) ?? (next ? next[1] : moveEnd);
      // A request stalled by the big key started before its slot's window closed and ended after it opened.
      const hit = samples.durations((start, ms) => start <= endMs && start + ms >= startMs);
      bigKeys[key] = { slot, slotMoveMs: endMs - startMs, maxRequestMs: maxOf(hit) };
      windows[key] = [startMs, endMs];
    }
    // With BENCH_SERVER_LOG_DIR (see procs.ts), the slow requests and the
    // windows on the wall clock, to line them up with the servers' GC traces.
    const logDir = process.env['BENCH_SERVER_LOG_DIR'];
    if (logDir) {
      const timeline = { kind, tool, source: { port: a.s.port, pid: a.s.pid }, target: { port: b.s.port, pid: b.s.pid }, moveStart, moveEnd, windows, slow: samples.slowerThan(20) };
      writeFileSync(path.join(logDir, `timeline-${kind}-${tool}-${moveStart}.json`), JSON.stringify(timeline));
    }
    return {
      kind,
      tool,
      keysMoved: moved,
      reshardMs: moveEnd - moveStart,
      keysPerSecond: Math.round(moved / ((moveEnd - moveStart) / 1000)),
      before: { p99Ms: percentile(before, 99), maxMs: maxOf(before), requests: before.length },
      during: {
        p99Ms: percentile(during, 99),
        maxMs: maxOf(during),
        requests: during.length,
        maxAtS: Math.round((samples.slowestStart((start) => start >= moveStart && start < moveEnd) - moveStart) / 100) / 10,
      },
      bigKeys,
      clientErrors: w.errors,
      clientStuck: w.stuck,
      cpuSeconds: cpu,
      loadAverage,
    };
  } finally {
    cluster?.disconnect();
    await a.s.stop();
    await b.s.stop();
    rmSync(confDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`reshard benchmark: ${KEYS} keys x 100 B, a ${HASH_FIELDS}-field hash, a ${STRING_MB} MB string; ${CLIENTS} concurrent client requests; nodes.conf in ${CONF_DIR || os.tmpdir()}`);
  const results: Result[] = [];
  for (const v of VARIANTS) {
    const { kind } = v;
    if (ONLY !== '' && ONLY !== kind) continue;
    const res = await runOne(v);
    results.push(res);
    const f = (n: number): string => n.toFixed(1);
    console.log(`${kind} (${res.tool}): ${res.keysMoved} keys in ${res.reshardMs} ms = ${res.keysPerSecond} keys/s; latency before p99 ${f(res.before.p99Ms)} ms max ${f(res.before.maxMs)} ms (${res.before.requests} req); during p99 ${f(res.during.p99Ms)} ms max ${f(res.during.maxMs)} ms at ${res.during.maxAtS} s of ${(res.reshardMs / 1000).toFixed(1)} (${res.during.requests} req); client errors ${res.clientErrors}${res.clientStuck > 0 ? `, ${res.clientStuck} requests never answered` : ''}; server CPU s source ${res.cpuSeconds.source} target ${res.cpuSeconds.target}; load average ${res.loadAverage.start.toFixed(1)} -> ${res.loadAverage.end.toFixed(1)}`);
    for (const [k, v] of Object.entries(res.bigKeys)) console.log(`  ${k} (slot ${v.slot}): slot moved in ${v.slotMoveMs} ms, max request latency meanwhile ${f(v.maxRequestMs)} ms`);
  }
  const out = path.join(REPO_ROOT, 'bench/results');
  mkdirSync(out, { recursive: true });
  const when = new Date().toISOString();
  const confDir = CONF_DIR || os.tmpdir();
  writeFileSync(path.join(out, 'reshard-latest.json'), JSON.stringify({ when, keys: KEYS, hashFields: HASH_FIELDS, stringMb: STRING_MB, clients: CLIENTS, confDir, cpus: os.cpus().length, results }, null, 2));
  writeFileSync(path.join(out, 'reshard-latest.md'), markdown(when, confDir, results));
}

function markdown(when: string, confDir: string, results: readonly Result[]): string {
  const f = (n: number): string => n.toFixed(1);
  const lines = [
    `# Reshard benchmark (${when})`,
    '',
    `Every slot of A moved to B (by \`redis-cli --cluster reshard\`, and by \`tessera scale --remove A\`): ${KEYS} keys x 100 B, a ${HASH_FIELDS}-field hash, a ${STRING_MB} MB string; ${CLIENTS} concurrent ioredis requests (random GET/SET); nodes.conf in ${confDir}; cluster-node-timeout ${NODE_TIMEOUT_MS} ms; both servers pinned to one core; ${os.cpus().length} CPUs on the machine. Produced by bench/reshard/run.ts.`,
    '',
    '| server | tool | keys/s | reshard s | server CPU s (source / target) | p99 before / during ms | max before / during ms | max during big hash ms | max during big string ms | client errors | load avg start / end |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const big = (k: string): string => (r.bigKeys[k] ? f(r.bigKeys[k]!.maxRequestMs) : '-');
    lines.push(
      `| ${r.kind} | ${r.tool} | ${r.keysPerSecond} | ${f(r.reshardMs / 1000)} | ${r.cpuSeconds.source} / ${r.cpuSeconds.target} | ${f(r.before.p99Ms)} / ${f(r.during.p99Ms)} | ${f(r.before.maxMs)} / ${f(r.during.maxMs)} | ${big(BIG_HASH)} | ${big(BIG_STRING)} | ${r.clientErrors}${r.clientStuck > 0 ? ` (+${r.clientStuck} never answered)` : ''} | ${r.loadAverage.start.toFixed(1)} / ${r.loadAverage.end.toFixed(1)} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
