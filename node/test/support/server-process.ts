// Starts real tessera-server (or redis-server) processes for integration
// tests on loopback, on free ports, and guarantees they are killed: each
// started process is registered and killed by pid in an exit hook even when
// a test fails or mocha is interrupted.

import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repository root (dist/node/test/support -> ../../../..). */
export const REPO_ROOT = path.resolve(here, '../../../..');
export const TESSERA_BIN = path.join(REPO_ROOT, 'bin/tessera-server');

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) if (p.pid) try { process.kill(p.pid, 'SIGKILL'); } catch { /* already gone */ }
});

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerHandle {
  readonly port: number;
  readonly host: string;
  readonly proc: ChildProcess;
  readonly dir: string;
  /** stdout+stderr so far. */
  output(): string;
  /** SIGTERM then SIGKILL after 3 s; resolves when the process has exited. */
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

async function waitForPort(host: string, port: number, proc: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host, port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server on ${host}:${port} did not start within ${timeoutMs} ms`);
}

export async function startServer(
  args: string[] = [],
  opts: { binary?: 'tessera' | 'redis'; host?: string; port?: number; timeoutMs?: number } = {},
): Promise<ServerHandle> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (await freePort(host));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tessera-test-'));
  const bin = opts.binary === 'redis' ? 'redis-server' : TESSERA_BIN;
  const baseArgs = ['--port', String(port), '--bind', host, '--dir', dir];
  if (opts.binary === 'redis') baseArgs.push('--save', '', '--appendonly', 'no');
  const proc = spawn(bin, [...baseArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => {
    live.delete(proc);
    resolve();
  }));
  try {
    await waitForPort(host, port, proc, opts.timeoutMs ?? 10000);
  } catch (e) {
    proc.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${out}`);
  }
  return {
    port,
    host,
    proc,
    dir,
    output: () => out,
    kill: (signal = 'SIGKILL') => {
      if (proc.exitCode === null) proc.kill(signal);
    },
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Runs redis-cli with args and returns stdout (throws on a non-zero exit). */
export async function redisCli(args: string[], input?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn('redis-cli', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    const t = setTimeout(() => p.kill('SIGKILL'), 30000);
    p.on('exit', (code) => {
      clearTimeout(t);
      resolve({ stdout, stderr, code: code ?? -1 });
    });
    if (input !== undefined) p.stdin.end(input);
    else p.stdin.end();
  });
}
