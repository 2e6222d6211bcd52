// One chaos run: start a cluster, put the workload on it, inject the fault,
// measure how long the affected slots stay unwritable, heal, wait for the
// cluster to converge, and judge every acknowledged write.
//
// Recovery time ("time to first successful write on the affected slots"):
// from the fault to the acknowledgement of the first write to a slot the
// victim primaries owned, among writes started after the fault (or, for a
// partition, after the failover was seen, because the cut-off primary keeps
// acknowledging writes that the failover will drop).

import { randomBytes } from 'node:crypto';
import type { LocalCluster } from '../../coordinator/src/local/cluster.js';
import { clusterCheck } from '../../coordinator/src/local/admin.js';
import { eventually } from '../../coordinator/src/local/eventually.js';
import { startChaosCluster, stopChaosCluster, slotSet, slotsMovedAway, liveTopology } from './chaos-cluster.js';
import type { ChaosEnv } from './env.js';
import * as iptables from './iptables.js';
import { verify, type Verdict } from './model.js';
import { isLinkedReplica, type Injected, type Scenario } from './scenarios.js';
import { Workload, type WriteOp } from './workload.js';

export type Mode = 'async' | 'sync';

export interface RunResult {
  readonly scenario: string;
  readonly title: string;
  readonly mode: Mode;
  readonly server: string;
  readonly nodeTimeoutMs: number;
  /** Shards x replicas per shard, e.g. "3x2". */
  readonly topology: string;
  readonly run: number;
  readonly startedAt: string;
  readonly fault: string;
  readonly rules?: readonly string[];
  /** Fault to the failover seen by a surviving node (slots owned by another, non-failing primary). */
  readonly failoverMs?: number;
  readonly recoveryMs?: number;
  /** Longest stretch without an acknowledged write on the affected slots, from the fault to the end. */
  readonly unavailableMs?: number;
  readonly errorsByKind: Record<string, number>;
  readonly reads: { readonly total: number; readonly misses: number; readonly errors: number };
  readonly verdict?: Verdict;
  readonly ackedWritesLost?: number;
  readonly converged: boolean;
  readonly convergeReason?: string;
  readonly checkClean: boolean;
  /** Did every victim that was a primary come back as a replica with its link up? (undefined: no primary was hit) */
  readonly oldPrimaryRejoinedAsReplica?: boolean;
  /** Did every victim come back and end as a linked replica or a primary in a healthy cluster? */
  readonly victimsRejoined: boolean;
  readonly durationMs: number;
  readonly dataDir: string;
  readonly error?: string;
  readonly notes: readonly string[];
}

export interface RunOptions {
  readonly env: ChaosEnv;
  readonly mode: Mode;
  readonly run: number;
}

function unavailability(writes: readonly WriteOp[], affected: Uint8Array, fromMs: number, toMs: number): number {
  const acks = writes.filter((w) => w.outcome === 'ack' && affected[w.slot] === 1 && w.endMs >= fromMs && w.endMs <= toMs).map((w) => w.endMs).sort((a, b) => a - b);
  let prev = fromMs;
  let gap = 0;
  for (const t of acks) {
    gap = Math.max(gap, t - prev);
    prev = t;
  }
  return Math.max(gap, toMs - prev);
}

