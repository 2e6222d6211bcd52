// `npm run bench`: tessera-server against redis-server 7 on this machine, in
// the same run, one server at a time. Each server is pinned to core 0 and
// redis-benchmark (and this process) to core 1, so neither steals the
// other's CPU. Three rounds with fresh servers, tessera and redis alternating
// test by test; the median per (test, pipeline) goes into the table. Then memory for a million keys,
// and eviction under allkeys-lru. Results go to stdout and
// bench/results/latest.{md,json}. See docs/benchmarks.md.
//
// Environment: BENCH_REQUESTS (requests per test at pipeline 1),
// BENCH_REQUESTS_P16 (at pipeline 16; default 8x), BENCH_ROUNDS (3),
// BENCH_WARMUP (requests per warm-up test, 0 = none),
// BENCH_KEYS (1000000), BENCH_PHASES (throughput,memory,eviction),
// BENCH_TESTS (subset of set,get,...), BENCH_OUT (results folder).

import { spawnSync, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TESTS, CLIENTS, runBenchmark, warmUp, type BenchTest, type RunResult } from './lib/benchmark.js';
import { RawClient, loadKeys } from './lib/client.js';
import { REPO_ROOT, CLIENT_CPU, SERVER_CPU, cpuSeconds, residentBytes, sleep, startServer, type ServerKind, type ServerProcess } from './lib/procs.js';
import {
  evictionCheck,
  mb,
  memoryCheck,
  renderChecks,
  renderThroughput,
  throughputChecks,
  type Check,
  type EvictionSide,
  type MemoryResult,
  type MemorySide,
  type SideResult,
  type ThroughputLine,
} from './lib/report.js';
import { median } from './lib/stats.js';

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return n;
}

// Defaults sized so the whole bench takes about 5 minutes on the 2-core box;
// pipeline 16 gets 8x the requests because each run is ~8x faster and a run
// of well under a second is dominated by connection setup and noise.
const REQUESTS_P1 = envInt('BENCH_REQUESTS', 50_000);
const REQUESTS_P16 = envInt('BENCH_REQUESTS_P16', REQUESTS_P1 * 8);
const ROUNDS = envInt('BENCH_ROUNDS', 3);
/** Requests of each warm-up test (PING, SET, GET) on a fresh server; BENCH_WARMUP=0 turns it off. */
const WARMUP_REQUESTS = process.env['BENCH_WARMUP'] === '0' ? 0 : envInt('BENCH_WARMUP', 20_000);
const MEMORY_KEYS = envInt('BENCH_KEYS', 1_000_000);
const PIPELINES = [1, 16] as const;
const PHASES = new Set((process.env['BENCH_PHASES'] ?? 'throughput,memory,eviction').split(',').map((s) => s.trim()));
const ONLY_TESTS = process.env['BENCH_TESTS'] ? new Set(process.env['BENCH_TESTS'].split(',').map((s) => s.trim().toLowerCase())) : null;
const OUT_DIR = process.env['BENCH_OUT'] ?? path.join(REPO_ROOT, 'bench/results');

const LOAD_BATCH = 10_000;
const VALUE_BYTES = 16;
const EVICT_MAXMEMORY_MB = 64;
const EVICT_VALUE_BYTES = 1024;
const EVICT_WRITE_BYTES = EVICT_MAXMEMORY_MB * 10 * 1024 * 1024;
const EVICT_BATCH = 1000;
/** Time given to a server after a load before its RSS is read (allocator and GC settle). */
const SETTLE_MS = 2000;

const log = (msg: string): void => {
  process.stderr.write(`${msg}\n`);
};

/** Incidents worth the reader's attention (crashes, restarts), listed under the table. */
const incidents: string[] = [];

function pinSelf(): void {
  // -a: every thread of this process (libuv pool, V8 helpers), not only the main one.
  const r = spawnSync('taskset', ['-a', '-p', '-c', CLIENT_CPU, String(process.pid)], { stdio: 'ignore' });
  if (r.status !== 0) log(`warning: could not pin the bench process to core ${CLIENT_CPU}`);
}

