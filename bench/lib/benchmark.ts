// One redis-benchmark run of one test against one server, pinned to the
// client core. Each test is its own run so that a command a server lacks
// fails only its own line: redis-benchmark stops at the first error reply
// and would otherwise lose every test after it.

import { spawn } from 'node:child_process';
import { CLIENT_CPU, track } from './procs.js';

export interface BenchTest {
  /** The name given to `-t`. */
  readonly id: string;
  /** The CSV label of the line to keep (LRANGE also prints its LPUSH fill line). */
  readonly label: string;
  /** Name in the report. */
  readonly name: string;
}

/** The tests, in the order redis-benchmark itself runs them. */
export const TESTS: readonly BenchTest[] = [
  { id: 'set', label: 'SET', name: 'SET' },
  { id: 'get', label: 'GET', name: 'GET' },
  { id: 'incr', label: 'INCR', name: 'INCR' },
  { id: 'lpush', label: 'LPUSH', name: 'LPUSH' },
  { id: 'rpop', label: 'RPOP', name: 'RPOP' },
  { id: 'sadd', label: 'SADD', name: 'SADD' },
  { id: 'hset', label: 'HSET', name: 'HSET' },
  { id: 'zadd', label: 'ZADD', name: 'ZADD' },
  { id: 'lrange_100', label: 'LRANGE_100 (first 100 elements)', name: 'LRANGE_100' },
  { id: 'mset', label: 'MSET (10 keys)', name: 'MSET (10 keys)' },
];

export const CLIENTS = 50;

export interface Sample {
  rps: number;
  avgMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Requests per CPU-second of the server during the run (set by the caller). */
  rpsPerCpu: number | null;
}

export type RunResult = { ok: true; sample: Sample } | { ok: false; error: string };

/** Splits one CSV line of redis-benchmark (every field is double-quoted). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"]|"")*)"/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) out.push((m[1] ?? '').replace(/""/g, '"'));
  return out;
}

/** Finds the line of `label` in redis-benchmark's --csv output. */
export function parseCsv(stdout: string, label: string): Sample | null {
  const lines = stdout.split('\n');
  const header = csvFields(lines[0] ?? '');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`redis-benchmark CSV has no column ${name}: ${lines[0] ?? ''}`);
    return i;
  };
  for (const line of lines.slice(1)) {
    const f = csvFields(line);
    if (f[0] !== label) continue;
    const num = (name: string): number => Number(f[col(name)]);
    return {
      rps: num('rps'),
      avgMs: num('avg_latency_ms'),
      p50Ms: num('p50_latency_ms'),
      p95Ms: num('p95_latency_ms'),
      p99Ms: num('p99_latency_ms'),
      maxMs: num('max_latency_ms'),
      rpsPerCpu: null,
    };
  }
  return null;
}

export async function runBenchmark(port: number, test: BenchTest, pipeline: number, requests: number): Promise<RunResult> {
  const args = ['-c', CLIENT_CPU, 'redis-benchmark', '-h', '127.0.0.1', '-p', String(port), '-c', String(CLIENTS), '-n', String(requests), '-P', String(pipeline), '-t', test.id, '--csv'];
  const p = track(spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  p.stdout?.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
  p.stderr?.on('data', (d: Buffer) => (stderr += d.toString('latin1')));
  // A server that stops answering must not hang the bench forever.
  const timeoutMs = 180_000;
  const pid = p.pid;
  const timer = setTimeout(() => {
    if (pid !== undefined && p.exitCode === null) process.kill(pid, 'SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => p.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  // redis-benchmark prints "Error from server: ..." (no newline) and exits 1 on an error reply.
  const serverError = /Error from server: ([^\n]*)/.exec(stdout + stderr);
  if (serverError) return { ok: false, error: `error reply: ${serverError[1] ?? ''}`.trim() };
  const sample = parseCsv(stdout, test.label);
  if (sample) return { ok: true, sample };
  const why = code === null ? `timed out after ${timeoutMs / 1000} s` : `exit code ${code}`;
  return { ok: false, error: `no result (${why}): ${(stderr || stdout).trim().split('\n').slice(-2).join(' | ')}` };
}

/**
 * Unrecorded traffic for a fresh server before its first measured test, so
 * that tessera's first line is not a measurement of V8's JIT warming up.
 * It touches only what the SET and GET tests write anyway (`key:__rand_int__`).
 * Returns an error text, or null.
 */
export async function warmUp(port: number, requests: number): Promise<string | null> {
  const args = ['-c', CLIENT_CPU, 'redis-benchmark', '-h', '127.0.0.1', '-p', String(port), '-c', String(CLIENTS), '-n', String(requests), '-t', 'ping_mbulk,set,get', '-q'];
  const p = track(spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  p.stdout?.on('data', (d: Buffer) => (out += d.toString('latin1')));
  p.stderr?.on('data', (d: Buffer) => (out += d.toString('latin1')));
  const code = await new Promise<number | null>((resolve) => p.once('exit', (c) => resolve(c)));
  const serverError = /Error from server: ([^\n]*)/.exec(out);
  if (serverError) return serverError[1] ?? 'error reply';
  return code === 0 ? null : `redis-benchmark exit code ${String(code)}`;
}