export async function runScenario(s: Scenario, o: RunOptions): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const t0 = Date.now();
  const notes: string[] = [];
  const env = o.env;
  if (s.needsRoot) iptables.removeOnExit();
  if (s.needsRoot) iptables.reset();
  let cluster: LocalCluster | undefined;
  let workload: Workload | undefined;
  let injected: Injected | undefined;
  let failoverMs: number | undefined;
  let recoveryMs: number | undefined;
  let unavailableMs: number | undefined;
  let verdict: Verdict | undefined;
  let converged = false;
  let convergeReason: string | undefined;
  let checkClean = false;
  let oldPrimaryRejoinedAsReplica: boolean | undefined;
  let victimsRejoined = false;
  let error: string | undefined;
  const replicas = o.mode === 'sync' ? Math.max(s.replicas, env.syncReplicas) : s.replicas;
  const nodeTimeoutMs = Math.max(env.nodeTimeoutMs, s.minNodeTimeoutMs ?? 0);
  try {
    cluster = await startChaosCluster({
      server: env.server, shards: s.shards, replicas, nodeTimeoutMs,
      basePort: env.basePort, syncReplication: o.mode === 'sync', extraArgs: env.extraArgs,
    });
    const c = cluster;
    const seeds = c.nodes.map((n) => ({ host: '127.0.0.1', port: n.port }));
    const w = (workload = new Workload({
      seeds, runId: randomBytes(4).toString('hex'), writers: 6, readers: 2, counters: 16, pauseMs: 4,
      opTimeoutMs: 1000, maxDurationMs: 180000, maxOpsPerLoop: 200000,
      ...(env.wait ? { wait: { replicas: 1, timeoutMs: 200 } } : {}),
    }));
    w.start();
    // Warm up: the client has the slot map and writes flow on every shard.
    await eventually(() => w.ackedCount() >= 500, { timeoutMs: 20000, what: '500 acknowledged writes before the fault' });
    const ctx = { cluster: c, nodeTimeoutMs, now: () => w.now() };
    const inj = (injected = await s.inject(ctx));
    const affected = slotSet(inj.victimPrimaries.flatMap((p) => p.slots));
    const victimIds = new Set(inj.victimPrimaries.map((p) => p.id));
    const victimPorts = new Set(inj.victims.map((v) => v.port));
    // Any surviving node may see it first; a node importing one of the victim's slots never
    // does by itself (it ignores claims on slots it imports, as Redis does, until fixed).
    const observers = c.nodes.filter((n) => !victimPorts.has(n.port));
    if (observers.length === 0) throw new Error('no surviving node to observe from');
    const failoverTimeoutMs = Math.max(30000, nodeTimeoutMs * 20);
    if (s.expectFailover && inj.victimPrimaries.length > 0) {
      await eventually(async () => {
        for (const o of observers) if (await slotsMovedAway(c, o, affected, victimIds).catch(() => false)) return true;
        return false;
      }, { timeoutMs: failoverTimeoutMs, intervalMs: 50, what: 'a replica to take over the victims\' slots' });
      failoverMs = w.now() - inj.faultAtMs;
    }
    if (inj.victimPrimaries.length > 0) {
      const gate = s.recoveryGate === 'failover' && failoverMs !== undefined ? inj.faultAtMs + failoverMs : inj.faultAtMs;
      const first = await eventually(() => w.writes.find((x) => x.outcome === 'ack' && x.endMs > 0 && x.startMs > gate && affected[x.slot] === 1), {
        timeoutMs: failoverTimeoutMs, intervalMs: 20, what: 'a write on the affected slots to succeed',
      }).catch(() => undefined);
      if (first) recoveryMs = first.endMs - inj.faultAtMs;
      else notes.push('no write on the affected slots succeeded before the timeout');
      // Strictly after: a write started in the fault's millisecond may have been answered by the victim.
      // Keep writing on the new owner for a while, so healing has data to reconcile.
      const base = w.ackedCount((x) => affected[x.slot] === 1 && x.startMs >= gate);
      await eventually(() => w.ackedCount((x) => affected[x.slot] === 1 && x.startMs >= gate) >= base + 200, { timeoutMs: 15000, what: '200 more writes on the affected slots' }).catch(() => notes.push('fewer than 200 writes on the affected slots after recovery'));
    } else {
      const base = w.ackedCount();
      await eventually(() => w.ackedCount() >= base + 500, { timeoutMs: 15000, what: '500 writes after the fault' });
      // A replica kill is only seen by the cluster after node timeout; keep the fault that long.
      await eventually(() => w.now() - inj.faultAtMs >= nodeTimeoutMs * 2, { timeoutMs: nodeTimeoutMs * 3 });
    }
    await s.heal(ctx, inj);
    const healedAtMs = w.now();
    try {
      await c.waitHealthy(60000);
      converged = true;
    } catch (e) {
      convergeReason = (e as Error).message;
    }
    // Writes after healing, then stop: the healed cluster must take writes too.
    const base = w.ackedCount();
    await eventually(() => w.ackedCount() >= base + 300, { timeoutMs: 15000, what: '300 writes after healing' }).catch(() => notes.push('fewer than 300 writes after healing'));
    await w.stop();
    if (inj.victimPrimaries.length > 0) unavailableMs = unavailability(w.writes, affected, inj.faultAtMs, healedAtMs);
    const checks = await Promise.all(inj.victims.map(async (v) => {
      try {
        if (await isLinkedReplica(c, v)) return 'replica';
        const topo = await liveTopology(c);
        return topo.some((n) => n.record.port === v.port && n.role === 'primary') ? 'primary' : 'other';
      } catch {
        return 'down';
      }
    }));
    victimsRejoined = converged && checks.every((x) => x === 'replica' || x === 'primary');
    const primaryVictimPorts = new Set(inj.victimPrimaries.map((p) => p.record.port));
    if (primaryVictimPorts.size > 0) {
      oldPrimaryRejoinedAsReplica = inj.victims.every((v, i) => !primaryVictimPorts.has(v.port) || checks[i] === 'replica');
      if (!oldPrimaryRejoinedAsReplica) notes.push(`old primary roles after healing: ${inj.victims.map((v, i) => `${v.port}=${checks[i]}`).join(' ')}`);
    }
    const first = c.nodes[0];
    if (first) {
      const check = await clusterCheck(c.endpoint(first));
      checkClean = check.clean;
      if (!check.clean) notes.push(`redis-cli --cluster check:\n${check.output}`);
    }
    verdict = await verify(w, seeds, [inj.faultAtMs, healedAtMs]);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    await workload?.close().catch(() => undefined);
    if (s.needsRoot) {
      try {
        iptables.reset();
      } catch (e) {
        error ??= `iptables flush failed: ${(e as Error).message}`;
      }
    }
  }
  const failed = error !== undefined || !converged || !checkClean;
  const keep = env.keepData || failed;
  if (cluster) await stopChaosCluster(cluster, keep).catch(() => undefined);
  const errorsByKind: Record<string, number> = {};
  for (const [k, v] of [...(workload?.errorsByKind ?? new Map<string, number>())].sort((a, b) => b[1] - a[1])) errorsByKind[k] = v;
  return {
    scenario: s.name, title: s.title, mode: o.mode, server: env.server, nodeTimeoutMs, topology: `${s.shards}x${replicas}`, run: o.run, startedAt,
    fault: injected?.description ?? '(not injected)', ...(injected?.rules ? { rules: injected.rules } : {}),
    ...(failoverMs !== undefined ? { failoverMs } : {}), ...(recoveryMs !== undefined ? { recoveryMs } : {}),
    ...(unavailableMs !== undefined ? { unavailableMs } : {}),
    errorsByKind,
    reads: { total: workload?.reads ?? 0, misses: workload?.readMisses ?? 0, errors: workload?.readErrors ?? 0 },
    ...(verdict ? { verdict, ackedWritesLost: verdict.ackedWritesLost } : {}),
    converged, ...(convergeReason ? { convergeReason } : {}), checkClean,
    ...(oldPrimaryRejoinedAsReplica !== undefined ? { oldPrimaryRejoinedAsReplica } : {}), victimsRejoined,
    durationMs: Date.now() - t0, dataDir: keep && cluster ? cluster.options.dataDir : '(removed)',
    ...(error ? { error } : {}), notes,
  };
}