function commandVersion(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

// ---------------------------------------------------------------- throughput

/**
 * One round: a fresh tessera-server and a fresh redis-server, both pinned to
 * the server core; for each (pipeline, test) both are measured back to back,
 * `first` going first. The one not being measured is frozen (SIGSTOP), so
 * only one server ever runs at a time, and the two samples of a line are
 * seconds apart instead of a minute: on a shared machine that is what keeps
 * a burst of someone else's work from landing on one side only.
 */
async function measureRound(round: number, first: ServerKind, tests: readonly BenchTest[], results: Record<ServerKind, Map<string, SideResult>>): Promise<void> {
  const servers: Partial<Record<ServerKind, ServerProcess>> = {};
  const order: ServerKind[] = first === 'tessera' ? ['tessera', 'redis'] : ['redis', 'tessera'];
  try {
    for (const kind of order) {
      const server = await startServer(kind);
      servers[kind] = server;
      if (WARMUP_REQUESTS > 0) {
        const err = await warmUp(server.port, WARMUP_REQUESTS);
        if (err) incidents.push(`${kind} warm-up failed in round ${round}: ${err}`);
      }
      server.freeze();
    }
    for (const pipeline of PIPELINES) {
      const requests = pipeline === 1 ? REQUESTS_P1 : REQUESTS_P16;
      for (const test of tests) {
        for (const kind of order) {
          let server = servers[kind];
          if (!server) throw new Error(`${kind} not started`);
          if (!server.alive()) {
            // A crash is reported; the server is restarted only so the remaining lines still get measured.
            incidents.push(`${kind} ${server.exitDescription()} before ${test.name} P${pipeline} in round ${round}; restarted. Output tail:\n${server.outputTail()}`);
            await server.stop();
            server = await startServer(kind);
            servers[kind] = server;
          } else {
            server.thaw();
          }
          const cpuBefore = cpuSeconds(server.pid);
          const res: RunResult = await runBenchmark(server.port, test, pipeline, requests);
          let result: SideResult['rounds'][number];
          if (res.ok) {
            // LRANGE_100's run also fills the list; those LPUSHes are in the CPU time too, on both servers alike.
            const cpu = server.alive() ? cpuSeconds(server.pid) - cpuBefore : 0;
            result = { sample: { ...res.sample, rpsPerCpu: cpu > 0 ? requests / cpu : null } };
          }
          else if (!server.alive()) result = { error: `server crashed (${server.exitDescription()})` };
          else result = { error: res.error };
          server.freeze();
          results[kind].get(`${test.name}|${pipeline}`)?.rounds.push(result);
          log(
            `  round ${round} ${kind.padEnd(7)} P${String(pipeline).padEnd(2)} ${test.name.padEnd(14)} ` +
              ('sample' in result ? `${Math.round(result.sample.rps)} rps p50 ${result.sample.p50Ms} p99 ${result.sample.p99Ms}` : `ERROR ${result.error}`),
          );
        }
      }
    }
  } finally {
    for (const kind of order) await servers[kind]?.stop();
  }
}

function summarise(side: SideResult): void {
  const samples = side.rounds.flatMap((r) => ('sample' in r ? [r.sample] : []));
  if (samples.length === 0) return;
  side.median = {
    rps: median(samples.map((s) => s.rps)),
    avgMs: median(samples.map((s) => s.avgMs)),
    p50Ms: median(samples.map((s) => s.p50Ms)),
    p95Ms: median(samples.map((s) => s.p95Ms)),
    p99Ms: median(samples.map((s) => s.p99Ms)),
    maxMs: median(samples.map((s) => s.maxMs)),
    rpsPerCpu: (() => {
      const xs = samples.flatMap((s) => (s.rpsPerCpu === null ? [] : [s.rpsPerCpu]));
      return xs.length ? median(xs) : null;
    })(),
  };
}

async function throughputPhase(): Promise<ThroughputLine[]> {
  const tests = TESTS.filter((t) => !ONLY_TESTS || ONLY_TESTS.has(t.id));
  const tessera = new Map<string, SideResult>();
  const redis = new Map<string, SideResult>();
  const lines: ThroughputLine[] = [];
  for (const pipeline of PIPELINES) {
    for (const t of tests) {
      const key = `${t.name}|${pipeline}`;
      const line: ThroughputLine = { test: t.name, pipeline, tessera: { rounds: [], median: null }, redis: { rounds: [], median: null } };
      tessera.set(key, line.tessera);
      redis.set(key, line.redis);
      lines.push(line);
    }
  }
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternating who goes first cancels any advantage of running first (or second) after a pause.
    const first: ServerKind = round % 2 === 1 ? 'tessera' : 'redis';
    log(`round ${round}/${ROUNDS}: ${first} first`);
    await measureRound(round, first, tests, { tessera, redis });
  }
  for (const l of lines) {
    summarise(l.tessera);
    summarise(l.redis);
  }
  return lines;
}

// -------------------------------------------------------------------- memory

/** `key:N` -> a 16-byte value that differs per key (so no server can share it). */
const memoryValue = (i: number): string => String(i).padStart(VALUE_BYTES, '0');

async function usedMemory(c: RawClient): Promise<number | null> {
  const v = (await c.info('memory')).get('used_memory');
  return v === undefined ? null : Number(v);
}

async function dbsize(c: RawClient): Promise<number> {
  const n = await c.command('DBSIZE');
  return typeof n === 'number' ? n : Number(n);
}

