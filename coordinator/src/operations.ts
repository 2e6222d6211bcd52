// `tessera test-failover`, `add-replica`, `remove-replica`: operations on one
// shard, addressed by its index in `tessera describe` (shards ordered by
// their first slot). Decisions are taken by the pure functions of
// reshard-plan.ts (which replica, which zone); this file only talks to nodes
// and processes and prints what happened, with timestamps.

import calculateSlot from 'cluster-key-slot';
import { parseInfo, type Endpoint } from './client.js';
import { addr, myId, waitAllKnown, waitFor, type Ctx } from './context.js';
import { chooseFailoverReplica, placeReplica, type ReplicaCandidate } from './reshard-plan.js';
import type { Shard, Topology, TopoNode } from './topology.js';
import { livePid } from './local/cluster.js';

function shardAt(ctx: Ctx, t: Topology, index: number): Shard | undefined {
  const s = t.shards.filter((x) => x.primary.slots.length > 0)[index];
  if (!s) ctx.err(`no shard ${index}: the cluster has ${t.shards.filter((x) => x.primary.slots.length > 0).length} (see tessera describe)`);
  return s;
}

async function role(ctx: Ctx, n: Endpoint): Promise<string> {
  const r = await ctx.client.node(n).call('ROLE');
  return Array.isArray(r) ? String(r[0]) : '?';
}

/** A key whose slot the shard owns, so a write to it exercises that shard. */
function probeKey(slots: readonly number[]): string {
  const owned = new Set(slots);
  for (let i = 0; ; i++) {
    const k = `tessera:failover-probe:${i}`;
    if (owned.has(calculateSlot(k))) return k;
  }
}

export interface FailoverOptions {
  readonly shard: number;
  readonly mode: 'graceful' | 'kill';
  readonly restart: boolean;
  readonly timeoutMs: number;
}

export async function testFailover(ctx: Ctx, o: FailoverOptions): Promise<number> {
  const snap = await ctx.client.snapshot();
  const t = snap.topology;
  const sh = shardAt(ctx, t, o.shard);
  if (!sh) return 64;
  const primary = sh.primary;
  const candidates: ReplicaCandidate[] = [];
  for (const r of sh.replicas) {
    let offset = 0;
    let healthy = false;
    try {
      const info = parseInfo(String(await ctx.client.node(r).call('INFO', 'replication')));
      offset = Number(info.get('slave_repl_offset') ?? 0);
      healthy = info.get('master_link_status') === 'up' && !r.failing;
    } catch { /* unreachable: not healthy */ }
    candidates.push({ id: r.id, zone: t.zones.get(r.id), offset, healthy });
  }
  const pick = chooseFailoverReplica(t.zones.get(primary.id), candidates);
  if (!pick.ok) {
    ctx.err(`Refusing: ${pick.error}`);
    return 2;
  }
  const key = probeKey(primary.slots);
  const t0 = Date.now();
  const stamp = (what: string): void => ctx.out(`  +${String(Date.now() - t0).padStart(6)} ms  ${what}`);
  ctx.out(`Test failover of shard ${o.shard} (${o.mode}): primary ${addr(primary)} zone ${t.zones.get(primary.id) ?? '-'}`);
  let promoted: TopoNode | undefined;
  if (o.mode === 'graceful') {
    const chosen = sh.replicas.find((r) => r.id === pick.value.id);
    if (!chosen) return 2;
    await ctx.client.node(chosen).call('CLUSTER', 'FAILOVER');
    stamp(`CLUSTER FAILOVER sent to ${addr(chosen)} (zone ${pick.value.zone ?? '-'}, offset ${pick.value.offset})`);
    await waitFor(`${addr(chosen)} to become primary`, o.timeoutMs, async () => ((await role(ctx, chosen)) === 'master' ? true : undefined), 20);
    promoted = chosen;
  } else {
    const rec = ctx.local?.byPort(primary.port);
    const pid = rec ? livePid(rec) : undefined;
    if (!ctx.local || !rec || pid === undefined) {
      ctx.err(`Refusing: kill mode needs the primary's pid file (a local deployment that started ${addr(primary)})`);
      return 2;
    }
    process.kill(pid, 'SIGKILL');
    stamp(`SIGKILL sent to ${addr(primary)} (pid ${pid})`);
    promoted = await waitFor('a replica to be promoted', o.timeoutMs, async () => {
      for (const r of sh.replicas) {
        try {
          if ((await role(ctx, r)) === 'master') return r;
        } catch { /* down too: keep looking */ }
      }
      return undefined;
    }, 20);
  }
  stamp(`${addr(promoted)} is primary (role change observed, zone ${t.zones.get(promoted.id) ?? '-'})`);
  const newPrimary = promoted;
  await waitFor(`a write to shard ${o.shard}'s slots`, o.timeoutMs, async () => {
    const r = await ctx.client.node(newPrimary).call('SET', key, String(Date.now()));
    return r === 'OK' ? true : undefined;
  }, 10);
  stamp(`first successful write on the shard's slots (SET ${key} on ${addr(newPrimary)})`);
  if (o.mode === 'kill' && o.restart && ctx.local) {
    const rec = ctx.local.byPort(primary.port);
    if (rec) {
      ctx.local.cluster.startNode(rec);
      stamp(`restarted ${addr(primary)}`);
      await waitFor(`${addr(primary)} to rejoin as a replica`, o.timeoutMs, async () => ((await role(ctx, primary)) === 'slave' ? true : undefined), 100);
      stamp(`${addr(primary)} rejoined as a replica`);
    }
  }
  return 0;
}

