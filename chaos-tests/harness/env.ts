// The chaos suite's settings, from the environment so that mocha specs, the
// `npm run chaos` runner and a developer's shell all read the same knobs.
//
//   CHAOS_SERVER=tessera|redis      which binary the cluster runs (default tessera)
//   CHAOS_NODE_TIMEOUT_MS=1000      cluster-node-timeout of clusters the suite starts
//   CHAOS_BASE_PORT=7100            first client port of clusters the suite starts
//   CHAOS_RUNS=1                    repetitions per scenario (the runner's --runs)
//   CHAOS_WAIT=0|1                  writers follow each write with WAIT 1 <timeout>
//   CHAOS_KEEP_DATA=1               keep data dirs (logs) of passing runs too
//   CHAOS_EXTRA_ARGS="--a b ..."    extra directives for every node
//   CHAOS_RESULTS_DIR               where per-run JSON goes (default chaos-tests/results/runs)
//   CHAOS_SYNC_REPLICAS=2           replicas per shard in synchronous mode (at least the scenario's own)

import path from 'node:path';
import { REPO_ROOT, type ServerKind } from '../../coordinator/src/local/cluster.js';

export interface ChaosEnv {
  readonly server: ServerKind;
  readonly nodeTimeoutMs: number;
  readonly basePort: number;
  readonly runs: number;
  readonly wait: boolean;
  readonly keepData: boolean;
  readonly extraArgs: readonly string[];
  readonly resultsDir: string;
  /**
   * Synchronous mode refuses writes on a shard with no live replica in
   * another zone, so with one replica a single failure makes the shard
   * unwritable until the victim is back: that is the guarantee, not a
   * finding. Two replicas per shard (one per other zone) is how sync mode is
   * meant to be deployed and what the suite measures by default.
   */
  readonly syncReplicas: number;
}

function int(name: string, d: number): number {
  const s = process.env[name];
  if (s === undefined || s === '') return d;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${s}`);
  return n;
}

export function chaosEnv(): ChaosEnv {
  const server = process.env['CHAOS_SERVER'] ?? 'tessera';
  if (server !== 'tessera' && server !== 'redis') throw new Error(`CHAOS_SERVER must be tessera or redis, got ${server}`);
  const extra = process.env['CHAOS_EXTRA_ARGS'];
  return {
    server,
    nodeTimeoutMs: int('CHAOS_NODE_TIMEOUT_MS', 1000),
    basePort: int('CHAOS_BASE_PORT', 7100),
    runs: Math.max(1, int('CHAOS_RUNS', 1)),
    wait: process.env['CHAOS_WAIT'] === '1',
    keepData: process.env['CHAOS_KEEP_DATA'] === '1',
    extraArgs: extra ? extra.split(' ').filter((a) => a !== '') : [],
    resultsDir: process.env['CHAOS_RESULTS_DIR'] ?? path.join(REPO_ROOT, 'chaos-tests/results/runs'),
    syncReplicas: Math.max(1, int('CHAOS_SYNC_REPLICAS', 2)),
  };
}