async function memorySide(kind: ServerKind): Promise<MemorySide> {
  const server = await startServer(kind);
  try {
    const client = await RawClient.connect(server.port);
    try {
      await sleep(SETTLE_MS);
      const baselineRssBytes = residentBytes(server.pid);
      const load = await loadKeys(client, MEMORY_KEYS, LOAD_BATCH, 'key:', memoryValue);
      await sleep(SETTLE_MS);
      if (!server.alive()) throw new Error(`${kind} ${server.exitDescription()} after loading:\n${server.outputTail()}`);
      const rssBytes = residentBytes(server.pid);
      const side: MemorySide = {
        baselineRssBytes,
        rssBytes,
        usedMemoryBytes: await usedMemory(client),
        dbsize: await dbsize(client),
        loadSeconds: load.seconds,
        errors: load.errors,
        firstError: load.firstError,
      };
      log(`  ${kind}: RSS ${mb(baselineRssBytes)} MB empty, ${mb(rssBytes)} MB with ${side.dbsize} keys (loaded in ${load.seconds.toFixed(1)} s)`);
      return side;
    } finally {
      client.close();
    }
  } finally {
    await server.stop();
  }
}

async function memoryPhase(): Promise<MemoryResult> {
  log(`memory: ${MEMORY_KEYS} keys`);
  const tessera = await memorySide('tessera');
  const redis = await memorySide('redis');
  return { keys: MEMORY_KEYS, valueBytes: VALUE_BYTES, tessera, redis };
}

// ------------------------------------------------------------------ eviction

async function evictionSide(kind: ServerKind): Promise<EvictionSide> {
  const server = await startServer(kind, ['--maxmemory', `${EVICT_MAXMEMORY_MB}mb`, '--maxmemory-policy', 'allkeys-lru']);
  let peakRssBytes = 0;
  const sampler = setInterval(() => {
    try {
      peakRssBytes = Math.max(peakRssBytes, residentBytes(server.pid));
    } catch {
      // The process is gone; the load reports that.
    }
  }, 100);
  try {
    const client = await RawClient.connect(server.port);
    try {
      const keys = Math.floor(EVICT_WRITE_BYTES / EVICT_VALUE_BYTES);
      const filler = 'x'.repeat(EVICT_VALUE_BYTES - 8);
      // Distinct 1 KB values: the index in front keeps a server from sharing them.
      const load = await loadKeys(client, keys, EVICT_BATCH, 'evict:', (i) => String(i).padStart(8, '0') + filler);
      await sleep(SETTLE_MS);
      if (!server.alive()) throw new Error(`${kind} ${server.exitDescription()} during the eviction load:\n${server.outputTail()}`);
      const rssBytes = residentBytes(server.pid);
      peakRssBytes = Math.max(peakRssBytes, rssBytes);
      const evicted = (await client.info('stats')).get('evicted_keys');
      const side: EvictionSide = {
        maxmemoryBytes: EVICT_MAXMEMORY_MB * 1024 * 1024,
        writtenBytes: keys * EVICT_VALUE_BYTES,
        keysWritten: keys,
        rssBytes,
        peakRssBytes,
        usedMemoryBytes: await usedMemory(client),
        dbsize: await dbsize(client),
        evictedKeys: evicted === undefined ? null : Number(evicted),
        errors: load.errors,
        firstError: load.firstError,
        loadSeconds: load.seconds,
      };
      log(
        `  ${kind}: RSS ${mb(rssBytes)} MB (peak ${mb(peakRssBytes)}) for maxmemory ${EVICT_MAXMEMORY_MB} MB, ` +
          `dbsize ${side.dbsize}, evicted_keys ${side.evictedKeys ?? 'n/a'}, ${load.errors} errors, ${load.seconds.toFixed(1)} s`,
      );
      return side;
    } finally {
      client.close();
    }
  } finally {
    clearInterval(sampler);
    await server.stop();
  }
}

// ---------------------------------------------------------------------- main

