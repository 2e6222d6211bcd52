// Clusters for chaos runs: started with the same code as deploy/local/up.sh
// (LocalCluster), each in a fresh data dir, and killed by pid from an exit
// hook however the run ends. Also the live topology (roles change under
// faults, so victims are chosen from what the cluster says now, not from the
// plan).

import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterNodes, type ClusterNodeLine } from '../../coordinator/src/local/admin.js';
import { LocalCluster, isRoot, livePid, type NodeRecord, type ServerKind } from '../../coordinator/src/local/cluster.js';
import { eventually } from '../../coordinator/src/local/eventually.js';

const started = new Set<LocalCluster>();
process.on('exit', () => {
  for (const c of started) {
    for (const n of c.nodes) {
      const pid = livePid(n);
      if (pid !== undefined) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  // Turn a signal into a normal exit so the exit hooks (kill nodes, flush iptables) run.
  process.once(sig, () => process.exit(130));
}

export interface ChaosClusterOptions {
  readonly server: ServerKind;
  readonly shards: number;
  readonly replicas: number;
  readonly nodeTimeoutMs: number;
  readonly basePort: number;
  readonly syncReplication: boolean;
  readonly extraArgs: readonly string[];
}

export async function startChaosCluster(o: ChaosClusterOptions): Promise<LocalCluster> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tessera-chaos-'));
  chmodSync(dataDir, 0o755);
  const cluster = LocalCluster.prepare({
    server: o.server, shards: o.shards, replicas: o.replicas, zones: ['a', 'b', 'c'], basePort: o.basePort,
    nodeTimeoutMs: o.nodeTimeoutMs, syncReplication: o.syncReplication, dataDir,
    // Zone users make partitions possible; only root can run processes as them.
    zoneUsers: isRoot(), appendonly: false, extraArgs: o.extraArgs,
  });
  started.add(cluster);
  try {
    await cluster.up(60000);
  } catch (e) {
    await stopChaosCluster(cluster, true);
    throw e;
  }
  return cluster;
}

export async function stopChaosCluster(cluster: LocalCluster, keepData: boolean): Promise<void> {
  await cluster.stopAll(3000);
  started.delete(cluster);
  if (!keepData) rmSync(cluster.options.dataDir, { recursive: true, force: true });
}

export interface LiveNode {
  readonly record: NodeRecord;
  readonly id: string;
  readonly role: ClusterNodeLine['role'];
  readonly primaryId: string;
  readonly slots: readonly (readonly [number, number])[];
}

/** The topology as a reachable node sees it (first node that answers). */
export async function liveTopology(cluster: LocalCluster, exclude: ReadonlySet<number> = new Set()): Promise<LiveNode[]> {
  return eventually(async () => {
    for (const n of cluster.nodes) {
      if (exclude.has(n.port) || livePid(n) === undefined) continue;
      try {
        const lines = await clusterNodes(cluster.endpoint(n), 1000);
        return lines.flatMap((l) => {
          const record = cluster.nodes.find((r) => r.port === l.port);
          return record ? [{ record, id: l.id, role: l.role, primaryId: l.primaryId, slots: l.slots }] : [];
        });
      } catch { /* try the next node */ }
    }
    return undefined;
  }, { timeoutMs: 10000, what: 'a node to answer CLUSTER NODES' });
}

/** A slot set as a bitmap (16384 slots). */
export function slotSet(ranges: readonly (readonly [number, number])[]): Uint8Array {
  const s = new Uint8Array(16384);
  for (const [a, b] of ranges) for (let i = a; i <= b; i++) s[i] = 1;
  return s;
}

/** True when, seen from node `observer`, no slot of `slots` is owned by one of `oldOwnerIds`. */
export async function slotsMovedAway(cluster: LocalCluster, observer: NodeRecord, slots: Uint8Array, oldOwnerIds: ReadonlySet<string>): Promise<boolean> {
  const lines = await clusterNodes(cluster.endpoint(observer), 1000);
  let covered = 0;
  let needed = 0;
  for (const x of slots) needed += x;
  for (const l of lines) {
    if (l.role !== 'primary' || l.failing) continue;
    for (const [a, b] of l.slots) {
      for (let i = a; i <= b; i++) {
        if (slots[i] !== 1) continue;
        if (oldOwnerIds.has(l.id)) return false;
        covered++;
      }
    }
  }
  return covered === needed;
}
