// Child processes of the bench: servers pinned with taskset, redis-benchmark
// runs. Every process is registered and killed by its pid (never by name)
// when it is stopped, when the bench fails, and when the bench is
// interrupted (SIGINT/SIGTERM/SIGHUP handler plus an exit hook), so an aborted run
// leaves nothing listening on the bench ports.

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repository root (dist/bench/lib -> ../../..). */
export const REPO_ROOT = path.resolve(here, '../../..');
export const TESSERA_BIN = path.join(REPO_ROOT, 'bin/tessera-server');

/** The core the servers run on; redis-benchmark and the loader use the other. */
export const SERVER_CPU = '0';
export const CLIENT_CPU = '1';

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();

function killAll(): void {
  for (const p of live) {
    if (p.pid !== undefined && p.exitCode === null && p.signalCode === null) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // Already gone between the check and the kill.
      }
    }
  }
  live.clear();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    process.stderr.write(`\nbench: ${sig}, stopping child processes\n`);
    killAll();
    process.exit(sig === 'SIGINT' ? 130 : sig === 'SIGHUP' ? 129 : 143);
  });
}

/** Spawns a tracked child; it leaves the registry when it exits. */
export function track(p: ChildProcess): ChildProcess {
  live.add(p);
  p.once('exit', () => live.delete(p));
  return p;
}

export type ServerKind = 'tessera' | 'redis';

export interface ServerProcess {
  readonly kind: ServerKind;
  readonly port: number;
  readonly pid: number;
  readonly proc: ChildProcess;
  /** True while the process runs. */
  alive(): boolean;
  /** How it ended, for the report when it died on its own. */
  exitDescription(): string;
  /** Last lines of its stdout+stderr. */
  outputTail(lines?: number): string;
  /** SIGSTOP: the server gets no CPU at all (no cron, no GC threads) while the other one is measured. */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
  stop(): Promise<void>;
}

let nextPort = 16800;
const PORT_LAST = 16899;

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** The next free port of 16800-16899, rotating so a restart never waits on the previous listener. */
async function allocatePort(): Promise<number> {
  for (let tries = 0; tries <= PORT_LAST - 16800; tries++) {
    const port = nextPort;
    nextPort = nextPort >= PORT_LAST ? 16800 : nextPort + 1;
    if (await portFree(port)) return port;
  }
  throw new Error('no free port in 16800-16899');
}

/** Sends PING until +PONG comes back (the port being open is not enough: tessera listens before it is ready). */
async function waitReady(port: number, proc: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error('server exited during startup');
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => s.write('PING\r\n'));
      const t = setTimeout(() => {
        s.destroy();
        resolve(false);
      }, 500);
      s.once('data', (d: Buffer) => {
        clearTimeout(t);
        s.destroy();
        resolve(d.toString('latin1').startsWith('+PONG'));
      });
      s.once('error', () => {
        clearTimeout(t);
        resolve(false);
      });
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`server on port ${port} not ready within ${timeoutMs} ms`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Starts a server pinned to SERVER_CPU with persistence off. `taskset` and
 * bin/tessera-server both exec, so the child's pid is the server's own.
 */
export async function startServer(kind: ServerKind, extraArgs: readonly string[] = []): Promise<ServerProcess> {
  const port = await allocatePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), `tessera-bench-${kind}-`));
  tempDirs.add(dir);
  const bin = kind === 'tessera' ? TESSERA_BIN : 'redis-server';
  // --dir keeps any file a server might write out of the working tree.
  const args = ['-c', SERVER_CPU, bin, '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs];
  const proc = track(spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  const keep = (d: Buffer): void => {
    out += d.toString();
    if (out.length > 64 * 1024) out = out.slice(-32 * 1024);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  // BENCH_SERVER_LOG_DIR keeps each server's whole output (e.g. with
  // TESSERA_NODE_FLAGS=--trace-gc), headed by its start time so V8's
  // ms-since-start stamps can be placed on the bench's clock.
  const logDir = process.env['BENCH_SERVER_LOG_DIR'];
  if (logDir) {
    const log = createWriteStream(path.join(logDir, `${kind}-${port}.log`));
    log.write(`started ${Date.now()}\n`);
    proc.stdout?.pipe(log);
    proc.stderr?.on('data', (d: Buffer) => log.write(d));
  }
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const pid = proc.pid;
  if (pid === undefined) throw new Error(`could not spawn ${bin}`);
  const handle: ServerProcess = {
    kind,
    port,
    pid,
    proc,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    exitDescription: () => (proc.signalCode !== null ? `killed by ${proc.signalCode}` : `exited with code ${String(proc.exitCode)}`),
    outputTail: (lines = 15) => out.trimEnd().split('\n').slice(-lines).join('\n'),
    freeze: () => {
      if (handle.alive()) process.kill(pid, 'SIGSTOP');
    },
    thaw: () => {
      if (handle.alive()) process.kill(pid, 'SIGCONT');
    },
    stop: async () => {
      if (handle.alive()) {
        // A frozen process would hold SIGTERM pending forever.
        process.kill(pid, 'SIGCONT');
        process.kill(pid, 'SIGTERM');
        const t = setTimeout(() => {
          if (handle.alive()) process.kill(pid, 'SIGKILL');
        }, 3000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    },
  };
  try {
    await waitReady(port, proc, 15000);
  } catch (e) {
    if (handle.alive()) process.kill(pid, 'SIGKILL');
    throw new Error(`${kind} did not start: ${(e as Error).message}\n${handle.outputTail()}`);
  }
  return handle;
}

/** VmRSS of a process in bytes, from /proc/<pid>/status. */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** Ticks of /proc/<pid>/stat (USER_HZ); 100 on every Linux the bench targets. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system, all threads) a process has used, from
 * /proc/<pid>/stat. Unlike wall-clock throughput this does not shrink when
 * other work on the machine takes the core away from the server.
 */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  // The command name (field 2) may hold spaces; fields after its ')' are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the name.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}