function nextFreePort(used: ReadonlySet<number>, base: number): number {
  let p = base;
  while (used.has(p)) p++;
  return p;
}

export async function addReplica(ctx: Ctx, shardIndex: number, given: Endpoint | undefined): Promise<number> {
  const snap = await ctx.client.snapshot();
  const t = snap.topology;
  const sh = shardAt(ctx, t, shardIndex);
  if (!sh) return 64;
  if (sh.replicas.length >= 5) {
    ctx.err('Refusing: a shard has at most 5 replicas');
    return 2;
  }
  let ep: Endpoint;
  if (given) {
    ep = given;
  } else {
    if (!ctx.local) {
      ctx.err('add-replica needs --add host:port of a started empty node, or a local deployment to start one in');
      return 64;
    }
    const o = ctx.local.state.options;
    const zone = placeReplica(o.zones, t.zones.get(sh.primary.id), sh.replicas.map((r) => t.zones.get(r.id) ?? ''), t.nodes.map((n) => t.zones.get(n.id) ?? ''));
    if (!zone.ok) {
      ctx.err(`Refusing: ${zone.error}`);
      return 2;
    }
    const port = nextFreePort(new Set([...ctx.local.state.nodes.map((n) => n.port), ...t.nodes.map((n) => n.port)]), o.basePort);
    const zoneNumber = o.zones.indexOf(zone.value) + 1;
    const shardNo = ctx.local.byPort(sh.primary.port)?.shard ?? shardIndex;
    const [rec] = ctx.local.addNodes([{ zone: zone.value, zoneNumber, port, role: 'replica', newShard: 0, shard: shardNo, primaryPort: sh.primary.port }]);
    if (!rec) return 2;
    ctx.local.cluster.startNode(rec);
    await ctx.local.cluster.waitListening(rec);
    ep = { host: rec.host, port: rec.port };
    ctx.out(`Started ${addr(ep)} in zone ${zone.value}`);
  }
  await ctx.client.node(ep).call('CLUSTER', 'MEET', sh.primary.host, sh.primary.port);
  await waitAllKnown(ctx, [...t.nodes.filter((n) => !n.failing), ep], t.nodes.length + 1);
  await waitFor(`CLUSTER REPLICATE on ${addr(ep)}`, 15000, async () => ((await ctx.client.node(ep).call('CLUSTER', 'REPLICATE', sh.primary.id)) === 'OK' ? true : undefined), 200);
  await waitFor(`${addr(ep)} to sync`, 60000, async () => {
    const info = parseInfo(String(await ctx.client.node(ep).call('INFO', 'replication')));
    return info.get('master_link_status') === 'up' ? true : undefined;
  }, 100);
  ctx.out(`${addr(ep)} (${(await myId(ctx, ep)).slice(0, 8)}) replicates shard ${shardIndex} primary ${addr(sh.primary)}; link up.`);
  return 0;
}

export async function removeReplica(ctx: Ctx, shardIndex: number, given: Endpoint | undefined): Promise<number> {
  const snap = await ctx.client.snapshot();
  const t = snap.topology;
  const sh = shardAt(ctx, t, shardIndex);
  if (!sh) return 64;
  let victim: TopoNode | undefined;
  if (given) {
    victim = sh.replicas.find((r) => r.port === given.port && (r.host === given.host || given.host === '127.0.0.1'));
  } else {
    // The replica whose zone the shard uses most (keeps zones spread), then the one furthest behind.
    const zoneCount = (r: TopoNode): number => sh.replicas.filter((x) => t.zones.get(x.id) === t.zones.get(r.id)).length;
    victim = [...sh.replicas].sort((a, b) => Number(b.failing) - Number(a.failing) || zoneCount(b) - zoneCount(a) || b.port - a.port)[0];
  }
  if (!victim) {
    ctx.err(`shard ${shardIndex} has no ${given ? `replica ${addr(given)}` : 'replica'} to remove`);
    return 2;
  }
  for (const n of t.nodes) {
    if (n.id === victim.id) continue;
    try {
      await ctx.client.node(n).call('CLUSTER', 'FORGET', victim.id);
    } catch (e) {
      ctx.err(`warning: CLUSTER FORGET on ${addr(n)}: ${(e as Error).message}`);
    }
  }
  const rec = ctx.local?.byPort(victim.port);
  if (ctx.local && rec) {
    await ctx.local.cluster.stopNode(rec);
    ctx.local.removeNodes(new Set([rec.port]));
    ctx.out(`Removed replica ${addr(victim)} of shard ${shardIndex}: forgotten by every node, process stopped.`);
  } else {
    await ctx.client.node(victim).call('CLUSTER', 'RESET', 'HARD').catch((e: Error) => ctx.err(`warning: CLUSTER RESET HARD: ${e.message}`));
    ctx.out(`Removed replica ${addr(victim)} of shard ${shardIndex}: forgotten by every node and reset (not started by us, left running).`);
  }
  return 0;
}