async function main(): Promise<void> {
  pinSelf();
  const startedAt = new Date();
  const meta = {
    startedAt: startedAt.toISOString(),
    commit: commandVersion('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD']),
    node: process.version,
    redisServer: commandVersion('redis-server', ['--version']),
    cpus: os.cpus().length,
    serverCpu: SERVER_CPU,
    clientCpu: CLIENT_CPU,
    clients: CLIENTS,
    requestsP1: REQUESTS_P1,
    requestsP16: REQUESTS_P16,
    rounds: ROUNDS,
    warmupRequests: WARMUP_REQUESTS,
    loadAvgStart: os.loadavg().map((x) => Number(x.toFixed(2))),
    loadAvgEnd: [] as number[],
    durationSeconds: 0,
  };
  log(`tessera bench: ${ROUNDS} rounds, ${REQUESTS_P1} requests at P1, ${REQUESTS_P16} at P16, ${CLIENTS} clients; load average ${meta.loadAvgStart.join(' ')}`);

  const throughput = PHASES.has('throughput') ? await throughputPhase() : [];
  const memory = PHASES.has('memory') ? await memoryPhase() : null;
  let eviction: { tessera: EvictionSide; redis: EvictionSide | null } | null = null;
  if (PHASES.has('eviction')) {
    log(`eviction: ${mb(EVICT_WRITE_BYTES)} MB into maxmemory ${EVICT_MAXMEMORY_MB} MB, allkeys-lru`);
    const tessera = await evictionSide('tessera');
    // redis-server under the same load, for reference only.
    const redis = await evictionSide('redis');
    eviction = { tessera, redis };
  }

  meta.loadAvgEnd = os.loadavg().map((x) => Number(x.toFixed(2)));
  meta.durationSeconds = Math.round((Date.now() - startedAt.getTime()) / 1000);

  const checks: Check[] = [...throughputChecks(throughput)];
  if (memory) checks.push(memoryCheck(memory));
  if (eviction) checks.push(evictionCheck(eviction.tessera, eviction.redis));

  const md: string[] = [
    `# Tessera vs redis-server: ${meta.startedAt}`,
    '',
    `commit ${meta.commit}, node ${meta.node}, ${meta.redisServer.split(' ').slice(0, 3).join(' ')}; ${meta.cpus} CPUs, server on core ${SERVER_CPU}, ` +
      `redis-benchmark on core ${CLIENT_CPU}; ${CLIENTS} clients, ${REQUESTS_P1} requests at P1 and ${REQUESTS_P16} at P16 per test, ` +
      `median of ${ROUNDS} rounds alternating test by test, warm-up ${WARMUP_REQUESTS} requests; load average ${meta.loadAvgStart.join(' ')} at start, ${meta.loadAvgEnd.join(' ')} at end; ${meta.durationSeconds} s.`,
    '',
  ];
  if (throughput.length) md.push('## Requests per second and latency (medians)', '', renderThroughput(throughput), '');
  if (memory) {
    md.push(
      '## Memory',
      '',
      `${memory.keys.toLocaleString('en-US')} keys \`key:N\` -> ${memory.valueBytes}-byte values: tessera RSS ${mb(memory.tessera.rssBytes)} MB ` +
        `(${mb(memory.tessera.baselineRssBytes)} MB empty, used_memory ${memory.tessera.usedMemoryBytes === null ? 'n/a' : mb(memory.tessera.usedMemoryBytes)} MB, loaded in ${memory.tessera.loadSeconds.toFixed(1)} s), ` +
        `redis RSS ${mb(memory.redis.rssBytes)} MB (${mb(memory.redis.baselineRssBytes)} MB empty, used_memory ${memory.redis.usedMemoryBytes === null ? 'n/a' : mb(memory.redis.usedMemoryBytes)} MB, loaded in ${memory.redis.loadSeconds.toFixed(1)} s).`,
      '',
    );
  }
  if (eviction) {
    const e = eviction.tessera;
    const r = eviction.redis;
    md.push(
      '## Eviction',
      '',
      `maxmemory ${EVICT_MAXMEMORY_MB} MB, allkeys-lru, ${e.keysWritten.toLocaleString('en-US')} x ${EVICT_VALUE_BYTES} B values written: ` +
        `tessera RSS ${mb(e.rssBytes)} MB (peak ${mb(e.peakRssBytes)} MB), used_memory ${e.usedMemoryBytes === null ? 'n/a' : mb(e.usedMemoryBytes)} MB, dbsize ${e.dbsize}, evicted_keys ${e.evictedKeys ?? 'n/a'}, ${e.errors} error replies` +
        (r ? `; redis RSS ${mb(r.rssBytes)} MB (peak ${mb(r.peakRssBytes)} MB), dbsize ${r.dbsize}, evicted_keys ${r.evictedKeys ?? 'n/a'}.` : '.'),
      '',
    );
  }
  if (incidents.length) md.push('## Incidents', '', ...incidents.map((i) => `- ${i.replace(/\n/g, '\n  ')}`), '');
  md.push('## Targets', '', renderChecks(checks), '');
  const passed = checks.filter((c) => c.pass).length;
  md.push(`${passed}/${checks.length} checks pass.`, '');

  const text = md.join('\n');
  process.stdout.write(`\n${text}`);
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(path.join(OUT_DIR, 'latest.md'), text);
  writeFileSync(path.join(OUT_DIR, 'latest.json'), `${JSON.stringify({ meta, throughput, memory, eviction, incidents, checks }, null, 2)}\n`);
  log(`\nwrote ${path.join(OUT_DIR, 'latest.md')} and latest.json`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    log(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    // The exit hook in procs.ts kills every server still running.
    process.exit(1);
  },
);
