// `node dist/bench/profile.js <test> [pipeline]`: runs one redis-benchmark
// test against tessera-server started under `node --cpu-prof`, pinned like
// the bench, then prints the functions with the most self time. It is how
// the bench's findings are turned into "what is in the way".

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { TESTS, runBenchmark, warmUp } from './lib/benchmark.js';
import { REPO_ROOT, SERVER_CPU, sleep, track } from './lib/procs.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PORT = 16899;

async function waitPort(port: number, timeoutMs: number, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error('tessera-server exited during startup');
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`port ${port} not open within ${timeoutMs} ms`);
}

/** Self time per function (summed over the call sites of the same function). */
function selfTimes(p: CpuProfile): { name: string; ms: number }[] {
  const byId = new Map<number, ProfileNode>();
  for (const n of p.nodes) byId.set(n.id, n);
  const perNode = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    perNode.set(id, (perNode.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const perFn = new Map<string, number>();
  for (const [id, us] of perNode) {
    const f = byId.get(id)?.callFrame;
    if (!f) continue;
    const file = f.url ? path.relative(REPO_ROOT, f.url.replace(/^file:\/\//, '')) : '';
    const name = `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
    perFn.set(name, (perFn.get(name) ?? 0) + us);
  }
  return [...perFn.entries()].map(([name, us]) => ({ name, ms: us / 1000 })).sort((a, b) => b.ms - a.ms);
}

async function main(): Promise<void> {
  const testId = (process.argv[2] ?? 'get').toLowerCase();
  const pipeline = Number(process.argv[3] ?? '1');
  const requests = Number(process.env['BENCH_REQUESTS'] ?? (pipeline === 1 ? 200_000 : 2_000_000));
  const test = TESTS.find((t) => t.id === testId);
  if (!test) throw new Error(`unknown test ${testId}; one of ${TESTS.map((t) => t.id).join(', ')}`);
  const profDir = mkdtempSync(path.join(os.tmpdir(), 'tessera-prof-'));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tessera-prof-data-'));
  const main = path.join(REPO_ROOT, 'dist/node/src/server/main.js');
  const server = track(
    spawn('taskset', ['-c', SERVER_CPU, process.execPath, '--cpu-prof', `--cpu-prof-dir=${profDir}`, main, '--port', String(PORT), '--save', '', '--appendonly', 'no', '--dir', dataDir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    await waitPort(PORT, 15000, server);
    await warmUp(PORT, 20000);
    const res = await runBenchmark(PORT, test, pipeline, requests);
    process.stdout.write(res.ok ? `${test.name} P${pipeline}: ${Math.round(res.sample.rps)} rps, p50 ${res.sample.p50Ms} ms, p99 ${res.sample.p99Ms} ms\n` : `${test.name}: ${res.error}\n`);
  } finally {
    // SIGTERM lets the server exit through process.exit, which writes the profile.
    if (server.pid !== undefined && server.exitCode === null) process.kill(server.pid, 'SIGTERM');
    await exited;
  }
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile written');
  const out = path.join(REPO_ROOT, 'bench/results', `profile-${test.id}-p${pipeline}.cpuprofile`);
  renameSync(path.join(profDir, file), out);
  rmSync(profDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
  const profile = JSON.parse(readFileSync(out, 'utf8')) as CpuProfile;
  // Idle is time the event loop waited for the client; percentages are of the busy rest.
  const all = selfTimes(profile);
  const idle = all.find((r) => r.name === '(idle)')?.ms ?? 0;
  const rows = all.filter((r) => r.name !== '(idle)');
  const total = rows.reduce((a, r) => a + r.ms, 0);
  process.stdout.write(`profile: ${out} (${(total / 1000).toFixed(1)} s busy, ${(idle / 1000).toFixed(1)} s idle)\nself time of busy time, top 30:\n`);
  for (const r of rows.slice(0, 30)) process.stdout.write(`${((100 * r.ms) / total).toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(6)} ms  ${r.name}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`profile failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
