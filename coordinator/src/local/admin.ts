// Talking to one node as an operator does: one short-lived connection per
// command (no retries, no offline queue, so a dead node fails fast), INFO and
// CLUSTER NODES parsed into values, and redis-cli run as a child process.
//
// Everything here speaks the plain Redis Cluster contract, so it works the same
// against redis-server 7.0 and tessera-server.

import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';

export type Reply = string | number | null | Buffer | Reply[];

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** Sends one command to one node and closes the connection. Rejects on any error or after timeoutMs. */
export async function nodeCommand(ep: Endpoint, args: readonly (string | number)[], timeoutMs = 2000): Promise<Reply> {
  const [name, ...rest] = args;
  if (name === undefined) throw new Error('nodeCommand: empty command');
  const conn = new Redis({
    host: ep.host, port: ep.port, lazyConnect: true, enableOfflineQueue: false,
    maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, commandTimeout: timeoutMs,
    enableReadyCheck: false,
  });
  conn.on('error', () => { /* surfaced through the command's rejection */ });
  try {
    await conn.connect();
    return (await conn.call(String(name), ...rest.map(String))) as Reply;
  } finally {
    conn.disconnect();
  }
}

export async function nodeInfo(ep: Endpoint, section?: string, timeoutMs?: number): Promise<Map<string, string>> {
  const reply = await nodeCommand(ep, section ? ['INFO', section] : ['INFO'], timeoutMs);
  return parseInfo(String(reply));
}

export async function clusterInfo(ep: Endpoint, timeoutMs?: number): Promise<Map<string, string>> {
  return parseInfo(String(await nodeCommand(ep, ['CLUSTER', 'INFO'], timeoutMs)));
}

export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

/** One line of CLUSTER NODES. */
export interface ClusterNodeLine {
  readonly id: string;
  /** host:port as announced (the @busport and ,hostname parts stripped). */
  readonly addr: string;
  readonly port: number;
  readonly flags: readonly string[];
  /** Primary's id for a replica, '-' for a primary. */
  readonly primaryId: string;
  readonly configEpoch: number;
  readonly linkState: string;
  /** Slot ranges [from, to] inclusive; importing/migrating markers are left out. */
  readonly slots: readonly (readonly [number, number])[];
  readonly myself: boolean;
  readonly role: 'primary' | 'replica' | 'unknown';
  readonly failing: boolean;
}

export function parseClusterNodes(text: string): ClusterNodeLine[] {
  const out: ClusterNodeLine[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const f = line.split(' ');
    const [id, rawAddr, rawFlags, primaryId, , , epoch, linkState, ...slotFields] = f;
    if (id === undefined || rawAddr === undefined || rawFlags === undefined || primaryId === undefined) continue;
    const addr = (rawAddr.split(',')[0] ?? '').split('@')[0] ?? '';
    const flags = rawFlags.split(',');
    const slots: [number, number][] = [];
    for (const s of slotFields) {
      if (s.startsWith('[')) continue;
      const [a, b] = s.split('-');
      const from = Number(a);
      const to = b === undefined ? from : Number(b);
      if (Number.isInteger(from) && Number.isInteger(to)) slots.push([from, to]);
    }
    const role = flags.includes('master') ? 'primary' : flags.includes('slave') ? 'replica' : 'unknown';
    out.push({
      id, addr, port: Number(addr.slice(addr.lastIndexOf(':') + 1)), flags, primaryId,
      configEpoch: Number(epoch ?? 0), linkState: linkState ?? '', slots, myself: flags.includes('myself'), role,
      failing: flags.includes('fail') || flags.includes('fail?'),
    });
  }
  return out;
}

export async function clusterNodes(ep: Endpoint, timeoutMs?: number): Promise<ClusterNodeLine[]> {
  return parseClusterNodes(String(await nodeCommand(ep, ['CLUSTER', 'NODES'], timeoutMs)));
}

export function slotCount(ranges: readonly (readonly [number, number])[]): number {
  let n = 0;
  for (const [a, b] of ranges) n += b - a + 1;
  return n;
}

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** Runs redis-cli; killed after timeoutMs (a hung node must not hang a script). */
export async function redisCli(args: readonly string[], timeoutMs = 60000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const p = spawn('redis-cli', [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('exit', (code) => {
      clearTimeout(t);
      resolve({ stdout, stderr, code: code ?? -1 });
    });
  });
}

/**
 * `redis-cli --cluster check`: clean means exit 0 and no [ERR] or [WARNING]
 * line (open slots, nodes that disagree, uncovered slots all print one).
 */
export async function clusterCheck(ep: Endpoint): Promise<{ clean: boolean; output: string }> {
  const r = await redisCli(['--cluster', 'check', `${ep.host}:${ep.port}`], 30000);
  const output = r.stdout + r.stderr;
  const clean = r.code === 0 && !/\[ERR\]|\[WARNING\]/.test(output) && output.includes('All 16384 slots covered');
  return { clean, output };
}
